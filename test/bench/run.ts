/**
 * `npm run bench`: measures the points of issue 6 on this machine, prints a table and writes it into
 * BENCHMARKS.md (between the `bench:latest` markers; `--section before` writes the `bench:before` ones,
 * `--out FILE` another file, `--label TEXT` says what code was measured instead of the git commit). Expects dist/ built with `--production` and out/ compiled (the npm script does both).
 *
 * Points 2-4 run in plain Node with the real modules; points 1 and 5 in code-server's extension host like the host
 * tests (skipped with a message when code-server or Chromium is missing: run `npm run setup`). `--no-host` skips them.
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
import { startFakeAws } from './fakeAws';
import { runHostBench } from './host';
import type { HostBenchOutput } from './hostBench';
import { benchLoading } from './loading';
import { renderReport, replaceSection, type BenchResults } from './report';

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
    log('2. profile loading (10 … 10,000 profiles)');
    const loading = await benchLoading([10, 100, 1000, 10_000], tmp);
    log('6, 7. source_profile chains (1,000 … 8,000 hops) and a file at the size limit');
    const chains = await benchChains([1000, 2000, 4000, 8000], tmp);
    log('3, 4. account discovery and round trips (about a minute)');
    const aws = await benchAwsCalls(root, tmp);
    const host1k: HostBenchOutput[] = [];
    let host10k: HostBenchOutput | undefined;
    let hostSkipped = process.argv.includes('--no-host') ? 'skipped (--no-host)' : missingToolsMessage(['codeServer', 'chromium']);
    if (!hostSkipped) {
      const fake = await startFakeAws();
      try {
        for (let i = 0; i < hostRuns; i++) {
          log(`1. activation in the extension host, 1,000 profiles (run ${i + 1} of ${hostRuns})`);
          host1k.push(await runHostBench({ root, dir: path.join(runDir, `run-${i + 1}`), profiles: 1000, memory: false, endpoint: fake.endpoint }));
        }
        log('5. memory in the extension host, 10,000 profiles, 40 refreshes (about a minute)');
        host10k = await runHostBench({ root, dir: runDir, profiles: 10_000, memory: true, endpoint: fake.endpoint });
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
