/**
 * What a 10DLC number can carry and who else registered the same brand: the words the report, the
 * tree's tooltip and the send confirmation use. Pure: no `vscode`, no AWS SDK.
 *
 * Facts (SNS Developer Guide, "10DLC cross-account access"): a 10DLC number belongs to one account in
 * one region; registering the same company in several accounts shares the number of messages that may
 * go to T-Mobile customers per day across those accounts; using 10DLC in another region means
 * registering there again. End User Messaging's DescribePhoneNumbers returns `MessagingLimits`:
 * `RateLimits` (messages per second by capability) and `DailyMessageCaps` (advisory, by carrier).
 */

export interface MessagingLimits {
  /** Messages per second by capability (`SMS`, `MMS`, `VOICE`, `RCS`). */
  readonly rateLimits?: Readonly<Record<string, number>>;
  /** Advisory messages per day by carrier (`T-MOBILE` …). */
  readonly dailyCaps?: Readonly<Record<string, number>>;
}

export interface BrandInfo {
  readonly registrationId: string;
  readonly status?: string;
  /** `companyInfo.companyName` of the brand registration. */
  readonly name?: string;
}

export interface RegistrationInfo {
  readonly registrationId: string;
  readonly type?: string;
  readonly status?: string;
  readonly brand?: BrandInfo;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** "SMS 20 messages/s, MMS 5/s; advisory daily caps: T-MOBILE 2,000 messages", or undefined when there are none. */
export function describeLimits(limits: MessagingLimits | undefined): string | undefined {
  const rates = Object.entries(limits?.rateLimits ?? {}).filter(([, v]) => Number.isFinite(v));
  const caps = Object.entries(limits?.dailyCaps ?? {}).filter(([, v]) => Number.isFinite(v));
  const parts: string[] = [];
  if (rates.length) {
    parts.push(rates.map(([k, v], i) => `${k} ${count(v)}${i === 0 ? ' messages/s' : '/s'}`).join(', '));
  }
  if (caps.length) {
    parts.push(`advisory daily caps: ${caps.map(([k, v]) => `${k} ${count(v)} messages`).join(', ')}`);
  }
  return parts.length ? parts.join('; ') : undefined;
}

const TYPE_WORDS: Record<string, string> = {
  US_TEN_DLC_CAMPAIGN_REGISTRATION: '10DLC campaign',
  US_TEN_DLC_BRAND_REGISTRATION: '10DLC brand',
  US_TEN_DLC_BRAND_VETTING: '10DLC brand vetting',
  US_TOLL_FREE_REGISTRATION: 'toll-free verification',
};

/** "Registration registration-… (10DLC campaign)". */
export function registrationName(r: RegistrationInfo): string {
  const type = r.type ? TYPE_WORDS[r.type] ?? r.type : undefined;
  return `Registration ${r.registrationId}${type ? ` (${type})` : ''}`;
}

/** "brand Example Corp (registration-…, COMPLETE)", or undefined when the brand is not known. */
export function brandText(r: RegistrationInfo): string | undefined {
  const b = r.brand;
  if (!b) {
    return undefined;
  }
  const inner = [b.name ? b.registrationId : undefined, b.status].filter(Boolean).join(', ');
  return `brand ${b.name ?? b.registrationId}${inner ? ` (${inner})` : ''}`;
}

/** Id, type, status and brand in one line, for the tooltip: "registration-… (10DLC campaign): COMPLETE; brand …". */
export function describeRegistration(r: RegistrationInfo): string {
  const brand = brandText(r);
  return `${registrationName(r).replace(/^Registration /, '')}: ${r.status ?? 'status unknown'}${brand ? `; ${brand}` : ''}`;
}

/** What one account owns in the number's region, read with its own credentials. */
export interface AccountTenDlc {
  readonly accountId: string;
  /** The profiles of the setup that are this account. */
  readonly profiles: readonly string[];
  readonly numbers: readonly { readonly phoneNumber: string; readonly status?: string; readonly registrationId?: string }[];
  readonly brands: readonly (BrandInfo & {
    /** What identifies the company across accounts (tax id when known, else the name); never shown. */
    readonly key?: string;
  })[];
}

/**
 * The key that says two brand registrations are the same company: the tax id with its issuing
 * country when the registration has them, else the company name without case, punctuation or a legal
 * suffix. Undefined when neither is known.
 */
export function brandKey(fields: { readonly companyName?: string; readonly taxId?: string; readonly taxIdIssuingCountry?: string }): string | undefined {
  const tax = fields.taxId?.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  if (tax) {
    return `tax:${(fields.taxIdIssuingCountry ?? '').trim().toUpperCase()}:${tax}`;
  }
  const name = fields.companyName
    ?.toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\b(inc|llc|ltd|corp|corporation|co|company|incorporated|limited)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return name ? `name:${name}` : undefined;
}

const GONE = new Set(['DELETED', 'CLOSED']);

export interface SharedBrand {
  /** The brand's name as registered (the first one found). */
  readonly name: string;
  readonly accounts: readonly { readonly accountId: string; readonly profiles: readonly string[] }[];
}

/** Brands registered (and not deleted) in more than one of the accounts: they share the T-Mobile daily cap. */
export function sharedBrands(accounts: readonly AccountTenDlc[]): SharedBrand[] {
  const byKey = new Map<string, { name: string; accounts: Map<string, readonly string[]> }>();
  for (const a of accounts) {
    for (const b of a.brands) {
      if (!b.key || (b.status && GONE.has(b.status))) {
        continue;
      }
      const entry = byKey.get(b.key) ?? { name: b.name ?? b.registrationId, accounts: new Map<string, readonly string[]>() };
      entry.accounts.set(a.accountId, a.profiles);
      byKey.set(b.key, entry);
    }
  }
  return [...byKey.values()]
    .filter((e) => e.accounts.size > 1)
    .map((e) => ({ name: e.name, accounts: [...e.accounts].map(([accountId, profiles]) => ({ accountId, profiles })).sort((x, y) => x.accountId.localeCompare(y.accountId)) }));
}

/** "primary (111111111111) and secondary-a (222222222222)". */
export function namedAccounts(accounts: SharedBrand['accounts']): string {
  const names = accounts.map((a) => `${a.profiles.join(', ') || 'account'} (${a.accountId})`);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The warning for a brand registered in several accounts of the setup. */
export function sharedCapWarning(s: SharedBrand): string {
  return `Brand ${s.name} is registered in ${namedAccounts(s.accounts)}: the daily number of messages to T-Mobile customers is shared across these accounts.`;
}

/** One account's 10DLC holdings in a sentence. */
export function describeHoldings(a: AccountTenDlc, region: string): string {
  const numbers = a.numbers.length
    ? `${a.numbers.length} 10DLC number${a.numbers.length === 1 ? '' : 's'} (${a.numbers.map((n) => `${n.phoneNumber}${n.status && n.status !== 'ACTIVE' ? ` ${n.status}` : ''}`).join(', ')})`
    : 'no 10DLC number';
  const live = a.brands.filter((b) => !(b.status && GONE.has(b.status)));
  const brands = live.length ? `brand registration${live.length === 1 ? '' : 's'} ${live.map((b) => `${b.name ?? b.registrationId} (${b.status ?? 'status unknown'})`).join(', ')}` : 'no brand registration';
  return `Owns ${numbers} and ${brands} in ${region}.`;
}

/**
 * The note for a sender whose profile region is not the number's: the message goes out from the
 * number's region; 10DLC in another region needs its own registration. Undefined when they agree (or
 * the profile names no region).
 */
export function regionNote(profile: string, profileRegion: string | undefined, numberRegion: string): string | undefined {
  if (!profileRegion || profileRegion === numberRegion) {
    return undefined;
  }
  return `Profile ${profile} is set to ${profileRegion}, but the message is sent from the number's region, ${numberRegion} (the primary's SNS there). Using 10DLC in ${profileRegion} would mean registering the brand and campaign there again.`;
}

/** What the tree's tooltip says about the primary's number. */
export interface NumberSummary {
  readonly phoneNumber: string;
  readonly status?: string;
  readonly numberType?: string;
  readonly createdAt?: Date;
  readonly limits?: MessagingLimits;
  /** undefined: the number has none; a string: why it could not be read. */
  readonly registration?: RegistrationInfo | string;
  /** When the number was read. */
  readonly readAt: Date;
}

/** Plain-text lines (the UI escapes them for Markdown). */
export function numberSummaryLines(n: NumberSummary): string[] {
  const lines = [`Number: ${n.phoneNumber} (${[n.status, n.numberType, n.createdAt ? `created ${n.createdAt.toISOString().slice(0, 10)}` : undefined].filter(Boolean).join(', ')})`];
  lines.push(`Capacity: ${describeLimits(n.limits) ?? 'no messaging limits reported'}`);
  if (typeof n.registration === 'string') {
    lines.push(`Registration: unknown (${n.registration})`);
  } else if (n.registration) {
    lines.push(`Registration: ${describeRegistration(n.registration)}`);
  } else {
    lines.push('Registration: none on the number');
  }
  return lines;
}
