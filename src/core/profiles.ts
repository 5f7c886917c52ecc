/**
 * The profile model the rest of the extension works with: what kind of credentials each profile
 * uses, where its account id can be read without a network call, and whether resolving its
 * credentials could prompt the user or run a program (which a background lookup must never do).
 *
 * Pure: no `vscode`, no AWS SDK. Secret values (keys, tokens) are never copied into the model.
 */
import * as l10n from '@vscode/l10n';
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
  /**
   * The profile's `use_fips_endpoint` and `use_dualstack_endpoint` as written (the environment variables win over
   * them, and a value other than true/false is refused): read with `endpointVariant` (core/endpoints.ts).
   */
  readonly useFipsEndpoint?: string;
  readonly useDualstackEndpoint?: string;
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
  /**
   * Why the AWS SDK cannot get this profile's credentials (a missing or credential-less source profile, a cycle,
   * both source_profile and credential_source, ...), in plain words that name the profile, the key and what to do.
   * A profile with a problem is never looked up in the background.
   */
  readonly problems: readonly string[];
  readonly locations: readonly Location[];
  /**
   * The profiles the SDK reads for this one, in order, this profile first: each one whose role is assumed, then the
   * one whose settings give the base credentials (a profile read twice, e.g. one that is its own source_profile, is
   * named twice); or up to the problem. Built when read.
   */
  readonly chain: readonly string[];
  /** How the SDK gets this profile's credentials; undefined when it has a problem or no credentials at all. */
  readonly credentials?: CredentialChain;
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
  role_session_name: string | undefined = undefined;
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
  use_fips_endpoint: string | undefined = undefined;
  use_dualstack_endpoint: string | undefined = undefined;
  readonly kind: ProfileKind;
  /** The account in `role_arn` (null: none, or not an IAM ARN), and the hop of its role: computed once, when needed. */
  #roleAccount: string | null | undefined = undefined;
  #hop: RoleHop | undefined = undefined;
  #static: Link | undefined = undefined;

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
        case 'role_session_name': this.role_session_name = v; break;
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
        case 'use_fips_endpoint': this.use_fips_endpoint = v; break;
        case 'use_dualstack_endpoint': this.use_dualstack_endpoint = v; break;
      }
    }
    this.kind = kindOf(this);
  }

  roleAccount(): string | undefined {
    if (this.#roleAccount === undefined) this.#roleAccount = accountIdFromArn(this.role_arn) ?? null;
    return this.#roleAccount ?? undefined;
  }

  /** The chain of a profile whose own static keys are its credentials (the same as selected and as a source). */
  staticLink(): Link {
    this.#static ??= end(this.section.name, { kind: 'static', profile: this.section.name });
    return this.#static;
  }

  /** The AssumeRole of this profile's role (only for a profile with `role_arn`). */
  hop(): RoleHop {
    this.#hop ??= { profile: this.section.name, roleArn: this.role_arn!, externalId: this.external_id, roleSessionName: this.role_session_name, mfaSerial: this.mfa_serial };
    return this.#hop;
  }
}

function kindOf(s: Picked): ProfileKind {
  // The order in which the AWS SDK for JavaScript (`fromIni`, which the extension runs) tries a selected profile:
  // a role (role_arn with source_profile or credential_source), static keys, web identity, credential_process, SSO.
  // A profile with both source_profile and credential_source is shown as the role it was meant to be; it gets a
  // problem (the SDKs refuse it).
  if (s.role_arn && (s.source_profile || s.credential_source)) {
    return 'assume-role';
  }
  if (s.aws_access_key_id && s.aws_secret_access_key) {
    return 'static';
  }
  if (s.role_arn && s.web_identity_token_file) {
    return 'web-identity';
  }
  if (s.credential_process) {
    return 'process';
  }
  if (s.sso_session || (s.sso_start_url && s.sso_account_id)) {
    return s.sso_session ? 'sso' : 'legacy-sso';
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

const FINGERPRINT_KEYS: readonly Exclude<keyof Picked, 'section' | 'kind' | 'roleAccount' | 'hop' | 'staticLink'>[] = ['aws_access_key_id', 'role_arn', 'source_profile', 'credential_source', 'sso_session',
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

// ---------------------------------------------------------------------------------------------------------------
// Credential chains, resolved the way the AWS SDK for JavaScript resolves them (`fromIni`, which the extension runs;
// @aws-sdk/credential-provider-ini `resolveProfileData`):
//
// - The selected profile is a role when it has `role_arn` and exactly one of `source_profile` / `credential_source`;
//   otherwise static keys, then web identity, then `credential_process`, then SSO.
// - Every profile reached through `source_profile` uses its static keys when it has both, even when it also has a
//   `role_arn` of its own (that role is not assumed); otherwise it is resolved like the selected profile.
// - A cycle is a `source_profile` that names a profile already reached *as a source*. The selected profile is not one
//   yet, so it may be reached once more: `A → B → A` where A has keys is A's keys, then B's role, then A's role. The
//   AWS SDK for Rust and the AWS CLI call that a loop; test/unit/assumeRoleChain.conformance.test.ts shows both.
//
// Where the SDKs disagree (both `source_profile` and `credential_source` in one profile), or where the JavaScript SDK
// fails only with "Could not resolve credentials using profile", the profile gets a problem that names the profile,
// the key, and what to do.
//
// Linear: a profile reached as a source resolves the same way whoever reached it, so that resolution is computed once
// and shared (a `Link`), and every profile's chain is its own first step plus a shared link. Names and hops of a chain
// are built only when asked for (a tooltip), never stored per profile: an 8,000-hop chain would otherwise hold 32
// million names.

/** Where the base credentials of a chain come from: the first thing the SDK resolves, before any role is assumed. */
export type CredentialBase =
  | { readonly kind: 'static'; readonly profile: string }
  | { readonly kind: 'credential-source'; readonly profile: string; readonly source: string }
  | { readonly kind: 'web-identity'; readonly profile: string; readonly roleArn: string; readonly tokenFile: string; readonly roleSessionName?: string }
  | { readonly kind: 'process'; readonly profile: string }
  | { readonly kind: 'sso'; readonly profile: string };

/** One AssumeRole call of a chain: the role of `profile`, with the settings it is assumed with. */
export interface RoleHop {
  readonly profile: string;
  readonly roleArn: string;
  readonly externalId?: string;
  readonly roleSessionName?: string;
  readonly mfaSerial?: string;
}

/** How the SDK gets a usable profile's credentials: the base, then each role assumed, in order. */
export interface CredentialChain {
  readonly base: CredentialBase;
  /** Number of AssumeRole calls after the base. */
  readonly hopCount: number;
  /** The AssumeRole calls in the order they are made (the first with the base credentials). Built when read. */
  readonly hops: readonly RoleHop[];
}

/** Something that stops a chain, found at profile `at`. `own`: said of that profile itself; `remote`: said to a profile whose chain reaches it. */
interface Failure {
  readonly at: string;
  readonly cycle: boolean;
  readonly own: string;
  readonly remote: string;
}

/** How one profile resolves at one position of a walk (as the selected profile, or as a source). Shared. */
interface Link {
  readonly name: string;
  /** The role this step assumes; then `next` gives the credentials it is assumed with. */
  readonly hop: RoleHop | undefined;
  next: Link | undefined;
  /** The end of the chain (shared by every link before it), when it ends in credentials. */
  base: CredentialBase | undefined;
  /** The first failure from here on. */
  failure: Failure | undefined;
  /** AssumeRole calls from here to the base. */
  hops: number;
  /** The first thing from here on that prompts or runs a program. */
  interactiveReason: string | undefined;
}

const CREDENTIAL_SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer'];
const FIX_KEYS = (): string => l10n.t('Add aws_access_key_id and aws_secret_access_key to it (or credential_process, SSO settings, or a role of its own)');

// Links are made by these two, with positional arguments: loading 10,000 profiles makes some 10,000 links, and an
// options object per call was measurable there (test/bench).

/** The end of a chain at profile `name`: its base credentials, or why there are none. */
function end(name: string, base: CredentialBase | undefined, failure?: Failure, interactiveReason?: string): Link {
  return { name, hop: undefined, next: undefined, base: failure ? undefined : base, failure, hops: 0, interactiveReason };
}

/**
 * Profile `name` assumes its role with the credentials `next` gives (or with `base`, for credential_source). `failure`
 * and `interactiveReason`: its own, which come before any further down.
 */
function step(name: string, hop: RoleHop, next: Link | undefined, failure: Failure | undefined, interactiveReason: string | undefined, base?: CredentialBase): Link {
  const f = failure ?? next?.failure;
  return {
    name,
    hop,
    next,
    base: f ? undefined : base ?? next?.base,
    failure: f,
    hops: 1 + (next ? next.hops : 0),
    interactiveReason: interactiveReason ?? next?.interactiveReason,
  };
}

function failure(at: string, own: string, remote: string, cycle = false): Failure {
  return { at, cycle, own, remote };
}

function q(name: string): string {
  return `"${name.length > 80 ? `${name.slice(0, 77)}...` : name}"`;
}

/** Walks profile graphs for one profile set; `steps` counts the work (one per link built or followed). */
class ChainResolver {
  /** Each profile resolved as a source (not as the selected profile), by name; missing profiles too. */
  private readonly asSource = new Map<string, Link>();
  steps = 0;

  constructor(
    private readonly sections: ReadonlyMap<string, Picked>,
    private readonly ssoSessions: ReadonlyMap<string, IniSection>,
  ) {}

  /** The selected profile's chain. */
  selected(s: Picked): Link {
    this.steps++;
    const name = s.section.name;
    if (s.role_arn && s.source_profile && s.credential_source) return end(name, undefined, bothSources(name, s));
    if (s.role_arn && s.credential_source) return this.roleFromNamedSource(name, s);
    if (s.role_arn && s.source_profile) {
      // Without static keys, a role profile resolves as the selected profile exactly as it does as a source: share
      // that link (half the links of a long chain). On a cycle it differs (the selected profile may be reached once
      // more as a source), so it gets its own.
      if (sourceNext(s) !== undefined) {
        const shared = this.source(name);
        if (!shared.failure?.cycle) return shared;
      }
      const l = this.hopLink(name, s, this.source(s.source_profile));
      // A profile on a cycle: say "forms a cycle" starting from itself, not "leads into" one.
      const mine = this.asSource.get(name)?.failure;
      if (l.failure?.cycle && mine?.cycle && mine.at === name) l.failure = mine;
      return l;
    }
    return this.baseOf(name, s, true);
  }

  /** The chain of profile `name` reached through `source_profile`: computed once per name, iteratively. */
  private source(start: string): Link {
    const done = this.asSource.get(start);
    if (done) return done;
    // Follow source_profile from `start` until a profile whose resolution is known, a base or failure, or a cycle.
    const path: string[] = [];
    // Where each profile of the path is, to spot a cycle: a scan while the path is short (most are one or two
    // profiles), a map once it is long.
    let onPath: Map<string, number> | undefined;
    let name = start;
    for (;;) {
      this.steps++;
      if (this.asSource.has(name)) break;
      const seen = onPath ? onPath.get(name) : path.length === 0 ? -1 : path.indexOf(name);
      if (seen !== undefined && seen >= 0) {
        this.closeCycle(path.slice(seen));
        path.length = seen;
        break;
      }
      const s = this.sections.get(name);
      const next = s ? sourceNext(s) : undefined;
      if (next === undefined) {
        this.asSource.set(name, s ? this.sourceBase(name, s) : missingLink(name));
        break;
      }
      if (onPath) onPath.set(name, path.length);
      else if (path.length >= 16) onPath = new Map([...path.map((n, i): [string, number] => [n, i]), [name, path.length]]);
      path.push(name);
      name = next;
    }
    // Unwind: each profile on the path assumes its role with the credentials of the one after it.
    for (let i = path.length - 1; i >= 0; i--) {
      this.steps++;
      const s = this.sections.get(path[i])!;
      this.asSource.set(path[i], this.hopLink(path[i], s, this.asSource.get(sourceNext(s)!)!));
    }
    return this.asSource.get(start)!;
  }

  /** Links for the profiles of a cycle, each naming the cycle from itself; `next` points round the ring. */
  private closeCycle(ring: string[]): void {
    const n = ring.length;
    const links = ring.map((name, i0) => {
      this.steps++;
      const s = this.sections.get(name)!;
      const shown = Math.min(n, 6);
      const names: string[] = [];
      for (let k = 0; k < shown; k++) names.push(q(ring[(i0 + k) % n]));
      const around = `${names.join(' → ')}${n > shown ? ` → … (${n} profiles)` : ''} → ${q(name)}`;
      const fix = 'Point one of these source_profile settings at a profile with credentials, or give one of these profiles aws_access_key_id and aws_secret_access_key (a source profile with keys uses them).';
      const f = failure(name, `source_profile forms a cycle: ${around}. ${fix}`, `source_profile leads into a cycle: ${around}. ${fix}`, true);
      return step(name, s.hop(), undefined, f, hopReason(name, s));
    });
    // An interactive setting anywhere on the ring is met from every member: two passes backwards round it.
    for (let pass = 0; pass < 2; pass++) {
      for (let i = n - 1; i >= 0; i--) links[i].interactiveReason ??= links[(i + 1) % n].interactiveReason;
    }
    links.forEach((l, i) => {
      l.next = links[(i + 1) % n];
      this.asSource.set(ring[i], l);
    });
  }

  private hopLink(name: string, s: Picked, next: Link): Link {
    const own = s.roleAccount() ? undefined : badRoleArn(name, s.role_arn!);
    return step(name, s.hop(), next, own, hopReason(name, s));
  }

  /** A role assumed with the credentials of `credential_source` (the environment, EC2 or ECS): one hop, one profile. */
  private roleFromNamedSource(name: string, s: Picked): Link {
    this.steps++;
    const base = namedSource(name, s.credential_source!);
    const own = s.roleAccount() ? undefined : badRoleArn(name, s.role_arn!);
    return 'kind' in base ? step(name, s.hop(), undefined, own, hopReason(name, s), base) : step(name, s.hop(), undefined, own ?? base, hopReason(name, s));
  }

  /** A profile reached as a source whose own settings end the chain: keys, credential_source, web identity, process, SSO, or nothing usable. */
  private sourceBase(name: string, s: Picked): Link {
    if (s.aws_access_key_id && s.aws_secret_access_key) return s.staticLink();
    if (s.source_profile && s.credential_source) return end(name, undefined, bothSources(name, s));
    if (s.credential_source) {
      // With role_arn: that role, assumed with the named source's credentials; without: those credentials as they are.
      if (s.role_arn) return this.roleFromNamedSource(name, s);
      const base = namedSource(name, s.credential_source);
      return 'kind' in base ? end(name, base) : end(name, undefined, base);
    }
    return this.baseOf(name, s, false);
  }

  /** Web identity, credential_process or SSO, else why the profile has no credentials. */
  private baseOf(name: string, s: Picked, selected: boolean): Link {
    if (selected && s.aws_access_key_id && s.aws_secret_access_key) return s.staticLink();
    if (s.web_identity_token_file && s.role_arn) {
      if (!s.roleAccount()) return end(name, undefined, badRoleArn(name, s.role_arn));
      return end(name, { kind: 'web-identity', profile: name, roleArn: s.role_arn, tokenFile: s.web_identity_token_file, roleSessionName: s.role_session_name });
    }
    if (s.credential_process) {
      return end(name, { kind: 'process', profile: name }, undefined, `runs credential_process (in ${q(name)})`);
    }
    if (s.kind === 'sso' || s.kind === 'legacy-sso') {
      const interactiveReason = `uses AWS IAM Identity Center (SSO) login (in ${q(name)})`;
      const session = s.sso_session;
      if (session !== undefined && !this.ssoSessions.has(session)) {
        const what = `sso_session "${excerptValue(session)}" has no [sso-session ${excerptValue(session)}] section. Add that section to the config file (aws configure sso-session), or correct sso_session.`;
        return end(name, undefined, failure(name, what, `source profile ${q(name)}: ${what}`), interactiveReason);
      }
      return end(name, { kind: 'sso', profile: name }, undefined, interactiveReason);
    }
    const why = noCredentials(name, s, selected);
    return end(name, undefined, why);
  }
}

/** The base of `credential_source`, or why there is none. */
function namedSource(name: string, source: string): CredentialBase | Failure {
  if (!CREDENTIAL_SOURCES.includes(source)) {
    const what = `credential_source "${excerptValue(source)}" is not one the AWS SDK knows. Use Environment, Ec2InstanceMetadata or EcsContainer.`;
    return failure(name, what, `source profile ${q(name)}: ${what}`);
  }
  return { kind: 'credential-source', profile: name, source };
}

/** The profile a source profile passes on to (`source_profile`), or undefined when its own settings end the chain. */
function sourceNext(s: Picked): string | undefined {
  if (s.aws_access_key_id && s.aws_secret_access_key) return undefined;
  if (s.role_arn && s.source_profile && !s.credential_source) return s.source_profile;
  return undefined;
}

function hopReason(name: string, s: Picked): string | undefined {
  return s.mfa_serial ? `needs an MFA code (mfa_serial in ${q(name)})` : undefined;
}

function missingLink(name: string): Link {
  const what = `source_profile ${q(name)} is not defined in the config or credentials file. Add a [profile ${excerptValue(name)}] section, or correct the source_profile that names it.`;
  return end(name, undefined, failure(name, what, what));
}

function bothSources(name: string, s: Picked): Failure {
  const what = s.role_arn
    ? `sets both source_profile and credential_source; the AWS SDKs accept only one. Remove credential_source to assume the role with the credentials of profile ${q(s.source_profile!)}, ` +
      `or remove source_profile to use ${excerptValue(s.credential_source!)}.`
    : 'sets both source_profile and credential_source without a role_arn; the AWS SDKs disagree on which one counts (the JavaScript SDK uses source_profile, the others credential_source). Remove one of them.';
  return failure(name, what, `source profile ${q(name)} ${what}`);
}

function badRoleArn(name: string, arn: string): Failure {
  const what = `role_arn "${excerptValue(arn)}" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME). Correct it.`;
  return failure(name, what, `source profile ${q(name)}: ${what}`);
}

/** Why a profile without usable credentials has none, when its settings show it was meant to have some. */
function noCredentials(name: string, s: Picked, selected: boolean): Failure | undefined {
  const remote = (what: string): string => `source profile ${q(name)} ${what}`;
  if (s.aws_access_key_id && !s.aws_secret_access_key) {
    return failure(name, 'has aws_access_key_id but no aws_secret_access_key. Add aws_secret_access_key, or remove aws_access_key_id.', remote('has aws_access_key_id but no aws_secret_access_key. Add aws_secret_access_key to it, or set source_profile to a profile with both keys.'));
  }
  if (s.aws_secret_access_key && !s.aws_access_key_id) {
    return failure(name, 'has aws_secret_access_key but no aws_access_key_id. Add aws_access_key_id, or remove aws_secret_access_key.', remote('has aws_secret_access_key but no aws_access_key_id. Add aws_access_key_id to it, or set source_profile to a profile with both keys.'));
  }
  if (s.aws_session_token) {
    return failure(name, 'has aws_session_token but no aws_access_key_id and aws_secret_access_key. Add both keys of the session.', remote('has aws_session_token but no aws_access_key_id and aws_secret_access_key. Add both keys of the session to it.'));
  }
  if (s.role_arn && !s.web_identity_token_file) {
    const fix = 'Add source_profile = PROFILE (whose credentials assume the role) or credential_source = Environment, Ec2InstanceMetadata or EcsContainer.';
    return failure(name, `has role_arn but neither source_profile nor credential_source. ${fix}`, remote(`has role_arn but neither source_profile nor credential_source. ${fix}`));
  }
  if (s.web_identity_token_file) {
    const fix = 'Add role_arn = arn:aws:iam::ACCOUNT:role/NAME (the role the token is exchanged for).';
    return failure(name, `has web_identity_token_file but no role_arn. ${fix}`, remote(`has web_identity_token_file but no role_arn. ${fix}`));
  }
  if (selected) return undefined; // a profile of settings only (region, output): not a problem until a role relies on it
  return failure(name, `has no credentials. ${FIX_KEYS()}.`, remote(`has no credentials. ${FIX_KEYS()}, or set source_profile to a profile that has them.`));
}

/** A property value quoted in a problem, at most 60 characters. */
function excerptValue(v: string): string {
  return v.length <= 60 ? v : `${v.slice(0, 57)}...`;
}

/** The problem a chain gives the selected profile `name`. */
function problemOf(name: string, l: Link): string | undefined {
  const f = l.failure;
  if (!f) return undefined;
  return f.at === name ? f.own : f.remote;
}

/** The names a chain reads, in order (a profile reached twice is named twice), up to a link already passed. */
function namesOf(head: Link): string[] {
  const out: string[] = [];
  const seen = new Set<Link>();
  for (let l: Link | undefined = head; l && !seen.has(l); l = l.next) {
    seen.add(l);
    out.push(l.name);
  }
  return out;
}

class Chain implements CredentialChain {
  readonly #head: Link;

  constructor(head: Link) {
    this.#head = head;
  }

  get base(): CredentialBase {
    return this.#head.base!;
  }

  get hopCount(): number {
    return this.#head.hops;
  }

  get hops(): RoleHop[] {
    const out: RoleHop[] = [];
    for (let l: Link | undefined = this.#head; l; l = l.next) if (l.hop) out.push(l.hop);
    return out.reverse();
  }

  toJSON(): { base: CredentialBase; hops: RoleHop[] } {
    return { base: this.base, hops: this.hops };
  }
}

/**
 * One profile of the model. Its fields are plain data, computed here from the section's properties and its chain;
 * `chain` and `credentials` are built when read (from the shared links), so a long chain costs nothing per profile
 * until a tooltip asks.
 */
class Profile implements AwsProfile {
  readonly name: string;
  readonly kind: ProfileKind;
  readonly kindLabel: string;
  readonly region?: string;
  readonly declaredAccountId?: string;
  readonly declaredAccountSource?: AwsProfile['declaredAccountSource'];
  readonly roleArn?: string;
  readonly sourceProfile?: string;
  readonly credentialSource?: string;
  readonly mfaSerial?: string;
  readonly externalId?: string;
  readonly ssoSession?: string;
  readonly ssoStartUrl?: string;
  readonly endpointUrl?: string;
  readonly serviceEndpoints: Readonly<Record<string, string>>;
  readonly ignoreConfiguredEndpointUrls: boolean;
  readonly useFipsEndpoint?: string;
  readonly useDualstackEndpoint?: string;
  readonly hasStaticKeys: boolean;
  readonly fingerprint: string;
  readonly hasSessionToken: boolean;
  readonly interactive: boolean;
  readonly interactiveReason?: string;
  readonly problems: readonly string[];
  readonly locations: readonly Location[];
  readonly #head: Link;

  constructor(s: Picked, head: Link, parsed: ParsedAwsFiles) {
    const { kind, section } = s;
    const name = section.name;
    const roleAccount = s.roleAccount();
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
    let interactiveReason = head.interactiveReason;
    if (kind === 'process') {
      interactiveReason = 'runs credential_process';
    } else if (kind === 'sso' || kind === 'legacy-sso') {
      interactiveReason = 'uses AWS IAM Identity Center (SSO) login';
    }
    const problem = problemOf(name, head);
    const ssoSessionSection = s.sso_session ? parsed.ssoSessions.get(s.sso_session) : undefined;
    this.name = name;
    this.kind = kind;
    this.kindLabel = kindLabel(kind, s);
    this.region = s.region;
    this.declaredAccountId = declaredAccountId;
    this.declaredAccountSource = declaredAccountSource;
    this.roleArn = s.role_arn;
    this.sourceProfile = s.source_profile;
    this.credentialSource = s.credential_source;
    this.mfaSerial = s.mfa_serial;
    this.externalId = s.external_id;
    this.ssoSession = s.sso_session;
    this.ssoStartUrl = s.sso_start_url ?? (ssoSessionSection ? prop(ssoSessionSection, 'sso_start_url') : undefined);
    this.endpointUrl = s.endpoint_url;
    this.serviceEndpoints = serviceEndpointsOf(s, parsed.services);
    this.ignoreConfiguredEndpointUrls = s.ignore_configured_endpoint_urls?.toLowerCase() === 'true';
    this.useFipsEndpoint = s.use_fips_endpoint;
    this.useDualstackEndpoint = s.use_dualstack_endpoint;
    this.hasStaticKeys = Boolean(s.aws_access_key_id && s.aws_secret_access_key);
    this.fingerprint = fingerprint(s);
    this.hasSessionToken = Boolean(s.aws_session_token);
    this.interactive = interactiveReason !== undefined;
    this.interactiveReason = interactiveReason;
    this.problems = problem === undefined ? NO_PROBLEMS : [problem];
    this.locations = section.locations;
    this.#head = head;
  }

  get chain(): string[] {
    return namesOf(this.#head);
  }

  /** Built when read (a tooltip, a test): one object less per profile on every load. */
  get credentials(): CredentialChain | undefined {
    const head = this.#head;
    return head.base && !head.failure ? new Chain(head) : undefined;
  }
}

const NO_PROBLEMS: readonly string[] = Object.freeze([]);

/** What building a profile set cost, for tests that check it grows linearly (counted, not timed). */
export interface BuildStats {
  /** Chain steps: links built or followed while resolving every profile's credential chain. */
  chainSteps: number;
}

/**
 * A chain in a line, for the tooltip: where the base credentials come from, then each role assumed, e.g.
 * `static keys of "ops" → role Admin (profile "hub") → role Deploy (this profile); 2 roles`. A long chain shows its
 * first and last roles around a count, so the line stays short whatever the length.
 */
export function describeChain(chain: CredentialChain): string {
  const b = chain.base;
  const base =
    b.kind === 'static'
      ? `static keys of ${q(b.profile)}`
      : b.kind === 'credential-source'
        ? `${b.source} (credential_source of ${q(b.profile)})`
        : b.kind === 'web-identity'
          ? `web identity token for role ${roleName(b.roleArn)} (profile ${q(b.profile)})`
          : b.kind === 'process'
            ? `credential_process of ${q(b.profile)}`
            : `SSO login of ${q(b.profile)}`;
  const hops = chain.hops;
  const hop = (h: RoleHop): string => `role ${roleName(h.roleArn)} (profile ${q(h.profile)}${h.mfaSerial ? ', MFA' : ''})`;
  const shown = hops.length <= 6 ? hops.map(hop) : [...hops.slice(0, 2).map(hop), `… ${hops.length - 4} more roles …`, ...hops.slice(-2).map(hop)];
  return `${[base, ...shown].join(' → ')}; ${hops.length} role${hops.length === 1 ? '' : 's'}`;
}

/** `Admin` of `arn:aws:iam::123456789012:role/path/Admin`. */
function roleName(arn: string): string {
  const i = arn.lastIndexOf('/');
  return i >= 0 ? arn.slice(i + 1) : arn;
}

/** Builds the profile model from parsed files. Profiles are sorted by name, `default` first. */
export function buildProfileSet(parsed: ParsedAwsFiles, stats?: BuildStats): ProfileSet {
  const picked = new Map<string, Picked>();
  for (const [name, section] of parsed.profiles) {
    picked.set(name, new Picked(section));
  }
  const resolver = new ChainResolver(picked, parsed.ssoSessions);
  const profiles: AwsProfile[] = [];
  for (const s of picked.values()) {
    profiles.push(new Profile(s, resolver.selected(s), parsed));
  }
  if (stats) stats.chainSteps += resolver.steps;
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
