/**
 * The AWS SDK reads the AWS files itself — its credential chain (fromIni), and every client, which reads the config
 * file for endpoint and other settings — with `fs.readFile`: no size limit, a blocking open. The profile loader
 * refuses a FIFO, a device or a file over 10 MB before reading it, yet the SDK read them anyway:
 * - a FIFO as the config file: every call with a profile of the credentials file hung (a background lookup for
 *   ever, an interactive call until its total deadline), and kept hanging after the file was fixed, since the SDK
 *   caches its pending read;
 * - `/dev/zero`: seconds and some 640 MB of memory in the extension host; a 300 MB file: 5 s with the event loop
 *   blocked and 700 MB.
 * Each case here failed before the guard (hung past the bound, or reached the endpoint).
 *
 * This file points AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at its own temporary files (each test file runs in
 * its own process under `node --test`). Test keys are generated at run time.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createAwsServices, type AwsServices } from '../../src/aws';
import { parseAwsFiles } from '../../src/core/awsIni';
import { buildProfileSet, type AwsProfile } from '../../src/core/profiles';
import { startFaultServer, type FaultServer } from './faultServer';

const dir = mkdtempSync(join(tmpdir(), 'tendlc-sdkfiles-'));
const configPath = join(dir, 'config');
const credentialsPath = join(dir, 'credentials');
process.env['AWS_CONFIG_FILE'] = configPath;
process.env['AWS_SHARED_CREDENTIALS_FILE'] = credentialsPath;
const BOUND_MS = 10_000;

after(() => rmSync(dir, { recursive: true, force: true }));

/** A profile of the credentials file with keys the server knows, and services whose every client goes to the server. */
async function setup(t: { after(fn: () => Promise<void> | void): void }): Promise<{ server: FaultServer; aws: AwsServices; dev: AwsProfile; log: string[] }> {
  const server = await startFaultServer();
  t.after(() => server.close());
  const keys = server.addUser('222222222222', 'dev');
  const credentials = `[dev]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`;
  writeFileSync(credentialsPath, credentials);
  const log: string[] = [];
  const line = (m: string): void => void log.push(m);
  const aws = createAwsServices({
    logger: { debug: line, info: line, warn: line, error: line },
    env: { AWS_ENDPOINT_URL: server.url },
    timeouts: { connectMs: 2_000, requestMs: 2_000, maxAttempts: 1 },
    checkTimeouts: { connectMs: 2_000, requestMs: 2_000, maxAttempts: 1 },
    defaultRegion: () => 'us-east-1',
  });
  const set = buildProfileSet(parseAwsFiles({ credentials: { path: credentialsPath, kind: 'credentials', text: credentials } }));
  const dev = set.byName.get('dev');
  assert.ok(dev);
  return { server, aws, dev, log };
}

async function bounded<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${BOUND_MS} ms`)), BOUND_MS);
  });
  try {
    return await Promise.race([p, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** Lets a read the SDK may have left pending on the FIFO end (so this process can exit); nothing to do when there is none. */
function releaseFifo(path: string): void {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // ENXIO: nobody is reading it
  }
}

test('a FIFO as the config file: a lookup of a credentials-file profile fails at once, naming the file, and reaches no endpoint', async (t) => {
  const { server, aws, dev } = await setup(t);
  execFileSync('mkfifo', [configPath]);
  t.after(() => {
    releaseFifo(configPath);
    unlinkSync(configPath);
  });
  const state = await bounded(aws.accounts.resolve(dev, { interactive: false }), 'the background lookup');
  assert.equal(state.status, 'error');
  assert.match(state.status === 'error' ? state.reason : '', /The AWS config file .*config is a named pipe \(FIFO\), not a regular file/);
  assert.equal(server.count('GetCallerIdentity'), 0);
  // Interactive too, and every time: nothing is left pending behind.
  const again = await bounded(aws.accounts.resolve(dev, { interactive: true }), 'the interactive lookup');
  assert.equal(again.status, 'error');
});

test('a config file over the 10 MB limit is not read by the SDK either: the call fails before any request, saying why', async (t) => {
  const { server, aws, dev } = await setup(t);
  writeFileSync(configPath, '');
  truncateSync(configPath, 11 * 1024 * 1024);
  t.after(() => unlinkSync(configPath));
  const state = await bounded(aws.accounts.resolve(dev, { interactive: true }), 'the lookup');
  assert.equal(state.status, 'error');
  assert.match(state.status === 'error' ? state.reason : '', /The AWS config file .*config is 11 MB, more than the 10 MB an AWS file can reasonably be/);
  assert.equal(server.count('GetCallerIdentity'), 0, 'the endpoint got nothing');
});

test('a character device as the credentials file (/dev/zero would be read until memory runs out) is refused; /dev/null is an empty file', async (t) => {
  const { server, aws, dev } = await setup(t);
  // Only the check is exercised: the credentials are the ones already in the file (the model was built above).
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = '/dev/zero';
  t.after(() => {
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = credentialsPath;
  });
  const state = await bounded(aws.accounts.resolve(dev, { interactive: true }), 'the lookup');
  assert.equal(state.status, 'error');
  assert.match(state.status === 'error' ? state.reason : '', /The AWS credentials file \/dev\/zero is a character device, not a regular file/);
  assert.equal(server.count('GetCallerIdentity'), 0);
  // /dev/null is how people say "no config file": calls go ahead (the keys come from the credentials file).
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = credentialsPath;
  process.env['AWS_CONFIG_FILE'] = '/dev/null';
  t.after(() => {
    process.env['AWS_CONFIG_FILE'] = configPath;
  });
  aws.accounts.clear();
  const ok = await bounded(aws.accounts.resolve(dev, { interactive: true }), 'the lookup with /dev/null');
  assert.equal(ok.status, 'known', JSON.stringify(ok));
  assert.equal(server.count('GetCallerIdentity'), 1);
});
