/**
 * A `web_identity_token_file` that is a FIFO, a device or a huge file: the SDK reads it with readFileSync, which
 * would hang (FIFO) or exhaust (device, huge file) the extension host's one thread. The resolution runs in a child
 * process here, so a hang is measured (the child is killed at a bound) instead of freezing the test runner.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'tendlc-token-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const BOUND_MS = 10_000;

/** Resolves the credentials of profile "wi" in a child process; returns what it printed, or 'hung' when killed at the bound. */
function resolveInChild(tokenFile: string): Promise<string> {
  const config = join(dir, `config-${Math.random().toString(36).slice(2)}`);
  writeFileSync(config, `[profile wi]\nrole_arn = arn:aws:iam::111111111111:role/ci\nweb_identity_token_file = ${tokenFile}\nregion = us-east-1\nendpoint_url = http://127.0.0.1:9\n`);
  const out = resolve(__dirname, '..', '..');
  const script = `
    const { parseAwsFiles } = require(${JSON.stringify(join(out, 'src/core/awsIni.js'))});
    const { buildProfileSet } = require(${JSON.stringify(join(out, 'src/core/profiles.js'))});
    const { createAwsServices, explainError } = require(${JSON.stringify(join(out, 'src/aws/index.js'))});
    const text = require('node:fs').readFileSync(process.env.AWS_CONFIG_FILE, 'utf8');
    const set = buildProfileSet(parseAwsFiles({ config: { path: process.env.AWS_CONFIG_FILE, text, kind: 'config' } }));
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    const aws = createAwsServices({ logger: log, env: {}, defaultRegion: () => 'us-east-1', timeouts: { connectMs: 1000, requestMs: 1000, maxAttempts: 1 } });
    aws.clients.credentialsFor(set.byName.get('wi'), 'us-east-1', async () => { throw new Error('no MFA'); })()
      .then(() => console.log('resolved'), (e) => console.log(explainError(e, { operation: 'AssumeRoleWithWebIdentity', profile: 'wi' }).message));
  `;
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') }, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolvePromise('hung');
    }, BOUND_MS);
    child.on('close', () => {
      clearTimeout(timer);
      resolvePromise(stdout.trim());
    });
  });
}

test('a FIFO as web_identity_token_file is refused, not read (the extension host would hang)', { timeout: BOUND_MS * 2 }, async () => {
  const fifo = join(dir, 'token.fifo');
  execFileSync('mkfifo', [fifo]);
  const out = await resolveInChild(fifo);
  assert.notEqual(out, 'hung', 'the resolution hung on the FIFO');
  assert.match(out, /web_identity_token_file of profile "wi" is not a regular file/);
});

test('a device or a huge file as web_identity_token_file is refused, not read', { timeout: BOUND_MS * 3 }, async () => {
  const zero = join(dir, 'token.zero');
  symlinkSync('/dev/zero', zero);
  const zeroOut = await resolveInChild(zero);
  assert.notEqual(zeroOut, 'hung');
  assert.match(zeroOut, /is not a regular file/);
  const huge = join(dir, 'token.huge');
  writeFileSync(huge, '');
  truncateSync(huge, 1024 ** 3);
  const hugeOut = await resolveInChild(huge);
  assert.notEqual(hugeOut, 'hung');
  assert.match(hugeOut, /is 1048576 KB; a web identity token is a few kilobytes/);
});

test('a token file of a token\'s size is read as before (the call then goes to the endpoint)', { timeout: BOUND_MS * 2 }, async () => {
  const token = join(dir, 'token.jwt');
  writeFileSync(token, 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJjaSJ9.');
  const out = await resolveInChild(token);
  assert.notEqual(out, 'hung');
  assert.match(out, /could not reach the AWS endpoint/);
});
