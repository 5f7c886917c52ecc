/**
 * Read-only End User Messaging SMS (pinpoint-sms-voice-v2) reads about 10DLC numbers: the
 * origination number with its limits, registration, brand and the resource policies on it and on its
 * opt-out list; and what 10DLC numbers and brand registrations an account owns in a region. Every
 * read that can fail on its own is kept as a `Read`, so one refusal leaves the rest known.
 *
 * Most of these reads need an id that only DescribePhoneNumbers gives (the number's id and ARN, its registration,
 * its opt-out list). The ids of a number do not change while it is the same number, so a `NumberDirectory` keeps
 * them from the last read: with them every read runs at once, beside a DescribePhoneNumbers by id that confirms
 * them (one round trip, where reading from scratch takes three). Ids that no longer match are read again.
 */
import {
  DescribeOptOutListsCommand,
  DescribePhoneNumbersCommand,
  DescribeRegistrationFieldValuesCommand,
  DescribeRegistrationsCommand,
  DescribeRegistrationVersionsCommand,
  GetResourcePolicyCommand,
  ListRegistrationAssociationsCommand,
  type DescribeRegistrationsResult,
  type PhoneNumberInformation,
  type PinpointSMSVoiceV2Client,
  type RegistrationInformation,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { optOutListArn } from '../core/numberPolicy';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { AwsProfile } from '../core/profiles';
import { brandKey, type AccountTenDlc, type BrandInfo, type MessagingLimits, type NumberSummary, type RegistrationInfo } from '../core/tenDlc';
import type { ClientFactory, MfaCodeProvider } from './clients';
import { explainError } from './errors';

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown; readonly operation: string };

async function read<T>(operation: string, f: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (error) {
    return { ok: false, error, operation };
  }
}

export interface RegistrationDetail extends RegistrationInfo {
  /** When not COMPLETE: the reasons of the latest denied version. */
  readonly deniedReasons?: readonly string[];
}

export interface OptOutListInfo {
  readonly name: string;
  readonly arn: string;
  readonly createdAt?: Date;
  /** GetResourcePolicy's `Policy` (undefined or "{}" when none). */
  readonly policy: Read<string | undefined>;
}

export interface NumberInfo {
  readonly phoneNumber: string;
  readonly arn: string;
  readonly id?: string;
  readonly status?: string;
  readonly numberType?: string;
  readonly createdAt?: Date;
  readonly optOutListName?: string;
  readonly registrationId?: string;
  readonly limits?: MessagingLimits;
  readonly registration?: Read<RegistrationDetail>;
  /** GetResourcePolicy on the number. */
  readonly policy: Read<string | undefined>;
  readonly optOutList?: Read<OptOutListInfo>;
  /** When the reads were made. */
  readonly readAt: Date;
}

type Eum = PinpointSMSVoiceV2Client;

const MAX_PAGES = 50;
const BRAND_FIELDS = ['companyInfo.companyName', 'companyInfo.taxId', 'companyInfo.taxIdIssuingCountry'];

/** What identifies a number's resources, learnt from an earlier read (no secret: ids and names). */
export interface NumberRef {
  readonly phoneNumber: string;
  readonly id: string;
  readonly arn: string;
  readonly registrationId?: string;
  /** The brand registration of its campaign, once a read found it. */
  readonly brandRegistrationId?: string;
  readonly optOutListName?: string;
}

/** Where the directory keeps what it learnt between sessions of the editor (e.g. VS Code's globalState). */
export interface KeyValueStore {
  get(key: string): unknown;
  update(key: string, value: unknown): unknown;
}

const STORE_KEY = 'tendlc.numberRefs';
/** Numbers remembered at most (a setup has one; a few more after changes of number, region or primary). */
const MAX_REFS = 20;

/** The ids of the numbers read before, per account, region and number. */
export class NumberDirectory {
  private refs = new Map<string, NumberRef>();

  constructor(private readonly store?: KeyValueStore) {
    const saved = store?.get(STORE_KEY);
    if (Array.isArray(saved)) {
      for (const entry of saved as unknown[]) {
        if (Array.isArray(entry) && typeof entry[0] === 'string' && isRef(entry[1])) {
          this.refs.set(entry[0], entry[1]);
        }
      }
    }
  }

  get(accountId: string, region: string, phoneNumber: string): NumberRef | undefined {
    return this.refs.get(refKey(accountId, region, phoneNumber));
  }

  /** Keeps the ids a read found (or forgets them when the number is not there any more). */
  learn(accountId: string, region: string, phoneNumber: string, info: NumberInfo | undefined): void {
    const key = refKey(accountId, region, phoneNumber);
    const before = this.refs.get(key);
    if (!info) {
      if (before && this.refs.delete(key)) {
        this.save();
      }
      return;
    }
    const brand = info.registration?.ok ? info.registration.value.brand?.registrationId : undefined;
    const ref: NumberRef = {
      phoneNumber,
      id: info.id ?? '',
      arn: info.arn,
      ...(info.registrationId ? { registrationId: info.registrationId } : {}),
      // A read that did not look for the brand keeps the one known, for the same campaign.
      ...((brand ?? (before?.registrationId === info.registrationId ? before?.brandRegistrationId : undefined)) ? { brandRegistrationId: brand ?? before?.brandRegistrationId } : {}),
      ...(info.optOutListName ? { optOutListName: info.optOutListName } : {}),
    };
    if (!ref.id || !ref.arn) {
      return;
    }
    this.refs.delete(key);
    this.refs.set(key, ref);
    while (this.refs.size > MAX_REFS) {
      this.refs.delete(this.refs.keys().next().value as string);
    }
    if (JSON.stringify(before) !== JSON.stringify(ref)) {
      this.save();
    }
  }

  /** Forgets every number (the next read starts from DescribePhoneNumbers). */
  forget(): void {
    this.refs.clear();
    this.save();
  }

  private save(): void {
    void Promise.resolve(this.store?.update(STORE_KEY, [...this.refs])).catch(() => undefined);
  }
}

function refKey(accountId: string, region: string, phoneNumber: string): string {
  return `${accountId}|${region}|${phoneNumber}`;
}

function isRef(x: unknown): x is NumberRef {
  const r = x as Partial<NumberRef> | undefined;
  return typeof r === 'object' && r !== null && typeof r.phoneNumber === 'string' && typeof r.id === 'string' && typeof r.arn === 'string';
}

export interface ReadNumberOptions {
  /** The number's ids from an earlier read: the reads that need them run beside DescribePhoneNumbers. */
  readonly known?: NumberRef;
  /**
   * Look for the brand of the campaign even when its id is not known (two more round trips: Check Setup and the
   * tooltip do); otherwise the brand is read only when known, in the same round as everything else.
   */
  readonly brand?: boolean;
}

async function findNumber(eum: Eum, number: string, signal?: AbortSignal): Promise<PhoneNumberInformation | undefined> {
  let token: string | undefined;
  let pages = 0;
  do {
    const out = await eum.send(new DescribePhoneNumbersCommand({ NextToken: token, MaxResults: 20 }), { abortSignal: signal });
    const hit = out.PhoneNumbers?.find((p) => p.PhoneNumber === number);
    if (hit) {
      return hit;
    }
    token = out.NextToken;
    pages++;
  } while (token && pages < MAX_PAGES);
  return undefined;
}

async function policyOf(eum: Eum, arn: string, signal?: AbortSignal): Promise<string | undefined> {
  const out = await eum.send(new GetResourcePolicyCommand({ ResourceArn: arn }), { abortSignal: signal });
  return out.Policy;
}

async function fieldValues(eum: Eum, registrationId: string, signal?: AbortSignal): Promise<Record<string, string>> {
  const out = await eum.send(new DescribeRegistrationFieldValuesCommand({ RegistrationId: registrationId, FieldPaths: BRAND_FIELDS }), { abortSignal: signal });
  const values: Record<string, string> = {};
  for (const f of out.RegistrationFieldValues ?? []) {
    const v = f.TextValue ?? f.SelectChoices?.[0];
    if (f.FieldPath && v) {
      values[f.FieldPath] = v;
    }
  }
  return values;
}

function limitsOf(p: PhoneNumberInformation): MessagingLimits | undefined {
  const l = p.MessagingLimits;
  return l ? { rateLimits: l.RateLimits, dailyCaps: l.DailyMessageCaps } : undefined;
}

/** The brand a campaign registration is associated with, with its name (best effort: undefined when unreadable). */
async function brandOf(eum: Eum, campaignId: string, signal?: AbortSignal): Promise<BrandInfo | undefined> {
  try {
    const assoc = await eum.send(new ListRegistrationAssociationsCommand({ RegistrationId: campaignId }), { abortSignal: signal });
    const brand = assoc.RegistrationAssociations?.find((a) => /registration/i.test(a.ResourceType ?? '') || /:registration\//.test(a.ResourceArn ?? ''));
    if (!brand?.ResourceId) {
      return undefined;
    }
    const [reg, fields] = await Promise.all([
      eum.send(new DescribeRegistrationsCommand({ RegistrationIds: [brand.ResourceId] }), { abortSignal: signal }).then((o) => o.Registrations?.[0]),
      fieldValues(eum, brand.ResourceId, signal).catch(() => ({}) as Record<string, string>),
    ]);
    return { registrationId: brand.ResourceId, status: reg?.RegistrationStatus, name: fields['companyInfo.companyName'] };
  } catch {
    return undefined;
  }
}

/** The brand whose registration id is known: its status and name, read at once (best effort: undefined when unreadable). */
async function knownBrand(eum: Eum, brandId: string, signal?: AbortSignal): Promise<BrandInfo | undefined> {
  try {
    const [reg, fields] = await Promise.all([
      eum.send(new DescribeRegistrationsCommand({ RegistrationIds: [brandId] }), { abortSignal: signal }).then((o) => o.Registrations?.[0]),
      fieldValues(eum, brandId, signal).catch(() => ({}) as Record<string, string>),
    ]);
    return reg ? { registrationId: brandId, status: reg.RegistrationStatus, name: fields['companyInfo.companyName'] } : undefined;
  } catch {
    return undefined;
  }
}

async function registrationOf(eum: Eum, registrationId: string, opts: { readonly brandId?: string; readonly brand?: boolean }, signal?: AbortSignal): Promise<RegistrationDetail> {
  // The brand, when its id is known, is read beside the campaign (it is the campaign's for good).
  const [out, knownBrandInfo] = await Promise.all([
    eum.send(new DescribeRegistrationsCommand({ RegistrationIds: [registrationId] }), { abortSignal: signal }),
    opts.brandId ? knownBrand(eum, opts.brandId, signal) : Promise.resolve(undefined),
  ]);
  const reg: RegistrationInformation | undefined = out.Registrations?.[0];
  if (!reg) {
    return { registrationId, status: undefined };
  }
  const isBrand = reg.RegistrationType === 'US_TEN_DLC_BRAND_REGISTRATION';
  const [brand, deniedReasons] = await Promise.all([
    isBrand ? Promise.resolve(undefined) : knownBrandInfo ? Promise.resolve(knownBrandInfo) : opts.brand ? brandOf(eum, registrationId, signal) : Promise.resolve(undefined),
    reg.RegistrationStatus !== 'COMPLETE' && reg.LatestDeniedVersionNumber !== undefined
      ? eum
          .send(new DescribeRegistrationVersionsCommand({ RegistrationId: registrationId, VersionNumbers: [reg.LatestDeniedVersionNumber] }), { abortSignal: signal })
          .then((v) => (v.RegistrationVersions?.[0]?.DeniedReasons ?? []).map((d) => `${d.Reason ?? ''}${d.ShortDescription ? ` — ${d.ShortDescription}` : ''}`))
      : Promise.resolve(undefined),
  ]);
  return { registrationId, type: reg.RegistrationType, status: reg.RegistrationStatus, brand, deniedReasons };
}

async function optOutListOf(eum: Eum, name: string, ctx: { accountId: string; region: string }, signal?: AbortSignal): Promise<OptOutListInfo> {
  // Its ARN follows from its name: the policy is read beside the list, not after it.
  const guessed = optOutListArn(ctx.region, ctx.accountId, name);
  const [out, guessedPolicy] = await Promise.all([
    eum.send(new DescribeOptOutListsCommand({ OptOutListNames: [name] }), { abortSignal: signal }),
    read('GetResourcePolicy', () => policyOf(eum, guessed, signal)),
  ]);
  const list = out.OptOutLists?.find((l) => l.OptOutListName === name || l.OptOutListArn === name) ?? out.OptOutLists?.[0];
  const arn = list?.OptOutListArn ?? guessed;
  const policy = arn === guessed ? guessedPolicy : await read('GetResourcePolicy', () => policyOf(eum, arn, signal));
  return { name: list?.OptOutListName ?? name, arn, createdAt: list?.CreatedTimestamp, policy };
}

/**
 * The origination number as End User Messaging describes it, with its registration (and brand),
 * and the resource policies on it and on its opt-out list. Undefined when the account has no such
 * number in the client's region. Throws only when DescribePhoneNumbers itself fails. With `opts.known` (its ids
 * from an earlier read), everything is read at once and DescribePhoneNumbers by id confirms the ids; ids that no
 * longer match (another registration, another opt-out list, a number released) are read again from scratch.
 */
export async function readNumber(eum: Eum, number: string, ctx: { accountId: string; region: string }, signal?: AbortSignal, opts: ReadNumberOptions = {}): Promise<NumberInfo | undefined> {
  const known = opts.known?.phoneNumber === number && opts.known.id && opts.known.arn ? opts.known : undefined;
  if (known) {
    const [p, registration, policy, optOutList] = await Promise.all([
      numberById(eum, known.id, signal),
      known.registrationId ? read('DescribeRegistrations', () => registrationOf(eum, known.registrationId as string, { brandId: known.brandRegistrationId, brand: opts.brand }, signal)) : Promise.resolve(undefined),
      read('GetResourcePolicy', () => policyOf(eum, known.arn, signal)),
      known.optOutListName ? read('DescribeOptOutLists', () => optOutListOf(eum, known.optOutListName as string, ctx, signal)) : Promise.resolve(undefined),
    ]);
    if (p && p.PhoneNumber === number && (p.PhoneNumberArn ?? '') === known.arn && p.RegistrationId === known.registrationId && p.OptOutListName === known.optOutListName) {
      return numberInfo(number, p, registration, policy, optOutList);
    }
  }
  const p = await findNumber(eum, number, signal);
  if (!p) {
    return undefined;
  }
  const arn = p.PhoneNumberArn ?? '';
  const [registration, policy, optOutList] = await Promise.all([
    p.RegistrationId ? read('DescribeRegistrations', () => registrationOf(eum, p.RegistrationId as string, { brand: opts.brand }, signal)) : Promise.resolve(undefined),
    read('GetResourcePolicy', () => policyOf(eum, arn, signal)),
    p.OptOutListName ? read('DescribeOptOutLists', () => optOutListOf(eum, p.OptOutListName as string, ctx, signal)) : Promise.resolve(undefined),
  ]);
  return numberInfo(number, p, registration, policy, optOutList);
}

/** DescribePhoneNumbers of one id; undefined when there is no such number any more. */
async function numberById(eum: Eum, id: string, signal?: AbortSignal): Promise<PhoneNumberInformation | undefined> {
  try {
    const out = await eum.send(new DescribePhoneNumbersCommand({ PhoneNumberIds: [id] }), { abortSignal: signal });
    return out.PhoneNumbers?.find((x) => x.PhoneNumberId === id || x.PhoneNumberArn === id) ?? out.PhoneNumbers?.[0];
  } catch (e) {
    if ((e as { name?: string }).name === 'ResourceNotFoundException') {
      return undefined;
    }
    throw e;
  }
}

function numberInfo(
  number: string,
  p: PhoneNumberInformation,
  registration: Read<RegistrationDetail> | undefined,
  policy: Read<string | undefined>,
  optOutList: Read<OptOutListInfo> | undefined,
): NumberInfo {
  return {
    phoneNumber: number,
    arn: p.PhoneNumberArn ?? '',
    id: p.PhoneNumberId,
    status: p.Status,
    numberType: p.NumberType,
    createdAt: p.CreatedTimestamp,
    optOutListName: p.OptOutListName,
    registrationId: p.RegistrationId,
    limits: limitsOf(p),
    registration,
    policy,
    optOutList,
    readAt: new Date(),
  };
}

/**
 * The 10DLC numbers and the 10DLC brand registrations an account owns in the client's region, with
 * what identifies each brand (read from the registration's fields; the tax id is only compared, never
 * returned). Throws when the numbers or the registrations cannot be listed.
 */
export async function readHoldings(eum: Eum, account: { accountId: string; profiles: readonly string[] }, signal?: AbortSignal): Promise<AccountTenDlc> {
  const numbers: AccountTenDlc['numbers'][number][] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const out = await eum.send(
      new DescribePhoneNumbersCommand({ Owner: 'SELF', Filters: [{ Name: 'number-type', Values: ['TEN_DLC'] }], NextToken: token, MaxResults: 20 }),
      { abortSignal: signal },
    );
    for (const p of out.PhoneNumbers ?? []) {
      if (p.PhoneNumber) {
        numbers.push({ phoneNumber: p.PhoneNumber, status: p.Status, registrationId: p.RegistrationId });
      }
    }
    token = out.NextToken;
    pages++;
  } while (token && pages < MAX_PAGES);
  const regs: RegistrationInformation[] = [];
  token = undefined;
  pages = 0;
  do {
    const out: DescribeRegistrationsResult = await eum.send(
      new DescribeRegistrationsCommand({ Filters: [{ Name: 'registration-type', Values: ['US_TEN_DLC_BRAND_REGISTRATION'] }], NextToken: token, MaxResults: 20 }),
      { abortSignal: signal },
    );
    regs.push(...(out.Registrations ?? []));
    token = out.NextToken;
    pages++;
  } while (token && pages < MAX_PAGES);
  const brands = await Promise.all(
    regs
      .filter((r) => r.RegistrationId)
      .map(async (r) => {
        const fields = await fieldValues(eum, r.RegistrationId as string, signal).catch(() => ({}) as Record<string, string>);
        return {
          registrationId: r.RegistrationId as string,
          status: r.RegistrationStatus,
          name: fields['companyInfo.companyName'],
          key: brandKey({ companyName: fields['companyInfo.companyName'], taxId: fields['companyInfo.taxId'], taxIdIssuingCountry: fields['companyInfo.taxIdIssuingCountry'] }),
        };
      }),
  );
  return { accountId: account.accountId, profiles: account.profiles, numbers, brands };
}

const REFUSE_MFA = async (serial: string): Promise<string> => {
  throw new Error(`a background read does not ask for MFA codes (${serial})`);
};

/** Reads the primary's number for the tree (and turns what was read into the tooltip's summary). */
export class NumberReader {
  constructor(
    private readonly clients: ClientFactory,
    /** The ids of numbers read before (shared with the pre-flight and Check Setup). */
    readonly directory: NumberDirectory = new NumberDirectory(),
  ) {}

  /** Forgets the ids of every number read before. */
  forget(): void {
    this.directory.forget();
  }

  /**
   * The number read with a profile's own credentials. In the background (`interactive` false) a
   * profile that would prompt, log in or run a program is not read: undefined.
   */
  async read(
    profile: AwsProfile,
    target: { readonly accountId?: string; readonly region: string; readonly number: string },
    opts: { readonly interactive: boolean; readonly mfaCodeProvider?: MfaCodeProvider; readonly signal?: AbortSignal },
  ): Promise<NumberInfo | undefined> {
    if (!opts.interactive && profile.interactive) {
      return undefined;
    }
    const credentials = this.clients.credentialsFor(profile, target.region, opts.interactive ? opts.mfaCodeProvider ?? REFUSE_MFA : REFUSE_MFA, { signal: opts.signal, timeouts: this.clients.checkTimeouts });
    const eum = this.clients.smsVoice(profile, credentials, { profile: profile.name, account: target.accountId, region: target.region }, this.clients.checkTimeouts);
    const account = target.accountId;
    try {
      const info = await readNumber(eum, target.number, { accountId: account ?? '', region: target.region }, opts.signal, {
        known: account ? this.directory.get(account, target.region, target.number) : undefined,
        brand: true,
      });
      if (account) {
        this.directory.learn(account, target.region, target.number, info);
      }
      return info;
    } finally {
      eum.destroy();
    }
  }

  /**
   * The number read with the given credentials — those that will write its resource policies, so the
   * ARNs are the ones the write will name.
   */
  async readWith(
    profile: AwsProfile,
    credentials: AwsCredentialIdentityProvider,
    target: { readonly accountId: string; readonly region: string; readonly number: string },
    signal?: AbortSignal,
  ): Promise<NumberInfo | undefined> {
    const eum = this.clients.smsVoice(profile, credentials, { profile: profile.name, account: target.accountId, region: target.region }, this.clients.checkTimeouts);
    try {
      return await readNumber(eum, target.number, target, signal);
    } finally {
      eum.destroy();
    }
  }

  /** The tooltip's words for what was read. */
  summary(info: NumberInfo): NumberSummary {
    const reg = info.registration;
    return {
      phoneNumber: info.phoneNumber,
      status: info.status,
      numberType: info.numberType,
      createdAt: info.createdAt,
      limits: info.limits,
      registration: reg === undefined ? undefined : reg.ok ? reg.value : explainError(reg.error, { operation: reg.operation }).message,
      readAt: info.readAt,
    };
  }
}
