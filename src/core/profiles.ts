/**
 * The profile model the rest of the extension works with: what kind of credentials each profile
 * uses, where its account id can be read without a network call, and whether resolving its
 * credentials could prompt the user or run a program (which a background lookup must never do).
 *
 * Pure: no `vscode`, no AWS SDK. Secret values (keys, tokens) are never copied into the model.
 */
import type { IniProblem, IniSection, Location, ParsedAwsFiles } from './awsIni';

/** How a profile gets its credentials, in the order the AWS CLI checks them. */
export type ProfileKind =
  | 'static'
  | 'assume-role'
  | 'web-identity'
  | 'sso'
  | 'legacy-sso'
  | 'process'
  | 'none';

/** One AWS profile as the tree and the commands see it. */
export interface AwsProfile {
  readonly name: string;
  readonly kind: ProfileKind;
  /** Human label for the kind, e.g. "static keys", "role via secondary-a". */
  readonly kindLabel: string;
  readonly region?: string;
  /** Account id known without calling AWS (from `sso_account_id` or the account in `role_arn`). */
  readonly declaredAccountId?: string;
  readonly declaredAccountSource?: 'sso_account_id' | 'role_arn' | 'aws_account_id';
  readonly roleArn?: string;
  readonly sourceProfile?: string;
  readonly credentialSource?: string;
  readonly mfaSerial?: string;
  readonly externalId?: string;
  readonly ssoSession?: string;
  readonly ssoStartUrl?: string;
  readonly endpointUrl?: string;
  /** Per-service endpoint URLs from the profile's `services` section, keyed by lower-case service id. */
  readonly serviceEndpoints: Readonly<Record<string, string>>;
  readonly ignoreConfiguredEndpointUrls: boolean;
  readonly hasStaticKeys: boolean;
  readonly hasSessionToken: boolean;
  /**
   * A short non-reversible fingerprint of everything that decides which identity this profile
   * resolves to (including the access key id), so a cached account id is dropped when it changes.
   */
  readonly fingerprint: string;
  /**
   * True when resolving credentials may ask the user (MFA), need a login (SSO) or run a program
   * (`credential_process`) anywhere along the `source_profile` chain. Background work skips these.
   */
  readonly interactive: boolean;
  /** Why `interactive` is true, for tooltips ("needs an MFA code", "runs credential_process"). */
  readonly interactiveReason?: string;
  /** Problems with this profile's settings (missing source profile, cycle), in plain words. */
  readonly problems: readonly string[];
  readonly locations: readonly Location[];
  /** The source_profile chain, this profile first (stops at a cycle or a missing profile). */
  readonly chain: readonly string[];
}

export interface ProfileSet {
  readonly profiles: readonly AwsProfile[];
  readonly byName: ReadonlyMap<string, AwsProfile>;
  readonly problems: readonly IniProblem[];
}

const ACCOUNT_IN_ARN = /^arn:[a-z-]+:iam::(\d{12}):/;

/** Reads the account id out of an IAM ARN, or undefined. */
export function accountIdFromArn(arn: string | undefined): string | undefined {
  if (!arn) {
    return undefined;
  }
  const m = ACCOUNT_IN_ARN.exec(arn.trim());
  return m ? m[1] : undefined;
}

function prop(section: IniSection, key: string): string | undefined {
  const v = section.properties[key];
  return v === undefined || v === '' ? undefined : v;
}

/**
 * The properties this module reads, taken out of a section in one pass. Reading them one by one with a variable
 * key (`properties[key]`, some fifty reads per profile on objects of ever different shapes) was the slowest part of
 * buildProfileSet at 10,000 profiles (test/bench). Empty values are undefined, as `prop` returns them.
 */
class Picked {
  aws_access_key_id: string | undefined = undefined;
  aws_secret_access_key: string | undefined = undefined;
  aws_session_token: string | undefined = undefined;
  aws_account_id: string | undefined = undefined;
  role_arn: string | undefined = undefined;
  source_profile: string | undefined = undefined;
  credential_source: string | undefined = undefined;
  web_identity_token_file: string | undefined = undefined;
  sso_session: string | undefined = undefined;
  sso_start_url: string | undefined = undefined;
  sso_account_id: string | undefined = undefined;
  sso_role_name: string | undefined = undefined;
  credential_process: string | undefined = undefined;
  mfa_serial: string | undefined = undefined;
  external_id: string | undefined = undefined;
  region: string | undefined = undefined;
  endpoint_url: string | undefined = undefined;
  services: string | undefined = undefined;
  ignore_configured_endpoint_urls: string | undefined = undefined;
  readonly kind: ProfileKind;

  constructor(readonly section: IniSection) {
    const props = section.properties;
    for (const key in props) {
      if (!Object.prototype.hasOwnProperty.call(props, key)) continue;
      const raw = props[key];
      const v = raw === '' ? undefined : raw;
      switch (key) {
        case 'aws_access_key_id': this.aws_access_key_id = v; break;
        case 'aws_secret_access_key': this.aws_secret_access_key = v; break;
        case 'aws_session_token': this.aws_session_token = v; break;
        case 'aws_account_id': this.aws_account_id = v; break;
        case 'role_arn': this.role_arn = v; break;
        case 'source_profile': this.source_profile = v; break;
        case 'credential_source': this.credential_source = v; break;
        case 'web_identity_token_file': this.web_identity_token_file = v; break;
        case 'sso_session': this.sso_session = v; break;
        case 'sso_start_url': this.sso_start_url = v; break;
        case 'sso_account_id': this.sso_account_id = v; break;
        case 'sso_role_name': this.sso_role_name = v; break;
        case 'credential_process': this.credential_process = v; break;
        case 'mfa_serial': this.mfa_serial = v; break;
        case 'external_id': this.external_id = v; break;
        case 'region': this.region = v; break;
        case 'endpoint_url': this.endpoint_url = v; break;
        case 'services': this.services = v; break;
        case 'ignore_configured_endpoint_urls': this.ignore_configured_endpoint_urls = v; break;
      }
    }
    this.kind = kindOf(this);
  }
}

function kindOf(s: Picked): ProfileKind {
  // Same precedence as the AWS CLI / SDK credential chain for a named profile.
  if (s.role_arn && s.web_identity_token_file && !s.source_profile) {
    return 'web-identity';
  }
  if (s.role_arn && (s.source_profile || s.credential_source)) {
    return 'assume-role';
  }
  if (s.sso_session || (s.sso_start_url && s.sso_account_id)) {
    return s.sso_session ? 'sso' : 'legacy-sso';
  }
  if (s.aws_access_key_id && s.aws_secret_access_key) {
    return 'static';
  }
  if (s.credential_process) {
    return 'process';
  }
  return 'none';
}

/** Shared by every profile without a `services` section (most): one frozen object instead of one each. */
const NO_SERVICE_ENDPOINTS: Readonly<Record<string, string>> = Object.freeze({});

function serviceEndpointsOf(
  profile: Picked,
  services: ReadonlyMap<string, IniSection>,
): Readonly<Record<string, string>> {
  const name = profile.services;
  const section = name ? services.get(name) : undefined;
  if (!section) {
    return NO_SERVICE_ENDPOINTS;
  }
  const out: Record<string, string> = {};
  for (const [svc, props] of Object.entries(section.subProperties)) {
    const url = props['endpoint_url'];
    if (url) {
      out[svc.toLowerCase()] = url;
    }
  }
  return out;
}

interface ChainInfo {
  chain: string[];
  problems: string[];
  interactiveReason?: string;
}

/** Walks the `source_profile` chain, detecting cycles and missing links, and anything interactive. */
function walkChain(start: string, sections: ReadonlyMap<string, Picked>): ChainInfo {
  const chain: string[] = [];
  const problems: string[] = [];
  let interactiveReason: string | undefined;
  let current: string | undefined = start;
  while (current !== undefined) {
    if (chain.includes(current)) {
      // A profile may name itself as source_profile when it also has static keys (the CLI allows it).
      const s = sections.get(current);
      const selfWithKeys = chain[chain.length - 1] === current && s && s.aws_access_key_id;
      if (!selfWithKeys) {
        problems.push(`source_profile forms a cycle: ${[...chain, current].join(' → ')}`);
      }
      break;
    }
    chain.push(current);
    const s = sections.get(current);
    if (!s) {
      problems.push(`source_profile "${current}" is not defined in the config or credentials file`);
      break;
    }
    if (!interactiveReason) {
      if (s.mfa_serial && s.role_arn) {
        interactiveReason = `needs an MFA code (mfa_serial in "${current}")`;
      } else if (s.credential_process && s.kind === 'process') {
        interactiveReason = `runs credential_process (in "${current}")`;
      } else if (s.kind === 'sso' || s.kind === 'legacy-sso') {
        interactiveReason = `uses AWS IAM Identity Center (SSO) login (in "${current}")`;
      }
    }
    if (s.kind !== 'assume-role') {
      break;
    }
    const next = s.source_profile;
    if (next === current && s.aws_access_key_id) {
      break;
    }
    current = next;
  }
  // A copy of exactly its length: the array grown by push reserves 17 slots, kept by every profile.
  return { chain: chain.slice(), problems, interactiveReason };
}

const FINGERPRINT_KEYS: readonly Exclude<keyof Picked, 'section' | 'kind'>[] = ['aws_access_key_id', 'role_arn', 'source_profile', 'credential_source', 'sso_session',
  'sso_account_id', 'sso_role_name', 'sso_start_url', 'credential_process', 'web_identity_token_file',
  'endpoint_url', 'external_id', 'mfa_serial'];

/** FNV-1a over the identity-deciding properties: enough to notice a change, useless to recover a key. */
function fingerprint(s: Picked): string {
  // The values in a fixed key order, each followed by a separator (so which key a value belongs to still counts).
  // Hashing `key=value;` strings instead cost a third of buildProfileSet at 10,000 profiles (test/bench). `h` stays
  // a signed 32-bit integer in the loop (no heap numbers); `>>> 0` once at the end.
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < FINGERPRINT_KEYS.length; i++) {
    const v = s[FINGERPRINT_KEYS[i]];
    if (v !== undefined) h = fnv1a(h, v);
    h = Math.imul(h ^ 0x3b /* ; */, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

function fnv1a(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return h;
}

function kindLabel(kind: ProfileKind, s: Picked): string {
  switch (kind) {
    case 'static':
      return s.aws_session_token ? 'session keys' : 'static keys';
    case 'assume-role':
      return s.source_profile
        ? `role via ${s.source_profile}`
        : `role via ${s.credential_source}`;
    case 'web-identity':
      return 'web identity';
    case 'sso':
      return `SSO (${s.sso_session})`;
    case 'legacy-sso':
      return 'SSO (legacy)';
    case 'process':
      return 'external process';
    case 'none':
      return 'no credentials';
  }
}

function toProfile(
  s: Picked,
  sections: ReadonlyMap<string, Picked>,
  parsed: ParsedAwsFiles,
): AwsProfile {
  const { kind, section } = s;
  const roleArn = s.role_arn;
  const roleAccount = accountIdFromArn(roleArn);
  const ssoAccount = s.sso_account_id;
  let declaredAccountId: string | undefined;
  let declaredAccountSource: AwsProfile['declaredAccountSource'];
  if ((kind === 'sso' || kind === 'legacy-sso') && ssoAccount && /^\d{12}$/.test(ssoAccount)) {
    declaredAccountId = ssoAccount;
    declaredAccountSource = 'sso_account_id';
  } else if ((kind === 'assume-role' || kind === 'web-identity') && roleAccount) {
    declaredAccountId = roleAccount;
    declaredAccountSource = 'role_arn';
  } else if (s.aws_account_id && /^\d{12}$/.test(s.aws_account_id)) {
    declaredAccountId = s.aws_account_id;
    declaredAccountSource = 'aws_account_id';
  }
  const info =
    kind === 'assume-role'
      ? walkChain(section.name, sections)
      : { chain: [section.name], problems: [] as string[], interactiveReason: undefined as string | undefined };
  let interactiveReason = info.interactiveReason;
  if (kind === 'process') {
    interactiveReason = 'runs credential_process';
  } else if (kind === 'sso' || kind === 'legacy-sso') {
    interactiveReason = 'uses AWS IAM Identity Center (SSO) login';
  }
  const problems = [...info.problems];
  if (kind === 'sso') {
    const sessionName = s.sso_session ?? '';
    if (!parsed.ssoSessions.has(sessionName)) {
      problems.push(`sso_session "${sessionName}" has no [sso-session ${sessionName}] section`);
    }
  }
  if (roleArn && !roleAccount) {
    problems.push(`role_arn "${roleArn}" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)`);
  }
  const ssoSessionSection = s.sso_session ? parsed.ssoSessions.get(s.sso_session) : undefined;
  return {
    name: section.name,
    kind,
    kindLabel: kindLabel(kind, s),
    region: s.region,
    declaredAccountId,
    declaredAccountSource,
    roleArn,
    sourceProfile: s.source_profile,
    credentialSource: s.credential_source,
    mfaSerial: s.mfa_serial,
    externalId: s.external_id,
    ssoSession: s.sso_session,
    ssoStartUrl: s.sso_start_url ?? (ssoSessionSection ? prop(ssoSessionSection, 'sso_start_url') : undefined),
    endpointUrl: s.endpoint_url,
    serviceEndpoints: serviceEndpointsOf(s, parsed.services),
    ignoreConfiguredEndpointUrls: s.ignore_configured_endpoint_urls?.toLowerCase() === 'true',
    hasStaticKeys: Boolean(s.aws_access_key_id && s.aws_secret_access_key),
    fingerprint: fingerprint(s),
    hasSessionToken: Boolean(s.aws_session_token),
    interactive: interactiveReason !== undefined,
    interactiveReason,
    problems,
    locations: section.locations,
    chain: info.chain,
  };
}

/** Builds the profile model from parsed files. Profiles are sorted by name, `default` first. */
export function buildProfileSet(parsed: ParsedAwsFiles): ProfileSet {
  const picked = new Map<string, Picked>();
  for (const [name, section] of parsed.profiles) {
    picked.set(name, new Picked(section));
  }
  const profiles: AwsProfile[] = [];
  for (const s of picked.values()) {
    profiles.push(toProfile(s, picked, parsed));
  }
  profiles.sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
  const byName = new Map<string, AwsProfile>();
  for (const p of profiles) {
    byName.set(p.name, p);
  }
  return { profiles, byName, problems: parsed.problems };
}

export type Group = 'primary' | 'secondary' | 'other';

export interface GroupSettings {
  readonly primaryProfile?: string;
  readonly secondaryProfiles: readonly string[];
}

/** Which group a profile belongs to. Primary wins when a name is in both settings. */
export function groupOf(name: string, settings: GroupSettings): Group {
  if (settings.primaryProfile && settings.primaryProfile === name) {
    return 'primary';
  }
  return settings.secondaryProfiles.includes(name) ? 'secondary' : 'other';
}

export interface Grouped {
  readonly primary: AwsProfile | undefined;
  readonly secondary: readonly AwsProfile[];
  readonly other: readonly AwsProfile[];
  /** Names in settings that no longer exist in the AWS files (shown, so nothing is silently lost). */
  readonly missing: readonly { name: string; group: Exclude<Group, 'other'> }[];
}

/** Splits profiles into the three groups, and lists configured names that are not on this machine. */
export function groupProfiles(set: ProfileSet, settings: GroupSettings): Grouped {
  const secondary: AwsProfile[] = [];
  const other: AwsProfile[] = [];
  let primary: AwsProfile | undefined;
  for (const p of set.profiles) {
    const g = groupOf(p.name, settings);
    if (g === 'primary') {
      primary = p;
    } else if (g === 'secondary') {
      secondary.push(p);
    } else {
      other.push(p);
    }
  }
  const missing: { name: string; group: Exclude<Group, 'other'> }[] = [];
  if (settings.primaryProfile && !set.byName.has(settings.primaryProfile)) {
    missing.push({ name: settings.primaryProfile, group: 'primary' });
  }
  for (const n of settings.secondaryProfiles) {
    if (n !== settings.primaryProfile && !set.byName.has(n)) {
      missing.push({ name: n, group: 'secondary' });
    }
  }
  return { primary, secondary, other, missing };
}

/** The new secondary list after adding a profile (no duplicates; it leaves the primary slot). */
export function withSecondary(settings: GroupSettings, name: string): { primaryProfile?: string; secondaryProfiles: string[] } {
  const secondaryProfiles = settings.secondaryProfiles.includes(name)
    ? [...settings.secondaryProfiles]
    : [...settings.secondaryProfiles, name];
  return {
    primaryProfile: settings.primaryProfile === name ? undefined : settings.primaryProfile,
    secondaryProfiles,
  };
}

/** The new settings after making a profile the primary (it leaves the secondary list). */
export function withPrimary(settings: GroupSettings, name: string): { primaryProfile: string; secondaryProfiles: string[] } {
  return { primaryProfile: name, secondaryProfiles: settings.secondaryProfiles.filter((n) => n !== name) };
}

/** The new settings after removing a profile from whichever group holds it. */
export function withoutProfile(settings: GroupSettings, name: string): { primaryProfile?: string; secondaryProfiles: string[] } {
  return {
    primaryProfile: settings.primaryProfile === name ? undefined : settings.primaryProfile,
    secondaryProfiles: settings.secondaryProfiles.filter((n) => n !== name),
  };
}
