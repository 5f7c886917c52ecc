/**
 * The second cross-account mode: the primary shares its 10DLC number through AWS End User Messaging
 * (a resource-based policy on the number, or an AWS RAM resource share), and each secondary sends
 * with its OWN credentials by calling `SendTextMessage` with the number's ARN. Pure: no `vscode`, no
 * AWS SDK.
 *
 * Facts this module is built on (sources in `SHARING_SOURCES`; the README's comparison section lists
 * them too):
 * - `PutResourcePolicy` attaches a resource-based policy to a phone number, sender id, pool or opt-out
 *   list "that is used for sharing the resource" (API reference); the policy names the consumer
 *   accounts and `sms-voice:SendTextMessage` on the number's ARN (the Terraform / Pulumi example of
 *   `aws_pinpointsmsvoicev2_resource_policy`). RAM shows such a share as `CREATED_FROM_POLICY`.
 * - Sharing is regional: a resource is shared only with accounts in its own Region (AWS Messaging
 *   blog, "A Complete Guide to Resource Sharing for AWS End User Messaging"). Only the owner can share
 *   (a consumer cannot share again); Organizations is needed only to share with an organization or
 *   OU; an account outside it gets a RAM invitation to accept (End User Messaging SMS user guide,
 *   "Working with shared resources").
 * - A consumer uses the shared number through the End User Messaging API with the full ARN as
 *   `OriginationIdentity` ("If you are using a shared … resource then you must use the full Amazon
 *   Resource Name"), sees it with `DescribePhoneNumbers` `Owner = SHARED` (which cannot be combined
 *   with `PhoneNumberIds`), and pays for each message it sends against its own monthly spend limit.
 * - `SendTextMessage` with `DryRun = true` checks and validates the message without sending it, and is
 *   not charged (API reference).
 * - The number's opt-out list is applied by End User Messaging when the message is sent; a consumer
 *   needs access to the list only to read it (`DescribeOptedOutNumbers`), which the pre-flight does.
 */
import * as l10n from '@vscode/l10n';
import { grantStatement, type Grant } from './policyEngine';
import { partitionOf, type PolicyDocument, type PolicyStatement } from './policies';
import { accountOf, decide, readPolicy, wildcardMatch, actionMatches, awsCovers } from './policyGrammar';

export type SharingMode = 'role' | 'resourceShare';

export const SHARING_MODES: readonly SharingMode[] = ['role', 'resourceShare'];

/** The setting's value, read defensively: anything unknown is the default `role`. */
export function readSharingMode(v: unknown): SharingMode {
  return v === 'resourceShare' ? 'resourceShare' : 'role';
}

/** A short name of the mode for labels. */
export function sharingModeLabel(mode: SharingMode): string {
  return mode === 'role' ? 'IAM role (SNS Publish)' : 'End User Messaging share';
}

export const SEND_ACTION = 'sms-voice:SendTextMessage';
export const OPT_OUT_READ_ACTION = 'sms-voice:DescribeOptedOutNumbers';

/**
 * What the share grants on each resource. On the number: SendTextMessage (what sending needs), and
 * DescribePhoneNumbers on that one number, so the secondary can find it (and its ARN) with `Owner =
 * SHARED` — AWS does not document whether a number shared by policy is listed without it, and
 * granting a read of one number removes the doubt. On the opt-out list: reading it only.
 */
export const SHARE_ACTIONS: Readonly<Record<'phone-number' | 'opt-out-list', readonly string[]>> = {
  'phone-number': [SEND_ACTION, 'sms-voice:DescribePhoneNumbers'],
  'opt-out-list': [OPT_OUT_READ_ACTION],
};

/** The Sids of the statements this extension proposes on the number and on its opt-out list. */
export const SHARE_SID = {
  'phone-number': 'AllowSecondaryAccountsToSendThroughThisNumber',
  'opt-out-list': 'AllowSecondaryAccountsToReadThisOptOutList',
} as const;

export type SharedResourceKind = keyof typeof SHARE_SID;

function roots(accounts: readonly string[], partition: string): string[] {
  return [...new Set(accounts)].sort().map((a) => `arn:${partition}:iam::${a}:root`);
}

/**
 * What the resource policy of a shared resource must allow, as an engine grant: each secondary
 * account may send through the number (`SHARE_ACTIONS`), or read (only) its opt-out list. The
 * merge adds it to whatever is there (the SNS grant of issue 12 included) and drops nothing.
 */
export function shareGrant(kind: SharedResourceKind, resourceArn: string, accounts: readonly string[], region?: string): Grant {
  return {
    sid: SHARE_SID[kind],
    principals: { AWS: roots(accounts, partitionOf(region)) },
    actions: [...SHARE_ACTIONS[kind]],
    resources: [resourceArn],
  };
}

/** A whole resource policy holding only the share (for a resource that has none yet): the grant's own statement. */
export function shareResourcePolicy(kind: SharedResourceKind, resourceArn: string, accounts: readonly string[], region?: string): PolicyDocument {
  return { Version: '2012-10-17', Statement: [grantStatement(shareGrant(kind, resourceArn, accounts, region), partitionOf(region)) as unknown as PolicyStatement] };
}

export const SECONDARY_SEND_SID = 'SendThroughSharedNumber';
export const SECONDARY_OPTIONAL_SID = 'OptionalPreflightReads';
export const SECONDARY_RAM_SID = 'OptionalAcceptRamInvitationFromPrimary';

export interface SecondarySendPolicyInput {
  readonly numberArn: string;
  readonly optOutListArn?: string;
  readonly primaryAccountId: string;
  readonly region: string;
}

/**
 * The identity policy each secondary's sending user or role needs in resourceShare mode (a
 * cross-account call needs both this and the primary's grant): `SendTextMessage` on the shared
 * number's ARN, and — optional, labelled — the read-only calls of the pre-flight (the shared number's
 * visibility, the account's spend limit and sandbox tier, the opt-out list) and RAM's invitation calls
 * for an invitation from the primary account.
 */
export function secondarySendPolicy(input: SecondarySendPolicyInput): PolicyDocument {
  const partition = partitionOf(input.region);
  const statements: PolicyStatement[] = [
    { Sid: SECONDARY_SEND_SID, Effect: 'Allow', Action: SEND_ACTION, Resource: input.numberArn },
    {
      Sid: SECONDARY_OPTIONAL_SID,
      Effect: 'Allow',
      Action: ['sms-voice:DescribeAccountAttributes', 'sms-voice:DescribePhoneNumbers', 'sms-voice:DescribeSpendLimits'],
      Resource: '*',
    },
  ];
  if (input.optOutListArn) {
    statements.push({ Sid: `${SECONDARY_OPTIONAL_SID}OptOutList`, Effect: 'Allow', Action: OPT_OUT_READ_ACTION, Resource: input.optOutListArn });
  }
  statements.push(
    { Sid: `${SECONDARY_RAM_SID}List`, Effect: 'Allow', Action: 'ram:GetResourceShareInvitations', Resource: '*' },
    {
      Sid: SECONDARY_RAM_SID,
      Effect: 'Allow',
      Action: 'ram:AcceptResourceShareInvitation',
      Resource: `arn:${partition}:ram:${input.region}:${input.primaryAccountId}:resource-share-invitation/*`,
    },
  );
  return { Version: '2012-10-17', Statement: statements };
}

// ---------------------------------------------------------------------------------------------------
// Does the number's resource policy let a secondary account send?

export type SecondaryAccess =
  /** No resource policy at all (absent, empty, or `{}`). */
  | { readonly kind: 'none' }
  | { readonly kind: 'unreadable'; readonly error: string }
  /** Every principal of the account may send (an Allow covers its root), and no Deny applies. */
  | { readonly kind: 'allowed'; readonly by: string }
  /** A Deny applies to the account. */
  | { readonly kind: 'denied'; readonly by: string }
  /** Only some principals of the account are named (e.g. one role), or only under conditions. */
  | { readonly kind: 'partial'; readonly by: string; readonly why: string }
  | { readonly kind: 'not-granted' };

const label = (s: { sid?: string; index: number }): string => (s.sid ? `Sid ${s.sid}` : `statement ${s.index + 1}`);

/**
 * Whether a resource policy on the number lets principals of `accountId` call `SendTextMessage` on
 * it, decided as IAM decides for one request (an explicit Deny wins). Asked for the account's root,
 * so "allowed" means every principal the account's own policies let send; an Allow for only some of
 * its principals, or one that depends on a condition, is "partial" — never reported as a plain grant.
 */
export function secondaryAccess(policyText: string | undefined, numberArn: string, accountId: string, action: string = SEND_ACTION): SecondaryAccess {
  const text = policyText?.trim() ?? '';
  if (text === '' || text === '{}') {
    return { kind: 'none' };
  }
  const read = readPolicy(text);
  if (!read.ok) {
    return { kind: 'unreadable', error: read.problems.join(' ') };
  }
  const policy = read.policy;
  const root = `arn:${numberArn.split(':')[1] ?? 'aws'}:iam::${accountId}:root`;
  const context = { 'aws:principalaccount': [accountId] };
  const matches = (s: (typeof policy.statements)[number]): boolean =>
    (s.action ? s.action.some((a) => actionMatches(a, action)) : !(s.notAction ?? []).some((a) => actionMatches(a, action))) &&
    (s.resource ? s.resource.some((r) => wildcardMatch(r, numberArn)) : s.notResource ? !s.notResource.some((r) => wildcardMatch(r, numberArn)) : true);
  const verdict = decide(policy, { principal: { type: 'AWS', id: root }, action, resource: numberArn, context });
  if (verdict === 'deny') {
    const by = policy.statements.find((s) => s.effect === 'Deny' && matches(s));
    return { kind: 'denied', by: by ? label(by) : 'a Deny' };
  }
  if (verdict === 'allow') {
    const by = policy.statements.find((s) => s.effect === 'Allow' && matches(s) && (s.principal?.everyone || (s.principal?.AWS ?? []).some((p) => awsCovers(p, root))));
    return { kind: 'allowed', by: by ? label(by) : 'an Allow' };
  }
  for (const s of policy.statements) {
    if (s.effect !== 'Allow' || !matches(s)) {
      continue;
    }
    const named = (s.principal?.AWS ?? []).filter((p) => accountOf(p) === accountId);
    if (named.length && !named.some((p) => awsCovers(p, root))) {
      return { kind: 'partial', by: label(s), why: l10n.t('it names only {0} of that account', named.join(', ')) };
    }
    if ((s.principal?.everyone || (s.principal?.AWS ?? []).some((p) => awsCovers(p, root))) && s.conditions.length) {
      return { kind: 'partial', by: label(s), why: l10n.t('only when {0} holds', s.conditions.map((c) => `${c.operator} ${c.key}`).join(' and ')) };
    }
  }
  return { kind: 'not-granted' };
}

/** In words, for a check's detail: "grants … (Sid X)". */
export function describeSecondaryAccess(a: SecondaryAccess, who: string): string {
  switch (a.kind) {
    case 'none':
      return `the number has no resource policy, so it is not shared with ${who} that way`;
    case 'unreadable':
      return `the number's resource policy cannot be read completely (${a.error}), so whether it shares the number with ${who} is not known`;
    case 'allowed':
      return `the number's resource policy lets ${who} call SendTextMessage on it (${a.by})`;
    case 'denied':
      return `the number's resource policy denies ${who} SendTextMessage (${a.by})`;
    case 'partial':
      return `the number's resource policy lets ${who} send only in part: ${a.by} grants it ${a.why}`;
    case 'not-granted':
      return `the number's resource policy does not grant ${who} SendTextMessage`;
  }
}

// ---------------------------------------------------------------------------------------------------
// Words

/** `Transactional` → `TRANSACTIONAL`: End User Messaging's MessageType for the SNS setting's value. */
export function messageTypeOf(smsType: 'Transactional' | 'Promotional'): 'TRANSACTIONAL' | 'PROMOTIONAL' {
  return smsType === 'Promotional' ? 'PROMOTIONAL' : 'TRANSACTIONAL';
}

/** The account that owns an End User Messaging ARN (`arn:aws:sms-voice:REGION:ACCOUNT:phone-number/ID`). */
export function ownerOfArn(arn: string): string | undefined {
  const m = /^arn:[a-z-]+:sms-voice:[a-z0-9-]*:(\d{12}):/.exec(arn);
  return m?.[1];
}

/** The region of an End User Messaging ARN. */
export function regionOfArn(arn: string): string | undefined {
  return /^arn:[a-z-]+:sms-voice:([a-z0-9-]+):/.exec(arn)?.[1];
}

/**
 * What a RAM invitation offers beyond the primary's phone numbers in the number's Region: each such
 * resource ARN (accepting would give the secondary those too), and whether it offers a phone number
 * at all. Accept Invitation accepts only an invitation with no `others` and a number.
 */
export function invitationOffer(resources: readonly string[], primaryAccountId: string, region: string): { readonly numbers: string[]; readonly others: string[] } {
  const isNumber = (r: string): boolean => /^arn:[a-z-]+:sms-voice:[a-z0-9-]+:\d{12}:phone-number\/[^/]+$/.test(r) && ownerOfArn(r) === primaryAccountId && regionOfArn(r) === region;
  return { numbers: resources.filter(isNumber), others: resources.filter((r) => !isNumber(r)) };
}

/** The name of the RAM resource share this extension creates for a number (RAM names: 1–255 characters). */
export function ramShareName(number: string): string {
  return `tendlc-10dlc-${number.replace(/\D/g, '')}`;
}

/** A text spend limit as DescribeSpendLimits reports it. */
export interface SpendLimitInfo {
  readonly enforcedLimit?: number;
  readonly maxLimit?: number;
  readonly overridden?: boolean;
}

/** The monthly limit that applies: the override when set, else the maximum AWS granted. */
export function effectiveSpendLimit(l: SpendLimitInfo): number | undefined {
  return l.overridden ? l.enforcedLimit : l.maxLimit ?? l.enforcedLimit;
}

/** For a secondary whose profile region is not the number's: sharing is regional. */
export function sharedRegionNote(profile: string, profileRegion: string | undefined, numberRegion: string): string | undefined {
  if (!profileRegion || profileRegion === numberRegion) {
    return undefined;
  }
  return `Profile ${profile} is set to ${profileRegion}, but the number is shared in ${numberRegion} only (End User Messaging shares within one Region): the extension calls SendTextMessage in ${numberRegion}, and your applications must too.`;
}

/** What the two modes mean for the person choosing, one line each (the group tooltips use them). */
export function modeSummary(mode: SharingMode, roleName: string): { primary: string; secondary: string } {
  return mode === 'role'
    ? {
        primary: 'The primary account owns the 10DLC number and is billed for every message sent through it (secondaries assume its role and call SNS Publish).',
        secondary: `Secondary profiles send through the primary's number by assuming its role "${roleName}"; every message is billed to the primary.`,
      }
    : {
        primary: 'The primary account owns the 10DLC number (and pays for it) and shares it through End User Messaging; it is not billed for the secondaries\' messages.',
        secondary: "Secondary profiles send with their own credentials (End User Messaging SendTextMessage with the number's ARN); each message is billed to the sending account and counts against its own spend limit.",
      };
}

/** Where the facts above come from, for the generated guide. */
export const SHARING_SOURCES: readonly { readonly title: string; readonly url: string }[] = [
  { title: l10n.t('End User Messaging SMS User Guide: Working with shared resources'), url: 'https://docs.aws.amazon.com/sms-voice/latest/userguide/shared-resources.html' },
  { title: l10n.t('AWS Messaging blog: A Complete Guide to Resource Sharing for AWS End User Messaging'), url: 'https://aws.amazon.com/blogs/messaging-and-targeting/a-complete-guide-to-resource-sharing-for-aws-end-user-messaging/' },
  { title: l10n.t('End User Messaging API: SendTextMessage (DryRun, OriginationIdentity as the full ARN for a shared resource)'), url: 'https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_SendTextMessage.html' },
  { title: l10n.t('End User Messaging API: PutResourcePolicy'), url: 'https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_PutResourcePolicy.html' },
  { title: l10n.t('End User Messaging SMS User Guide: List shared phone numbers (describe-phone-numbers --owner SHARED)'), url: 'https://docs.aws.amazon.com/sms-voice/latest/userguide/phone-numbers-shared.html' },
  { title: l10n.t('End User Messaging API: DescribeSpendLimits'), url: 'https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_DescribeSpendLimits.html' },
  { title: l10n.t('AWS RAM API: CreateResourceShare, AssociateResourceShare, GetResourceShareInvitations, AcceptResourceShareInvitation'), url: 'https://docs.aws.amazon.com/ram/latest/APIReference/Welcome.html' },
];
