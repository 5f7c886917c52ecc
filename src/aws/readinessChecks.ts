/**
 * The list of readiness checks. Each is written once and runs wherever its `scopes` say: in Check
 * Setup (with the primary's own credentials) and/or in the send pre-flight (with the assumed role).
 * The runner in readiness.ts turns a refusal or an unimplemented call into "unknown".
 */
import * as l10n from '@vscode/l10n';
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

/** The name of the opt-out list End User Messaging uses when a number names none (an AWS name, not text). */
const DEFAULT_OPT_OUT_LIST = 'Default';

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
  title: l10n.t('Number in SNS'),
  on: 'primary',
  scopes: ['setup'],
  modes: ['role'],
  operation: 'ListOriginationNumbers',
  run: async (env) => {
    const number = env.originationNumber;
    if (!number) {
      return { status: 'fail', detail: l10n.t('No 10DLC number is set (tendlc.originationNumber).'), fix: 'setOriginationNumber' };
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
          return { status: 'fail', detail: l10n.t('{0} is in the primary account in {1}, but {2}.', number, env.region, problems.join(' and ')), fix: 'openDocs' };
        }
        return { status: 'pass', detail: l10n.t('{0} is ACTIVE with SMS capability in {1}{2}.', number, env.region, hit.RouteType ? ` (${hit.RouteType})` : '') };
      }
      token = out.NextToken;
      pages++;
    } while (token && pages < 50);
    return { status: 'fail', detail: l10n.t('{0} is not an origination number of the primary account in {1}. Check the number and the region (tendlc.region).', number, env.region), fix: 'setOriginationNumber' };
  },
};

/** The number as End User Messaging describes it (ACTIVE, TEN_DLC) and its 10DLC registration with the brand. */
const eumNumber: Check = {
  id: 'eum-number',
  title: l10n.t('Origination number'),
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
      return { status: 'fail', detail: l10n.t('{0} is not a phone number of the primary account in {1}.', env.originationNumber, env.region), fix: 'setOriginationNumber' };
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
        : { status: 'pass', detail: info.createdAt ? l10n.t('{0} is an ACTIVE 10DLC number, created {1}.', info.phoneNumber, day(info.createdAt)) : l10n.t('{0} is an ACTIVE 10DLC number.', info.phoneNumber) },
    );
    const reg = info.registration;
    if (reg) {
      out.push(registrationOutcome(reg, env));
    }
    return out;
  },
};

function registrationOutcome(reg: Read<RegistrationDetail>, env: CheckEnv): Outcome {
  const base = { id: 'registration' as const, title: l10n.t('10DLC registration') };
  if (!reg.ok) {
    return { ...base, status: 'unknown', detail: unknownDetail(reg.error, reg.operation, env.reader) };
  }
  const r = reg.value;
  if (!r.status) {
    return { ...base, status: 'unknown', detail: l10n.t('Unknown: registration {0} was not found.', r.registrationId) };
  }
  const brand = brandText(r);
  if (r.status === 'COMPLETE') {
    return { ...base, status: 'pass', detail: l10n.t('{0} is COMPLETE{1}.', registrationName(r), brand ? `; ${brand}` : '') };
  }
  const reasons = r.deniedReasons?.length ? ` Denied: ${r.deniedReasons.join('; ')}.` : '';
  return {
    ...base,
    status: r.status === 'DELETED' || r.status === 'REQUIRES_UPDATES' ? 'fail' : 'warn',
    detail: brand ? l10n.t('{0} is {1}, not COMPLETE: carriers may filter messages.{2} Its {3}.', registrationName(r), String(r.status), reasons, brand) : l10n.t('{0} is {1}, not COMPLETE: carriers may filter messages.{2}', registrationName(r), String(r.status), reasons),
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
  const base = isNumber ? { id: 'sns-number-access' as const, title: l10n.t('SNS may send through the number') } : { id: 'sns-opt-out-access' as const, title: l10n.t('SNS may use the opt-out list') };
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
      return { ...base, status: 'pass', detail: l10n.t('{0} was created {1}, before {2}: AWS granted SNS its use automatically. (Its resource policy was not read: {3})', subject, day(info.createdAt as Date), day(RESOURCE_POLICY_CUTOFF), unknownDetail(policy.error, policy.operation, env.reader).replace(/^Unknown: /, '')) };
    }
    return { ...base, status: 'unknown', detail: l10n.t('{0} Whether SNS may use {1} cannot be told.', unknownDetail(policy.error, policy.operation, env.reader), lower(subject)) };
  }
  const access = evaluateSnsAccess(policy.value, { resourceArn: arn, accountId: env.primaryAccountId }, SNS_ACTIONS[kind]);
  const verdict = accessSummary(access);
  const others = access.kind === 'evaluated' ? access.others : [];
  const kept = others.length === 1 ? ` Its other statement (${describeOthers(others)}) is kept as it is when SNS's grant is added.` : others.length > 1 ? ` Its ${others.length} other statements (${describeOthers(others)}) are kept as they are when SNS's grant is added.` : '';
  if (verdict === 'grants') {
    return { ...base, status: 'pass', detail: `${subject}: ${describeSnsAccess(access)}.` };
  }
  if (auto && (verdict === 'none' || verdict === 'insufficient') && !(access.kind === 'evaluated' && access.actions.some((a) => a.verdict === 'denied'))) {
    return { ...base, status: 'pass', detail: l10n.t('{0} was created {1}, before {2}: AWS granted SNS its use automatically; no resource policy is needed.', subject, day(info.createdAt as Date), day(RESOURCE_POLICY_CUTOFF)) };
  }
  const fix = 'grantSnsNumberAccess' as const;
  switch (verdict) {
    case 'none':
      return isNumber
        ? {
            ...base,
            status: failStatus,
            detail: info.createdAt ? l10n.t('{0} has no resource policy and was created {1}, after {2}: SNS may not send through it (the send fails as if the number did not exist). Grant the SNS service principal {3} on it.', subject, day(info.createdAt), day(RESOURCE_POLICY_CUTOFF), what) : l10n.t('{0} has no resource policy: SNS may not send through it (the send fails as if the number did not exist). Grant the SNS service principal {1} on it.', subject, what),
            fix,
          }
        : { ...base, status: failStatus, detail: l10n.t('{0} has no resource policy: SNS cannot check or change opt-outs through it (CheckIfPhoneNumberIsOptedOut, OptInPhoneNumber). Grant the SNS service principal {1} on it.', subject, what), fix };
    case 'unreadable':
      return { ...base, status: 'unknown', detail: l10n.t('Unknown: {0}: {1}.', lower(subject), describeSnsAccess(access)) };
    case 'insufficient': {
      const missing = access.kind === 'evaluated' ? access.actions.filter((a) => a.verdict === 'not-granted' || a.verdict === 'denied').map((a) => a.action) : [];
      return { ...base, status: failStatus, detail: l10n.t('{0}: {1}. Missing for SNS: {2}.{3}', subject, describeSnsAccess(access), missing.join(', '), kept), fix };
    }
    default:
      return { ...base, status: 'warn', detail: l10n.t('{0}: {1}. If sends fail, grant SNS {2} without those conditions.{3}', subject, describeSnsAccess(access), what, kept), fix };
  }
}

const snsAccess: Check = {
  id: 'sns-number-access',
  title: l10n.t('SNS may send through the number'),
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
  title: l10n.t('Capacity of the number'),
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
    return { status: 'pass', detail: limits ? `${limits}.` : l10n.t('End User Messaging reports no messaging limits for this number.') };
  },
};

const smsAttributes: Check = {
  id: 'spend-limit',
  title: l10n.t('Monthly spend limit'),
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
        ? { status: 'warn', detail: l10n.t('The primary\'s monthly SMS spend limit is ${0} (the default of new accounts): a few messages can use it up.', limit ?? '1'), fix: 'raiseSpendLimit' }
        : { status: 'pass', detail: l10n.t('The primary\'s monthly SMS spend limit is ${0}.', limit) },
      {
        id: 'delivery-logging',
        title: l10n.t('Delivery-status logging'),
        ...(a['DeliveryStatusIAMRole']
          ? rate !== undefined && rate !== '' && Number(rate) < 100
            ? { status: 'warn' as const, detail: l10n.t('On, but success records are sampled at {0}%: a missing record will not prove a message failed.', rate), fix: 'enableDeliveryLogging' as const }
            : { status: 'pass' as const, detail: l10n.t('On: test sends report whether they arrived.') }
          : { status: 'warn' as const, detail: l10n.t('Off in the primary account: whether a test SMS arrived will be unknown.'), fix: 'enableDeliveryLogging' as const }),
      },
    ];
  },
};

const sandbox: Check = {
  id: 'sandbox',
  title: l10n.t('SMS sandbox'),
  on: 'primary',
  scopes: ['setup', 'send'],
  modes: ['role'],
  operation: 'GetSMSSandboxAccountStatus',
  run: async (env) => {
    const inSandbox = await env.reads.inSandbox();
    if (!inSandbox) {
      return { status: 'pass', detail: l10n.t('The primary account is out of the SMS sandbox.') };
    }
    const out: Outcome[] = [{ status: 'warn', detail: l10n.t('The primary account is in the SMS sandbox: it can send only to verified destination numbers.'), fix: 'openDocs' }];
    const destination = env.destination;
    if (destination) {
      const base = { id: 'sandbox-destination' as const, title: l10n.t('Test destination verified') };
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
        ? { status: 'pass', detail: l10n.t('{0} is a verified sandbox destination.', maskPhoneNumber(destination)) }
        : { status: 'fail', detail: l10n.t('{0} was added to the sandbox but not verified yet: SNS will not send to it.', maskPhoneNumber(destination)), fix: 'verifySandboxNumber' };
    }
    token = out.NextToken;
    pages++;
  } while (token && pages < 50);
  return { status: 'fail', detail: l10n.t('{0} is not a verified sandbox destination: SNS will not send to it.', maskPhoneNumber(destination)), fix: 'verifySandboxNumber' };
}

/** The role in the primary: exists, trusts each secondary account, allows sns:Publish (Check Setup only). */
const role: Check = {
  id: 'role',
  title: l10n.t('Role'),
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
      return { title, status: 'fail', detail: l10n.t('The role {0} does not exist in the primary account {1}.', input.name, accountId), fix: 'createRole' };
    }
    const unreadableTrust = state.trust === undefined ? undefined : unreadable(state.trust);
    if (unreadableTrust) {
      return { title, status: 'fail', detail: l10n.t('The role exists, but its trust policy cannot be read completely ({0}), so who it trusts is not known.', unreadableTrust), fix: 'createRole' };
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
      return { title, status: 'fail', detail: l10n.t('The role exists, but {0}.', problems.join(', and ')), fix: 'createRole' };
    }
    if (!publishes) {
      return { title, status: 'warn', detail: l10n.t('The role exists and trusts every secondary; sns:Publish may come from its attached managed policies ({0}), which are not read.', state.attachedPolicyArns.join(', ')) };
    }
    return { title, status: 'pass', detail: state.tagged ? l10n.t('The role exists, trusts every secondary account and allows sns:Publish.') : l10n.t('The role exists, trusts every secondary account and allows sns:Publish (it was not created by this extension).') };
  },
};

/** With a sender's assumed session: whether the destination opted out of the primary's SMS. */
const optOut: Check = {
  id: 'opt-out',
  title: l10n.t('Destination not opted out'),
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
      ? { status: 'fail', detail: l10n.t('{0} has opted out of SMS from the primary account.', maskPhoneNumber(destination)), fix: 'openDocs' }
      : { status: 'pass', detail: l10n.t('{0} has not opted out.', maskPhoneNumber(destination)) };
  },
};

/** A sender whose profile region is not the number's: the message still goes out from the number's region. */
const region: Check = {
  id: 'region',
  title: l10n.t('Region'),
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
  title: l10n.t('Number shared with this account'),
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
        return { ...base, status: 'unknown', detail: l10n.t('Unknown: the account of {0} is not known (see its credentials check).', s.profile) };
      }
      const who = `account ${s.accountId}`;
      if (s.accountId === env.primaryAccountId) {
        return { ...base, status: 'pass', detail: l10n.t('{0} is in the primary account itself: it uses the number as its owner, no share needed.', s.profile) };
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
        return { ...base, status: 'fail', detail: l10n.t('{0} A Deny wins over any share.', detail), fix: 'shareNumber' };
      }
      if (access?.kind === 'allowed' || onRam?.status === 'ASSOCIATED') {
        return { ...base, status: 'pass', detail };
      }
      if (onRam?.status === 'ASSOCIATING') {
        return { ...base, status: 'warn', detail: l10n.t('{0} {1} must accept it (Accept Resource Share Invitation).', detail, s.profile), fix: 'acceptInvitation' };
      }
      if (access?.kind === 'partial') {
        return { ...base, status: 'warn', detail, fix: 'shareNumber' };
      }
      if (!access || access.kind === 'unreadable') {
        return { ...base, status: 'unknown', detail: l10n.t('Unknown: {0}', detail) };
      }
      return { ...base, status: 'fail', detail: l10n.t('{0} {1} cannot send through the number until it is shared.', detail, s.profile), fix: 'shareNumber' };
    });
  },
};

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** With the secondary's own credentials: does its account see the number as shared with it (Owner = SHARED)? */
const sharedNumber: Check = {
  id: 'shared-number',
  title: l10n.t('Shared number visible'),
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
      const problems = [n.status && n.status !== 'ACTIVE' ? l10n.t('its status is {0}', n.status) : '', owner && owner !== env.primaryAccountId ? l10n.t('it belongs to account {0}, not the primary {1}', owner, env.primaryAccountId) : ''].filter(Boolean);
      return {
        status: problems.length ? 'fail' : 'pass',
        detail: problems.length
          ? l10n.t('{0} is shared with {1} in {2} (DescribePhoneNumbers Owner = SHARED): {3}; but {4}.', n.phoneNumber, account, env.region, n.arn, problems.length === 2 ? l10n.t('{0} and {1}', problems[0], problems[1]) : problems[0])
          : l10n.t('{0} is shared with {1} in {2} (DescribePhoneNumbers Owner = SHARED): {3}.', n.phoneNumber, account, env.region, n.arn),
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
      return { status: 'fail', detail: l10n.t('{0} is not visible to {1} yet: the RAM invitation to resource share {2} from primary account {3} is PENDING. Accept it.', env.originationNumber, account, pending, env.primaryAccountId), fix: 'acceptInvitation' };
    }
    return {
      status: 'fail',
      detail: l10n.t('{0} is not shared with {1} in {2} (DescribePhoneNumbers Owner = SHARED does not list it). The primary must share it (its resource policy, or AWS RAM); sharing works within one Region only.', env.originationNumber, account, env.region),
      fix: 'shareNumber',
    };
  },
};

/** The secondary's own monthly text spend limit: in resourceShare mode its messages are billed to it. */
const consumerSpendLimit: Check = {
  id: 'consumer-spend-limit',
  title: l10n.t('Monthly spend limit (this account pays)'),
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
      return { status: 'unknown', detail: l10n.t('Unknown: End User Messaging reports no text-message spend limit for {0}.', account) };
    }
    if (limit <= 1) {
      return { status: 'warn', detail: l10n.t('The monthly SMS spend limit of {0} is ${1} (the default of new accounts): its messages are billed to it, and a few can use that up.', account, limit), fix: 'raiseSecondarySpendLimit' };
    }
    return { status: 'pass', detail: l?.overridden ? l10n.t('The monthly SMS spend limit of {0} is ${1} (set below the ${2} AWS allows); its messages are billed to it.', account, limit, l.maxLimit ?? '?') : l10n.t('The monthly SMS spend limit of {0} is ${1}; its messages are billed to it.', account, limit) };
  },
};

/** A new account's End User Messaging starts in the SMS sandbox: verified destinations only. */
const consumerSandbox: Check = {
  id: 'consumer-sandbox',
  title: l10n.t('End User Messaging sandbox'),
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
      return { status: 'warn', detail: l10n.t('{0} is in the End User Messaging SMS sandbox (ACCOUNT_TIER SANDBOXED): it can send only to verified destination numbers.', account), fix: 'openDocs' };
    }
    return tier ? { status: 'pass', detail: l10n.t('{0} is out of the SMS sandbox (ACCOUNT_TIER {1}).', account, tier) } : undefined;
  },
};

/** With the secondary's own credentials: is the destination on the shared number's opt-out list? */
const sharedOptOut: Check = {
  id: 'opt-out',
  title: l10n.t('Destination not opted out'),
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
    const list = optOutListArn(env.region, owner, n.optOutListName ?? DEFAULT_OPT_OUT_LIST);
    return (await isOptedOut(c.eum, list, destination, env.signal))
      ? { status: 'fail', detail: l10n.t('{0} is on the number\'s opt-out list ({1}): End User Messaging will not send to it.', maskPhoneNumber(destination), n.optOutListName ?? DEFAULT_OPT_OUT_LIST), fix: 'openDocs' }
      : { status: 'pass', detail: l10n.t('{0} is not on the number\'s opt-out list ({1}).', maskPhoneNumber(destination), n.optOutListName ?? DEFAULT_OPT_OUT_LIST) };
  },
};

/** Every readiness check, in one list. */
export const CHECKS: readonly Check[] = [snsNumber, eumNumber, snsAccess, sharing, capacity, smsAttributes, sandbox, role, optOut, sharedNumber, consumerSpendLimit, consumerSandbox, sharedOptOut, region];
