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
}

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

/** Answers one End User Messaging call for the caller's account and region. */
export function answerEum(state: EumState, op: string, body: Record<string, unknown>, caller: { account: string; region: string }): Answer {
  const here = state[caller.account];
  const acct: EumAccount = here && here.region === caller.region ? here : emptyAccount(caller.region);
  const { account, region } = caller;
  const numberArnOf = (n: EumNumber): string => phoneNumberArn(account, region, n);
  const resourceExists = (arn: string): boolean =>
    acct.numbers.some((n) => numberArnOf(n) === arn) || acct.optOutLists.some((l) => optOutListArn(account, region, l.OptOutListName) === arn);
  switch (op) {
    case 'DescribePhoneNumbers': {
      if (body['Owner'] === 'SHARED') {
        return ok({ PhoneNumbers: [] });
      }
      const ids = body['PhoneNumberIds'] as string[] | undefined;
      const types = filterValues(body, 'number-type');
      const statuses = filterValues(body, 'status');
      const numbers = acct.numbers.filter(
        (n) => (!ids || ids.includes(phoneNumberId(n)) || ids.includes(numberArnOf(n))) && (!types || types.includes(n.NumberType)) && (!statuses || statuses.includes(n.Status)),
      );
      return ok({
        PhoneNumbers: numbers.map((n) => ({
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
        })),
      });
    }
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

/** A request id for the response headers. */
export function requestId(): string {
  return randomUUID();
}
