/**
 * Builds AWS SDK clients the same way for every call: explicit endpoint from the profile, a deadline per attempt
 * that covers connect, headers and body (./http), a total deadline per call, cancellation that reaches the
 * credentials (a credential_process, the inner STS calls of a role chain), one clock offset shared by every client
 * (the SDK corrects a skewed clock per client; here what one client learns, the next one starts with), and a
 * middleware that logs every call (service, operation, profile, account, region, outcome, duration) without
 * credentials or request bodies.
 *
 * A client is made once per (credentials, service, region, endpoint, timeouts, log context) and reused while its
 * credentials are (a session's pre-flight and its sends share them); every client's connections are kept alive in
 * one pool (./http). Clients belong to the factory: `destroy()` on one is a no-op, `dispose()` closes the pool.
 */
import * as l10n from '@vscode/l10n';
import { STSClient } from '@aws-sdk/client-sts';
import { SNSClient } from '@aws-sdk/client-sns';
import { IAMClient } from '@aws-sdk/client-iam';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { RAMClient } from '@aws-sdk/client-ram';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { configuredEndpoint, endpointRefusal, endpointVariant, profileRegion, type ServiceId } from '../core/endpoints';
import type { AwsProfile } from '../core/profiles';
import { getErrorMessage, redactText, withoutUserInfo } from '../core/redact';
import * as os from 'node:os';
import { ProfileLoader } from '../core/profileLoader';
import { checkAwsFilesForSdk, isPrimable, primable, resolveProfileCredentials, type AwsFileSections, type PrimableProvider } from './credentials';
import { clockSkewOf, isSkewRefusal, TenDlcError } from './errors';
import { abortErrorFor, BoundedHttpHandler, ConnectionPool, TotalDeadline, type HttpErrorMarks } from './http';

/** Where log lines go. The UI layer supplies one that redacts secrets and phone numbers. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Registers a secret value the AWS layer has seen (resolved credentials), so no later line shows it. */
  secret?(value: string | undefined): void;
  /** The text with every secret the UI layer knows removed (for texts kept in state the tree shows). */
  redact?(text: string): string;
}

export interface Timeouts {
  /** TCP connect timeout, ms. */
  readonly connectMs: number;
  /** Deadline of one attempt, from its start to the last byte of the answer (connect, headers and body), ms. */
  readonly requestMs: number;
  /** Attempts in all, including the first (the SDK's standard retry mode). */
  readonly maxAttempts: number;
  /** Deadline of the whole call, every attempt and wait between them included, ms (default: attempts × requestMs + 2 s). */
  readonly totalMs?: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 5_000, requestMs: 20_000, maxAttempts: 3, totalMs: 45_000 };
/** For read-only checks that may not exist on the endpoint: answer "unknown" fast. */
export const CHECK_TIMEOUTS: Timeouts = { connectMs: 3_000, requestMs: 8_000, maxAttempts: 1, totalMs: 10_000 };
/** How long a credential_process may run before it is stopped (it may wait for a device touch or a browser login). */
export const CREDENTIAL_PROCESS_TIMEOUT_MS = 120_000;
/**
 * After a call's signal fires, how long its promise may take to settle by itself (the handler then says whether the
 * request was written) before the call is ended without it.
 */
const SETTLE_GRACE_MS = 1_000;

function totalOf(t: Timeouts): number {
  return t.totalMs ?? t.maxAttempts * t.requestMs + 2_000;
}

/** Who a client acts as, for the log line. */
export interface CallContext {
  readonly profile: string;
  /** Account the credentials belong to, when known. */
  readonly account?: string;
  readonly region: string;
}

export type MfaCodeProvider = (mfaSerial: string) => Promise<string>;

export interface ClientFactoryOptions {
  readonly logger: Logger;
  /** The process environment, read-only (for AWS_ENDPOINT_URL*, never mutated). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeouts?: Timeouts;
  /** Timeouts of read-only checks that may be missing on the endpoint (default CHECK_TIMEOUTS). */
  readonly checkTimeouts?: Timeouts;
  /** How long a credential_process may run, ms (default CREDENTIAL_PROCESS_TIMEOUT_MS). */
  readonly credentialProcessTimeoutMs?: number;
  /**
   * The AWS files, parsed once per change: the extension passes the profile loader its tree shows (one parse for
   * both). Default: a loader of its own, on the files the SDK reads (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE).
   */
  readonly profileFiles?: AwsFileSections;
}

type AnyClient = STSClient | SNSClient | IAMClient | PinpointSMSVoiceV2Client | CloudWatchLogsClient | AccessAnalyzerClient | OrganizationsClient | RAMClient;

const SERVICE_LABEL: Record<ServiceId, string> = {
  sts: 'STS',
  sns: 'SNS',
  iam: 'IAM',
  'sms-voice': 'EndUserMessaging',
  logs: 'Logs',
  'access-analyzer': 'AccessAnalyzer',
  organizations: 'Organizations',
  ram: 'RAM',
};

export class ClientFactory {
  private readonly timeouts: Timeouts;
  /** What read-only checks and background lookups use: one attempt, short waits. */
  readonly checkTimeouts: Timeouts;
  /**
   * For Publish: one attempt. A Publish that timed out or got a 5xx may still have been sent and
   * billed; retrying it could send (and bill) the message twice, so the user decides.
   */
  readonly sendTimeouts: Timeouts;

  private filesGeneration = 0;
  private readGeneration = -1;
  /** Kept-alive connections of every client (a Publish client excepted: see http.ts). */
  private readonly pool = new ConnectionPool();
  /** Clients by credentials (object identity: a session's, a provider), then by everything else that shapes them. */
  private clients = new WeakMap<object, Map<string, AnyClient>>();
  /**
   * How many calls that change something in an account (not a read, not a send) have succeeded: what was read
   * before one (a pre-flight's findings) may be stale after it.
   */
  writes = 0;
  /**
   * The clock offset (server time − local time, ms) every client starts with, and the last one any client learnt
   * from an answer's Date header: the SDK corrects a skewed clock per client, and these clients live for one call.
   */
  clockOffsetMs = 0;

  /** The AWS config or credentials file changed: the next credentials lookup reads them again. */
  markFilesChanged(): void {
    this.filesGeneration++;
  }

  /**
   * Closes every kept-alive connection and forgets the clients (the extension is deactivated). A client holds no
   * other resource: a Publish client's connection closes after its answer.
   */
  dispose(): void {
    this.clients = new WeakMap();
    this.pool.destroy();
  }

  private readonly files: AwsFileSections;

  constructor(private readonly opts: ClientFactoryOptions) {
    this.files = opts.profileFiles ?? new ProfileLoader(process.env, os.homedir());
    this.timeouts = opts.timeouts ?? DEFAULT_TIMEOUTS;
    this.sendTimeouts = { ...this.timeouts, maxAttempts: 1 };
    this.checkTimeouts = opts.checkTimeouts ?? CHECK_TIMEOUTS;
  }

  /** `text` with every known secret removed: the UI's redactor when there is one, else the shapes of secrets. */
  redact(text: string): string {
    return this.opts.logger.redact ? this.opts.logger.redact(text) : redactText(text);
  }

  /** The region of a profile's calls as the AWS CLI picks it (AWS_REGION, AWS_DEFAULT_REGION, the profile's region). */
  regionOf(profile: AwsProfile | undefined): string | undefined {
    return profileRegion(profile, this.opts.env).region;
  }

  /** The endpoint a profile's client for a service will use (undefined: the SDK's default AWS endpoint). */
  endpointFor(profile: AwsProfile | undefined, service: ServiceId): string | undefined {
    return configuredEndpoint(profile, service, this.opts.env);
  }

  /**
   * Credentials of a profile through the SDK's own chain (`fromIni`): static keys, role_arn + source_profile,
   * credential_source, MFA, SSO and web identity resolve as in the AWS CLI; a credential_process (the profile's own
   * or at the end of its role chain) runs bounded and cancellable (./credentials). The inner STS client gets the
   * profile's endpoint and the same timeouts and attempts as the outer call. `mfaCodeProvider` is asked only when
   * the profile needs a code; background callers pass one that refuses. `signal` cancels the resolution; so does the
   * signal of each call that uses the provider (the factory primes it before the call).
   */
  credentialsFor(
    profile: AwsProfile,
    region: string,
    mfaCodeProvider: MfaCodeProvider,
    opts: { readonly signal?: AbortSignal; readonly timeouts?: Timeouts } = {},
  ): PrimableProvider {
    const stsEndpoint = this.endpointFor(profile, 'sts');
    const timeouts = opts.timeouts ?? this.timeouts;
    const clientConfig = (signal: AbortSignal | undefined): Record<string, unknown> => ({
      ...this.fixedSettings(profile, 'sts', stsEndpoint && (profile.kind === 'assume-role' || profile.kind === 'web-identity') ? stsEndpoint : undefined),
      region,
      maxAttempts: timeouts.maxAttempts,
      systemClockOffset: this.clockOffsetMs,
      requestHandler: new BoundedHttpHandler({ connectMs: timeouts.connectMs, attemptMs: timeouts.requestMs, signal, pool: this.pool }),
      // Only STS-based chains: an SSO portal is never at the STS endpoint of an emulator.
      ...(stsEndpoint && (profile.kind === 'assume-role' || profile.kind === 'web-identity') ? { endpoint: stsEndpoint } : {}),
    });
    // Re-read the AWS files only after they changed: with thousands of profiles a re-read per lookup
    // costs more than the lookup (measured in BENCHMARKS.md, point 3). Decided when the SDK's chain is about to
    // read them, so a resolution that does not (a credential_process run here) does not use up the re-read.
    const ignoreCache = (): boolean => {
      const stale = this.readGeneration !== this.filesGeneration;
      this.readGeneration = this.filesGeneration;
      return stale;
    };
    const log = this.opts.logger;
    return primable(
      (signal) =>
        resolveProfileCredentials(
          profile,
          { files: this.files, mfaCodeProvider, clientConfig, ignoreCache, processTimeoutMs: this.opts.credentialProcessTimeoutMs ?? CREDENTIAL_PROCESS_TIMEOUT_MS, onSecret: (v) => log.secret?.(v) },
          signal,
        ),
      opts.signal,
      (c) => {
        log.secret?.(c.accessKeyId);
        log.secret?.(c.secretAccessKey);
        log.secret?.(c.sessionToken);
      },
    );
  }

  sts(profile: AwsProfile | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts?: Timeouts): STSClient {
    return this.cached('sts', profile, credentials, ctx, timeouts, (config) => new STSClient(config));
  }

  sns(profile: AwsProfile | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts?: Timeouts): SNSClient {
    return this.cached('sns', profile, credentials, ctx, timeouts, (config) => new SNSClient(config));
  }

  /** AWS End User Messaging SMS (pinpoint-sms-voice-v2): phone numbers and 10DLC registrations. */
  smsVoice(profile: AwsProfile | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts?: Timeouts): PinpointSMSVoiceV2Client {
    return this.cached('sms-voice', profile, credentials, ctx, timeouts, (config) => new PinpointSMSVoiceV2Client(config));
  }

  /** CloudWatch Logs: SNS's SMS delivery records. */
  logs(profile: AwsProfile | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts?: Timeouts): CloudWatchLogsClient {
    return this.cached('logs', profile, credentials, ctx, timeouts, (config) => new CloudWatchLogsClient(config));
  }

  /** IAM Access Analyzer: ValidatePolicy before a policy is written. */
  accessAnalyzer(profile: AwsProfile | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts?: Timeouts): AccessAnalyzerClient {
    return this.cached('access-analyzer', profile, credentials, ctx, timeouts, (config) => new AccessAnalyzerClient(config));
  }

  /** AWS RAM: the resource share of the number, and invitations to it. */
  ram(profile: AwsProfile | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts?: Timeouts): RAMClient {
    return this.cached('ram', profile, credentials, ctx, timeouts, (config) => new RAMClient(config));
  }

  iam(profile: AwsProfile | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts?: Timeouts): IAMClient {
    return this.cached('iam', profile, credentials, ctx, timeouts, (config) => new IAMClient(config));
  }

  /** AWS Organizations: account names (ListAccounts), from a management or delegated administrator account. */
  organizations(profile: AwsProfile | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts?: Timeouts): OrganizationsClient {
    return this.cached('organizations', profile, credentials, ctx, timeouts, (config) => new OrganizationsClient(config));
  }

  /** The client for these credentials, service, region, endpoint, timeouts and log context: made once, then reused. */
  private cached<C extends AnyClient>(
    service: ServiceId,
    profile: AwsProfile | undefined,
    credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
    ctx: CallContext,
    timeouts: Timeouts = this.timeouts,
    make: (config: ReturnType<ClientFactory['config']>) => C,
  ): C {
    const endpoint = this.endpointFor(profile, service);
    // FIPS and dual-stack (environment, then profile) decide the endpoint the SDK picks when none is configured.
    const variant = endpointVariant(profile, this.opts.env);
    const refusal = endpointRefusal(profile, service, this.opts.env, endpoint) ?? '';
    const key = [service, endpoint ?? '', variant.fips.on, variant.dualStack.on, refusal, ctx.region, ctx.profile, ctx.account ?? '', timeouts.connectMs, timeouts.requestMs, timeouts.maxAttempts, timeouts.totalMs ?? '', timeouts === this.sendTimeouts].join('\u0000');
    let byKey = this.clients.get(credentials);
    if (!byKey) {
      byKey = new Map();
      this.clients.set(credentials, byKey);
    }
    const hit = byKey.get(key);
    if (hit) {
      return hit as C;
    }
    const client = this.instrument(make(this.config(profile, service, endpoint, credentials, ctx, timeouts)), service, ctx, credentials, endpoint, timeouts);
    byKey.set(key, client);
    return client;
  }

  private config(profile: AwsProfile | undefined, service: ServiceId, endpoint: string | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts: Timeouts) {
    return {
      ...this.fixedSettings(profile, service, endpoint),
      // The endpoint is decided here (endpointFor): the SDK need not look for one in the environment and the AWS
      // files (two more reads of the files per client; the SDK would also read the default profile's, not this one's).
      ignoreConfiguredEndpointUrls: true,
      region: ctx.region,
      credentials,
      maxAttempts: timeouts.maxAttempts,
      systemClockOffset: this.clockOffsetMs,
      // A send is never repeated: its request gets a connection of its own (see BoundedHandlerOptions.fresh).
      requestHandler: new BoundedHttpHandler({ connectMs: timeouts.connectMs, attemptMs: timeouts.requestMs, pool: this.pool, fresh: timeouts === this.sendTimeouts }),
      ...(endpoint ? { endpoint } : {}),
    };
  }

  /**
   * Settings every SDK client otherwise reads from the shared config file when it is built — about
   * seven parses of the whole file per client, which at 10,000 profiles cost more than the call
   * itself (BENCHMARKS.md, point 3). FIPS and dual-stack follow the environment, then the profile, as the SDK reads
   * them (core/endpoints.ts); a setting the SDK would refuse (an invalid value, FIPS or dual-stack with a configured
   * endpoint) fails each call with the reason, where the SDK would fail it, before anything is sent.
   */
  private fixedSettings(profile: AwsProfile | undefined, service: ServiceId, endpoint: string | undefined): Record<string, unknown> {
    const env = this.opts.env;
    const variant = endpointVariant(profile, env);
    const refusal = endpointRefusal(profile, service, env, endpoint);
    const refuse = (): Promise<never> => Promise.reject(new TenDlcError('profile', refusal ?? '', l10n.t('Fix the setting in the AWS config file or the environment, then try again.')));
    return {
      useFipsEndpoint: refusal ? refuse : variant.fips.on,
      useDualstackEndpoint: refusal ? refuse : variant.dualStack.on,
      retryMode: 'standard',
      defaultsMode: 'legacy',
      authSchemePreference: [],
      userAgentAppId: '',
      requestChecksumCalculation: 'WHEN_SUPPORTED',
      responseChecksumValidation: 'WHEN_SUPPORTED',
      accountIdEndpointMode: 'preferred',
      sigv4aSigningRegionSet: [],
    };
  }

  /**
   * Adds what every call of the client needs: the log line, the deadline of the whole call, credentials resolved
   * ahead with the call's signal, a single retry after a refusal the SDK corrected the clock for (also for
   * single-attempt calls, which the SDK would not retry), and the clock offset kept for the next client.
   */
  private instrument<C extends AnyClient>(
    client: C,
    service: ServiceId,
    ctx: CallContext,
    credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
    endpointUrl: string | undefined,
    timeouts: Timeouts = this.timeouts,
  ): C {
    const log = this.opts.logger;
    const label = SERVICE_LABEL[service];
    const shownEndpoint = endpointUrl ? withoutUserInfo(endpointUrl) : undefined;
    const endpoint = shownEndpoint ? ` via ${shownEndpoint}` : '';
    // The stack is typed per client; the middleware only reads metadata, so a loose cast is safe here.
    (client.middlewareStack as unknown as {
      add(mw: unknown, opts: { step: string; name: string; priority: string }): void;
    }).add(
      (next: (args: unknown) => Promise<{ output?: { $metadata?: { requestId?: string; attempts?: number } } }>, context: CallMiddlewareContext) =>
        async (args: unknown) => {
          const op = (context.commandName ?? 'Unknown').replace(/Command$/, '');
          const who = `profile=${ctx.profile} account=${ctx.account ?? '?'} region=${ctx.region}`;
          const started = Date.now();
          // No configured endpoint: the one the SDK chose (FIPS, dual-stack, the partition's), once it has.
          const via = (): string => endpoint || (context.endpointV2?.url ? ` via ${withoutUserInfo(context.endpointV2.url.href.replace(/\/$/, ''))}` : '');
          try {
            const result = await next(args);
            if (!READ_OR_SEND.test(op)) {
              this.writes++;
            }
            const meta = result.output?.$metadata;
            log.info(
              `${label} ${op} ${who}${via()} → ok in ${Date.now() - started} ms` +
                `${meta?.attempts && meta.attempts > 1 ? ` after ${meta.attempts} attempts` : ''}` +
                `${meta?.requestId ? ` (request ${meta.requestId})` : ''}`,
            );
            return result;
          } catch (caught) {
            // With the signal fired, the retry loop throws its own plain AbortError in place of the attempt's error:
            // what the attempt recorded (was the request written?) is carried over, and a total deadline is a timeout.
            const signal = context.__smithy_context?.abortSignal;
            let e = caught;
            if (typeof e === 'object' && e !== null && context.tendlcAttempt && !('$tendlcRequest' in e)) {
              Object.assign(e, context.tendlcAttempt);
            }
            if (signal?.aborted && signal.reason instanceof TotalDeadline && (caught as { name?: string }).name === 'AbortError') {
              e = carryMarks(caught, abortErrorFor(signal));
            }
            const err = e as { name?: string; $metadata?: { attempts?: number } };
            annotate(e, op, shownEndpoint);
            const skew = clockSkewOf(e);
            log.warn(
              `${label} ${op} ${who}${via()} → ${err.name ?? 'Error'} in ${Date.now() - started} ms` +
                `${err.$metadata?.attempts && err.$metadata.attempts > 1 ? ` after ${err.$metadata.attempts} attempts` : ''}: ${getErrorMessage(e)}` +
                `${skew !== undefined ? ` (this computer's clock is ${Math.round(Math.abs(skew) / 60_000)} min ${skew > 0 ? 'behind' : 'ahead of'} the endpoint's)` : ''}`,
            );
            throw e;
          }
        },
      { step: 'initialize', name: 'tendlcCallLog', priority: 'high' },
    );
    // Per attempt, outside the deserializer: records how far the last attempt got, for the log middleware above.
    (client.middlewareStack as unknown as {
      add(mw: unknown, opts: { step: string; name: string; priority: string }): void;
    }).add(
      (next: (args: unknown) => Promise<unknown>, context: CallMiddlewareContext) => async (args: unknown) => {
        try {
          return await next(args);
        } catch (e) {
          const marks = (typeof e === 'object' && e !== null ? e : {}) as HttpErrorMarks & { $metadata?: { httpStatusCode?: number } };
          const state = marks.$tendlcRequest ?? (marks.$metadata?.httpStatusCode !== undefined ? 'sent' : undefined);
          // Once any attempt was written, the call's request may have been acted on.
          if (context.tendlcAttempt?.$tendlcRequest !== 'sent') {
            context.tendlcAttempt = { $tendlcRequest: state, $tendlcPhase: marks.$tendlcPhase };
          }
          throw e;
        }
      },
      { step: 'deserialize', name: 'tendlcAttemptMarks', priority: 'high' },
    );
    allowSkewRetry(client);
    const send = client.send.bind(client) as (command: unknown, options?: { abortSignal?: AbortSignal }) => Promise<unknown>;
    const totalMs = totalOf(timeouts);
    const config = client.config as unknown as { systemClockOffset?: number };
    // The factory owns its clients (they are reused): a caller's destroy() leaves this one open.
    Object.assign(client, { destroy: () => undefined });
    (client as unknown as { send: typeof send }).send = async (command, options) => {
      const userSignal = options?.abortSignal;
      // The SDK may still read the AWS files during the call (SSO and web identity through fromIni, client settings):
      // never ones the loader refuses.
      try {
        await checkAwsFilesForSdk();
      } catch (e) {
        log.warn(`${label} profile=${ctx.profile} account=${ctx.account ?? '?'} region=${ctx.region} → not called: ${getErrorMessage(e)}`);
        throw e;
      }
      // Start from the clock offset any client learnt last (this client may have been made long before).
      const offsetBefore = this.clockOffsetMs;
      config.systemClockOffset = offsetBefore;
      // Credentials first, with the caller's signal and their own bounds (a credential_process may wait for a
      // device touch): the call's deadline starts once they are there.
      if (isPrimable(credentials)) {
        const started = Date.now();
        try {
          await credentials.prime(userSignal);
        } catch (e) {
          // The call never started: the log line says what stopped it.
          log.warn(`${label} profile=${ctx.profile} account=${ctx.account ?? '?'} region=${ctx.region} → no credentials in ${Date.now() - started} ms: ${getErrorMessage(e)}`);
          throw e;
        }
      }
      const total = new AbortController();
      const timer = setTimeout(() => total.abort(new TotalDeadline(totalMs)), totalMs);
      const signal = userSignal ? AbortSignal.any([userSignal, total.signal]) : total.signal;
      try {
        return await settleOrGiveUp(send(command, { ...options, abortSignal: signal }), signal);
      } finally {
        clearTimeout(timer);
        // Only what this call learnt: a call that learnt nothing does not undo what another one did meanwhile.
        if (typeof config.systemClockOffset === 'number' && config.systemClockOffset !== offsetBefore) {
          this.clockOffsetMs = config.systemClockOffset;
        }
      }
    };
    return client;
  }
}

/**
 * Operations that change nothing in an account: reads, identity, and sends (a message changes no setup). Every other
 * operation that succeeds (Put, Set, Create, Update, Delete, Attach, Tag, Verify…) counts as a write.
 */
const READ_OR_SEND = /^(Get|List|Describe|Check|Filter|Validate|Simulate|Search|Lookup|Assume|Publish|SendTextMessage)/;

interface CallMiddlewareContext {
  commandName?: string;
  /** The endpoint the SDK resolved for the call (set by its endpoint middleware, before the request is sent). */
  endpointV2?: { url?: URL };
  __smithy_context?: { abortSignal?: AbortSignal };
  /** How far the last attempt got (see the deserialize-step middleware). */
  tendlcAttempt?: HttpErrorMarks;
}

/**
 * Settles like `p`; once `signal` has fired, gives `p` a moment to settle by itself (the handler's error says how far
 * the request got), then rejects without it: something below ignored the signal.
 */
function settleOrGiveUp<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let grace: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      grace = setTimeout(() => reject(Object.assign(abortErrorFor(signal), { $tendlcRequest: 'unknown' } satisfies HttpErrorMarks)), SETTLE_GRACE_MS);
    };
    if (signal.aborted) {
      onAbort();
    } else {
      signal.addEventListener('abort', onAbort, { once: true });
    }
    p.then(resolve, reject).finally(() => {
      clearTimeout(grace);
      signal.removeEventListener('abort', onAbort);
    });
  });
}

/** Keeps what the handler recorded about the request on the error that replaces `from`. */
function carryMarks(from: unknown, to: Error): Error {
  const marks = from as HttpErrorMarks;
  return Object.assign(to, { $tendlcRequest: marks.$tendlcRequest, $tendlcPhase: marks.$tendlcPhase, $metadata: (from as { $metadata?: unknown }).$metadata });
}

interface RetryTokenLike {
  getRetryCount(): number;
  getRetryDelay(): number;
  $tendlcSkewRetry?: boolean;
}

interface RetryStrategyV2Like {
  mode?: string;
  acquireInitialRetryToken(scope: string): Promise<RetryTokenLike>;
  refreshRetryTokenForRetry(token: RetryTokenLike, info: { error?: unknown }): Promise<RetryTokenLike>;
  recordSuccess(token: RetryTokenLike): void;
}

/**
 * The SDK retries a request its signer corrected the clock for (a skew error is "transient") — but only while
 * attempts remain, and Publish and the read-only checks have one. A request AWS refused for its signing time was
 * not acted on, so it gets exactly one more attempt, signed with the corrected clock, whatever the attempt limit.
 */
function allowSkewRetry(client: AnyClient): void {
  const config = client.config as unknown as { retryStrategy?: () => Promise<unknown> };
  const original = config.retryStrategy;
  if (typeof original !== 'function') {
    return;
  }
  let wrapped: Promise<unknown> | undefined;
  config.retryStrategy = () =>
    (wrapped ??= original().then((s) => {
      const strategy = s as Partial<RetryStrategyV2Like>;
      if (typeof strategy.refreshRetryTokenForRetry !== 'function' || typeof strategy.acquireInitialRetryToken !== 'function' || typeof strategy.recordSuccess !== 'function') {
        return s;
      }
      const v2 = strategy as RetryStrategyV2Like;
      const skewAware: RetryStrategyV2Like = {
        mode: v2.mode,
        acquireInitialRetryToken: (scope) => v2.acquireInitialRetryToken(scope),
        refreshRetryTokenForRetry: async (token, info) => {
          try {
            return await v2.refreshRetryTokenForRetry(token, info);
          } catch (refused) {
            if (token.$tendlcSkewRetry || !isSkewRefusal(info.error) || !(info.error as { $metadata?: { clockSkewCorrected?: boolean } }).$metadata?.clockSkewCorrected) {
              throw refused;
            }
            const count = token.getRetryCount() + 1;
            return { getRetryCount: () => count, getRetryDelay: () => 0, getRetryCost: () => undefined, isLongPoll: () => false, $retryLog: { acquisitionDelay: 0 }, $tendlcSkewRetry: true };
          }
        },
        recordSuccess: (token) => v2.recordSuccess(token),
      };
      return skewAware;
    }));
}

/** Marks an SDK error with the operation and endpoint, so the message shown later can name them. */
function annotate(e: unknown, operation: string, endpoint: string | undefined): void {
  if (typeof e === 'object' && e !== null && !('$tendlcOperation' in e)) {
    Object.assign(e, { $tendlcOperation: operation, $tendlcEndpoint: endpoint });
  }
}

