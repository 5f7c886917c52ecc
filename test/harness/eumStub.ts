/**
 * The End User Messaging SMS (pinpoint-sms-voice-v2, awsJson1_0, `X-Amz-Target: PinpointSMSVoiceV2.*`)
 * part of the loopback stub: the calls moto does not implement, answered in the documented JSON
 * shapes, with state per AWS account and region, and refusing what AWS refuses.
 *
 * The account of a request is the one its access key id belongs to. AWS key ids encode their
 * account (base32 characters 5–12 hold half the account id plus an offset, the 13th its lowest bit),
 * and moto issues its keys — IAM users' and AssumeRole's alike — the same way, so the stub reads the
 * account from the SigV4 `Credential=` without asking moto. A key that does not decode is moto's
 * default account, as moto treats it. The region is the credential scope's.
 *
 * Sources of the shapes: End User Messaging API reference (DescribePhoneNumbers with `MessagingLimits`,
 * `OptOutListName`, `CreatedTimestamp`; DescribeOptOutLists; DescribeRegistrations;
 * DescribeRegistrationVersions; DescribeRegistrationFieldValues; ListRegistrationAssociations;
 * GetResourcePolicy / PutResourcePolicy: `Policy` 1–10,000 characters, `ResourceArn` 20–256 matching
 * `arn:[A-Za-z0-9_:/-]+`). A resource without a policy answers `"Policy": "{}"` (as the Terraform AWS
 * provider's resource-policy code notes AWS does).
 */
import { randomUUID } from 'node:crypto';
import { iamDecision } from '../unit/iamModel';
import { ramGrants, type RamState } from './ramStub';

export const DEFAULT_ACCOUNT = '123456789012';

export interface EumNumber {
  PhoneNumber: string;
  Status: string;
  NumberType: string;
  RegistrationId?: string;
  /** Default `Default`. */
  OptOutListName?: string;
  /** ISO time; default 2025-06-01T12:00:00Z (after the 2024-09-24 resource-policy cut-off). */
  CreatedTimestamp?: string;
  MessagingLimits?: { RateLimits?: Record<string, number>; DailyMessageCaps?: Record<string, number> };
  PhoneNumberId?: string;
}

export interface EumRegistration {
  RegistrationId: string;
  /** Default US_TEN_DLC_CAMPAIGN_REGISTRATION. */
  RegistrationType?: string;
  RegistrationStatus: string;
  LatestDeniedVersionNumber?: number;
  DeniedReasons?: { Reason: string; ShortDescription: string }[];
  /** What DescribeRegistrationFieldValues answers, by field path. */
  Fields?: Record<string, string>;
  /** For a campaign: the brand registration it is associated with. */
  BrandRegistrationId?: string;
}

export interface EumAccount {
  /** Where this account's resources live; requests for other regions see none. */
  region: string;
  numbers: EumNumber[];
  registrations: EumRegistration[];
  optOutLists: { OptOutListName: string; CreatedTimestamp?: string }[];
  /** Resource policies by resource ARN (the JSON text as put). */
  policies: Record<string, string>;
  /** DescribeSpendLimits' text limit, in USD; absent: $100, not overridden (a seeded account's). */
  spendLimit?: { MaxLimit: number; EnforcedLimit?: number; Overridden?: boolean };
  /** What this account's messages cost so far this month (USD; $0.01 each here). */
  spent?: number;
  /** DescribeAccountAttributes ACCOUNT_TIER; absent: PRODUCTION. */
  tier?: 'SANDBOXED' | 'PRODUCTION';
  /** Opted-out destinations by opt-out list name. */
  optedOut?: Record<string, string[]>;
  /** Every SendTextMessage this account made (as the caller), accepted or refused, with the request as sent. */
  texts?: SentText[];
  /** Tests: a real (not dry-run) SendTextMessage of this account is sent and charged, and then answered with a 500, as if the answer were lost. */
  sendFault?: 'internal-error';
}

/** One SendTextMessage request as the stub saw it. */
export interface SentText {
  readonly originationIdentity: string;
  readonly destination: string;
  readonly body: string;
  readonly messageType?: string;
  readonly maxPrice?: string;
  /** The request's DryRun exactly as it came over the wire (absent when not sent). */
  readonly dryRun?: unknown;
  /** The message id answered, or the error type refused with. */
  readonly messageId?: string;
  readonly refused?: string;
  /** The account that owns the origination identity (and the one whose opt-out list applies). */
  readonly owner?: string;
}

/** The price the stub charges per message (for the spend limit). */
export const PRICE_PER_MESSAGE = 0.01;

export type EumState = Record<string, EumAccount>;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ACCOUNT_OFFSET = 2 ** 39;

/** The account an AWS (or moto) access key id belongs to. */
export function accountOfAccessKey(key: string): string {
  if (!/^(AKIA|ASIA|AIDA|AROA)[A-Z2-7]{16,}$/.test(key)) {
    return DEFAULT_ACCOUNT;
  }
  let value = 0;
  for (const c of key.slice(4, 12)) {
    value = value * 32 + ALPHABET.indexOf(c);
  }
  const half = value - ACCOUNT_OFFSET;
  if (half < 0) {
    return DEFAULT_ACCOUNT;
  }
  const account = half * 2 + (ALPHABET.indexOf(key[12]) >= 16 ? 1 : 0);
  return String(account).padStart(12, '0');
}

/** Account and region of a SigV4-signed request. */
export function callerOf(authorization: string | undefined): { account: string; region: string } {
  const m = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\//.exec(authorization ?? '');
  return { account: m ? accountOfAccessKey(m[1]) : DEFAULT_ACCOUNT, region: m?.[2] ?? 'us-east-1' };
}

export function emptyAccount(region = 'us-east-1'): EumAccount {
  return { region, numbers: [], registrations: [], optOutLists: [], policies: {} };
}

export function phoneNumberId(n: EumNumber): string {
  return n.PhoneNumberId ?? `phone-${n.PhoneNumber.replace(/\D/g, '')}`;
}

export function phoneNumberArn(account: string, region: string, n: EumNumber): string {
  return `arn:aws:sms-voice:${region}:${account}:phone-number/${phoneNumberId(n)}`;
}

export function optOutListArn(account: string, region: string, name: string): string {
  return `arn:aws:sms-voice:${region}:${account}:opt-out-list/${name}`;
}

function registrationArn(account: string, region: string, id: string): string {
  return `arn:aws:sms-voice:${region}:${account}:registration/${id}`;
}

/** A policy granting the SNS service principal `actions` on `arn` for `account`, written here (not by the code under test). */
export function snsGrant(arn: string, account: string, actions: string[], sid = 'SnsAccess'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: sid, Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: actions, Resource: arn, Condition: { StringEquals: { 'aws:SourceAccount': account } } }],
  });
}

export const CAMPAIGN_ID = 'registration-0a1b2c3d4e5f';
export const BRAND_ID = 'registration-b7a1d0c0ffee';

/** The primary's 10DLC world: an ACTIVE number with a COMPLETE campaign and brand, and SNS granted on it and its opt-out list. */
export function primaryEumAccount(account: string, originationNumber: string, region = 'us-east-1'): EumAccount {
  const number: EumNumber = {
    PhoneNumber: originationNumber,
    Status: 'ACTIVE',
    NumberType: 'TEN_DLC',
    RegistrationId: CAMPAIGN_ID,
    OptOutListName: 'Default',
    CreatedTimestamp: '2025-06-01T12:00:00Z',
    MessagingLimits: { RateLimits: { SMS: 20 }, DailyMessageCaps: { 'T-MOBILE': 2000 } },
  };
  return {
    region,
    numbers: [number],
    registrations: [
      { RegistrationId: CAMPAIGN_ID, RegistrationType: 'US_TEN_DLC_CAMPAIGN_REGISTRATION', RegistrationStatus: 'COMPLETE', BrandRegistrationId: BRAND_ID },
      brandRegistration(BRAND_ID, 'Example Corp', '12-3456789'),
    ],
    optOutLists: [{ OptOutListName: 'Default', CreatedTimestamp: '2025-06-01T12:00:00Z' }],
    policies: {
      [phoneNumberArn(account, region, number)]: snsGrant(phoneNumberArn(account, region, number), account, ['sms-voice:SendTextMessage']),
      [optOutListArn(account, region, 'Default')]: snsGrant(optOutListArn(account, region, 'Default'), account, ['sms-voice:DescribeOptedOutNumbers', 'sms-voice:DeleteOptedOutNumber']),
    },
  };
}

/** A COMPLETE 10DLC brand registration of a company (fake tax id). */
export function brandRegistration(id: string, companyName: string, taxId: string): EumRegistration {
  return {
    RegistrationId: id,
    RegistrationType: 'US_TEN_DLC_BRAND_REGISTRATION',
    RegistrationStatus: 'COMPLETE',
    Fields: { 'companyInfo.companyName': companyName, 'companyInfo.taxId': taxId, 'companyInfo.taxIdIssuingCountry': 'US' },
  };
}

type Answer = { status: number; body: string };

const epoch = (iso: string | undefined): number => Math.floor(Date.parse(iso ?? '2025-06-01T12:00:00Z') / 1000);
const ok = (body: unknown): Answer => ({ status: 200, body: JSON.stringify(body) });
const refuse = (status: number, type: string, message: string): Answer => ({ status, body: JSON.stringify({ __type: type, message }) });

function filterValues(body: Record<string, unknown>, name: string): string[] | undefined {
  const filters = (body['Filters'] as { Name: string; Values: string[] }[] | undefined) ?? [];
  return filters.find((f) => f.Name === name)?.Values;
}

/** What AWS would refuse in a PutResourcePolicy (documented limits, plus a well-formed policy about this resource). */
function validatePolicy(arn: string, text: unknown): string | undefined {
  if (typeof text !== 'string' || text.length < 1 || text.length > 10_000) {
    return 'Policy must be a string of 1 to 10000 characters.';
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return 'Policy is not valid JSON.';
  }
  const statements = (doc as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : statements && typeof statements === 'object' ? [statements] : [];
  if (list.length === 0) {
    return 'Policy has no statements.';
  }
  for (const s of list as Record<string, unknown>[]) {
    if ((s['Effect'] !== 'Allow' && s['Effect'] !== 'Deny') || (s['Principal'] === undefined && s['NotPrincipal'] === undefined) || (s['Action'] === undefined && s['NotAction'] === undefined)) {
      return 'Each statement of a resource policy needs Effect, Principal and Action.';
    }
    const actions = [s['Action'] ?? s['NotAction']].flat() as unknown[];
    // IAM reads the service prefix of an action in any case (SMS-Voice:SendTextMessage is the same action).
    if (actions.some((a) => typeof a !== 'string' || !/^(sms-voice:[A-Za-z*?]+|\*)$/i.test(a))) {
      return 'Policy actions must be sms-voice actions.';
    }
    const resources = s['Resource'] === undefined ? [] : ([s['Resource']].flat() as unknown[]);
    if (resources.some((r) => typeof r !== 'string' || (r !== arn && r !== '*' && !new RegExp(`^${r.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(arn)))) {
      return `Policy resources must be the resource it is attached to (${arn}).`;
    }
  }
  return undefined;
}

/** Whether an account owns a resource (a number or an opt-out list) in a region: RAM's "yours to share". */
export function ownsResource(state: EumState, account: string, region: string, arn: string): boolean {
  const a = state[account];
  return Boolean(
    a && a.region === region && (a.numbers.some((n) => phoneNumberArn(account, region, n) === arn) || a.optOutLists.some((l) => optOutListArn(account, region, l.OptOutListName) === arn)),
  );
}

/** IAM's wildcard match for a Resource element (`*` any run, `?` one character). */
function globMatch(pattern: string, text: string): boolean {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's').test(text);
}

/**
 * How AWS decides whether `caller` may perform `action` on a resource of `owner`: the resource policy
 * (judged by the tests' own IAM model, test/unit/iamModel.ts, not by the extension's engine), where an
 * explicit Deny wins; then the owner's own account may (its identity policies are not modelled here);
 * another account may only when the policy allows its principals, or an accepted RAM share holds the
 * resource for it.
 */
export function judge(state: EumState, ram: RamState | undefined, caller: string, owner: string, arn: string, action: string): 'allow' | 'deny' | 'none' {
  const text = state[owner]?.policies[arn];
  let decision: 'Allow' | 'Deny' | 'NotAllowed' = 'NotAllowed';
  if (text && text.trim() !== '{}') {
    const doc = JSON.parse(text) as { Statement?: unknown };
    const list = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as Record<string, unknown>[];
    const here = list.filter((s) => {
      const r = s['Resource'] ?? undefined;
      const nr = s['NotResource'] ?? undefined;
      return r !== undefined ? [r].flat().some((x) => globMatch(String(x), arn)) : nr !== undefined ? ![nr].flat().some((x) => globMatch(String(x), arn)) : true;
    });
    decision = iamDecision({ Statement: here }, { principal: { type: 'AWS', id: `arn:aws:iam::${caller}:root` }, action, context: { 'aws:principalaccount': caller } });
  }
  if (decision === 'Deny') {
    return 'deny';
  }
  if (caller === owner || decision === 'Allow' || (ram !== undefined && ramGrants(ram, caller, arn))) {
    return 'allow';
  }
  return 'none';
}

function accessDenied(caller: string, action: string, arn: string, why: 'explicit' | 'none'): Answer {
  return refuse(
    400,
    'AccessDeniedException',
    `User: arn:aws:iam::${caller}:root is not authorized to perform: ${action} on resource: ${arn} ${why === 'explicit' ? 'with an explicit deny in a resource-based policy' : 'because no resource-based policy allows the ' + action + ' action'}`,
  );
}

/** A number of another account in this region, named by its ARN, that `caller` may use for `action`. */
function sharedNumber(state: EumState, ram: RamState | undefined, caller: string, region: string, arn: string, actions: readonly string[]): { owner: string; n: EumNumber } | undefined {
  for (const [owner, a] of Object.entries(state)) {
    if (owner === caller || a.region !== region) {
      continue;
    }
    const n = a.numbers.find((x) => phoneNumberArn(owner, region, x) === arn);
    if (n && actions.some((act) => judge(state, ram, caller, owner, arn, act) === 'allow')) {
      return { owner, n };
    }
  }
  return undefined;
}

function numberJson(owner: string, region: string, n: EumNumber): Record<string, unknown> {
  return {
    PhoneNumberArn: phoneNumberArn(owner, region, n),
    PhoneNumberId: phoneNumberId(n),
    PhoneNumber: n.PhoneNumber,
    Status: n.Status,
    IsoCountryCode: 'US',
    MessageType: 'TRANSACTIONAL',
    NumberCapabilities: ['SMS'],
    NumberType: n.NumberType,
    MonthlyLeasingPrice: '2.00',
    TwoWayEnabled: false,
    SelfManagedOptOutsEnabled: false,
    OptOutListName: n.OptOutListName ?? 'Default',
    DeletionProtectionEnabled: false,
    ...(n.RegistrationId ? { RegistrationId: n.RegistrationId } : {}),
    ...(n.MessagingLimits ? { MessagingLimits: n.MessagingLimits } : {}),
    CreatedTimestamp: epoch(n.CreatedTimestamp),
  };
}

const SHARED_NUMBER_ACTIONS = ['sms-voice:SendTextMessage', 'sms-voice:DescribePhoneNumbers'];

/** Answers one End User Messaging call for the caller's account and region (`ram`: accepted RAM shares count as shares). */
export function answerEum(state: EumState, op: string, body: Record<string, unknown>, caller: { account: string; region: string }, ram?: RamState): Answer {
  const here = state[caller.account];
  const acct: EumAccount = here && here.region === caller.region ? here : emptyAccount(caller.region);
  const { account, region } = caller;
  const numberArnOf = (n: EumNumber): string => phoneNumberArn(account, region, n);
  const resourceExists = (arn: string): boolean =>
    acct.numbers.some((n) => numberArnOf(n) === arn) || acct.optOutLists.some((l) => optOutListArn(account, region, l.OptOutListName) === arn);
  const keep = (): EumAccount => {
    if (!state[account]) {
      state[account] = acct;
    }
    return state[account];
  };
  switch (op) {
    case 'DescribePhoneNumbers': {
      const ids = body['PhoneNumberIds'] as string[] | undefined;
      if (body['Owner'] !== undefined && ids !== undefined) {
        return refuse(400, 'ValidationException', 'The Owner and PhoneNumberIds parameters can\'t be used at the same time.');
      }
      if (body['Owner'] === 'SHARED') {
        const shared = Object.entries(state).flatMap(([owner, a]) =>
          owner === account || a.region !== region ? [] : a.numbers.filter((n) => sharedNumber(state, ram, account, region, phoneNumberArn(owner, region, n), SHARED_NUMBER_ACTIONS)).map((n) => numberJson(owner, region, n)),
        );
        return ok({ PhoneNumbers: shared });
      }
      const types = filterValues(body, 'number-type');
      const statuses = filterValues(body, 'status');
      const numbers = acct.numbers.filter(
        (n) => (!ids || ids.includes(phoneNumberId(n)) || ids.includes(numberArnOf(n))) && (!types || types.includes(n.NumberType)) && (!statuses || statuses.includes(n.Status)),
      );
      // A shared number is named by its full ARN.
      const others = (ids ?? []).flatMap((id) => {
        const hit = sharedNumber(state, ram, account, region, id, SHARED_NUMBER_ACTIONS);
        return hit ? [numberJson(hit.owner, region, hit.n)] : [];
      });
      if (ids && numbers.length + others.length < ids.length) {
        return refuse(404, 'ResourceNotFoundException', `Phone number ${ids.join(', ')} was not found.`);
      }
      return ok({
        PhoneNumbers: [...others, ...numbers.map((n) => ({
          PhoneNumberArn: numberArnOf(n),
          PhoneNumberId: phoneNumberId(n),
          PhoneNumber: n.PhoneNumber,
          Status: n.Status,
          IsoCountryCode: 'US',
          MessageType: 'TRANSACTIONAL',
          NumberCapabilities: ['SMS'],
          NumberType: n.NumberType,
          MonthlyLeasingPrice: '2.00',
          TwoWayEnabled: false,
          SelfManagedOptOutsEnabled: false,
          OptOutListName: n.OptOutListName ?? 'Default',
          DeletionProtectionEnabled: false,
          ...(n.RegistrationId ? { RegistrationId: n.RegistrationId } : {}),
          ...(n.MessagingLimits ? { MessagingLimits: n.MessagingLimits } : {}),
          CreatedTimestamp: epoch(n.CreatedTimestamp),
        }))],
      });
    }
    case 'DescribeSpendLimits': {
      const l = acct.spendLimit ?? { MaxLimit: 100 };
      const text = { Name: 'TEXT_MESSAGE_MONTHLY_SPEND_LIMIT', MaxLimit: l.MaxLimit, EnforcedLimit: l.EnforcedLimit ?? l.MaxLimit, Overridden: l.Overridden ?? false };
      return ok({ SpendLimits: [text, { Name: 'VOICE_MESSAGE_MONTHLY_SPEND_LIMIT', MaxLimit: 1, EnforcedLimit: 1, Overridden: false }] });
    }
    case 'DescribeAccountAttributes':
      return ok({ AccountAttributes: [{ Name: 'ACCOUNT_TIER', Value: acct.tier ?? 'PRODUCTION' }] });
    case 'DescribeOptedOutNumbers': {
      const list = body['OptOutListName'];
      if (typeof list !== 'string' || list === '') {
        return refuse(400, 'ValidationException', 'OptOutListName is required.');
      }
      // The caller's own list by name or ARN, or another account's by its full ARN when shared with the caller.
      let owner = account;
      let name = list;
      const m = /^arn:aws:sms-voice:([a-z0-9-]+):(\d{12}):opt-out-list\/(.+)$/.exec(list);
      if (m) {
        [, , owner, name] = m;
        if (m[1] !== region) {
          return refuse(404, 'ResourceNotFoundException', `Opt-out list ${list} was not found.`);
        }
      }
      const ownerAcct = state[owner];
      if (!ownerAcct || ownerAcct.region !== region || !ownerAcct.optOutLists.some((l) => l.OptOutListName === name)) {
        return refuse(404, 'ResourceNotFoundException', `Opt-out list ${list} was not found.`);
      }
      const arn = optOutListArn(owner, region, name);
      const verdict = owner === account ? 'allow' : judge(state, undefined, account, owner, arn, 'sms-voice:DescribeOptedOutNumbers');
      if (verdict !== 'allow') {
        return owner === account ? accessDenied(account, 'sms-voice:DescribeOptedOutNumbers', arn, 'explicit') : verdict === 'deny' ? accessDenied(account, 'sms-voice:DescribeOptedOutNumbers', arn, 'explicit') : refuse(404, 'ResourceNotFoundException', `Opt-out list ${list} was not found.`);
      }
      const wanted = body['OptedOutNumbers'] as string[] | undefined;
      const listed = (ownerAcct.optedOut?.[name] ?? []).filter((n) => !wanted || wanted.includes(n));
      return ok({ OptOutListArn: arn, OptOutListName: name, OptedOutNumbers: listed.map((n) => ({ OptedOutNumber: n, OptedOutTimestamp: epoch(undefined), EndUserOptedOut: true })) });
    }
    case 'SendTextMessage':
      return sendTextMessage(state, ram, body, caller, keep);
    case 'DescribeOptOutLists': {
      const names = body['OptOutListNames'] as string[] | undefined;
      const lists = acct.optOutLists.filter((l) => !names || names.includes(l.OptOutListName) || names.includes(optOutListArn(account, region, l.OptOutListName)));
      if (names && lists.length < names.length) {
        return refuse(404, 'ResourceNotFoundException', `Opt-out list ${names.join(', ')} was not found.`);
      }
      return ok({ OptOutLists: lists.map((l) => ({ OptOutListArn: optOutListArn(account, region, l.OptOutListName), OptOutListName: l.OptOutListName, CreatedTimestamp: epoch(l.CreatedTimestamp) })) });
    }
    case 'DescribeRegistrations': {
      const ids = body['RegistrationIds'] as string[] | undefined;
      const types = filterValues(body, 'registration-type');
      const statuses = filterValues(body, 'registration-status');
      const missing = (ids ?? []).filter((id) => !acct.registrations.some((r) => r.RegistrationId === id));
      if (missing.length) {
        return refuse(404, 'ResourceNotFoundException', `Registration ${missing.join(', ')} was not found.`);
      }
      const regs = acct.registrations.filter(
        (r) =>
          (!ids || ids.includes(r.RegistrationId)) &&
          (!types || types.includes(r.RegistrationType ?? 'US_TEN_DLC_CAMPAIGN_REGISTRATION')) &&
          (!statuses || statuses.includes(r.RegistrationStatus)),
      );
      return ok({
        Registrations: regs.map((r) => ({
          RegistrationArn: registrationArn(account, region, r.RegistrationId),
          RegistrationId: r.RegistrationId,
          RegistrationType: r.RegistrationType ?? 'US_TEN_DLC_CAMPAIGN_REGISTRATION',
          RegistrationStatus: r.RegistrationStatus,
          CurrentVersionNumber: 2,
          ...(r.RegistrationStatus === 'COMPLETE' ? { ApprovedVersionNumber: 2 } : {}),
          ...(r.LatestDeniedVersionNumber !== undefined ? { LatestDeniedVersionNumber: r.LatestDeniedVersionNumber } : {}),
          CreatedTimestamp: epoch(undefined),
        })),
      });
    }
    case 'DescribeRegistrationVersions': {
      const r = acct.registrations.find((x) => x.RegistrationId === body['RegistrationId']);
      if (!r) {
        return refuse(404, 'ResourceNotFoundException', 'Registration not found');
      }
      const at = epoch(undefined);
      return ok({
        RegistrationArn: registrationArn(account, region, r.RegistrationId),
        RegistrationId: r.RegistrationId,
        RegistrationVersions: [{ VersionNumber: r.LatestDeniedVersionNumber ?? 1, RegistrationVersionStatus: 'DENIED', RegistrationVersionStatusHistory: { DraftTimestamp: at, DeniedTimestamp: at }, DeniedReasons: r.DeniedReasons ?? [] }],
      });
    }
    case 'DescribeRegistrationFieldValues': {
      const r = acct.registrations.find((x) => x.RegistrationId === body['RegistrationId']);
      if (!r) {
        return refuse(404, 'ResourceNotFoundException', 'Registration not found');
      }
      const paths = body['FieldPaths'] as string[] | undefined;
      const fields = Object.entries(r.Fields ?? {}).filter(([p]) => !paths || paths.includes(p));
      return ok({
        RegistrationArn: registrationArn(account, region, r.RegistrationId),
        RegistrationId: r.RegistrationId,
        VersionNumber: 2,
        RegistrationFieldValues: fields.map(([FieldPath, TextValue]) => ({ FieldPath, TextValue })),
      });
    }
    case 'ListRegistrationAssociations': {
      const r = acct.registrations.find((x) => x.RegistrationId === body['RegistrationId']);
      if (!r) {
        return refuse(404, 'ResourceNotFoundException', 'Registration not found');
      }
      const brand = r.BrandRegistrationId
        ? [{ ResourceArn: registrationArn(account, region, r.BrandRegistrationId), ResourceId: r.BrandRegistrationId, ResourceType: 'registration' }]
        : [];
      const numbers = acct.numbers
        .filter((n) => n.RegistrationId === r.RegistrationId)
        .map((n) => ({ ResourceArn: numberArnOf(n), ResourceId: phoneNumberId(n), ResourceType: 'phone-number', IsoCountryCode: 'US', PhoneNumber: n.PhoneNumber }));
      return ok({ RegistrationArn: registrationArn(account, region, r.RegistrationId), RegistrationId: r.RegistrationId, RegistrationType: r.RegistrationType ?? 'US_TEN_DLC_CAMPAIGN_REGISTRATION', RegistrationAssociations: [...brand, ...numbers] });
    }
    case 'GetResourcePolicy': {
      const arn = body['ResourceArn'];
      if (typeof arn !== 'string' || !resourceExists(arn)) {
        return refuse(404, 'ResourceNotFoundException', `Resource ${String(arn)} was not found.`);
      }
      return ok({ ResourceArn: arn, Policy: acct.policies[arn] ?? '{}', CreatedTimestamp: epoch(undefined) });
    }
    case 'PutResourcePolicy': {
      const arn = body['ResourceArn'];
      if (typeof arn !== 'string' || arn.length < 20 || arn.length > 256 || !/^arn:[A-Za-z0-9_:/-]+$/.test(arn)) {
        return refuse(400, 'ValidationException', 'ResourceArn must be an ARN of 20 to 256 characters.');
      }
      if (!resourceExists(arn)) {
        return refuse(404, 'ResourceNotFoundException', `Resource ${arn} was not found.`);
      }
      const invalid = validatePolicy(arn, body['Policy']);
      if (invalid) {
        return refuse(400, 'ValidationException', invalid);
      }
      if (!state[account]) {
        state[account] = acct;
      }
      acct.policies[arn] = body['Policy'] as string;
      return ok({ ResourceArn: arn, Policy: body['Policy'], CreatedTimestamp: Math.floor(Date.now() / 1000) });
    }
    default:
      return refuse(400, 'UnknownOperationException', `The stub does not answer ${op}`);
  }
}

/**
 * SendTextMessage as AWS refuses it: a destination in E.164; the origination identity the caller's
 * own (E.164, id or ARN) or another account's named by its full ARN in this Region and shared with the
 * caller (resource policy or accepted RAM share, an explicit Deny wins); the number ACTIVE; the
 * destination not on the number's opt-out list; the caller's monthly spend limit not reached. DryRun
 * checks all of it and neither records a message nor charges for it. Every request is recorded under
 * the caller's account, with DryRun exactly as it came.
 */
function sendTextMessage(state: EumState, ram: RamState | undefined, body: Record<string, unknown>, caller: { account: string; region: string }, keep: () => EumAccount): Answer {
  const { account, region } = caller;
  const identity = typeof body['OriginationIdentity'] === 'string' ? body['OriginationIdentity'] : '';
  const destination = typeof body['DestinationPhoneNumber'] === 'string' ? body['DestinationPhoneNumber'] : '';
  const record = (r: Partial<SentText>): void => {
    const me = keep();
    me.texts = [
      ...(me.texts ?? []),
      {
        originationIdentity: identity,
        destination,
        body: typeof body['MessageBody'] === 'string' ? body['MessageBody'] : '',
        messageType: body['MessageType'] as string | undefined,
        maxPrice: body['MaxPrice'] as string | undefined,
        ...('DryRun' in body ? { dryRun: body['DryRun'] } : {}),
        ...r,
      },
    ];
  };
  const fail = (a: Answer): Answer => {
    record({ refused: (JSON.parse(a.body) as { __type: string }).__type });
    return a;
  };
  if (!/^\+[1-9]\d{1,14}$/.test(destination)) {
    return fail(refuse(400, 'ValidationException', 'DestinationPhoneNumber must be a phone number in E.164 format.'));
  }
  if (body['MessageType'] !== undefined && body['MessageType'] !== 'TRANSACTIONAL' && body['MessageType'] !== 'PROMOTIONAL') {
    return fail(refuse(400, 'ValidationException', 'MessageType must be TRANSACTIONAL or PROMOTIONAL.'));
  }
  if (body['DryRun'] !== undefined && typeof body['DryRun'] !== 'boolean') {
    return fail(refuse(400, 'ValidationException', 'DryRun must be a boolean.'));
  }
  const mine = state[account]?.region === region ? state[account] : undefined;
  const own = mine?.numbers.find((n) => n.PhoneNumber === identity || phoneNumberId(n) === identity || phoneNumberArn(account, region, n) === identity);
  let owner = account;
  let number = own;
  if (!number) {
    const m = /^arn:aws:sms-voice:([a-z0-9-]+):(\d{12}):phone-number\/.+$/.exec(identity);
    if (!m || m[1] !== region || !state[m[2]] || state[m[2]].region !== region) {
      return fail(refuse(404, 'ResourceNotFoundException', `Origination identity ${identity} was not found.${m ? '' : ' A shared origination identity must be named by its full ARN.'}`));
    }
    owner = m[2];
    number = state[owner].numbers.find((n) => phoneNumberArn(owner, region, n) === identity);
    if (!number) {
      return fail(refuse(404, 'ResourceNotFoundException', `Origination identity ${identity} was not found.`));
    }
  }
  const arn = phoneNumberArn(owner, region, number);
  const verdict = judge(state, ram, account, owner, arn, 'sms-voice:SendTextMessage');
  if (verdict !== 'allow') {
    return fail(accessDenied(account, 'sms-voice:SendTextMessage', arn, verdict === 'deny' ? 'explicit' : 'none'));
  }
  if (number.Status !== 'ACTIVE') {
    return fail(refuse(400, 'ConflictException', `Origination identity ${arn} is ${number.Status}, not ACTIVE.`));
  }
  const list = number.OptOutListName ?? 'Default';
  if ((state[owner].optedOut?.[list] ?? []).includes(destination)) {
    return fail({ status: 400, body: JSON.stringify({ __type: 'ConflictException', message: 'The destination phone number has opted out.', Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT' }) });
  }
  const me = keep();
  const limit = me.spendLimit ? (me.spendLimit.Overridden ? me.spendLimit.EnforcedLimit ?? me.spendLimit.MaxLimit : me.spendLimit.MaxLimit) : 100;
  if ((me.spent ?? 0) + PRICE_PER_MESSAGE > limit + 1e-9) {
    return fail({ status: 400, body: JSON.stringify({ __type: 'ServiceQuotaExceededException', message: 'Monthly spend limit reached for text messages.', Reason: 'MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT' }) });
  }
  const messageId = randomUUID();
  if (body['DryRun'] !== true) {
    me.spent = Math.round(((me.spent ?? 0) + PRICE_PER_MESSAGE) * 100) / 100;
  }
  record({ messageId, owner });
  if (me.sendFault === 'internal-error' && body['DryRun'] !== true) {
    return refuse(500, 'InternalServerException', 'The message was accepted, and then the service failed before it answered.');
  }
  return ok({ MessageId: messageId });
}

/** A request id for the response headers. */
export function requestId(): string {
  return randomUUID();
}
