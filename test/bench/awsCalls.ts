/**
 * Points 3 and 4, in plain Node with the shipped AWS layer (dist/aws.js, the production bundle with the SDK in it)
 * and the shipped profile loader, against a loopback fake AWS this process starts (test/bench/fakeAws.ts).
 *
 * 3. Account-id discovery: 50 static-key profiles (the only kind looked up with GetCallerIdentity; SSO and role
 *    profiles state their account), the server answering after 200 ms; the wall time of resolving all 50 at
 *    once, the most calls the server saw in flight together, and the calls a second round made (cached: 0).
 *    At the AccountResolver's default limit and at higher ones. Then 10 lookups with those profiles among 10,000
 *    others: the SDK parses the shared files again for every client and credential resolution, which shows there.
 *    And the CPU time of one lookup with files of 10 and of 10,000 profiles (the SDK's parse of the files per call
 *    showed there), one lookup at a time so nothing else runs meanwhile.
 * The send (point 4) is measured at the command level in the extension host (sendHost.ts).
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

/** CPU time of one account lookup (GetCallerIdentity of a static-key profile) with files of a given size. */
export interface LookupCpuRow {
  readonly filesProfiles: number;
  readonly fileBytes: number;
  /** The first lookup after the files were written (it may parse them), ms of CPU. */
  readonly firstCpuMs: number;
  /** Median of the lookups after it, ms of CPU. */
  readonly cpuMs: number;
  readonly lookups: number;
}

export interface AwsCallsResult {
  readonly singleLookupMs: number;
  readonly discovery: DiscoveryRow[];
  readonly lookupCpu?: LookupCpuRow[];
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

/** CPU of `n` lookups one after the other, each of a profile not looked up before (a fresh resolver's first). */
async function lookupCpu(aws: AwsModule, loader: ProfileLoader, profiles: AwsProfile[], filesProfiles: number, fileBytes: number): Promise<LookupCpuRow> {
  const services = aws.createAwsServices({ logger: quiet, env: process.env, defaultRegion: () => 'us-east-1', profileFiles: loader } as Parameters<AwsModule['createAwsServices']>[0]);
  const cpu: number[] = [];
  for (const p of profiles) {
    const c0 = process.cpuUsage();
    const state = await services.accounts.resolve(p, { interactive: false });
    const c = process.cpuUsage(c0);
    if (state.status !== 'known') throw new Error(`lookup of ${p.name}: ${state.status}`);
    cpu.push((c.user + c.system) / 1000);
  }
  return { filesProfiles, fileBytes, firstCpuMs: cpu[0], cpuMs: median(cpu.slice(1)), lookups: cpu.length };
}

export async function benchAwsCalls(root: string, tmp: string): Promise<AwsCallsResult> {
  const aws = loadAwsBundle(root);
  const savedEnv = { ...process.env };
  const server = await startFakeAws({ delays: { GetCallerIdentity: 200 } });
  try {
    // CPU of one lookup, first, while nothing else runs: 10 lookups with files of 10 and of 10,000 profiles.
    const cpuRows: LookupCpuRow[] = [];
    for (const size of [10, 10_000]) {
      const { env, names } = lookupFiles(path.join(tmp, `cpu-${size}`), 10, server.endpoint, size - 10);
      useFiles(env);
      const loader = new ProfileLoader(env, tmp);
      const loaded = await loader.load();
      const profiles = names.map((n) => loaded.byName.get(n)).filter((p): p is AwsProfile => p !== undefined);
      const bytes = fs.statSync(env['AWS_CONFIG_FILE']).size + fs.statSync(env['AWS_SHARED_CREDENTIALS_FILE']).size;
      cpuRows.push(await lookupCpu(aws, loader, profiles, loaded.profiles.length, bytes));
    }
    const rows: DiscoveryRow[] = [];
    let singleLookupMs = 0;
    for (const [padding, count, limits] of [
      [0, 50, ['default', 8, 16, 50]],
      [10_000, 10, ['default']],
    ] as const) {
      const { env, names } = lookupFiles(path.join(tmp, `lookup-${padding}`), count, server.endpoint, padding);
      useFiles(env);
      const loader = new ProfileLoader(env, tmp);
      const loaded = await loader.load();
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

    return { singleLookupMs, discovery: rows, lookupCpu: cpuRows };
  } finally {
    await server.stop();
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
  }
}
