/**
 * Points 3 and 4, in plain Node with the shipped AWS layer (dist/aws.js, the production bundle with the SDK in it)
 * and the shipped profile loader, against a loopback fake AWS this process starts (test/bench/fakeAws.ts).
 *
 * 3. Account-id discovery: 50 static-key profiles (the only kind looked up with GetCallerIdentity; SSO and role
 *    profiles state their account), the server answering after 200 ms; the wall time of resolving all 50 at
 *    once, the most calls the server saw in flight together, and the calls a second round made (cached: 0).
 *    At the AccountResolver's default limit and at higher ones. Then 10 lookups with those profiles among 10,000
 *    others: the SDK parses the shared files again for every client and credential resolution, which shows there.
 * 4. Round trips per test SMS through runTestSend, with no session and with the cached session.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ProfileLoader } from '../../src/core/profileLoader';
import type { AwsProfile } from '../../src/core/profiles';
import { startFakeAws, type FakeAws } from './fakeAws';
import { generateAwsFiles } from './fixtures';
import { median } from './stats';

type AwsModule = typeof import('../../src/aws/index');

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export interface DiscoveryRow {
  /** Profiles in the files. */
  readonly filesProfiles: number;
  readonly profiles: number;
  /** `default` is the AccountResolver's own default limit (what the extension uses). */
  readonly limit: number | 'default';
  /** The default limit, read from the resolver (so the report names it). */
  readonly effectiveLimit: number;
  readonly wallMs: number;
  readonly serialMs: number;
  readonly maxInFlight: number;
  readonly calls: number;
  readonly secondRoundCalls: number;
  readonly known: number;
}

export interface RoundTripRow {
  readonly scenario: string;
  readonly requests: string[];
}

export interface AwsCallsResult {
  readonly singleLookupMs: number;
  readonly discovery: DiscoveryRow[];
  readonly roundTrips: RoundTripRow[];
}

function loadAwsBundle(root: string): AwsModule {
  const file = path.join(root, 'dist', 'aws.js');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as AwsModule;
}

/** Files with `n` static-key profiles `lookup-0..n-1` pointed at `endpoint`, after `padding` other profiles. */
function lookupFiles(dir: string, n: number, endpoint: string, padding: number): { env: Record<string, string>; names: string[] } {
  const pad = padding > 0 ? generateAwsFiles(padding, { mix: 'sso', endpointUrl: endpoint, prefix: 'org-' }) : { config: '', credentials: '' };
  const cfg: string[] = [pad.config, ''];
  const cred: string[] = [pad.credentials, ''];
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `lookup-${i}`;
    names.push(name);
    cfg.push(`[profile ${name}]`, 'region = us-east-1', `endpoint_url = ${endpoint}`, '');
    cred.push(`[${name}]`, `aws_access_key_id = AKIABENCH${String(i).padStart(11, '0')}`, `aws_secret_access_key = ${'x'.repeat(40)}`, '');
  }
  fs.mkdirSync(dir, { recursive: true });
  const configPath = path.join(dir, 'config');
  const credentialsPath = path.join(dir, 'credentials');
  fs.writeFileSync(configPath, cfg.join('\n'));
  fs.writeFileSync(credentialsPath, cred.join('\n'));
  return { env: { AWS_CONFIG_FILE: configPath, AWS_SHARED_CREDENTIALS_FILE: credentialsPath, HOME: dir }, names };
}

/** The SDK reads AWS_CONFIG_FILE from process.env when it resolves credentials: point it at the bench's files. */
function useFiles(env: Record<string, string>): void {
  for (const k of ['AWS_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_SNS', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
    delete process.env[k];
  }
  Object.assign(process.env, env);
}

/** The resolver's default limit, once a run with more profiles than the limit has shown it. */
let knownDefaultLimit: number | undefined;

async function discovery(aws: AwsModule, server: FakeAws, profiles: AwsProfile[], limit: number | 'default', filesProfiles: number, serialMs: number): Promise<DiscoveryRow> {
  const services = aws.createAwsServices({
    logger: quiet,
    env: process.env,
    defaultRegion: () => 'us-east-1',
    ...(limit === 'default' ? {} : { lookupConcurrency: limit }),
  });
  server.reset();
  const t0 = performance.now();
  const pending = profiles.map((p) => services.accounts.resolve(p, { interactive: false }));
  // Every lookup is queued synchronously; the limiter (private) has as many running as its limit allows.
  const running = (services.accounts as unknown as { limit: { active: number } }).limit.active;
  if (limit === 'default' && running < profiles.length) knownDefaultLimit = running;
  const effectiveLimit = limit === 'default' ? (running < profiles.length ? running : knownDefaultLimit ?? running) : limit;
  const states = await Promise.all(pending);
  const wallMs = performance.now() - t0;
  const calls = server.count('GetCallerIdentity');
  const maxInFlight = server.maxInFlight.get('GetCallerIdentity') ?? 0;
  server.reset();
  await Promise.all(profiles.map((p) => services.accounts.resolve(p, { interactive: false })));
  return {
    filesProfiles,
    profiles: profiles.length,
    limit,
    effectiveLimit,
    wallMs,
    serialMs,
    maxInFlight,
    calls,
    secondRoundCalls: server.count('GetCallerIdentity'),
    known: states.filter((s) => s.status === 'known').length,
  };
}

export async function benchAwsCalls(root: string, tmp: string): Promise<AwsCallsResult> {
  const aws = loadAwsBundle(root);
  const savedEnv = { ...process.env };
  const server = await startFakeAws({ delays: { GetCallerIdentity: 200 } });
  try {
    const rows: DiscoveryRow[] = [];
    let singleLookupMs = 0;
    for (const [padding, count, limits] of [
      [0, 50, ['default', 8, 16, 50]],
      [10_000, 10, ['default']],
    ] as const) {
      const { env, names } = lookupFiles(path.join(tmp, `lookup-${padding}`), count, server.endpoint, padding);
      useFiles(env);
      const loaded = await new ProfileLoader(env, tmp).load();
      const profiles = names.map((n) => loaded.byName.get(n)).filter((p): p is AwsProfile => p !== undefined);
      if (profiles.length !== count) throw new Error(`expected ${count} lookup profiles, found ${profiles.length}`);
      // One lookup at a time, three times: the serial sum is 50 times its median.
      const single: number[] = [];
      for (let i = 0; i < 3; i++) {
        const s = aws.createAwsServices({ logger: quiet, env: process.env, defaultRegion: () => 'us-east-1' });
        const t0 = performance.now();
        await s.accounts.resolve(profiles[i], { interactive: false });
        single.push(performance.now() - t0);
      }
      const one = median(single);
      if (padding === 0) singleLookupMs = one;
      for (const limit of limits) {
        rows.push(await discovery(aws, server, profiles, limit, loaded.profiles.length, one * profiles.length));
      }
    }

    // Point 4: a static-key secondary, the primary's role, the SMS through the profile's endpoint.
    const { env } = lookupFiles(path.join(tmp, 'sms'), 1, server.endpoint, 0);
    useFiles(env);
    const loaded = await new ProfileLoader(env, tmp).load();
    const secondary = loaded.byName.get('lookup-0');
    if (!secondary) throw new Error('no secondary profile');
    const services = aws.createAwsServices({ logger: quiet, env: process.env, defaultRegion: () => 'us-east-1' });
    const assume = {
      profile: secondary,
      primaryAccountId: '111111111111',
      roleArn: 'arn:aws:iam::111111111111:role/tendlc-cross-account-sms',
      roleName: 'tendlc-cross-account-sms',
      requireMfa: false,
      region: 'us-east-1',
    };
    const sms = { destination: '+12065550123', message: 'benchmark', originationNumber: '+12065550100', smsType: 'Transactional' as const, region: 'us-east-1' };
    const prompts = {
      mfaCode: async (): Promise<string> => {
        throw new Error('no MFA in the benchmark');
      },
      mfaSerial: async (): Promise<string | undefined> => undefined,
      confirm: async (): Promise<boolean> => true,
    };
    const roundTrips: RoundTripRow[] = [];
    for (const scenario of ['no session', 'live cached session']) {
      server.reset();
      const r = await aws.runTestSend({ sessions: services.sessions, sms: services.sms, logger: quiet }, assume, sms, secondary, prompts);
      if (r.outcome !== 'sent') throw new Error(`test send: ${r.outcome}`);
      roundTrips.push({ scenario, requests: [...server.requests] });
    }
    return { singleLookupMs, discovery: rows, roundTrips };
  } finally {
    await server.stop();
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
  }
}
