/**
 * `npm run bench`: measures the points of issue 6 on this machine, prints a table and writes it into
 * BENCHMARKS.md (between the `bench:latest` markers; `--section before` writes the `bench:before` ones,
 * `--out FILE` another file, `--label TEXT` says what code was measured instead of the git commit). Expects dist/ built with `--production` and out/ compiled (the npm script does both).
 *
 * Points 2, 3, 6 and 7 run in plain Node with the real modules; points 1, 4 (the Send Test SMS command, beside the
 * AWS CLI doing the same send), 5 and 8 (expanding a big group with lookups) in code-server's extension host like the
 * host tests (skipped with a message when code-server or Chromium is missing: run `npm run setup`). `--no-host` skips
 * them; `--only loading,chains,aws,send,tree,startup,memory` runs only those parts (for a partial run into `--out`).
 * Nothing here is a test: it measures and reports, and fails only when a measurement could not be made.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { missingToolsMessage, repoRoot, testResultsDir } from '../harness/paths';
import { benchAwsCalls } from './awsCalls';
import { benchChains } from './chains';
import { cliSetup, clearCliCache, findAwsCli, runCli } from './cli';
import { BENCH_NUMBER, BENCH_PRIMARY_ACCOUNT, startFakeAws, type FakeAws } from './fakeAws';
import { runHostBench } from './host';
import type { HostBenchOutput } from './hostBench';
import { benchLoading } from './loading';
import { renderReport, replaceSection, type BenchResults, type CliResult } from './report';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB, ${os.type()} ${os.release()}, load average ${os.loadavg()[0].toFixed(2)} at start`;
}

function commit(root: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} with uncommitted changes` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** The AWS CLI doing the send of point 4 against `fake`, `reps` fresh and `reps` cached runs at each latency, alternating. */
async function benchCli(fake: FakeAws, dir: string, latencies: readonly number[], reps: number): Promise<CliResult> {
  const cli = findAwsCli();
  if (!cli) return { version: '', runs: [], skipped: 'no AWS CLI v2 at /usr/bin/aws (npm run setup installs the Debian package)' };
  const setup = cliSetup(dir, fake.endpoint, { destination: '+12065550123', originationNumber: BENCH_NUMBER, message: 'benchmark', region: 'us-east-1' }, `arn:aws:iam::${BENCH_PRIMARY_ACCOUNT}:role/tendlc-cross-account-sms`);
  const runs: CliResult['runs'][number][] = [];
  for (const latencyMs of latencies) {
    fake.setLatency(latencyMs);
    const fresh: number[] = [];
    const cached: number[] = [];
    let freshRequests: string[] = [];
    let cachedRequests: string[] = [];
    // One unmeasured run: the first start of Python and the CLI reads its files from disk.
    clearCliCache(setup);
    await runCli(cli.path, setup);
    for (let i = 0; i < reps; i++) {
      clearCliCache(setup);
      fake.reset();
      fresh.push(await runCli(cli.path, setup));
      freshRequests = [...fake.requests];
      fake.reset();
      cached.push(await runCli(cli.path, setup));
      cachedRequests = [...fake.requests];
    }
    runs.push({ latencyMs, fresh, cached, freshRequests, cachedRequests });
  }
  fake.setLatency(0);
  return { version: cli.version, runs };
}

async function main(): Promise<void> {
  const root = repoRoot();
  const section = arg('section') ?? 'latest';
  const outFile = path.resolve(arg('out') ?? path.join(root, 'BENCHMARKS.md'));
  const hostRuns = Number(arg('host-runs') ?? 5);
  for (const f of ['dist/extension.js', 'dist/aws.js', 'out/test/bench/hostWrapper.js']) {
    if (!fs.existsSync(path.join(root, f))) throw new Error(`${f} is missing: run npm run bench (it builds first)`);
  }
  const runDir = path.join(testResultsDir(), `bench-${Date.now()}`);
  fs.mkdirSync(runDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tendlc-bench-'));
  const started = new Date();
  try {
    const bundles = ['dist/extension.js', 'dist/aws.js'].map((file) => {
      const bytes = fs.readFileSync(path.join(root, file));
      return { file, bytes: bytes.length, gzipBytes: zlib.gzipSync(bytes).length };
    });
    const only = arg('only');
    const want = (what: string): boolean => !only || only.split(',').includes(what);
    log('2. profile loading (10 … 10,000 profiles)');
    const loading = want('loading') ? await benchLoading([10, 100, 1000, 10_000], tmp) : { rows: [], sdkFrom: '' };
    log('6, 7. source_profile chains (1,000 … 8,000 hops) and a file at the size limit');
    const chains = want('chains') ? await benchChains([1000, 2000, 4000, 8000], tmp) : undefined;
    log('3. account discovery and the CPU of one lookup (about a minute)');
    const aws = want('aws') ? await benchAwsCalls(root, tmp) : { singleLookupMs: NaN, discovery: [] };
    const host1k: HostBenchOutput[] = [];
    let host10k: HostBenchOutput | undefined;
    let send: HostBenchOutput | undefined;
    let cli: CliResult | undefined;
    const tree: HostBenchOutput[] = [];
    const latencies = [0, 200];
    const reps = Number(arg('send-reps') ?? 5);
    let hostSkipped = process.argv.includes('--no-host') ? 'skipped (--no-host)' : missingToolsMessage(['codeServer', 'chromium']);
    if (!hostSkipped) {
      const fake = await startFakeAws();
      try {
        if (want('send')) {
          log(`4. Send Test SMS in the extension host at ${latencies.join(' and ')} ms per request (${reps} runs per scenario)`);
          send = await runHostBench({ root, dir: runDir, profiles: 2, mode: 'send', endpoint: fake.endpoint, latencies, reps });
          log('4. the AWS CLI doing the same send');
          cli = await benchCli(fake, path.join(tmp, 'cli'), latencies, reps);
        }
        if (want('tree')) {
          for (const n of [1000, 4000, 10_000]) {
            log(`8. expanding Other with lookups, ${n.toLocaleString('en-US')} profiles`);
            tree.push(await runHostBench({ root, dir: runDir, profiles: n, mode: 'tree', endpoint: fake.endpoint }));
          }
        }
        for (let i = 0; want('startup') && i < hostRuns; i++) {
          log(`1. activation in the extension host, 1,000 profiles (run ${i + 1} of ${hostRuns})`);
          host1k.push(await runHostBench({ root, dir: path.join(runDir, `run-${i + 1}`), profiles: 1000, mode: 'startup', endpoint: fake.endpoint }));
        }
        if (want('memory')) {
          log('5. memory in the extension host, 10,000 profiles, 40 refreshes (about a minute)');
          host10k = await runHostBench({ root, dir: runDir, profiles: 10_000, mode: 'memory', endpoint: fake.endpoint });
        }
      } catch (e) {
        hostSkipped = `failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
        log(hostSkipped);
      } finally {
        await fake.stop();
      }
    } else {
      log(`1, 5. extension host: ${hostSkipped}`);
    }
    const results: BenchResults = {
      date: started.toISOString().replace(/\.\d+Z$/, 'Z'),
      machine: machine(),
      node: process.version,
      commit: arg('label') ?? commit(root),
      bundles,
      loading,
      chains,
      aws,
      host1k,
      host10k,
      hostSkipped,
      send,
      cli,
      tree,
    };
    fs.writeFileSync(path.join(runDir, 'results.json'), JSON.stringify(results, null, 2));
    const report = renderReport(results);
    process.stdout.write(`${report}\n`);
    const doc = fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8') : '# Benchmarks\n';
    fs.writeFileSync(outFile, replaceSection(doc, section, report));
    log(`written to ${path.relative(process.cwd(), outFile) || outFile} (section "${section}"); raw numbers in ${path.relative(process.cwd(), runDir)}/results.json`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    process.exit(1);
  },
);
