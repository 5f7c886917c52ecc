/**
 * Builds AWS SDK clients the same way for every call: explicit endpoint from the profile, bounded
 * timeouts and retries, and a middleware that logs every call (service, operation, profile, account,
 * region, outcome, duration) without credentials or request bodies.
 */
import { STSClient } from '@aws-sdk/client-sts';
import { SNSClient } from '@aws-sdk/client-sns';
import { IAMClient } from '@aws-sdk/client-iam';
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
}

type AnyClient = STSClient | SNSClient | IAMClient;

const SERVICE_LABEL: Record<ServiceId, string> = { sts: 'STS', sns: 'SNS', iam: 'IAM' };

export class ClientFactory {
  private readonly timeouts: Timeouts;

  constructor(private readonly opts: ClientFactoryOptions) {
    this.timeouts = opts.timeouts ?? DEFAULT_TIMEOUTS;
  }

  /** The endpoint a profile's client for a service will use (undefined: the SDK's default AWS endpoint). */
  endpointFor(profile: AwsProfile | undefined, service: ServiceId): string | undefined {
    return configuredEndpoint(profile, service, this.opts.env);
  }

  /**
   * Credentials of a profile through the SDK's own chain (`fromIni`): static keys, role_arn +
   * source_profile, credential_source, MFA, SSO, credential_process and web identity all resolve as in
   * the AWS CLI. The inner STS client gets the profile's endpoint. `mfaCodeProvider` is asked only when
   * the profile needs a code; background callers pass one that refuses.
   */
  credentialsFor(profile: AwsProfile, region: string, mfaCodeProvider: MfaCodeProvider): AwsCredentialIdentityProvider {
    const stsEndpoint = this.endpointFor(profile, 'sts');
    const clientConfig: Record<string, unknown> = { region };
    // Only STS-based chains: an SSO portal is never at the STS endpoint of an emulator.
    if (stsEndpoint && (profile.kind === 'assume-role' || profile.kind === 'web-identity')) {
      clientConfig['endpoint'] = stsEndpoint;
    }
    const provider = fromIni({ profile: profile.name, mfaCodeProvider, clientConfig, ignoreCache: true });
    return async () => provider();
  }

  sts(profile: AwsProfile | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts?: Timeouts): STSClient {
    return this.instrument(new STSClient(this.config(profile, 'sts', credentials, ctx, timeouts)), 'sts', ctx, this.endpointFor(profile, 'sts'));
  }

  sns(profile: AwsProfile | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, ctx: CallContext, timeouts?: Timeouts): SNSClient {
    return this.instrument(new SNSClient(this.config(profile, 'sns', credentials, ctx, timeouts)), 'sns', ctx, this.endpointFor(profile, 'sns'));
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
      region: ctx.region,
      credentials,
      maxAttempts: timeouts.maxAttempts,
      requestHandler: { connectionTimeout: timeouts.connectMs, requestTimeout: timeouts.requestMs },
      ...(endpoint ? { endpoint } : {}),
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

/** Marks an SDK error with the operation and endpoint, so the message shown later can name them. */
function annotate(e: unknown, operation: string, endpoint: string | undefined): void {
  if (typeof e === 'object' && e !== null && !('$tendlcOperation' in e)) {
    Object.assign(e, { $tendlcOperation: operation, $tendlcEndpoint: endpoint });
  }
}
