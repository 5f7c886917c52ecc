/**
 * Runs the AWS SDK for JavaScript's own `fromIni` (from node_modules: what the extension runs) on a pair of AWS
 * files, with STS replaced by recorders, and reports the credential chain it walked: where the base credentials came
 * from, then each AssumeRole in the order it was called, and every MFA code it asked for. Nothing leaves the machine:
 * AssumeRole and AssumeRoleWithWebIdentity are the recorders, `credential_source = Ec2InstanceMetadata` needs the
 * loopback IMDS of `startLoopbackImds`, `Environment` reads `process.env`.
 *
 * A helper of the unit tests (assumeRoleChain.conformance.test.ts, profileChains.test.ts), not a test itself.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromIni } from '@aws-sdk/credential-providers';
import type { AwsProfile } from '../../src/core/profiles';

/** One step of a chain, in a shape the suite, the SDK and the model can all be written in. */
export type ChainStep =
  | { readonly base: 'static'; readonly profile: string }
  | { readonly base: 'credential-source'; readonly source: string }
  | { readonly base: 'web-identity'; readonly roleArn: string; readonly roleSessionName?: string }
  | { readonly base: 'process'; readonly profile: string }
  | { readonly base: 'sso'; readonly profile: string }
  | { readonly base: 'unknown'; readonly accessKeyId: string }
  | { readonly hop: string; readonly roleSessionName?: string; readonly externalId?: string };

export interface SdkOutcome {
  /** The SDK's error message, when it gave no credentials. */
  readonly error?: string;
  readonly steps: ChainStep[];
  /** The mfa_serial of every MFA code the SDK asked for, in order. */
  readonly mfaAsked: string[];
}

/** Drops undefined properties, so `{ a: undefined }` and `{}` compare equal. */
export function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * What `fromIni({ profile })` does. `keyOwners`: the base step of every access key id a base can give (a profile's
 * static keys, the environment's, the IMDS's, a credential_process's), so the recorder can tell where the credentials
 * it is handed came from.
 */
export async function resolveWithSdk(opts: {
  readonly configPath: string;
  readonly credentialsPath: string;
  readonly profile: string;
  readonly keyOwners: ReadonlyMap<string, ChainStep>;
}): Promise<SdkOutcome> {
  const steps: ChainStep[] = [];
  const mfaAsked: string[] = [];
  let minted = 0;
  const baseFrom = (accessKeyId: string): void => {
    if (accessKeyId.startsWith('recorded-')) return; // credentials a recorder gave: the base is already recorded
    steps.push(opts.keyOwners.get(accessKeyId) ?? { base: 'unknown', accessKeyId });
  };
  const provider = fromIni({
    profile: opts.profile,
    filepath: opts.credentialsPath,
    configFilepath: opts.configPath,
    ignoreCache: true,
    mfaCodeProvider: async (serial) => {
      mfaAsked.push(serial);
      return '123456';
    },
    roleAssumer: async (source, params) => {
      baseFrom(source.accessKeyId);
      // The SDK names a session itself when the profile does not: that is not a setting of the chain.
      const session = params.RoleSessionName?.startsWith('aws-sdk-js-') ? undefined : params.RoleSessionName;
      steps.push(clean({ hop: params.RoleArn, roleSessionName: session, externalId: params.ExternalId }));
      return { accessKeyId: `recorded-${++minted}`, secretAccessKey: 'recorded' };
    },
    roleAssumerWithWebIdentity: async (params) => {
      steps.push(clean({ base: 'web-identity', roleArn: params.RoleArn, roleSessionName: params.RoleSessionName?.startsWith('aws-sdk-js-') ? undefined : params.RoleSessionName }));
      return { accessKeyId: `recorded-${++minted}`, secretAccessKey: 'recorded' };
    },
  });
  try {
    const creds = await provider();
    if (steps.length === 0) baseFrom(creds.accessKeyId);
    return { steps, mfaAsked };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e), steps, mfaAsked };
  }
}

/** A profile's chain as the model shows it, in the same shape (undefined when the model gives no credentials). */
export function modelSteps(p: AwsProfile | undefined): ChainStep[] | undefined {
  const c = p?.credentials;
  if (!c) return undefined;
  const b = c.base;
  const base: ChainStep =
    b.kind === 'static'
      ? { base: 'static', profile: b.profile }
      : b.kind === 'credential-source'
        ? { base: 'credential-source', source: b.source }
        : b.kind === 'web-identity'
          ? clean({ base: 'web-identity', roleArn: b.roleArn, roleSessionName: b.roleSessionName })
          : b.kind === 'process'
            ? { base: 'process', profile: b.profile }
            : { base: 'sso', profile: b.profile };
  return [base, ...c.hops.map((h) => clean({ hop: h.roleArn, roleSessionName: h.roleSessionName, externalId: h.externalId }))];
}

/**
 * A loopback stand-in for the EC2 instance metadata service (IMDSv2: token, role name, credentials), pointed at by
 * AWS_EC2_METADATA_SERVICE_ENDPOINT while it runs. Its credentials carry `accessKeyId`.
 */
export async function startLoopbackImds(accessKeyId: string): Promise<{ stop(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    if (req.method === 'PUT' && url === '/latest/api/token') return void res.end('loopback-token');
    if (url === '/latest/meta-data/iam/security-credentials/') return void res.end('loopback-role');
    if (url === '/latest/meta-data/iam/security-credentials/loopback-role') {
      const Expiration = new Date(Date.now() + 3600_000).toISOString();
      return void res.end(JSON.stringify({ Code: 'Success', AccessKeyId: accessKeyId, SecretAccessKey: 'loopback', Token: 'loopback', Expiration }));
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const previous = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    stop: async () => {
      if (previous === undefined) delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
      else process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = previous;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
