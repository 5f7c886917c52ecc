import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { MAX_PROBLEMS_PER_FILE, parseAwsFiles, type IniProblem, type ParsedAwsFiles } from '../../src/core/awsIni';
import { buildProfileSet, type AwsProfile, type ProfileSet } from '../../src/core/profiles';
import { ProfileLoader } from '../../src/core/profileLoader';
import { FEATURES, generateCase, type ExpectedModel, type FileSlot, type HostileCase } from './hostileFiles';

/** Key-shaped test values, built at run time so no key-shaped string is committed. */
const fakeKeyId = (seed: string): string => `AKIA${seed.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(16, 'X').slice(0, 16)}`;
const fakeSecret = (seed: string): string => `${seed}`.padEnd(40, 'x').slice(0, 40);
const KEY_ID_1 = fakeKeyId('example1');
const SECRET_1 = fakeSecret('examplesecret1/');

/**
 * Hostile AWS config + credentials pairs from the seeded generator in `hostileFiles.ts`.
 *
 * Replay: every failure names its seed and case index. Run just that case with
 *   TENDLC_FUZZ_SEED=<seed> TENDLC_FUZZ_CASE=<index> node --test out/test/unit/hostileFiles.test.js
 * (TENDLC_FUZZ_CASES=<n> changes the number of cases; the default is 1,000.) The files of a failing case are also
 * written to a temporary directory, whose path the failure gives.
 */

const DEFAULT_SEED = 0x10d1c;
const SEED = parseSeed(process.env.TENDLC_FUZZ_SEED) ?? DEFAULT_SEED;
const ONLY = process.env.TENDLC_FUZZ_CASE ? Number(process.env.TENDLC_FUZZ_CASE) : undefined;
const CASES = Math.max(1, Number(process.env.TENDLC_FUZZ_CASES ?? 1000) || 1000);
/** The whole run: 5-14 s here (the watchdog pass and the full check), so only a hang or superlinear time fails it. */
const RUN_BUDGET_MS = 60_000;

function parseSeed(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const n = Number(text.trim());
  if (!Number.isFinite(n)) throw new Error(`TENDLC_FUZZ_SEED must be a number (decimal or 0x hex), not ${JSON.stringify(text)}`);
  return n >>> 0;
}

/** One case that takes this long in the watchdog pass is a hang (the largest case here needs well under 1 s). */
const HANG_MS = 15_000;

/** Parse time allowed for one case: a fixed part for pauses of the machine, plus a part linear in its size. */
function caseBudgetMs(chars: number): number {
  // 2 µs per character is ~50 times what the reader needs; a quadratic step on a 100 KB line needs far more.
  return 250 + chars * 0.002;
}

function lineExcerpt(text: string, line: number): string {
  const l = text.split(/\r\n|\r|\n/)[line - 1] ?? '<no such line>';
  return JSON.stringify(l.length > 120 ? `${l.slice(0, 117)}...` : l);
}

function short(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v));
  return s === undefined ? 'undefined' : s.length > 300 ? `${s.slice(0, 297)}...` : s;
}

function sortedEntries(record: Record<string, unknown> | Map<string, unknown>): [string, unknown][] {
  const entries: [string, unknown][] = record instanceof Map ? [...record] : Object.entries(record);
  return entries
    .map(([k, v]): [string, unknown] => [k, v instanceof Map ? sortedEntries(v) : typeof v === 'object' && v !== null ? sortedEntries(v as Record<string, unknown>) : v])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function pickModel(p: AwsProfile): ExpectedModel {
  return {
    name: p.name,
    kind: p.kind,
    region: p.region,
    roleArn: p.roleArn,
    sourceProfile: p.sourceProfile,
    mfaSerial: p.mfaSerial,
    externalId: p.externalId,
    ssoSession: p.ssoSession,
    ssoStartUrl: p.ssoStartUrl,
    endpointUrl: p.endpointUrl,
    declaredAccountId: p.declaredAccountId,
    hasStaticKeys: p.hasStaticKeys,
    hasSessionToken: p.hasSessionToken,
    interactive: p.interactive,
    serviceEndpoints: { ...p.serviceEndpoints },
    chain: [...p.chain],
    base: p.credentials?.base.profile,
    hopCount: p.credentials?.hopCount ?? 0,
    locations: p.locations.map((l) => ({ file: l.file, line: l.line })),
  };
}

function parseNeverThrows(c: HostileCase): { parsed: ParsedAwsFiles; set: ProfileSet } {
  try {
    const parsed = parseAwsFiles({
      config: { path: c.configPath, text: c.config, kind: 'config' },
      credentials: { path: c.credentialsPath, text: c.credentials, kind: 'credentials' },
    });
    return { parsed, set: buildProfileSet(parsed) };
  } catch (e) {
    assert.fail(`parseAwsFiles / buildProfileSet threw: ${e instanceof Error ? e.stack : String(e)}`);
  }
}

/** Parses one case and checks everything the model knows. Throws an AssertionError naming what differs. */
function checkCase(c: HostileCase): { ms: number; chars: number } {
  const textOf: Record<FileSlot, string> = { config: c.config, credentials: c.credentials };
  const chars = c.config.length + c.credentials.length;

  let started = performance.now();
  const { parsed, set } = parseNeverThrows(c);
  let ms = performance.now() - started;
  // A pause of a loaded machine (GC, another process) is not the reader's fault; a superlinear reader is slow every
  // time, so only the fastest of three attempts counts.
  for (let attempt = 1; attempt < 3 && ms >= caseBudgetMs(chars); attempt++) {
    started = performance.now();
    parseNeverThrows(c);
    ms = Math.min(ms, performance.now() - started);
  }
  assert.ok(ms < caseBudgetMs(chars), `took ${ms.toFixed(1)} ms for ${chars} characters (budget ${caseBudgetMs(chars).toFixed(0)} ms)`);

  // Problems: in one of the two files, on a line that exists, never truncated in these small cases.
  const slotOf = (p: IniProblem): FileSlot => {
    if (p.file === c.configPath) return 'config';
    assert.equal(p.file, c.credentialsPath, `problem in an unknown file: ${short(p)}`);
    return 'credentials';
  };
  for (const p of parsed.problems) {
    const slot = slotOf(p);
    assert.ok(Number.isInteger(p.line) && p.line >= 1 && p.line <= c.lineCount[slot], `problem on line ${p.line} of the ${slot} file, which has ${c.lineCount[slot]} lines: ${short(p.message)}`);
    assert.ok(p.severity === 'error' || p.severity === 'warning', `severity ${short(p.severity)}`);
    assert.ok(p.message.length < 1000, `a message of ${p.message.length} characters`);
    assert.doesNotMatch(p.message, /more problem\(s\)/, `the generator made more than ${MAX_PROBLEMS_PER_FILE} problems in one file; keep cases smaller`);
  }

  // Every deliberately broken line is reported, at its file and line, with its severity.
  for (const b of c.broken) {
    const at = parsed.problems.filter((p) => slotOf(p) === b.file && p.line === b.line);
    assert.ok(
      at.some((p) => p.severity === b.severity),
      `broken line ${b.file}:${b.line} (${b.why}) ${lineExcerpt(textOf[b.file], b.line)} should be reported as ${b.severity}; ` +
        (at.length ? `got ${short(at.map((p) => [p.severity, p.message]))}` : 'nothing was reported there'),
    );
  }
  // ...and no error is reported anywhere else: the valid lines around them are valid.
  for (const p of parsed.problems.filter((q) => q.severity === 'error')) {
    const slot = slotOf(p);
    assert.ok(
      c.broken.some((b) => b.file === slot && b.line === p.line && b.severity === 'error'),
      `unexpected error at ${slot}:${p.line} ${lineExcerpt(textOf[slot], p.line)}: ${short(p.message)}`,
    );
  }

  // Exactly the profiles the model wrote validly, with their merged properties and model fields.
  assert.deepEqual(
    [...parsed.profiles.keys()].map(short).sort(),
    [...c.expected.keys()].map(short).sort(),
    'the set of profiles',
  );
  assert.equal(set.profiles.length, c.expected.size);
  for (const [name, exp] of c.expected) {
    const section = parsed.profiles.get(name)!;
    const profile = set.byName.get(name);
    assert.ok(profile, `profile ${short(name)} is missing from the profile set`);
    const label = `profile ${short(name)} (${exp.role})`;
    assert.deepEqual(sortedEntries(section.properties), sortedEntries(exp.properties), `${label}: properties`);
    assert.deepEqual(sortedEntries(section.subProperties), sortedEntries(exp.subProperties), `${label}: sub-properties`);
    assert.deepEqual(pickModel(profile), exp.model, `${label}: model`);
    assert.equal(profile.problems.length, exp.problems.length, `${label}: problems ${short(profile.problems)}`);
    for (const want of exp.problems) {
      assert.ok(
        profile.problems.some((m) => want.includes.every((s) => m.includes(s))),
        `${label}: no problem mentions ${short(want.includes)}; it has ${short(profile.problems)}`,
      );
    }
  }

  // No key, secret or token value reaches the profile model, or any problem message.
  for (const p of set.profiles) {
    const json = JSON.stringify(p);
    for (const s of c.secrets) assert.ok(!json.includes(s), `a secret value leaked into profile ${short(p.name)}`);
  }
  const messages = [...parsed.problems.map((p) => p.message), ...set.profiles.flatMap((p) => p.problems)];
  for (const m of messages) {
    for (const s of c.headerSecrets) {
      // A malformed header is located, never quoted: not even 8 characters of what was written on it.
      for (let i = 0; i + 8 <= s.length; i++) assert.ok(!m.includes(s.slice(i, i + 8)), `a malformed header's text is quoted in a problem message: ${short(m)}`);
    }
  }
  for (const m of messages) {
    for (const s of c.secrets) {
      // Even a 16-character piece of a secret is too much to show in the tree or the log.
      for (let i = 0; i + 16 <= s.length; i += 8) {
        assert.ok(!m.includes(s.slice(i, i + 16)), `part of a secret value is quoted in a problem message: ${short(m)}`);
      }
    }
  }
  return { ms, chars };
}

function dumpCase(c: HostileCase): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tendlc-fuzz-${c.seed}-${c.index}-`));
  fs.writeFileSync(path.join(dir, 'config'), c.config);
  fs.writeFileSync(path.join(dir, 'credentials'), c.credentials);
  fs.writeFileSync(
    path.join(dir, 'expected.json'),
    JSON.stringify({ broken: c.broken, expected: [...c.expected.values()], features: [...c.features] }, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v), 2),
  );
  return dir;
}

function runCase(seed: number, index: number): { ms: number; chars: number; features: Set<string> } {
  const c = generateCase(seed, index);
  try {
    return { ...checkCase(c), features: c.features };
  } catch (e) {
    let where = '';
    try {
      where = ` Its files are in ${dumpCase(c)}.`;
    } catch {
      // Only a convenience.
    }
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(
      `hostile case ${index} of seed ${seed} failed (replay: TENDLC_FUZZ_SEED=${seed} TENDLC_FUZZ_CASE=${index}).${where}\n` +
        `features: ${[...c.features].sort().join(', ')}\n${message.length > 4000 ? `${message.slice(0, 4000)}...` : message}`,
      { cause: e },
    );
  }
}

/**
 * Runs generate + parse + build for every case in a worker thread, which, unlike an assertion after the call, can be
 * stopped in the middle of a synchronous loop: a case that does not finish within HANG_MS fails with its index.
 */
function watchForHangs(seed: number, indices: number[]): Promise<void> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { generateCase } = require(workerData.generator);
    const { parseAwsFiles } = require(workerData.awsIni);
    const { buildProfileSet } = require(workerData.profiles);
    for (const index of workerData.indices) {
      parentPort.postMessage({ start: index });
      const c = generateCase(workerData.seed, index);
      buildProfileSet(parseAwsFiles({
        config: { path: c.configPath, text: c.config, kind: 'config' },
        credentials: { path: c.credentialsPath, text: c.credentials, kind: 'credentials' },
      }));
    }
    parentPort.postMessage({ done: true });
  `;
  const workerData = {
    seed,
    indices,
    generator: require.resolve('./hostileFiles'),
    awsIni: require.resolve('../../src/core/awsIni'),
    profiles: require.resolve('../../src/core/profiles'),
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData });
    let current = -1;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    const replay = (): string => `(replay: TENDLC_FUZZ_SEED=${seed} TENDLC_FUZZ_CASE=${current})`;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        settle(new Error(`hostile case ${current} of seed ${seed} did not finish within ${HANG_MS} ms: the reader hangs or is far from linear ${replay()}`));
        void worker.terminate();
      }, HANG_MS);
    };
    worker.on('message', (m: { start?: number; done?: boolean }) => {
      if (m.start !== undefined) {
        current = m.start;
        arm();
      } else if (m.done) {
        settle();
      }
    });
    worker.on('error', (e) => settle(new Error(`hostile case ${current} of seed ${seed} threw in the watchdog pass ${replay()}: ${e.stack ?? e.message}`)));
    worker.on('exit', (code) => settle(code === 0 ? undefined : new Error(`the watchdog worker exited with code ${code} at case ${current} ${replay()}`)));
    arm();
  });
}

void test(`hostile config/credentials pairs: ${ONLY !== undefined ? `case ${ONLY}` : `${CASES} cases`}, seed ${SEED}`, async () => {
  const started = performance.now();
  const indices = ONLY !== undefined ? [ONLY] : Array.from({ length: CASES }, (_, i) => i);
  // First make sure every case finishes at all; then check each one in full.
  await watchForHangs(SEED, indices);
  const watched = performance.now() - started;
  const seen = new Map<string, number>();
  let chars = 0;
  let slowest = { ms: 0, index: -1 };
  for (const index of indices) {
    const result = runCase(SEED, index);
    chars += result.chars;
    if (result.ms > slowest.ms) slowest = { ms: result.ms, index };
    for (const f of result.features) seen.set(f, (seen.get(f) ?? 0) + 1);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < RUN_BUDGET_MS, `the run passed its ${RUN_BUDGET_MS} ms budget at case ${index} (seed ${SEED})`);
  }
  const elapsed = performance.now() - started;
  // A short line for whoever reads the test log: how much was checked, how fast.
  console.log(
    `hostile files: ${indices.length} cases, seed ${SEED}, ${(chars / 1e6).toFixed(1)} M characters, ${elapsed.toFixed(0)} ms ` +
      `(watchdog pass ${watched.toFixed(0)} ms) ` +
      `(slowest case ${slowest.index}: ${slowest.ms.toFixed(1)} ms)`,
  );
  if (ONLY === undefined && CASES >= 1000) {
    // The generator must really mix everything it claims to, or the run proves less than it says.
    const missing = FEATURES.filter((f) => !seen.has(f));
    assert.deepEqual(missing, [], `features never generated with seed ${SEED}`);
  }
});

void test('the generator is reproducible: the same seed and index give the same files', () => {
  for (const index of [0, 1, 17, 999]) {
    const a = generateCase(SEED, index);
    const b = generateCase(SEED, index);
    assert.equal(a.config, b.config);
    assert.equal(a.credentials, b.credentials);
    assert.deepEqual(a.broken, b.broken);
  }
  assert.notEqual(generateCase(SEED, 0).config + generateCase(SEED, 0).credentials, generateCase(SEED + 1, 0).config + generateCase(SEED + 1, 0).credentials);
});

void test('problem messages quote a broken line without the key or token written on it', () => {
  const secret = SECRET_1;
  const token = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexample1234567890abcdefEXAMPLE==';
  const text = [
    `aws_secret_access_key: ${secret}`, // 1: outside any section, no "="
    `aws_session_token ${token}`, // 2: outside any section; the padding is taken for the "="
    '[profile a]',
    `aws_secret_access_key ${secret}`, // 4: no "="
    `aws_session_token ${token}`, // 5: a property "name" with whitespace in it
    'aws_secret_access_key =',
    `  ${secret}`, // 7: the key wrapped onto its own line: a sub-property without "="
    's3 =',
    `  aws_session_token ${token}`, // 9: a sub-property "name" with whitespace in it
    'region: us-east-1', // 10: nothing secret, quoted as written
    '  continued', // 11: under a reported line, not reported again
  ].join('\n');
  const parsed = parseAwsFiles({ config: { path: 'config', text, kind: 'config' } });
  assert.deepEqual(
    parsed.problems.map((p) => [p.line, p.severity]),
    [
      [1, 'error'],
      [2, 'error'],
      [4, 'error'],
      [5, 'warning'],
      [7, 'error'],
      [9, 'warning'],
      [10, 'error'],
    ],
  );
  for (const p of parsed.problems) {
    for (const value of [secret, token]) {
      for (let i = 0; i + 16 <= value.length; i += 4) assert.ok(!p.message.includes(value.slice(i, i + 16)), `line ${p.line}: ${p.message}`);
    }
  }
  const at = (line: number) => parsed.problems.find((p) => p.line === line)!.message;
  assert.match(at(1), /"aws_secret_access_key: \*\*\*"/);
  assert.match(at(2), /"aws_session_token \*\*\*"/);
  assert.match(at(5), /Property "aws_session_token \*\*\*" is ignored/);
  assert.match(at(7), /but "\*\*\*" has no "="/);
  assert.match(at(10), /"region: us-east-1" is not a "name = value" property/);
});

// ---------------------------------------------------------------------------------------------------------------
// Through ProfileLoader, on real files: same results as the in-memory parse, and the files are never written.

interface Snapshot {
  /** `bytes` is null for a file this user cannot read, or over 1 MB (its stat is still compared). */
  [name: string]: { bytes: Buffer | null; size: number; mtimeMs: number; mode: number } | 'dir' | 'other';
}

function snapshot(dir: string): Snapshot {
  const out: Snapshot = {};
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = fs.lstatSync(p);
    // A big (sparse) file is compared by its stat only: reading 1.5 GB to compare it would be the test's own slowness.
    if (st.isFile()) out[name] = { bytes: st.size > 1024 * 1024 ? null : readOrNull(p), size: st.size, mtimeMs: st.mtimeMs, mode: st.mode };
    else out[name] = st.isDirectory() ? 'dir' : 'other';
  }
  return out;
}

function readOrNull(p: string): Buffer | null {
  try {
    return fs.readFileSync(p);
  } catch {
    return null;
  }
}

function assertUnchanged(before: Snapshot, after: Snapshot, what: string): void {
  assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort(), `${what}: files were created or removed`);
  for (const [name, b] of Object.entries(before)) {
    const a = after[name];
    if (typeof b === 'string' || typeof a === 'string') {
      assert.equal(a, b, `${what}: ${name} changed type`);
      continue;
    }
    assert.ok(a.bytes === null || b.bytes === null ? a.bytes === b.bytes : a.bytes.equals(b.bytes), `${what}: the bytes of ${name} changed`);
    assert.equal(a.size, b.size, `${what}: the size of ${name} changed`);
    assert.equal(a.mtimeMs, b.mtimeMs, `${what}: ${name} was written`);
    assert.equal(a.mode, b.mode, `${what}: the mode of ${name} changed`);
  }
}

void test('ProfileLoader on real hostile files: same profiles and problems as in memory, and it never writes', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tendlc-hostile-'));
  try {
    for (let index = 0; index < 40; index++) {
      const c = generateCase(SEED, index);
      const caseDir = path.join(dir, `case-${index}`);
      fs.mkdirSync(caseDir);
      const configPath = path.join(caseDir, 'config');
      const credentialsPath = path.join(caseDir, 'credentials');
      fs.writeFileSync(configPath, c.config, 'utf8');
      fs.writeFileSync(credentialsPath, c.credentials, 'utf8');
      const before = snapshot(caseDir);

      const loader = new ProfileLoader({ AWS_CONFIG_FILE: configPath, AWS_SHARED_CREDENTIALS_FILE: credentialsPath, HOME: caseDir }, caseDir);
      const first = await loader.load();
      const second = await loader.load(); // from the loader's cache
      const inMemory = buildProfileSet(
        parseAwsFiles({
          config: { path: configPath, text: c.config, kind: 'config' },
          credentials: { path: credentialsPath, text: c.credentials, kind: 'credentials' },
        }),
      );
      for (const loaded of [first, second]) {
        assert.deepEqual(loaded.found, { config: true, credentials: true });
        assert.deepEqual(loaded.problems, inMemory.problems, `case ${index} (replay: TENDLC_FUZZ_SEED=${SEED} TENDLC_FUZZ_CASE=${index}): problems`);
        assert.deepEqual(JSON.stringify(loaded.profiles), JSON.stringify(inMemory.profiles), `case ${index}: profiles`);
        assert.deepEqual(loaded.profiles.map((p) => p.name).sort(), [...c.expected.keys()].sort(), `case ${index}: profile names`);
      }
      assertUnchanged(before, snapshot(caseDir), `case ${index}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Fails instead of hanging when a load blocks (on a FIFO, a device): the bound is generous, only a hang reaches it. */
async function loadWithin<T>(what: string, work: Promise<T>, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: the load did not finish within ${ms} ms (it blocks)`)), ms);
  });
  try {
    return await Promise.race([work, stop]);
  } finally {
    clearTimeout(timer);
  }
}

void test('ProfileLoader: each special file, encoding and file-system error gets its own message, and nothing blocks or is read as text', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tendlc-hostile-'));
  try {
    const credentials = path.join(dir, 'credentials');
    fs.writeFileSync(credentials, `\ufeff[ok]\r\naws_access_key_id = ${KEY_ID_1}\r\naws_secret_access_key = ${SECRET_1}\r\n`);
    const asDir = path.join(dir, 'config.d');
    fs.mkdirSync(asDir);
    fs.writeFileSync(path.join(asDir, 'inside'), '[profile inside]\n');
    const plainFile = path.join(dir, 'plain');
    fs.writeFileSync(plainFile, '[profile plain]\n');
    const link = path.join(dir, 'link');
    fs.symlinkSync(plainFile, link);
    const dangling = path.join(dir, 'dangling');
    fs.symlinkSync(path.join(dir, 'nowhere'), dangling);
    const loopA = path.join(dir, 'loop-a');
    const loopB = path.join(dir, 'loop-b');
    fs.symlinkSync(loopB, loopA);
    fs.symlinkSync(loopA, loopB);
    const toDevNull = path.join(dir, 'to-dev-null');
    fs.symlinkSync('/dev/null', toDevNull);
    let fifo: string | undefined = path.join(dir, 'fifo');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      fifo = undefined; // no mkfifo here: that check is skipped
    }
    // Invalid UTF-8 (lone continuation byte, overlong "/", 0xff), NUL, then a valid profile: decoded with U+FFFD.
    const badBytes = path.join(dir, 'bad-bytes');
    fs.writeFileSync(badBytes, Buffer.concat([Buffer.from([0x80, 0xc0, 0xaf, 0xff, 0x00, 0x0a]), Buffer.from('[profile after-bad-bytes]\nregion = us-east-1\n')]));
    // Windows-1252 / Latin-1: "café" in a name, "ü" in a comment, then plain profiles.
    const latin1 = path.join(dir, 'latin1');
    fs.writeFileSync(latin1, Buffer.from('[profile café]\nregion = us-east-1\n# Grüße\n[profile plain-ascii]\nregion = eu-west-1\n', 'latin1'));
    // UTF-16 and UTF-32, with and without a byte order mark, as Notepad's "Unicode" and PowerShell 5's ">" write them.
    const text = '[profile wide]\r\nregion = us-east-1\r\n[profile wide2]\r\nregion = eu-west-1\r\n';
    const utf16be = (t: string): Buffer => Buffer.from(t, 'utf16le').swap16();
    const utf32le = (t: string): Buffer => Buffer.concat([...t].map((ch) => Buffer.from([ch.charCodeAt(0), 0, 0, 0])));
    const wide: [string, Buffer, RegExp][] = [
      ['utf16le-bom', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), /UTF-16 LE \(with a byte order mark\)/],
      ['utf16be-bom', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)]), /UTF-16 BE \(with a byte order mark\)/],
      ['utf16le', Buffer.from(text, 'utf16le'), /UTF-16 LE \(without a byte order mark\)/],
      ['utf16be', utf16be(text), /UTF-16 BE \(without a byte order mark\)/],
      ['utf32le-bom', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32le(text)]), /UTF-32 LE \(with a byte order mark\)/],
    ];
    for (const [name, bytes] of wide) fs.writeFileSync(path.join(dir, name), bytes);
    // 1.5 GB, sparse: no disk used, and never read (stat says how big it is first).
    const huge = path.join(dir, 'huge');
    fs.writeFileSync(huge, '[profile huge]\n');
    fs.truncateSync(huge, 1.5 * 1024 ** 3);
    const before = snapshot(dir);

    const load = async (config: string, maxBytes?: number) => {
      const loader = new ProfileLoader({ AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials }, dir, maxBytes);
      const loaded = await loadWithin(config, loader.load());
      assert.ok(loaded.byName.has('ok'), `${config}: the credentials file is still read`);
      return loaded;
    };
    const one = (loaded: Awaited<ReturnType<typeof load>>, file: string, severity: 'error' | 'warning', message: RegExp): void => {
      assert.deepEqual(loaded.problems.map((p) => [p.file, p.line, p.severity]), [[file, 1, severity]], short(loaded.problems));
      assert.match(loaded.problems[0].message, message);
      assert.match(loaded.problems[0].message, /AWS config file \(set by AWS_CONFIG_FILE\)/, 'it says which file and where its path came from');
    };

    // A directory: one error naming it, at line 1; nothing inside it is read.
    const d = await load(asDir);
    assert.equal(d.found.config, false);
    one(d, asDir, 'error', /is a directory, not a regular file/);
    assert.ok(!d.byName.has('inside'));

    // A character device: /dev/zero would never end if read.
    one(await load('/dev/zero'), '/dev/zero', 'error', /is a character device/);

    // /dev/null, and a link to it: how people say "no config file". An empty file, not an error.
    for (const empty of ['/dev/null', toDevNull]) {
      const n = await load(empty);
      assert.deepEqual(n.problems, [], empty);
      assert.equal(n.found.config, true, `${empty} is an (empty) config file`);
      assert.deepEqual(n.profiles.map((p) => p.name), ['ok']);
    }

    if (fifo) {
      // A FIFO nobody writes to: opening it for reading, or reading it, would wait forever.
      one(await load(fifo), fifo, 'error', /is a named pipe \(FIFO\)/);
    }

    // Missing: no problem (the AWS tools treat it as empty).
    const m = await load(path.join(dir, 'absent'));
    assert.equal(m.found.config, false);
    assert.deepEqual(m.problems, []);
    // A dangling link, a path through a regular file: also missing to the AWS tools, but worth saying.
    one(await load(dangling), dangling, 'warning', /is a symbolic link to ".*nowhere", which does not exist/);
    one(await load(path.join(plainFile, 'config')), path.join(plainFile, 'config'), 'warning', /a part of it is a file, not a folder/);
    // A symbolic-link loop is not a permissions problem.
    one(await load(loopA), loopA, 'error', /symbolic link that loops back on itself \(ELOOP\)/);
    // A path longer than the file system allows.
    const long = path.join(dir, 'x'.repeat(300));
    one(await load(long), long, 'error', /is longer than the file system allows \(ENAMETOOLONG\)/);

    // A symlink to a file is read through.
    assert.ok((await load(link)).byName.has('plain'));

    // Over the size limit: refused before reading, with the size and the limit.
    const h = await load(huge);
    one(h, huge, 'error', /is 1,536 MB, more than an AWS file can reasonably be \(the limit is 10 MB\), so it is not read/);
    assert.ok(!h.byName.has('huge'));
    // A file that says size 0 but has more (a /proc file; the same path as one that grows while read): the read stops at the limit.
    if (fs.existsSync('/proc/self/maps')) {
      one(await load('/proc/self/maps', 1024), '/proc/self/maps', 'error', /has more than 1,024 bytes \(found while reading it/);
    }

    // UTF-16 and UTF-32: one problem each ("save it as UTF-8"), nothing read from them.
    for (const [name, , encoding] of wide) {
      const w = await load(path.join(dir, name));
      one(w, path.join(dir, name), 'error', encoding);
      assert.match(w.problems[0].message, /read it only as UTF-8, so none of its profiles can be used\. Save it as UTF-8/);
      assert.ok(!w.byName.has('wide') && !w.byName.has('wide2'), name);
    }

    // A legacy 8-bit encoding: one problem, at the first bad byte, and the file is read as the AWS tools read it.
    const l = await load(latin1);
    assert.deepEqual(l.problems.map((p) => [p.line, p.column, p.severity]), [[1, 13, 'error']], short(l.problems));
    assert.match(l.problems[0].message, /is not valid UTF-8: byte 0xE9 at line 1, column 13 \(and 1 more line\).*Windows-1252.*Save it as UTF-8/);
    assert.equal(l.byName.get('plain-ascii')?.region, 'eu-west-1');
    assert.equal(l.byName.get('caf\ufffd')?.region, 'us-east-1', 'read as the JS SDK reads it');
    // Read again from the loader's cache: the same one problem.
    const loader = new ProfileLoader({ AWS_CONFIG_FILE: latin1, AWS_SHARED_CREDENTIALS_FILE: credentials }, dir);
    await loader.load();
    assert.deepEqual((await loader.load()).problems.map((p) => [p.line, p.column]), [[1, 13]]);

    // Bad bytes: one problem at the first line, the profile after it is kept.
    const b = await load(badBytes);
    assert.ok(b.byName.has('after-bad-bytes'));
    assert.equal(b.byName.get('after-bad-bytes')!.region, 'us-east-1');
    assert.deepEqual(b.problems.map((p) => [p.line, p.severity]), [[1, 'error']]);
    assert.match(b.problems[0].message, /not valid UTF-8: byte 0x80 at line 1, column 1/);

    // Both variables naming the same file: read with both grammars, no throw, every problem on a line of it.
    const both = await new ProfileLoader({ AWS_CONFIG_FILE: badBytes, AWS_SHARED_CREDENTIALS_FILE: badBytes }, dir).load();
    assert.ok(both.byName.has('after-bad-bytes'));
    const badLines = fs.readFileSync(badBytes, 'utf8').split(/\r\n|\r|\n/).length;
    for (const p of both.problems) assert.ok(p.file === badBytes && p.line >= 1 && p.line <= badLines, short(p));

    assertUnchanged(before, snapshot(dir), 'special files');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs `script` in a child Node with ProfileLoader at hand; returns what it printed as JSON. */
function inChild(script: string, opts: { uid?: number; gid?: number; shellPrefix?: string } = {}): unknown {
  const loaderPath = require.resolve('../../src/core/profileLoader');
  const code = `const { ProfileLoader } = require(${JSON.stringify(loaderPath)});\n(async () => {\n${script}\n})().catch((e) => { console.error(e); process.exit(1); });`;
  const out = opts.shellPrefix
    ? execFileSync('sh', ['-c', `${opts.shellPrefix}; exec "$0" -e "$1"`, process.execPath, code], { encoding: 'utf8' })
    : execFileSync(process.execPath, ['-e', code], { encoding: 'utf8', uid: opts.uid, gid: opts.gid });
  return JSON.parse(out);
}

void test('ProfileLoader: an unreadable config file is reported as a permissions problem, with its path', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tendlc-hostile-'));
  const config = path.join(dir, 'config');
  try {
    fs.writeFileSync(config, '[profile hidden]\nregion = us-east-1\n');
    fs.chmodSync(config, 0o000);
    fs.chmodSync(dir, 0o755);
    const before = snapshot(dir);
    // Root reads files whatever their mode, so as root (as on the CI machines here) the load runs as "nobody".
    const asRoot = process.getuid?.() === 0;
    const loaded = inChild(
      `const l = await new ProfileLoader({ AWS_CONFIG_FILE: ${JSON.stringify(config)}, AWS_SHARED_CREDENTIALS_FILE: ${JSON.stringify(path.join(dir, 'none'))} }, ${JSON.stringify(dir)}).load();
       console.log(JSON.stringify({ problems: l.problems, profiles: l.profiles.length }));`,
      asRoot ? { uid: 65534, gid: 65534 } : {},
    ) as { problems: IniProblem[]; profiles: number };
    assert.deepEqual(loaded.problems.map((p) => [p.file, p.line, p.severity]), [[config, 1, 'error']]);
    assert.match(loaded.problems[0].message, /cannot be read: permission denied \(EACCES\)\. Make it readable by your user/);
    assert.equal(loaded.profiles, 0);
    assertUnchanged(before, snapshot(dir), 'unreadable file');
  } finally {
    fs.chmodSync(config, 0o600);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

void test('ProfileLoader: too many open files (EMFILE) is said as such, not as a permissions problem', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tendlc-hostile-'));
  const config = path.join(dir, 'config');
  try {
    fs.writeFileSync(config, '[profile p]\nregion = us-east-1\n');
    // A child whose open-file limit is low, with every descriptor taken before it loads.
    const loaded = inChild(
      `const fs = require('node:fs');
       const held = [];
       try { for (;;) held.push(fs.openSync('/dev/null', 'r')); } catch (e) { if (e.code !== 'EMFILE') throw e; }
       const l = await new ProfileLoader({ AWS_CONFIG_FILE: ${JSON.stringify(config)}, AWS_SHARED_CREDENTIALS_FILE: ${JSON.stringify(path.join(dir, 'none'))} }, ${JSON.stringify(dir)}).load();
       held.forEach((fd) => fs.closeSync(fd));
       console.log(JSON.stringify({ problems: l.problems }));`,
      { shellPrefix: 'ulimit -n 64' },
    ) as { problems: IniProblem[] };
    // Both files: the missing credentials file cannot even be looked for.
    assert.deepEqual(loaded.problems.map((p) => [p.file, p.severity]), [[config, 'error'], [path.join(dir, 'none'), 'error']], short(loaded.problems));
    for (const p of loaded.problems) assert.match(p.message, /could not be opened because too many files are open \(EMFILE/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
