/**
 * Runs the extension-host part of the benchmark (points 1 and 5) in code-server, like the host tests: a copy of
 * the extension whose `main` is test/bench/hostWrapper.ts (it loads the real dist/extension.js and times it), AWS
 * files of N profiles pointed at the loopback fake AWS, and test/bench/hostBench.ts as the tests module.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runExtensionHostTests } from '../harness/hostTests';
import { generateAwsFiles, writeAwsFiles } from './fixtures';
import type { HostBenchOutput } from './hostBench';

export type HostMode = 'startup' | 'memory' | 'send' | 'tree';

export interface HostRunOptions {
  readonly root: string;
  /** Scratch folder of this run (kept with the logs). */
  readonly dir: string;
  readonly profiles: number;
  readonly mode: HostMode;
  /** Where every profile's endpoint_url points (the fake AWS), so nothing can reach AWS. */
  readonly endpoint: string;
  /** send: the latencies to measure at, and the repetitions of each scenario. */
  readonly latencies?: readonly number[];
  readonly reps?: number;
}

/** The settings of the run: a primary (SSO), and secondaries of each kind, one of them with static keys. */
export const BENCH_SETTINGS = {
  'tendlc.primaryProfile': 'sso-9-AdministratorAccess',
  'tendlc.secondaryProfiles': ['role-1', 'role-2', 'chain-5', 'sso-10-AdministratorAccess', 'base-0'],
  'tendlc.originationNumber': '+12065550100',
  'tendlc.region': 'us-east-1',
};

/** The tree run: the loading benchmark's even mix (a quarter static keys, none declaring its account). */
export const TREE_SETTINGS = {
  'tendlc.primaryProfile': 'sso-1-AdministratorAccess',
  'tendlc.secondaryProfiles': ['role-2', 'chain-3', 'base-4'],
  'tendlc.originationNumber': '+12065550100',
  'tendlc.region': 'us-east-1',
};

/** The send run: a primary that states its account, and a static-key secondary (account 222222222222). */
export const SEND_SETTINGS = {
  'tendlc.primaryProfile': 'bench-primary',
  'tendlc.secondaryProfiles': ['bench-secondary'],
  'tendlc.originationNumber': '+12065550100',
  'tendlc.testDestinationNumber': '+12065550123',
  'tendlc.region': 'us-east-1',
};

function sendFiles(endpoint: string): { config: string; credentials: string } {
  const config = [
    '[profile bench-primary]',
    'region = us-east-1',
    `endpoint_url = ${endpoint}`,
    'aws_account_id = 111111111111',
    '',
    '[profile bench-secondary]',
    'region = us-east-1',
    `endpoint_url = ${endpoint}`,
    '',
  ].join('\n');
  // Made-up test keys (the fake AWS does not check signatures).
  const credentials = ['[bench-primary]', `aws_access_key_id = AKIA${'BENCHPRIMARY'.padEnd(16, '0')}`, `aws_secret_access_key = ${'p'.repeat(40)}`, '', '[bench-secondary]', `aws_access_key_id = AKIA${'BENCHSECOND'.padEnd(16, '0')}`, `aws_secret_access_key = ${'q'.repeat(40)}`, ''].join('\n');
  return { config, credentials };
}

/** A copy of the extension (package.json, dist, media) whose main is the timing wrapper. */
function extensionCopy(root: string, dir: string): string {
  const ext = path.join(dir, 'extension');
  fs.mkdirSync(path.join(ext, 'dist'), { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  manifest['main'] = './bench-main.js';
  fs.writeFileSync(path.join(ext, 'package.json'), JSON.stringify(manifest, null, 2));
  for (const f of ['extension.js', 'aws.js']) {
    fs.copyFileSync(path.join(root, 'dist', f), path.join(ext, 'dist', f));
  }
  fs.cpSync(path.join(root, 'media'), path.join(ext, 'media'), { recursive: true });
  const bench = path.join(root, 'out', 'test', 'bench');
  fs.copyFileSync(path.join(bench, 'hostWrapper.js'), path.join(ext, 'bench-main.js'));
  fs.copyFileSync(path.join(bench, 'hostShared.js'), path.join(ext, 'hostShared.js'));
  return ext;
}

export async function runHostBench(opts: HostRunOptions): Promise<HostBenchOutput> {
  const dir = path.join(opts.dir, `host-${opts.mode}-${opts.profiles}`);
  fs.mkdirSync(dir, { recursive: true });
  const extensionPath = extensionCopy(opts.root, dir);
  const fixture =
    opts.mode === 'send'
      ? sendFiles(opts.endpoint)
      : opts.mode === 'tree'
        ? generateAwsFiles(opts.profiles, { mix: 'even', endpointUrl: opts.endpoint })
        : generateAwsFiles(opts.profiles, { mix: 'sso', endpointUrl: opts.endpoint, declareStaticAccounts: opts.mode === 'memory' });
  const { configPath, credentialsPath } = writeAwsFiles(path.join(dir, 'aws'), fixture);
  const workspace = path.join(dir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const outFile = path.join(dir, 'bench.json');
  fs.rmSync(outFile, { force: true });
  const r = await runExtensionHostTests({
    extensionPath,
    testsPath: path.join(opts.root, 'out', 'test', 'bench', 'hostBench.js'),
    workspaceFolder: workspace,
    env: {
      AWS_CONFIG_FILE: configPath,
      AWS_SHARED_CREDENTIALS_FILE: credentialsPath,
      TENDLC_BENCH_OUT: outFile,
      TENDLC_BENCH_MODE: opts.mode,
      TENDLC_BENCH_ENDPOINT: opts.endpoint,
      TENDLC_BENCH_PROFILE: 'bench-secondary',
      TENDLC_BENCH_LATENCIES: (opts.latencies ?? [0, 200]).join(','),
      TENDLC_BENCH_REPS: String(opts.reps ?? 5),
    },
    resultFile: path.join(dir, 'result.json'),
    runDir: dir,
    settings: opts.mode === 'send' ? SEND_SETTINGS : opts.mode === 'tree' ? TREE_SETTINGS : BENCH_SETTINGS,
    timeoutMs: 1_200_000,
  });
  if (r.failed > 0 || !fs.existsSync(outFile)) {
    throw new Error(`extension-host bench (${opts.profiles} profiles) failed:\n${r.failures.map((f) => `${f.title}: ${f.error}`).join('\n')}\n(logs in ${r.runDir})`);
  }
  return JSON.parse(fs.readFileSync(outFile, 'utf8')) as HostBenchOutput;
}
