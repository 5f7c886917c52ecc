/**
 * The list of readiness checks. Each is written once and runs wherever its `scopes` say: in Check
 * Setup (with the primary's own credentials) and/or in the send pre-flight (with the assumed role).
 * The runner in readiness.ts turns a refusal or an unimplemented call into "unknown".
 */
import {
  CheckIfPhoneNumberIsOptedOutCommand,
  ListOriginationNumbersCommand,
  ListSMSSandboxPhoneNumbersCommand,
} from '@aws-sdk/client-sns';
import type { RAMClient } from '@aws-sdk/client-ram';
import {
  accessSummary,
  describeOthers,
  describeSnsAccess,
  evaluateSnsAccess,
  grantedAutomatically,
  optOutListArn,
  RESOURCE_POLICY_CUTOFF,
  SNS_ACTIONS,
  type SmsResourceKind,
} from '../core/numberPolicy';
import { allowsAction, trustsAccount, unreadable } from '../core/policyMerge';
import { describeSecondaryAccess, effectiveSpendLimit, ownerOfArn, secondaryAccess, sharedRegionNote, type SecondaryAccess } from '../core/sharing';
import { brandText, describeLimits, regionNote, registrationName } from '../core/tenDlc';
import { maskPhoneNumber } from '../core/validate';
import type { NumberInfo, Read, RegistrationDetail } from './numbers';
import { unknownDetail, type Check, type CheckEnv, type Outcome } from './readiness';
import type { RoleState } from './roleSetup';
import { invitationsFrom, isOptedOut, readNumberShares, type NumberShareState } from './sharing';

/** For Check Setup's role check: the role and the secondaries it must trust. */
export interface RoleCheckInput {
  readonly name: string;
  readonly read: () => Promise<RoleState>;
  readonly secondaries: readonly { readonly profile: string; readonly accountId?: string }[];
  /** What the extension sends on AssumeRole: a statement that needs another external id or MFA does not trust the account for us. */
  readonly externalId?: string;
  readonly requireMfa: boolean;
}

/** Check Setup passes the role (role mode) or the secondaries to share with (resourceShare mode) through the environment. */
export type SetupEnv = CheckEnv & { readonly role?: RoleCheckInput; readonly sharing?: SharingCheckInput };

const day = (d: Date): string => d.toISOString().slice(0, 10);

/** The number as SNS lists it (ListOriginationNumbers): in the region, SMS capable, active, US. */
const snsNumber: Check = {
  id: 'number',
  title: 'Number in SNS',
  on: 'primary',
  scopes: ['setup'],
  modes: ['role'],
  operation: 'ListOriginationNumbers',
  run: async (env) => {
    const number = env.originationNumber;
    if (!number) {
      return { status: 'fail', detail: 'No 10DLC number is set (tendlc.originationNumber).', fix: 'setOriginationNumber' };
    }
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await env.sns.send(new ListOriginationNumbersCommand({ NextToken: token, MaxResults: 30 }), { abortSignal: env.signal });
      const hit = out.PhoneNumbers?.find((p) => p.PhoneNumber === number);
      if (hit) {
        const problems: string[] = [];
        if (hit.Status && hit.Status.toUpperCase() !== 'ACTIVE') {
          problems.push(`its status is ${hit.Status}, not ACTIVE`);
        }
        if (!(hit.NumberCapabilities ?? []).includes('SMS')) {
          problems.push('it has no SMS capability');
        }
        if (hit.Iso2CountryCode && hit.Iso2CountryCode !== 'US') {
          problems.push(`it is a ${hit.Iso2CountryCode} number, not a US one`);
        }
        if (problems.length) {
          return { status: 'fail', detail: `${number} is in the primary account in ${env.region}, but ${problems.join(' and ')}.`, fix: 'openDocs' };
        }
        return { status: 'pass', detail: `${number} is ACTIVE with SMS capability in ${env.region}${hit.RouteType ? ` (${hit.RouteType})` : ''}.` };
      }
      token = out.NextToken;
      pages++;
    } while (token && pages < 50);
    return { status: 'fail', detail: `${number} is not an origination number of the primary account in ${env.region}. Check the number and the region (tendlc.region).`, fix: 'setOriginationNumber' };
  },
};

/** The number as End User Messaging describes it (ACTIVE, TEN_DLC) and its 10DLC registration with the brand. */
const eumNumber: Check = {
  id: 'eum-number',
  title: 'Origination number',
  on: 'primary',
  scopes: ['setup', 'send'],
  modes: ['role', 'resourceShare'],
  operation: 'DescribePhoneNumbers',
  run: async (env) => {
    if (!env.originationNumber) {
      return undefined; // Check Setup's "Number in SNS" says it is not set
    }
    const info = await env.reads.number();
    if (!info) {
      return { status: 'fail', detail: `${env.originationNumber} is not a phone number of the primary account in ${env.region}.`, fix: 'setOriginationNumber' };
    }
    const out: Outcome[] = [];
    const problems: string[] = [];
    if (info.status !== 'ACTIVE') {
      problems.push(`its status is ${info.status ?? 'unknown'}`);
    }
    if (info.numberType !== 'TEN_DLC') {
      problems.push(`it is a ${info.numberType ?? 'unknown'} number, not TEN_DLC`);
    }
    out.push(
      problems.length
        ? { status: info.status !== 'ACTIVE' ? 'fail' : 'warn', detail: `${info.phoneNumber}: ${problems.join(', ')}.`, fix: 'openDocs' }
        : { status: 'pass', detail: `${info.phoneNumber} is an ACTIVE 10DLC number${info.createdAt ? `, created ${day(info.createdAt)}` : ''}.` },
    );
    const reg = info.registration;
    if (reg) {
      out.push(registrationOutcome(reg, env));
    }
    return out;
  },
};

function registrationOutcome(reg: Read<RegistrationDetail>, env: CheckEnv): Outcome {
  const base = { id: 'registration' as const, title: '10DLC registration' };
  if (!reg.ok) {
    return { ...base, status: 'unknown', detail: unknownDetail(reg.error, reg.operation, env.reader) };
  }
  const r = reg.value;
  if (!r.status) {
    return { ...base, status: 'unknown', detail: `Unknown: registration ${r.registrationId} was not found.` };
  }
  const brand = brandText(r);
  if (r.status === 'COMPLETE') {
    return { ...base, status: 'pass', detail: `${registrationName(r)} is COMPLETE${brand ? `; ${brand}` : ''}.` };
  }
  const reasons = r.deniedReasons?.length ? ` Denied: ${r.deniedReasons.join('; ')}.` : '';
  return {
    ...base,
    status: r.status === 'DELETED' || r.status === 'REQUIRES_UPDATES' ? 'fail' : 'warn',
    detail: `${registrationName(r)} is ${r.status}, not COMPLETE: carriers may filter messages.${reasons}${brand ? ` Its ${brand}.` : ''}`,
    fix: 'openDocs',
  };
}

const lower = (s: string): string => s.replace(/^The |^Its /, 'the ');

/** Words for a resource in messages. */
function resourceWords(kind: SmsResourceKind, info: NumberInfo): string {
  return kind === 'phone-number' ? `The number ${info.phoneNumber}` : `Its opt-out list ${info.optOutListName ?? ''}`.trimEnd();
}

/**
 * Whether SNS may use the number (and its opt-out list). A number created before 2024-09-24 was
 * granted automatically; a newer one needs a resource policy that grants SNS `SendTextMessage` — a
 * missing grant blocks a send. The opt-out list needs one for SNS's opt-out calls (a warning: the
 * message itself can still go out).
 */
function accessOutcome(kind: SmsResourceKind, info: NumberInfo, env: CheckEnv): Outcome | undefined {
  const isNumber = kind === 'phone-number';
  const base = isNumber ? { id: 'sns-number-access' as const, title: 'SNS may send through the number' } : { id: 'sns-opt-out-access' as const, title: 'SNS may use the opt-out list' };
  const failStatus = isNumber ? 'fail' : 'warn';
  const what = SNS_ACTIONS[kind].join(', ');
  let arn = info.arn;
  let policy: Read<string | undefined> = info.policy;
  if (!isNumber) {
    if (!info.optOutList) {
      return undefined; // no opt-out list named on the number
    }
    if (!info.optOutList.ok) {
      return { ...base, status: 'unknown', detail: unknownDetail(info.optOutList.error, info.optOutList.operation, env.reader) };
    }
    arn = info.optOutList.value.arn;
    policy = info.optOutList.value.policy;
  }
  const subject = resourceWords(kind, info);
  const auto = isNumber && grantedAutomatically(info.createdAt);
  if (!policy.ok) {
    if (auto) {
      return { ...base, status: 'pass', detail: `${subject} was created ${day(info.createdAt as Date)}, before ${day(RESOURCE_POLICY_CUTOFF)}: AWS granted SNS its use automatically. (Its resource policy was not read: ${unknownDetail(policy.error, policy.operation, env.reader).replace(/^Unknown: /, '')})` };
    }
    return { ...base, status: 'unknown', detail: `${unknownDetail(policy.error, policy.operation, env.reader)} Whether SNS may use ${lower(subject)} cannot be told.` };
  }
  const access = evaluateSnsAccess(policy.value, { resourceArn: arn, accountId: env.primaryAccountId }, SNS_ACTIONS[kind]);
  const verdict = accessSummary(access);
  const others = access.kind === 'evaluated' ? access.others : [];
  const kept = others.length === 1 ? ` Its other statement (${describeOthers(others)}) is kept as it is when SNS's grant is added.` : others.length > 1 ? ` Its ${others.length} other statements (${describeOthers(others)}) are kept as they are when SNS's grant is added.` : '';
  if (verdict === 'grants') {
    return { ...base, status: 'pass', detail: `${subject}: ${describeSnsAccess(access)}.` };
  }
  if (auto && (verdict === 'none' || verdict === 'insufficient') && !(access.kind === 'evaluated' && access.actions.some((a) => a.verdict === 'denied'))) {
    return { ...base, status: 'pass', detail: `${subject} was created ${day(info.createdAt as Date)}, before ${day(RESOURCE_POLICY_CUTOFF)}: AWS granted SNS its use automatically; no resource policy is needed.` };
  }
  const fix = 'grantSnsNumberAccess' as const;
  switch (verdict) {
    case 'none':
      return isNumber
        ? {
            ...base,
            status: failStatus,
            detail: `${subject} has no resource policy${info.createdAt ? ` and was created ${day(info.createdAt)}, after ${day(RESOURCE_POLICY_CUTOFF)}` : ''}: SNS may not send through it (the send fails as if the number did not exist). Grant the SNS service principal ${what} on it.`,
            fix,
          }
        : { ...base, status: failStatus, detail: `${subject} has no resource policy: SNS cannot check or change opt-outs through it (CheckIfPhoneNumberIsOptedOut, OptInPhoneNumber). Grant the SNS service principal ${what} on it.`, fix };
    case 'unreadable':
      return { ...base, status: 'unknown', detail: `Unknown: ${lower(subject)}: ${describeSnsAccess(access)}.` };
    case 'insufficient': {
      const missing = access.kind === 'evaluated' ? access.actions.filter((a) => a.verdict === 'not-granted' || a.verdict === 'denied').map((a) => a.action) : [];
      return { ...base, status: failStatus, detail: `${subject}: ${describeSnsAccess(access)}. Missing for SNS: ${missing.join(', ')}.${kept}`, fix };
    }
    default:
      return { ...base, status: 'warn', detail: `${subject}: ${describeSnsAccess(access)}. If sends fail, grant SNS ${what} without those conditions.${kept}`, fix };
  }
}

const snsAccess: Check = {
  id: 'sns-number-access',
  title: 'SNS may send through the number',
  on: 'primary',
  scopes: ['setup', 'send'],
  modes: ['role'],
  operation: 'GetResourcePolicy',
  run: async (env) => {
    if (!env.originationNumber) {
      return undefined;
    }
    const info = await env.reads.number();
    if (!info) {
      return undefined; // "Origination number" says it is not there
    }
    return [accessOutcome('phone-number', info, env), accessOutcome('opt-out-list', info, env)].filter((o): o is Outcome => o !== undefined);
  },
};

/** MessagingLimits: messages per second and the advisory daily caps by carrier (Check Setup's report; the tooltip reads the same). */
const capacity: Check = {
  id: 'capacity',
  title: 'Capacity of the number',
  on: 'primary',
  scopes: ['setup'],
  modes: ['role', 'resourceShare'],
  operation: 'DescribePhoneNumbers',
  run: async (env) => {
    if (!env.originationNumber) {
      return undefined;
    }
    const info = await env.reads.number();
    if (!info) {
      return undefined;
    }
    const limits = describeLimits(info.limits);
    return { status: 'pass', detail: limits ? `${limits}.` : 'End User Messaging reports no messaging limits for this number.' };
  },
};

const smsAttributes: Check = {
  id: 'spend-limit',
  title: 'Monthly spend limit',
  on: 'primary',
  scopes: ['setup', 'send'],
  modes: ['role'],
  operation: 'GetSMSAttributes',
  run: async (env) => {
    const a = await env.reads.smsAttributes();
    const limit = a['MonthlySpendLimit'];
    const rate = a['DeliveryStatusSuccessSamplingRate'];
    return [
      !limit || limit === '1'
        ? { status: 'warn', detail: `The primary's monthly SMS spend limit is $${limit ?? '1'} (the default of new accounts): a few messages can use it up.`, fix: 'raiseSpendLimit' }
        : { status: 'pass', detail: `The primary's monthly SMS spend limit is $${limit}.` },
      {
        id: 'delivery-logging',
        title: 'Delivery-status logging',
        ...(a['DeliveryStatusIAMRole']
          ? rate !== undefined && rate !== '' && Number(rate) < 100
            ? { status: 'warn' as const, detail: `On, but success records are sampled at ${rate}%: a missing record will not prove a message failed.`, fix: 'enableDeliveryLogging' as const }
            : { status: 'pass' as const, detail: 'On: test sends report whether they arrived.' }
          : { status: 'warn' as const, detail: 'Off in the primary account: whether a test SMS arrived will be unknown.', fix: 'enableDeliveryLogging' as const }),
      },
    ];
  },
};

const sandbox: Check = {
  id: 'sandbox',
  title: 'SMS sandbox',
  on: 'primary',
  scopes: ['setup', 'send'],
  modes: ['role'],
  operation: 'GetSMSSandboxAccountStatus',
  run: async (env) => {
    const inSandbox = await env.reads.inSandbox();
    if (!inSandbox) {
      return { status: 'pass', detail: 'The primary account is out of the SMS sandbox.' };
    }
    const out: Outcome[] = [{ status: 'warn', detail: 'The primary account is in the SMS sandbox: it can send only to verified destination numbers.', fix: 'openDocs' }];
    const destination = env.destination;
    if (destination) {
      const base = { id: 'sandbox-destination' as const, title: 'Test destination verified' };
      try {
        out.push({ ...base, ...(await sandboxDestination(env, destination)) });
      } catch (e) {
        out.push({ ...base, status: 'unknown', detail: unknownDetail(e, 'ListSMSSandboxPhoneNumbers', env.reader) });
      }
    }
    return out;
  },
};

async function sandboxDestination(env: CheckEnv, destination: string): Promise<Outcome> {
  let token: string | undefined;
  let pages = 0;
  do {
    const out = await env.sns.send(new ListSMSSandboxPhoneNumbersCommand({ NextToken: token }), { abortSignal: env.signal });
    const hit = out.PhoneNumbers?.find((p) => p.PhoneNumber === destination);
    if (hit) {
      return hit.Status === 'Verified'
        ? { status: 'pass', detail: `${maskPhoneNumber(destination)} is a verified sandbox destination.` }
        : { status: 'fail', detail: `${maskPhoneNumber(destination)} was added to the sandbox but not verified yet: SNS will not send to it.`, fix: 'verifySandboxNumber' };
    }
    token = out.NextToken;
    pages++;
  } while (token && pages < 50);
  return { status: 'fail', detail: `${maskPhoneNumber(destination)} is not a verified sandbox destination: SNS will not send to it.`, fix: 'verifySandboxNumber' };
}

/** The role in the primary: exists, trusts each secondary account, allows sns:Publish (Check Setup only). */
const role: Check = {
  id: 'role',
  title: 'Role',
  on: 'primary',
  scopes: ['setup'],
  modes: ['role'],
  operation: 'GetRole',
  run: async (env) => {
    const input = (env as SetupEnv).role;
    if (!input) {
      return undefined;
    }
    const title = `Role ${input.name}`;
    const state = await input.read();
    const accountId = env.primaryAccountId;
    if (!state.exists) {
      return { title, status: 'fail', detail: `The role ${input.name} does not exist in the primary account ${accountId}.`, fix: 'createRole' };
    }
    const unreadableTrust = state.trust === undefined ? undefined : unreadable(state.trust);
    if (unreadableTrust) {
      return { title, status: 'fail', detail: `The role exists, but its trust policy cannot be read completely (${unreadableTrust}), so who it trusts is not known.`, fix: 'createRole' };
    }
    const trustCtx = { externalId: input.externalId, mfa: input.requireMfa };
    const untrusted = input.secondaries.filter((s) => s.accountId && s.accountId !== accountId && !(state.trust && trustsAccount(state.trust, s.accountId, trustCtx)));
    const publishes = Object.values(state.inlinePolicies).some((d) => allowsAction(d, 'sns:Publish'));
    const problems: string[] = [];
    if (untrusted.length) {
      problems.push(`its trust policy does not trust ${untrusted.map((u) => `${u.profile} (${u.accountId})`).join(', ')}`);
    }
    if (!publishes && state.attachedPolicyArns.length === 0) {
      problems.push('no policy of the role allows sns:Publish on "*"');
    }
    if (problems.length) {
      return { title, status: 'fail', detail: `The role exists, but ${problems.join(', and ')}.`, fix: 'createRole' };
    }
    if (!publishes) {
      return { title, status: 'warn', detail: `The role exists and trusts every secondary; sns:Publish may come from its attached managed policies (${state.attachedPolicyArns.join(', ')}), which are not read.` };
    }
    return { title, status: 'pass', detail: `The role exists, trusts every secondary account and allows sns:Publish${state.tagged ? '' : ' (it was not created by this extension)'}.` };
  },
};

/** With a sender's assumed session: whether the destination opted out of the primary's SMS. */
const optOut: Check = {
  id: 'opt-out',
  title: 'Destination not opted out',
  on: 'session',
  scopes: ['setup', 'send'],
  modes: ['role'],
  operation: 'CheckIfPhoneNumberIsOptedOut',
  run: async (env) => {
    const destination = env.destination;
    if (!destination) {
      return undefined;
    }
    const out = await env.sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: destination }), { abortSignal: env.signal });
    return out.isOptedOut
      ? { status: 'fail', detail: `${maskPhoneNumber(destination)} has opted out of SMS from the primary account.`, fix: 'openDocs' }
      : { status: 'pass', detail: `${maskPhoneNumber(destination)} has not opted out.` };
  },
};

/** A sender whose profile region is not the number's: the message still goes out from the number's region. */
const region: Check = {
  id: 'region',
  title: 'Region',
  on: 'sender',
  scopes: ['setup', 'send'],
  modes: ['role', 'resourceShare'],
  operation: 'none',
  run: async (env) => {
    const note = env.sender ? (env.mode === 'role' ? regionNote : sharedRegionNote)(env.sender.profile, env.sender.region, env.region) : undefined;
    return note ? { status: 'warn', detail: note } : undefined;
  },
};

// ---------------------------------------------------------------------------------------------------
// resourceShare mode: the number shared through End User Messaging, used with each secondary's own credentials

/** Check Setup passes the secondaries (and RAM with the primary's credentials) for the sharing check. */
export interface SharingCheckInput {
  readonly secondaries: readonly { readonly profile: string; readonly accountId?: string }[];
  readonly ram: RAMClient;
}

/**
 * From the primary's side, per secondary: is the number shared with its account — by the number's
 * resource policy (judged as IAM would, for the account's root) or by an AWS RAM resource share (and
 * has the invitation been accepted)? One finding under each secondary.
 */
const sharing: Check = {
  id: 'sharing',
  title: 'Number shared with this account',
  on: 'primary',
  scopes: ['setup'],
  modes: ['resourceShare'],
  operation: 'GetResourcePolicy',
  run: async (env) => {
    const input = (env as SetupEnv).sharing;
    if (!input || !env.originationNumber) {
      return undefined;
    }
    const info = await env.reads.number();
    if (!info) {
      return undefined; // "Origination number" says it is not there
    }
    let ram: NumberShareState | undefined;
    let ramWhy: string | undefined;
    try {
      ram = await readNumberShares(input.ram, info.arn, env.signal);
    } catch (e) {
      ramWhy = unknownDetail(e, 'GetResourceShareAssociations', env.reader).replace(/^Unknown: /, '');
    }
    return input.secondaries.map((s): Outcome => {
      const base = { subject: s.profile };
      if (!s.accountId) {
        return { ...base, status: 'unknown', detail: `Unknown: the account of ${s.profile} is not known (see its credentials check).` };
      }
      const who = `account ${s.accountId}`;
      if (s.accountId === env.primaryAccountId) {
        return { ...base, status: 'pass', detail: `${s.profile} is in the primary account itself: it uses the number as its owner, no share needed.` };
      }
      const policy = info.policy;
      const access: SecondaryAccess | undefined = policy.ok ? secondaryAccess(policy.value, info.arn, s.accountId) : undefined;
      const policyWords = policy.ok
        ? describeSecondaryAccess(access as SecondaryAccess, who)
        : `the number's resource policy could not be read (${unknownDetail(policy.error, policy.operation, env.reader).replace(/^Unknown: /, '')})`;
      const onRam = ram?.principals.get(s.accountId);
      const shareName = onRam ? ram?.shares.find((x) => x.arn === onRam.share)?.name ?? onRam.share : undefined;
      const ramWords = onRam
        ? onRam.status === 'ASSOCIATED'
          ? `RAM resource share ${shareName} holds the number for ${who} (ASSOCIATED)`
          : onRam.status === 'ASSOCIATING'
            ? `RAM resource share ${shareName} invites ${who}, and the invitation is not accepted yet (ASSOCIATING)`
            : `RAM resource share ${shareName} lists ${who} as ${onRam.status}${onRam.message ? ` (${onRam.message})` : ''}`
        : ram
          ? `no RAM resource share of the primary holds the number for ${who}`
          : `RAM could not be read (${ramWhy ?? 'unknown'})`;
      const detail = `${cap(policyWords)}; ${ramWords}.`;
      if (access?.kind === 'denied') {
        return { ...base, status: 'fail', detail: `${detail} A Deny wins over any share.`, fix: 'shareNumber' };
      }
      if (access?.kind === 'allowed' || onRam?.status === 'ASSOCIATED') {
        return { ...base, status: 'pass', detail };
      }
      if (onRam?.status === 'ASSOCIATING') {
        return { ...base, status: 'warn', detail: `${detail} ${s.profile} must accept it (Accept Resource Share Invitation).`, fix: 'acceptInvitation' };
      }
      if (access?.kind === 'partial') {
        return { ...base, status: 'warn', detail, fix: 'shareNumber' };
      }
      if (!access || access.kind === 'unreadable') {
        return { ...base, status: 'unknown', detail: `Unknown: ${detail}` };
      }
      return { ...base, status: 'fail', detail: `${detail} ${s.profile} cannot send through the number until it is shared.`, fix: 'shareNumber' };
    });
  },
};

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** With the secondary's own credentials: does its account see the number as shared with it (Owner = SHARED)? */
const sharedNumber: Check = {
  id: 'shared-number',
  title: 'Shared number visible',
  on: 'consumer',
  scopes: ['setup', 'send'],
  modes: ['resourceShare'],
  operation: 'DescribePhoneNumbers',
  run: async (env) => {
    const c = env.consumer;
    if (!c || !env.originationNumber) {
      return undefined;
    }
    const account = c.accountId ? `account ${c.accountId}` : `the account of ${c.profile}`;
    const n = await c.reads.sharedNumber();
    if (n) {
      const owner = ownerOfArn(n.arn);
      const problems = [n.status && n.status !== 'ACTIVE' ? `its status is ${n.status}` : '', owner && owner !== env.primaryAccountId ? `it belongs to account ${owner}, not the primary ${env.primaryAccountId}` : ''].filter(Boolean);
      return {
        status: problems.length ? 'fail' : 'pass',
        detail: `${n.phoneNumber} is shared with ${account} in ${env.region} (DescribePhoneNumbers Owner = SHARED): ${n.arn}${problems.length ? `; but ${problems.join(' and ')}` : ''}.`,
        ...(problems.length ? { fix: 'openDocs' as const } : {}),
      };
    }
    let pending: string | undefined;
    try {
      pending = (await invitationsFrom(c.ram, env.primaryAccountId, env.signal)).find((i) => i.status === 'PENDING')?.resourceShareName;
    } catch {
      // RAM is optional here: without it the answer is still "not shared".
    }
    if (pending !== undefined) {
      return { status: 'fail', detail: `${env.originationNumber} is not visible to ${account} yet: the RAM invitation to resource share ${pending} from primary account ${env.primaryAccountId} is PENDING. Accept it.`, fix: 'acceptInvitation' };
    }
    return {
      status: 'fail',
      detail: `${env.originationNumber} is not shared with ${account} in ${env.region} (DescribePhoneNumbers Owner = SHARED does not list it). The primary must share it (its resource policy, or AWS RAM); sharing works within one Region only.`,
      fix: 'shareNumber',
    };
  },
};

/** The secondary's own monthly text spend limit: in resourceShare mode its messages are billed to it. */
const consumerSpendLimit: Check = {
  id: 'consumer-spend-limit',
  title: 'Monthly spend limit (this account pays)',
  on: 'consumer',
  scopes: ['setup', 'send'],
  modes: ['resourceShare'],
  operation: 'DescribeSpendLimits',
  run: async (env) => {
    const c = env.consumer;
    if (!c) {
      return undefined;
    }
    const account = c.accountId ? `account ${c.accountId}` : `the account of ${c.profile}`;
    const l = await c.reads.spendLimit();
    const limit = l ? effectiveSpendLimit(l) : undefined;
    if (limit === undefined) {
      return { status: 'unknown', detail: `Unknown: End User Messaging reports no text-message spend limit for ${account}.` };
    }
    if (limit <= 1) {
      return { status: 'warn', detail: `The monthly SMS spend limit of ${account} is $${limit} (the default of new accounts): its messages are billed to it, and a few can use that up.`, fix: 'raiseSecondarySpendLimit' };
    }
    return { status: 'pass', detail: `The monthly SMS spend limit of ${account} is $${limit}${l?.overridden ? ` (set below the $${l.maxLimit ?? '?'} AWS allows)` : ''}; its messages are billed to it.` };
  },
};

/** A new account's End User Messaging starts in the SMS sandbox: verified destinations only. */
const consumerSandbox: Check = {
  id: 'consumer-sandbox',
  title: 'End User Messaging sandbox',
  on: 'consumer',
  scopes: ['setup', 'send'],
  modes: ['resourceShare'],
  operation: 'DescribeAccountAttributes',
  run: async (env) => {
    const c = env.consumer;
    if (!c) {
      return undefined;
    }
    const tier = await c.reads.tier();
    const account = c.accountId ? `Account ${c.accountId}` : `The account of ${c.profile}`;
    if (tier === 'SANDBOXED') {
      return { status: 'warn', detail: `${account} is in the End User Messaging SMS sandbox (ACCOUNT_TIER SANDBOXED): it can send only to verified destination numbers.`, fix: 'openDocs' };
    }
    return tier ? { status: 'pass', detail: `${account} is out of the SMS sandbox (ACCOUNT_TIER ${tier}).` } : undefined;
  },
};

/** With the secondary's own credentials: is the destination on the shared number's opt-out list? */
const sharedOptOut: Check = {
  id: 'opt-out',
  title: 'Destination not opted out',
  on: 'consumer',
  scopes: ['setup', 'send'],
  modes: ['resourceShare'],
  operation: 'DescribeOptedOutNumbers',
  run: async (env) => {
    const c = env.consumer;
    const destination = env.destination;
    if (!c || !destination) {
      return undefined;
    }
    const n = await c.reads.sharedNumber();
    if (!n) {
      return undefined; // "Shared number visible" says why
    }
    const owner = ownerOfArn(n.arn) ?? env.primaryAccountId;
    const list = optOutListArn(env.region, owner, n.optOutListName ?? 'Default');
    return (await isOptedOut(c.eum, list, destination, env.signal))
      ? { status: 'fail', detail: `${maskPhoneNumber(destination)} is on the number's opt-out list (${n.optOutListName ?? 'Default'}): End User Messaging will not send to it.`, fix: 'openDocs' }
      : { status: 'pass', detail: `${maskPhoneNumber(destination)} is not on the number's opt-out list (${n.optOutListName ?? 'Default'}).` };
  },
};

/** Every readiness check, in one list. */
export const CHECKS: readonly Check[] = [snsNumber, eumNumber, snsAccess, sharing, capacity, smsAttributes, sandbox, role, optOut, sharedNumber, consumerSpendLimit, consumerSandbox, sharedOptOut, region];
