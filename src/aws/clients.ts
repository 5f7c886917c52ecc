/**
 * Builds AWS SDK clients the same way for every call: explicit endpoint from the profile, bounded
 * timeouts and retries, and a middleware that logs every call (service, operation, profile, account,
 * region, outcome, duration) without credentials or request bodies.
 */
import { STSClient } from '@aws-sdk/client-sts';
import { SNSClient } from '@aws-sdk/client-sns';
import { IAMClient } from '@aws-sdk/client-iam';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { RAMClient } from '@aws-sdk/client-ram';
import { fromIni } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { configuredEndpoint, type ServiceId } from '../core/endpoints';
import type { AwsProfile } from '../core/profiles';
import { getErrorMessage } from '../core/redact';

/** Where log lines go. The UI layer supplies one that redacts secrets and phone numbers. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface Timeouts {
  /** TCP connect timeout, ms. */
  readonly connectMs: number;
  /** Time to wait for a response once connected, ms. */
  readonly requestMs: number;
  /** Attempts in all, including the first (the SDK's standard retry mode). */
  readonly maxAttempts: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 5_000, requestMs: 20_000, maxAttempts: 3 };
/** For read-only checks that may not exist on the endpoint: answer "unknown" fast. */
export const CHECK_TIMEOUTS: Timeouts = { connectMs: 3_000, requestMs: 8_000, maxAttempts: 1 };

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
}

type AnyClient = STSClient | SNSClient | IAMClient | PinpointSMSVoiceV2Client | CloudWatchLogsClient | AccessAnalyzerClient | RAMClient;

const SERVICE_LABEL: Record<ServiceId, string> = { sts: 'STS', sns: 'SNS', iam: 'IAM', 'sms-voice': 'EndUserMessaging', logs: 'Logs', 'access-analyzer': 'AccessAnalyzer', ram: 'RAM' };

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

  /** The AWS config or credentials file changed: the next credentials lookup reads them again. */
  markFilesChanged(): void {
    this.filesGeneration++;
  }

  constructor(private readonly opts: ClientFactoryOptions) {
    this.timeouts = opts.timeouts ?? DEFAULT_TIMEOUTS;
    this.sendTimeouts = { ...this.timeouts, maxAttempts: 1 };
    this.checkTimeouts = opts.checkTimeouts ?? CHECK_TIMEOUTS;
  }

  /** The endpoint a profile's client for a service will use (undefined: the SDK's default AWS endpoint). */
  endpointFor(profile: AwsProfile | undefined, service: ServiceId): string | undefined {
    return configuredEndpoint(profile, service, this.opts.env);
  }

  /**
   * Credentials of a profile through the SDK's own chain (`fromIni`): static keys, role_arn +
   * source_profile, credential_source, MFA, SSO, credential_process and web identity all resolve as in
   * the AWS CLI. The inner STS client gets the profile's endpoint and the same timeouts and attempts as
   * the outer call. `mfaCodeProvider` is asked only when the profile needs a code; background callers
   * pass one that refuses. With a `signal`, the provider rejects with an AbortError as soon as it fires
   * (the SDK cannot cancel its inner call; that one ends by its own timeout).
   */
  credentialsFor(
    profile: AwsProfile,
    region: string,
    mfaCodeProvider: MfaCodeProvider,
    opts: { readonly signal?: AbortSignal; readonly timeouts?: Timeouts } = {},
  ): AwsCredentialIdentityProvider {
    const stsEndpoint = this.endpointFor(profile, 'sts');
    const timeouts = opts.timeouts ?? this.timeouts;
    const clientConfig: Record<string, unknown> = { ...this.fixedSettings(), region, maxAttempts: timeouts.maxAttempts, requestHandler: handlerOptions(timeouts) };
    // Only STS-based chains: an SSO portal is never at the STS endpoint of an emulator.
    if (stsEndpoint && (profile.kind === 'assume-role' || profile.kind === 'web-identity')) {
      clientConfig['endpoint'] = stsEndpoint;
    }
    // Re-read the AWS files only after they changed: with thousands of profiles a re-read per lookup
    // costs more than the lookup (measured in BENCHMARKS.md, point 3).
    const ignoreCache = this.readGeneration !== this.filesGeneration;
    this.readGeneration = this.filesGeneration;
    const provider = fromIni({ profile: profile.name, mfaCodeProvider, clientConfig, ignoreCache });
    const signal = opts.signal;
    return async () => abortable(() => provider(), signal);
  }

  sts(profile: AwsProfile | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts?: Timeouts): STSClient {
    return this.instrument(new STSClient(this.config(profile, 'sts', credentials, ctx, timeouts)), 'sts', ctx, this.endpointFor(profile, 'sts'));
  }

  sns(profile: AwsProfile | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts?: Timeouts): SNSClient {
    return this.instrument(new SNSClient(this.config(profile, 'sns', credentials, ctx, timeouts)), 'sns', ctx, this.endpointFor(profile, 'sns'));
  }

  /** AWS End User Messaging SMS (pinpoint-sms-voice-v2): phone numbers and 10DLC registrations. */
  smsVoice(profile: AwsProfile | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts?: Timeouts): PinpointSMSVoiceV2Client {
    return this.instrument(new PinpointSMSVoiceV2Client(this.config(profile, 'sms-voice', credentials, ctx, timeouts)), 'sms-voice', ctx, this.endpointFor(profile, 'sms-voice'));
  }

  /** CloudWatch Logs: SNS's SMS delivery records. */
  logs(profile: AwsProfile | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts?: Timeouts): CloudWatchLogsClient {
    return this.instrument(new CloudWatchLogsClient(this.config(profile, 'logs', credentials, ctx, timeouts)), 'logs', ctx, this.endpointFor(profile, 'logs'));
  }

  /** IAM Access Analyzer: ValidatePolicy before a policy is written. */
  accessAnalyzer(profile: AwsProfile | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts?: Timeouts): AccessAnalyzerClient {
    return this.instrument(new AccessAnalyzerClient(this.config(profile, 'access-analyzer', credentials, ctx, timeouts)), 'access-analyzer', ctx, this.endpointFor(profile, 'access-analyzer'));
  }

  /** AWS RAM: the resource share of the number, and invitations to it. */
  ram(profile: AwsProfile | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts?: Timeouts): RAMClient {
    return this.instrument(new RAMClient(this.config(profile, 'ram', credentials, ctx, timeouts)), 'ram', ctx, this.endpointFor(profile, 'ram'));
  }

  iam(profile: AwsProfile | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts?: Timeouts): IAMClient {
    return this.instrument(new IAMClient(this.config(profile, 'iam', credentials, ctx, timeouts)), 'iam', ctx, this.endpointFor(profile, 'iam'));
  }

  private config(
    profile: AwsProfile | undefined,
    service: ServiceId,
    credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
    ctx: CallContext,
    timeouts: Timeouts = this.timeouts,
  ) {
    const endpoint = this.endpointFor(profile, service);
    return {
      ...this.fixedSettings(),
      region: ctx.region,
      credentials,
      maxAttempts: timeouts.maxAttempts,
      requestHandler: handlerOptions(timeouts),
      ...(endpoint ? { endpoint } : {}),
    };
  }

  /**
   * Settings every SDK client otherwise reads from the shared config file when it is built — about
   * seven parses of the whole file per client, which at 10,000 profiles cost more than the call
   * itself (BENCHMARKS.md, point 3). FIPS and dual-stack still follow the environment.
   */
  private fixedSettings(): Record<string, unknown> {
    const env = this.opts.env;
    return {
      useFipsEndpoint: (env['AWS_USE_FIPS_ENDPOINT'] ?? '').toLowerCase() === 'true',
      useDualstackEndpoint: (env['AWS_USE_DUALSTACK_ENDPOINT'] ?? '').toLowerCase() === 'true',
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

  private instrument<C extends AnyClient>(client: C, service: ServiceId, ctx: CallContext, endpointUrl: string | undefined): C {
    const log = this.opts.logger;
    const label = SERVICE_LABEL[service];
    const endpoint = endpointUrl ? ` via ${endpointUrl}` : '';
    // The stack is typed per client; the middleware only reads metadata, so a loose cast is safe here.
    (client.middlewareStack as unknown as {
      add(mw: unknown, opts: { step: string; name: string; priority: string }): void;
    }).add(
      (next: (args: unknown) => Promise<{ output?: { $metadata?: { requestId?: string; attempts?: number } } }>, context: { commandName?: string }) =>
        async (args: unknown) => {
          const op = (context.commandName ?? 'Unknown').replace(/Command$/, '');
          const who = `profile=${ctx.profile} account=${ctx.account ?? '?'} region=${ctx.region}`;
          const started = Date.now();
          try {
            const result = await next(args);
            const meta = result.output?.$metadata;
            log.info(
              `${label} ${op} ${who}${endpoint} → ok in ${Date.now() - started} ms` +
                `${meta?.attempts && meta.attempts > 1 ? ` after ${meta.attempts} attempts` : ''}` +
                `${meta?.requestId ? ` (request ${meta.requestId})` : ''}`,
            );
            return result;
          } catch (e) {
            const err = e as { name?: string; $metadata?: { attempts?: number } };
            annotate(e, op, endpointUrl);
            log.warn(
              `${label} ${op} ${who}${endpoint} → ${err.name ?? 'Error'} in ${Date.now() - started} ms` +
                `${err.$metadata?.attempts && err.$metadata.attempts > 1 ? ` after ${err.$metadata.attempts} attempts` : ''}: ${getErrorMessage(e)}`,
            );
            throw e;
          }
        },
      { step: 'initialize', name: 'tendlcCallLog', priority: 'high' },
    );
    return client;
  }
}

/**
 * Options of the SDK's Node HTTP handler. `throwOnRequestTimeout` is what makes `requestTimeout` end a
 * request: without it the handler (node-http-handler 4.x, SDK 3.1169) only prints a warning and waits
 * on, up to the client's default socket timeout (300 s for STS and SNS), per attempt.
 */
function handlerOptions(t: Timeouts) {
  return { connectionTimeout: t.connectMs, requestTimeout: t.requestMs, throwOnRequestTimeout: true };
}

/** Runs `start`, and settles like its promise, or rejects with an AbortError as soon as `signal` fires. */
export function abortable<T>(start: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) {
    return start();
  }
  const abortError = () => Object.assign(new Error('Request aborted'), { name: 'AbortError' });
  if (signal.aborted) {
    return Promise.reject(abortError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    start()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Marks an SDK error with the operation and endpoint, so the message shown later can name them. */
function annotate(e: unknown, operation: string, endpoint: string | undefined): void {
  if (typeof e === 'object' && e !== null && !('$tendlcOperation' in e)) {
    Object.assign(e, { $tendlcOperation: operation, $tendlcEndpoint: endpoint });
  }
}
