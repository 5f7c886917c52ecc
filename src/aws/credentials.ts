/**
 * Credentials of a profile, from the one parse of the AWS files the extension makes per change (the profile loader's,
 * shared with the tree): static keys are read from it, and a role whose `source_profile` chain ends at static keys or
 * at a `credential_process` is assumed hop by hop from it (AssumeRole with each role's settings, as the SDK's
 * `fromIni` does). A `credential_process` runs here (./credentialProcess), bounded and cancellable. Everything else
 * (SSO, web identity, credential_source, console login) goes through the SDK's own chain (`fromIni`), which reads
 * the files itself — again only after they changed (`ignoreCache`).
 *
 * A provider made here resolves once and keeps the answer until shortly before it expires (one credential_process
 * run per command, however many clients use it), and can be primed with the signal of the call about to use it:
 * the client factory does that before every call, so a Cancel reaches the credential_process and the inner STS
 * calls of a role chain whichever call site made the provider.
 */
import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { IniSection } from '../core/awsIni';
import { resolveAwsFilePaths, resolveHomeDir } from '../core/awsFilePaths';
import type { AwsProfile } from '../core/profiles';
import { runCredentialProcess } from './credentialProcess';
import { TenDlcError } from './errors';
import { abortErrorFor } from './http';

/** A credentials provider that can be resolved ahead of a call, with that call's signal. */
export interface PrimableProvider extends AwsCredentialIdentityProvider {
  prime(signal: AbortSignal | undefined): Promise<AwsCredentialIdentity>;
}

export function isPrimable(x: unknown): x is PrimableProvider {
  return typeof x === 'function' && typeof (x as { prime?: unknown }).prime === 'function';
}

/**
 * A web identity token (an OIDC JWT) is a few kilobytes; a larger file is refused rather than read (the SDK reads it
 * with readFileSync, which a FIFO or a huge file would turn into a hung or starved extension host).
 */
const MAX_TOKEN_FILE_BYTES = 256 * 1024;

/** Resolved credentials are reused until this long before they expire. */
const REUSE_MARGIN_MS = 60_000;
/** AWS files larger than this are refused before the SDK reads them (no real config is near it; the loader refuses them too). */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The profile sections of the AWS files as they are now (re-read and re-parsed only after a change). */
export interface AwsFileSections {
  sections(): Promise<ReadonlyMap<string, IniSection>>;
}

/**
 * Wraps a resolver (given the signal to obey) into a provider that resolves once, shares the pending resolution,
 * forgets a failed one, and tells `onResolved` the secrets it got (for the redactor).
 */
export function primable(
  resolve: (signal: AbortSignal | undefined) => Promise<AwsCredentialIdentity>,
  baseSignal: AbortSignal | undefined,
  onResolved: (c: AwsCredentialIdentity) => void,
): PrimableProvider {
  let pending: Promise<AwsCredentialIdentity> | undefined;
  /** Until when the resolved credentials are reused (Date.now() ms). */
  let reuseUntil = Infinity;
  const get = (signal: AbortSignal | undefined): Promise<AwsCredentialIdentity> => {
    const combined = signal && baseSignal ? AbortSignal.any([signal, baseSignal]) : signal ?? baseSignal;
    if (pending && Date.now() < reuseUntil) {
      return whileNotAborted(pending, combined);
    }
    reuseUntil = Infinity;
    const p = resolve(combined).then((c) => {
      onResolved(c);
      if (c.expiration && pending === p) {
        // Forget it shortly before it expires: the next call resolves again. Checked at that call, not by a timer:
        // a timer would keep this provider (its profile, and the AWS file text the profile's values are slices of)
        // alive for up to an hour after nothing uses it any more (BENCHMARKS.md, issue 13, point 5).
        reuseUntil = c.expiration.getTime() - REUSE_MARGIN_MS;
      }
      return c;
    });
    pending = p;
    p.catch(() => {
      if (pending === p) {
        pending = undefined;
      }
    });
    return whileNotAborted(p, combined);
  };
  return Object.assign(async () => get(undefined), { prime: get });
}

/** Settles like `p`, or rejects as soon as `signal` fires. */
export function whileNotAborted<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) {
    return p;
  }
  if (signal.aborted) {
    return Promise.reject(abortErrorFor(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortErrorFor(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export interface ResolveOptions {
  /** The AWS files, parsed once per change (the extension's profile loader). */
  readonly files: AwsFileSections;
  readonly mfaCodeProvider: (serial: string) => Promise<string>;
  /** Client settings of the inner STS (and SSO) clients: region, endpoint, handler, attempts. */
  readonly clientConfig: (signal: AbortSignal | undefined) => Record<string, unknown>;
  /** Asked right before the SDK's chain reads the AWS files: true once after they changed (then its cache is stale). */
  readonly ignoreCache: () => boolean;
  readonly processTimeoutMs: number;
  /** Told every secret value met on the way (SSO tokens from the SDK's token cache), for the redactor. */
  readonly onSecret?: (value: string) => void;
}

/** One hop of a role chain that ends at static keys or a credential_process. */
interface RoleHop {
  readonly roleArn: string;
  readonly sessionName?: string;
  readonly externalId?: string;
  readonly durationSeconds?: number;
  readonly mfaSerial?: string;
}

/** Resolves a profile's credentials, obeying `signal`. */
export async function resolveProfileCredentials(profile: AwsProfile, opts: ResolveOptions, signal: AbortSignal | undefined): Promise<AwsCredentialIdentity> {
  const sections = await opts.files.sections();
  if (profile.kind === 'web-identity' || profile.kind === 'assume-role') {
    await checkTokenFiles(profile, sections);
  }
  if ((profile.kind === 'sso' || profile.kind === 'legacy-sso') && opts.onSecret) {
    await registerSsoTokens(profile, opts.onSecret);
  }
  const plan = chainPlan(profile.name, sections);
  if (plan) {
    const root = plan.root;
    let provider: AwsCredentialIdentityProvider =
      root.kind === 'static'
        ? async () => root.credentials
        : () => runCredentialProcess(root.profile, root.command, { timeoutMs: opts.processTimeoutMs, signal });
    // From the base outward: each role is assumed with the credentials of the one before it.
    for (const hop of plan.hops) {
      provider = assumeHop(provider, hop, opts, signal);
    }
    return whileNotAborted(provider(), signal);
  }
  const provider = fromIni({ profile: profile.name, mfaCodeProvider: opts.mfaCodeProvider, clientConfig: opts.clientConfig(signal), ignoreCache: opts.ignoreCache() });
  return whileNotAborted(provider(), signal);
}

/**
 * One AssumeRole of a chain, with the settings the SDK's `fromIni` uses for it (role_session_name or
 * `aws-sdk-js-<time>`, external_id, duration_seconds or 3600, mfa_serial with a code asked first), made with the
 * credentials of the step before.
 */
function assumeHop(master: AwsCredentialIdentityProvider, hop: RoleHop, opts: ResolveOptions, signal: AbortSignal | undefined): AwsCredentialIdentityProvider {
  return async () => {
    const tokenCode = hop.mfaSerial ? await opts.mfaCodeProvider(hop.mfaSerial) : undefined;
    // The client factory decided the STS endpoint for this profile: the SDK need not look for one in the files.
    const sts = new STSClient({ ...opts.clientConfig(signal), credentials: master, ignoreConfiguredEndpointUrls: true });
    try {
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: hop.roleArn,
          RoleSessionName: hop.sessionName ?? `aws-sdk-js-${Date.now()}`,
          DurationSeconds: hop.durationSeconds ?? 3600,
          ...(hop.externalId ? { ExternalId: hop.externalId } : {}),
          ...(hop.mfaSerial && tokenCode ? { SerialNumber: hop.mfaSerial, TokenCode: tokenCode } : {}),
        }),
        { abortSignal: signal },
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
        throw new TenDlcError('unknown', l10n.t('AssumeRole of {0} returned no credentials.', hop.roleArn), l10n.t('Check the STS endpoint of the profile.'));
      }
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, ...(c.Expiration ? { expiration: c.Expiration } : {}) };
    } finally {
      sts.destroy();
    }
  };
}

/** Where a chain's credentials start: static keys of a profile, or the program of its credential_process. */
type ChainRoot =
  | { readonly kind: 'static'; readonly profile: string; readonly credentials: AwsCredentialIdentity }
  | { readonly kind: 'process'; readonly profile: string; readonly command: string };

/** Static keys as the SDK reads them from a profile (credential-provider-ini's resolveStaticCredentials). */
function staticCredentials(p: Record<string, string>): AwsCredentialIdentity {
  return {
    accessKeyId: p['aws_access_key_id'],
    secretAccessKey: p['aws_secret_access_key'],
    ...(p['aws_session_token'] ? { sessionToken: p['aws_session_token'] } : {}),
    ...(p['aws_credential_scope'] ? { credentialScope: p['aws_credential_scope'] } : {}),
    ...(p['aws_account_id'] ? { accountId: p['aws_account_id'] } : {}),
  };
}

/**
 * When the SDK's `fromIni` would end at static keys or a credential_process for this profile — its own, or at the
 * end of its source_profile chain of roles — where it starts and the roles to assume from it, innermost first;
 * otherwise undefined (the SDK's chain handles it). Follows fromIni's order (credential-provider-ini 3.1169): a role
 * (role_arn with exactly one of source_profile and credential_source) first, then static keys (first, for a source
 * profile), web identity, then credential_process, then SSO.
 */
function chainPlan(name: string, profiles: ReadonlyMap<string, IniSection>): { root: ChainRoot; hops: RoleHop[] } | undefined {
  const hops: RoleHop[] = [];
  const seen = new Set<string>();
  let current = name;
  for (;;) {
    const section = profiles.get(current);
    if (!section || seen.has(current)) {
      return undefined; // the SDK says what is missing, or that it is a cycle
    }
    const p = section.properties;
    const staticKeys = Boolean(p['aws_access_key_id'] && p['aws_secret_access_key']);
    if (seen.size > 0 && staticKeys) {
      return { root: { kind: 'static', profile: current, credentials: staticCredentials(p) }, hops };
    }
    seen.add(current);
    if (p['role_arn'] && Boolean(p['source_profile']) !== Boolean(p['credential_source'])) {
      if (!p['source_profile']) {
        return undefined; // an instance or container role: the SDK's
      }
      const duration = Number.parseInt(p['duration_seconds'] ?? '', 10);
      hops.unshift({
        roleArn: p['role_arn'],
        sessionName: p['role_session_name'] || undefined,
        externalId: p['external_id'] || undefined,
        durationSeconds: Number.isFinite(duration) ? duration : undefined,
        mfaSerial: p['mfa_serial'] || undefined,
      });
      current = p['source_profile'];
      continue;
    }
    if (staticKeys) {
      return { root: { kind: 'static', profile: current, credentials: staticCredentials(p) }, hops };
    }
    if ((p['role_arn'] && p['web_identity_token_file']) || !p['credential_process']) {
      return undefined;
    }
    return { root: { kind: 'process', profile: current, command: p['credential_process'] }, hops };
  }
}

/**
 * Refuses a `web_identity_token_file` (of the profile or of a source profile in its chain) that is not a regular
 * file of a token's size, before the SDK reads it synchronously: a FIFO there would hang the extension host, a
 * device or a huge file exhaust it.
 */
async function checkTokenFiles(profile: AwsProfile, profiles: ReadonlyMap<string, IniSection>): Promise<void> {
  for (const name of profile.chain) {
    const file = profiles.get(name)?.properties['web_identity_token_file'];
    if (!file) {
      continue;
    }
    let st: Awaited<ReturnType<typeof fs.stat>>;
    try {
      st = await fs.stat(file);
    } catch {
      continue; // missing or unreadable: the SDK says so in its own words
    }
    if (!st.isFile()) {
      throw new TenDlcError('profile', l10n.t('The web_identity_token_file of profile "{0}" is not a regular file (a FIFO, a device, a socket or a directory); it was not read.', name), l10n.t('Point web_identity_token_file at the file that holds the token.'));
    }
    if (st.size > MAX_TOKEN_FILE_BYTES) {
      throw new TenDlcError('profile', l10n.t('The web_identity_token_file of profile "{0}" is {1} KB; a web identity token is a few kilobytes, so it was not read.', name, Math.round(st.size / 1024)), l10n.t('Point web_identity_token_file at the file that holds the token.'));
    }
  }
}

/** The SSO token cache file is a few kilobytes of JSON; anything else there is not read. */
const MAX_SSO_CACHE_BYTES = 1024 * 1024;

/**
 * Tells `onSecret` the tokens of the SDK's SSO token cache entry the profile will use (access token, refresh token,
 * client secret), before the SDK reads them: an SSO error or a portal's answer then cannot show one. The entry is
 * `~/.aws/sso/cache/<sha1 of the sso-session name, or of the start URL for a legacy profile>.json`, as the SDK
 * finds it. A missing or odd file is left to the SDK to report.
 */
async function registerSsoTokens(profile: AwsProfile, onSecret: (value: string) => void): Promise<void> {
  const id = profile.ssoSession ?? profile.ssoStartUrl;
  if (!id) {
    return;
  }
  const file = path.join(resolveHomeDir(process.env, os.homedir()), '.aws', 'sso', 'cache', `${createHash('sha1').update(id).digest('hex')}.json`);
  try {
    const st = await fs.stat(file);
    if (!st.isFile() || st.size > MAX_SSO_CACHE_BYTES) {
      return;
    }
    const token = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
    for (const key of ['accessToken', 'refreshToken', 'clientSecret']) {
      const v = token[key];
      if (typeof v === 'string' && v !== '') {
        onSecret(v);
      }
    }
  } catch {
    // no cached token (the SDK asks for a login), or not JSON (the SDK says so)
  }
}

/**
 * Refuses, before the AWS SDK reads them, the AWS files the profile loader refuses to read. The SDK reads both files
 * itself — its credential chain, and every client (the config file, for endpoint and other settings) — with
 * `fs.readFile`: no size limit and a blocking open. A FIFO there hung every call (and kept hanging once fixed: the SDK
 * caches the pending read), `/dev/zero` cost seconds and hundreds of megabytes, a file of hundreds of megabytes
 * blocked the extension host while it was parsed. A missing file or a directory the SDK reads as empty, and so does
 * `/dev/null`: those pass. Two `stat` calls; nothing is opened.
 */
export async function checkAwsFilesForSdk(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const paths = resolveAwsFilePaths(env, os.homedir());
  const envVar = { config: 'AWS_CONFIG_FILE', credentials: 'AWS_SHARED_CREDENTIALS_FILE' } as const;
  for (const kind of ['config', 'credentials'] as const) {
    const file = paths[kind];
    const st = await fs.stat(file).catch(() => undefined);
    if (!st || st.isDirectory() || (st.isFile() && st.size <= MAX_FILE_BYTES) || (st.isCharacterDevice() && (await isDevNull(st)))) {
      continue;
    }
    const what = st.isFile()
      ? `is ${Math.round(st.size / (1024 * 1024))} MB, more than the ${MAX_FILE_BYTES / (1024 * 1024)} MB an AWS file can reasonably be`
      : `is ${st.isFIFO() ? 'a named pipe (FIFO)' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : st.isSocket() ? 'a socket' : 'something'}, not a regular file`;
    throw new TenDlcError(
      'profile',
      l10n.t('The AWS {0} file {1} {2}; the AWS SDK would read it whole (or wait on it for ever), so no AWS call is made.', kind, file, what),
      l10n.t('Point {0} at the file itself, or move what is not profiles out of it (the Problems list names it), then try again.', envVar[kind]),
    );
  }
}

let devNull: Promise<Awaited<ReturnType<typeof fs.stat>> | undefined> | undefined;

async function isDevNull(st: Awaited<ReturnType<typeof fs.stat>>): Promise<boolean> {
  devNull ??= fs.stat(os.devNull).catch(() => undefined);
  const dn = await devNull;
  return dn !== undefined && dn.rdev === st.rdev && dn.dev === st.dev && dn.ino === st.ino;
}
