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

function kindOf(s: IniSection): ProfileKind {
  // Same precedence as the AWS CLI / SDK credential chain for a named profile.
  if (prop(s, 'role_arn') && prop(s, 'web_identity_token_file') && !prop(s, 'source_profile')) {
    return 'web-identity';
  }
  if (prop(s, 'role_arn') && (prop(s, 'source_profile') || prop(s, 'credential_source'))) {
    return 'assume-role';
  }
  if (prop(s, 'sso_session') || (prop(s, 'sso_start_url') && prop(s, 'sso_account_id'))) {
    return prop(s, 'sso_session') ? 'sso' : 'legacy-sso';
  }
  if (prop(s, 'aws_access_key_id') && prop(s, 'aws_secret_access_key')) {
    return 'static';
  }
  if (prop(s, 'credential_process')) {
    return 'process';
  }
  return 'none';
}

function serviceEndpointsOf(
  profile: IniSection,
  services: ReadonlyMap<string, IniSection>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const name = prop(profile, 'services');
  const section = name ? services.get(name) : undefined;
  if (!section) {
    return out;
  }
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
function walkChain(start: string, sections: ReadonlyMap<string, IniSection>): ChainInfo {
  const chain: string[] = [];
  const problems: string[] = [];
  let interactiveReason: string | undefined;
  let current: string | undefined = start;
  while (current !== undefined) {
    if (chain.includes(current)) {
      // A profile may name itself as source_profile when it also has static keys (the CLI allows it).
      const s = sections.get(current);
      const selfWithKeys = chain[chain.length - 1] === current && s && prop(s, 'aws_access_key_id');
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
      if (prop(s, 'mfa_serial') && prop(s, 'role_arn')) {
        interactiveReason = `needs an MFA code (mfa_serial in "${current}")`;
      } else if (prop(s, 'credential_process') && kindOf(s) === 'process') {
        interactiveReason = `runs credential_process (in "${current}")`;
      } else if (kindOf(s) === 'sso' || kindOf(s) === 'legacy-sso') {
        interactiveReason = `uses AWS IAM Identity Center (SSO) login (in "${current}")`;
      }
    }
    const kind = kindOf(s);
    if (kind !== 'assume-role') {
      break;
    }
    const next = prop(s, 'source_profile');
    if (next === current && prop(s, 'aws_access_key_id')) {
      break;
    }
    current = next;
  }
  return { chain, problems, interactiveReason };
}

/** FNV-1a over the identity-deciding properties: enough to notice a change, useless to recover a key. */
function fingerprint(s: IniSection): string {
  const keys = ['aws_access_key_id', 'role_arn', 'source_profile', 'credential_source', 'sso_session',
    'sso_account_id', 'sso_role_name', 'sso_start_url', 'credential_process', 'web_identity_token_file',
    'endpoint_url', 'external_id', 'mfa_serial'];
  let h = 0x811c9dc5;
  for (const k of keys) {
    const text = `${k}=${s.properties[k] ?? ''};`;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, '0');
}

function kindLabel(kind: ProfileKind, s: IniSection): string {
  switch (kind) {
    case 'static':
      return prop(s, 'aws_session_token') ? 'session keys' : 'static keys';
    case 'assume-role':
      return prop(s, 'source_profile')
        ? `role via ${prop(s, 'source_profile')}`
        : `role via ${prop(s, 'credential_source')}`;
    case 'web-identity':
      return 'web identity';
    case 'sso':
      return `SSO (${prop(s, 'sso_session')})`;
    case 'legacy-sso':
      return 'SSO (legacy)';
    case 'process':
      return 'external process';
    case 'none':
      return 'no credentials';
  }
}

function toProfile(
  s: IniSection,
  sections: ReadonlyMap<string, IniSection>,
  parsed: ParsedAwsFiles,
): AwsProfile {
  const kind = kindOf(s);
  const roleArn = prop(s, 'role_arn');
  const ssoAccount = prop(s, 'sso_account_id');
  let declaredAccountId: string | undefined;
  let declaredAccountSource: AwsProfile['declaredAccountSource'];
  if ((kind === 'sso' || kind === 'legacy-sso') && ssoAccount && /^\d{12}$/.test(ssoAccount)) {
    declaredAccountId = ssoAccount;
    declaredAccountSource = 'sso_account_id';
  } else if ((kind === 'assume-role' || kind === 'web-identity') && accountIdFromArn(roleArn)) {
    declaredAccountId = accountIdFromArn(roleArn);
    declaredAccountSource = 'role_arn';
  } else if (prop(s, 'aws_account_id') && /^\d{12}$/.test(prop(s, 'aws_account_id') ?? '')) {
    declaredAccountId = prop(s, 'aws_account_id');
    declaredAccountSource = 'aws_account_id';
  }
  const info =
    kind === 'assume-role'
      ? walkChain(s.name, sections)
      : { chain: [s.name], problems: [] as string[], interactiveReason: undefined as string | undefined };
  let interactiveReason = info.interactiveReason;
  if (kind === 'process') {
    interactiveReason = 'runs credential_process';
  } else if (kind === 'sso' || kind === 'legacy-sso') {
    interactiveReason = 'uses AWS IAM Identity Center (SSO) login';
  }
  const problems = [...info.problems];
  if (kind === 'sso') {
    const sessionName = prop(s, 'sso_session') ?? '';
    if (!parsed.ssoSessions.has(sessionName)) {
      problems.push(`sso_session "${sessionName}" has no [sso-session ${sessionName}] section`);
    }
  }
  if (roleArn && !accountIdFromArn(roleArn)) {
    problems.push(`role_arn "${roleArn}" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)`);
  }
  const ssoSessionSection = prop(s, 'sso_session') ? parsed.ssoSessions.get(prop(s, 'sso_session') ?? '') : undefined;
  return {
    name: s.name,
    kind,
    kindLabel: kindLabel(kind, s),
    region: prop(s, 'region'),
    declaredAccountId,
    declaredAccountSource,
    roleArn,
    sourceProfile: prop(s, 'source_profile'),
    credentialSource: prop(s, 'credential_source'),
    mfaSerial: prop(s, 'mfa_serial'),
    externalId: prop(s, 'external_id'),
    ssoSession: prop(s, 'sso_session'),
    ssoStartUrl: prop(s, 'sso_start_url') ?? (ssoSessionSection ? prop(ssoSessionSection, 'sso_start_url') : undefined),
    endpointUrl: prop(s, 'endpoint_url'),
    serviceEndpoints: serviceEndpointsOf(s, parsed.services),
    ignoreConfiguredEndpointUrls: prop(s, 'ignore_configured_endpoint_urls')?.toLowerCase() === 'true',
    hasStaticKeys: Boolean(prop(s, 'aws_access_key_id') && prop(s, 'aws_secret_access_key')),
    fingerprint: fingerprint(s),
    hasSessionToken: Boolean(prop(s, 'aws_session_token')),
    interactive: interactiveReason !== undefined,
    interactiveReason,
    problems,
    locations: s.locations,
    chain: info.chain,
  };
}

/** Builds the profile model from parsed files. Profiles are sorted by name, `default` first. */
export function buildProfileSet(parsed: ParsedAwsFiles): ProfileSet {
  const profiles = [...parsed.profiles.values()]
    .map((s) => toProfile(s, parsed.profiles, parsed))
    .sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
  return {
    profiles,
    byName: new Map(profiles.map((p) => [p.name, p])),
    problems: parsed.problems,
  };
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
