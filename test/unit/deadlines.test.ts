/**
 * Deadlines, cancellation and clock skew of the AWS layer, against the scripted loopback endpoint (./faultServer):
 * every attempt ends at its deadline whatever phase it stalls in (connect, headers, body, a trickle), a call ends at
 * its total deadline across attempts, a credential_process has its own timeout and dies with a cancel, an interactive
 * lookup never queues behind background ones, and a clock minutes off is corrected as the SDK intends, once for
 * every client the factory makes.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createAwsServices, explainError, runTestSend } from '../../src/aws';
import type { Timeouts } from '../../src/aws';
import {
  dir, FAST, FAST_CHECK, NEVER_HANGS_MS, NO_PROMPTS, profile, quietLogger, REGION, rejection, rig, SECONDARY, sendPrompts, settled, SLOW, SMS,
  TEST_TIMEOUT_MS, USERS,
} from './faultRig';

// ---------------------------------------------------------------------------------------------------
// Every phase of an attempt is bounded
// ---------------------------------------------------------------------------------------------------

test('headers, then nothing: a background lookup ends at the attempt deadline, as a timeout', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  r.server.on('GetCallerIdentity', () => ({ kind: 'stall-after-headers' }));
  const { value, ms } = await settled(r.aws.accounts.resolve(profile(r.profiles, 'u1'), { interactive: false }));
  assert.equal(value.status, 'error');
  assert.match(value.status === 'error' ? value.reason : '', /no complete answer .* in time|got no answer/);
  assert.equal(r.server.count('GetCallerIdentity'), 1, 'one attempt in the background');
  assert.ok(ms >= FAST_CHECK.requestMs, `waited the attempt's deadline (${ms} ms)`);
  await r.server.waitFor(() => r.server.inFlight === 0, 'the client to close the stalled answer');
});

test('headers, then nothing: AssumeRole gives up after maxAttempts deadlines, each attempt reaching the server', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  r.server.on('AssumeRole', () => ({ kind: 'stall-after-headers' }));
  const { error, ms } = await rejection(r.aws.sessions.assume(r.assumeRequest(), NO_PROMPTS));
  const x = explainError(error, { operation: 'AssumeRole', profile: 'secondary' });
  assert.equal(x.category, 'timeout', x.message);
  assert.equal(r.server.count('AssumeRole'), FAST.maxAttempts);
  assert.ok(ms >= FAST.requestMs * FAST.maxAttempts, `each attempt waited its deadline (${ms} ms)`);
  await r.server.waitFor(() => r.server.inFlight === 0, 'the client to close every stalled answer');
});

test('a trickle of one byte every 50 ms never completes an answer: the attempt deadline ends it', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  r.server.on('GetCallerIdentity', () => ({ kind: 'trickle', everyMs: 50 }));
  const { value } = await settled(r.aws.accounts.resolve(profile(r.profiles, 'u2'), { interactive: false }));
  assert.equal(value.status, 'error');
  assert.match(value.status === 'error' ? value.reason : '', /in time/);
  await r.server.waitFor(() => r.server.inFlight === 0, 'the client to close the trickle');
});

test('the total deadline ends a call across its attempts', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const timeouts = { connectMs: 2_000, requestMs: 400, maxAttempts: 3, totalMs: 700 } as Timeouts;
  const r = await rig(t, { timeouts });
  r.server.on('AssumeRole', () => ({ kind: 'stall-after-headers' }));
  const { error, ms } = await rejection(r.aws.sessions.assume(r.assumeRequest(), NO_PROMPTS));
  assert.equal(explainError(error, { operation: 'AssumeRole' }).category, 'timeout', String(error));
  assert.ok(ms < 700 + 1_000, `ended ${ms} ms after it started, not after ${FAST.maxAttempts} × ${FAST.requestMs} ms`);
  assert.ok(r.server.count('AssumeRole') < FAST.maxAttempts, `${r.server.count('AssumeRole')} attempts`);
});

test('a connection reset in the middle of the body is retried for a read, and explained', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  r.server.on('GetCallerIdentity', (q) => (q.n < FAST.maxAttempts ? { kind: 'reset-mid-body' } : undefined));
  const { value } = await settled(r.aws.accounts.resolve(profile(r.profiles, 'u3'), { interactive: true }));
  assert.equal(value.status === 'known' ? value.accountId : JSON.stringify(value), SECONDARY, 'the third attempt got through');
  assert.equal(r.server.count('GetCallerIdentity'), FAST.maxAttempts);
});

// ---------------------------------------------------------------------------------------------------
// Clock skew: corrected as the SDK intends, shared by the factory's clients, explained as a clock problem
// ---------------------------------------------------------------------------------------------------

for (const [label, skewMs] of [
  ['ten minutes behind', 10 * 60_000],
  ['ten minutes ahead', -10 * 60_000],
] as const) {
  test(`a clock ${label}: a test send goes through, and only the first request is refused`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const r = await rig(t);
    r.server.setClockSkew(skewMs);
    const { value } = await settled(
      runTestSend({ sessions: r.aws.sessions, sms: r.aws.sms, logger: quietLogger }, r.assumeRequest(), SMS, profile(r.profiles, 'secondary'), sendPrompts()),
    );
    assert.equal(value.outcome, 'sent');
    assert.equal(r.server.skewRefusals, 1, 'the clock offset learnt from the first answer is used by every later client');
    assert.equal(r.server.count('Publish'), 1);
    assert.equal(r.server.count('CheckIfPhoneNumberIsOptedOut'), 1);
  });
}

test('a clock minutes off: single-attempt calls (a background lookup, the opt-out check) still succeed, once corrected', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  r.server.setClockSkew(20 * 60_000);
  const { value } = await settled(r.aws.accounts.resolve(profile(r.profiles, 'u4'), { interactive: false }));
  assert.equal(value.status === 'known' ? value.accountId : JSON.stringify(value), SECONDARY);
  assert.equal(r.server.count('GetCallerIdentity'), 2, 'refused once, then signed with the corrected clock');
  const session = await r.aws.sessions.assume(r.assumeRequest(), NO_PROMPTS);
  const before = r.server.skewRefusals;
  const opt = await settled(r.aws.sms.optOutState(session, profile(r.profiles, 'secondary'), SMS.destination, REGION));
  assert.equal(opt.value.status, 'not-opted-out');
  assert.equal(r.server.skewRefusals, before, 'no refusal once the offset is known');
});

test('a clock that cannot be corrected (no Date header) is explained as a clock problem, not a bad key', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  r.server.on('GetCallerIdentity', () => ({
    kind: 'error',
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: 'Signature expired: 20251130T100000Z is now earlier than 20251130T101500Z (20251130T102000Z - 5 min.)',
  }));
  const { value } = await settled(r.aws.accounts.resolve(profile(r.profiles, 'u5'), { interactive: true }));
  assert.equal(value.status, 'error');
  const reason = value.status === 'error' ? `${value.reason} ${value.hint}` : '';
  assert.match(reason, /clock/i);
  assert.doesNotMatch(reason, /deactivated|mistyped/);
});

// ---------------------------------------------------------------------------------------------------
// credential_process: its own timeout, killed on cancel, output validated, stderr never shown raw
// ---------------------------------------------------------------------------------------------------

const slowScript = join(dir, 'slow-process.sh');
const shPid = join(dir, 'slow-process.sh.pid');
const sleepPid = join(dir, 'slow-process.sleep.pid');
writeFileSync(slowScript, `sleep 30 &\necho $! > '${sleepPid}'\necho $$ > '${shPid}'\nwait\necho '{"Version": 1}'\n`);

function script(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const hvsToken = `hvs.${Buffer.from(`${Math.random()}${Date.now()}`).toString('base64url')}CAESIJ9xYz`;
const jwt = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'alice', n: Math.random() })).toString('base64url')}.c2lnbmF0dXJlLXN0dWZm`;
const noisy = script('noisy.sh', `echo "vault: permission denied for token ${hvsToken}" >&2\necho "second line: ${jwt}" >&2\nexit 3\n`);
const jwtFirst = script('jwt-first.sh', `echo "oidc: refresh failed, id_token=${jwt}" >&2\nexit 1\n`);
const notJson = script('not-json.sh', `echo "AccessKeyId=abc SecretAccessKey=def"\n`);
const version2 = script('version2.sh', `echo '{"Version": 2, "AccessKeyId": "a", "SecretAccessKey": "b"}'\n`);
const longStderr = script('long-stderr.sh', `echo "${'x'.repeat(170)} token ${hvsToken}" >&2\nexit 2\n`);
const expiredCreds = script('expired.sh', `echo '{"Version": 1, "AccessKeyId": "a-key", "SecretAccessKey": "b-secret", "Expiration": "2001-01-01T00:00:00Z"}'\n`);

function processProfiles(endpoint: string): string {
  const p = (name: string, file: string) => `\n[profile ${name}]\ncredential_process = /bin/sh ${file}\nregion = ${REGION}\nendpoint_url = ${endpoint}\n`;
  return (
    p('slow-process', slowScript) +
    p('noisy-process', noisy) +
    p('jwt-process', jwtFirst) +
    p('not-json-process', notJson) +
    p('version2-process', version2) +
    p('expired-process', expiredCreds) +
    // The SDK's order: a profile with an SSO session and a credential_process runs the process; one with static
    // keys and a credential_process uses the keys.
    `\n[profile sso-and-process]\nsso_session = corp\nsso_role_name = Dev\ncredential_process = /bin/sh ${slowScript}\nregion = ${REGION}\nendpoint_url = ${endpoint}\n` +
    `\n[profile keys-and-process]\naws_access_key_id = ${USERS['u5'].keys.accessKeyId}\naws_secret_access_key = ${USERS['u5'].keys.secretAccessKey}\ncredential_process = /bin/sh ${slowScript}\nregion = ${REGION}\nendpoint_url = ${endpoint}\n` +
    `\n[profile long-stderr-process]\ncredential_process = /bin/sh ${longStderr}\nregion = ${REGION}\nendpoint_url = ${endpoint}\n` +
    `\n[profile role-from-process]\nrole_arn = arn:aws:iam::${SECONDARY}:role/from-process\nsource_profile = slow-process\nregion = ${REGION}\nendpoint_url = ${endpoint}\n`
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (bounded) for the slow process to have started, and returns its two pids (the shell and its `sleep`). */
async function slowStarted(): Promise<number[]> {
  const deadline = Date.now() + NEVER_HANGS_MS;
  while (!(existsSync(shPid) && existsSync(sleepPid))) {
    assert.ok(Date.now() < deadline, 'the credential_process started');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return [shPid, sleepPid].map((f) => Number(readFileSync(f, 'utf8').trim()));
}

async function allGone(pids: number[]): Promise<void> {
  const deadline = Date.now() + NEVER_HANGS_MS;
  while (pids.some(alive)) {
    assert.ok(Date.now() < deadline, `process ${pids.filter(alive).join(', ')} outlived the command`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function clearPids(): void {
  for (const f of [shPid, sleepPid]) {
    rmSync(f, { force: true });
  }
}

test('a credential_process that never finishes is stopped at its own timeout, with a message naming the profile', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  clearPids();
  const server = await rig(t, { extraConfig: processProfiles });
  const aws = createAwsServices({ logger: quietLogger, env: {}, timeouts: FAST, checkTimeouts: FAST_CHECK, defaultRegion: () => REGION, ...{ credentialProcessTimeoutMs: 500 } });
  const lookup = aws.accounts.resolve(profile(server.profiles, 'slow-process'), { interactive: true });
  const pids = await slowStarted();
  const { value } = await settled(lookup);
  assert.equal(value.status, 'error');
  assert.match(value.status === 'error' ? value.reason : '', /credential_process of profile "slow-process" did not finish within 0\.5 s/);
  await allGone(pids);
});

test('cancelling a lookup kills its credential_process, child processes included', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  clearPids();
  const r = await rig(t, { extraConfig: processProfiles });
  const ac = new AbortController();
  const lookup = r.aws.accounts.resolve(profile(r.profiles, 'slow-process'), { interactive: true, signal: ac.signal });
  const pids = await slowStarted();
  ac.abort();
  const { value } = await settled(lookup);
  assert.match(value.status === 'error' ? value.reason : '', /cancelled/);
  await allGone(pids);
  assert.equal(r.server.seen.length, 0, 'no AWS call was made');
});

test('cancelling Assume Role with a role whose source is a credential_process kills that process', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  clearPids();
  const r = await rig(t, { extraConfig: processProfiles, timeouts: SLOW });
  const ac = new AbortController();
  const assume = r.aws.sessions.assume(r.assumeRequest('role-from-process'), NO_PROMPTS, ac.signal);
  assume.catch(() => undefined);
  const pids = await slowStarted();
  ac.abort();
  const { error } = await rejection(assume);
  assert.equal(explainError(error, { operation: 'AssumeRole' }).category, 'cancelled', String(error));
  await allGone(pids);
});

test('cancelling Check Setup kills the credential_process of a profile being checked', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  clearPids();
  const r = await rig(t, { extraConfig: processProfiles });
  const ac = new AbortController();
  const run = r.aws.checker.run(
    { primary: profile(r.profiles, 'slow-process'), secondaries: [profile(r.profiles, 'secondary')], roleName: 'r', requireMfa: false, region: REGION },
    NO_PROMPTS,
    ac.signal,
  );
  const pids = await slowStarted();
  ac.abort();
  await settled(run);
  await allGone(pids);
});

test('a failing credential_process shows its exit status and a redacted first line of stderr, never the stream', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t, { extraConfig: processProfiles });
  const noisyState = (await settled(r.aws.accounts.resolve(profile(r.profiles, 'noisy-process'), { interactive: true }))).value;
  const reason = noisyState.status === 'error' ? `${noisyState.reason} ${noisyState.hint}` : JSON.stringify(noisyState);
  assert.match(reason, /credential_process of profile "noisy-process" exited with status 3/);
  assert.match(reason, /vault: permission denied for token \[REDACTED\]/);
  assert.ok(!reason.includes(hvsToken), 'no Vault token');
  assert.ok(!reason.includes('second line') && !reason.includes(jwt.split('.')[1]), 'only the first line, no JWT');
  assert.ok(!reason.includes(noisy), 'the command line is not shown');
  assert.ok(r.log.some((l) => l.startsWith('[warn] STS profile=noisy-process') && l.includes('→ no credentials') && l.includes('exited with status 3')), 'the log says the call never started, and why');

  const jwtState = (await settled(r.aws.accounts.resolve(profile(r.profiles, 'jwt-process'), { interactive: true }))).value;
  const jwtReason = jwtState.status === 'error' ? jwtState.reason : '';
  assert.match(jwtReason, /exited with status 1: oidc: refresh failed, id_token=\[REDACTED\]/);
  assert.ok(!jwtReason.includes(jwt.split('.')[1]), 'no JWT');
});

test('whatever the profile also says, a credential_process the SDK would run is bounded here; static keys win over one', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  clearPids();
  const r = await rig(t, { extraConfig: processProfiles });
  const aws = createAwsServices({ logger: quietLogger, env: {}, timeouts: FAST, checkTimeouts: FAST_CHECK, defaultRegion: () => REGION, credentialProcessTimeoutMs: 500 });
  const lookup = aws.accounts.resolve(profile(r.profiles, 'sso-and-process'), { interactive: true });
  const pids = await slowStarted();
  const { value } = await settled(lookup);
  assert.match(value.status === 'error' ? value.reason : '', /credential_process of profile "sso-and-process" did not finish within 0\.5 s/);
  await allGone(pids);
  clearPids();
  const keys = await settled(aws.accounts.resolve(profile(r.profiles, 'keys-and-process'), { interactive: true }));
  assert.equal(keys.value.status === 'known' ? keys.value.accountId : JSON.stringify(keys.value), SECONDARY);
  assert.ok(!existsSync(shPid), 'the process did not run');
});

test('a token that straddles the cut of a long first stderr line is still removed whole', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t, { extraConfig: processProfiles });
  const { value } = await settled(r.aws.accounts.resolve(profile(r.profiles, 'long-stderr-process'), { interactive: true }));
  const reason = value.status === 'error' ? value.reason : '';
  assert.match(reason, /exited with status 2/);
  assert.ok(!reason.includes(hvsToken.slice(0, 12)), `no part of the token: ${reason}`);
});

test('credential_process output that is not the documented JSON is refused with what was wrong', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t, { extraConfig: processProfiles });
  const reasonOf = async (name: string): Promise<string> => {
    const { value } = await settled(r.aws.accounts.resolve(profile(r.profiles, name), { interactive: true }));
    return value.status === 'error' ? value.reason : JSON.stringify(value);
  };
  const notJsonReason = await reasonOf('not-json-process');
  assert.match(notJsonReason, /credential_process of profile "not-json-process" did not print JSON/);
  assert.ok(!notJsonReason.includes('SecretAccessKey=def'), 'what it printed is not shown');
  assert.match(await reasonOf('version2-process'), /"Version": 1/);
  assert.match(await reasonOf('expired-process'), /expired/);
  assert.equal(r.server.seen.length, 0);
});

// ---------------------------------------------------------------------------------------------------
// An interactive lookup never waits behind background ones
// ---------------------------------------------------------------------------------------------------

test('an interactive lookup starts at once, even when background lookups fill the queue', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t, { concurrency: 1, checkTimeouts: { ...SLOW, maxAttempts: 1 } });
  let release = (): void => undefined;
  r.server.on('GetCallerIdentity', (q) =>
    q.accessKeyId === USERS['u1'].keys.accessKeyId ? { kind: 'hold', until: new Promise<undefined>((resolve) => (release = () => resolve(undefined))) } : undefined,
  );
  const background = [r.aws.accounts.resolve(profile(r.profiles, 'u1'), { interactive: false }), r.aws.accounts.resolve(profile(r.profiles, 'u2'), { interactive: false })];
  await r.server.waitFor(() => r.server.count('GetCallerIdentity') === 1, 'the first background lookup to hold the only slot');
  const ac = new AbortController();
  const mine = r.aws.accounts.resolve(profile(r.profiles, 'u2'), { interactive: true, signal: ac.signal });
  await r.server.waitFor(() => r.server.seen.some((q) => q.accessKeyId === USERS['u2'].keys.accessKeyId), 'the interactive lookup to reach the server while u1 still holds the queue');
  const { value } = await settled(mine);
  assert.equal(value.status === 'known' ? value.accountId : JSON.stringify(value), SECONDARY);
  release();
  const states = await settled(Promise.all(background));
  assert.deepEqual(states.value.map((s) => (s.status === 'known' ? s.accountId : s.status)), [SECONDARY, SECONDARY]);
  assert.equal(r.server.seen.filter((q) => q.accessKeyId === USERS['u2'].keys.accessKeyId).length, 1, 'u2 looked up once: the queued background lookup used the answer');
});

test('an account lookup error kept for the tree is redacted with the UI\'s redactor, not just by shape', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  const registered = `emulator-secret-${Math.random().toString(36).slice(2)}`;
  r.server.on('GetCallerIdentity', () => ({ kind: 'error', status: 400, code: 'ValidationError', message: `the value ${registered} is not valid here` }));
  const aws = createAwsServices({
    logger: { ...quietLogger, redact: (text: string) => text.split(registered).join('[REDACTED]') },
    env: {},
    timeouts: FAST,
    checkTimeouts: FAST_CHECK,
    defaultRegion: () => REGION,
  });
  const { value } = await settled(aws.accounts.resolve(profile(r.profiles, 'u1'), { interactive: true }));
  const reason = value.status === 'error' ? value.reason : JSON.stringify(value);
  assert.match(reason, /the value \[REDACTED\] is not valid here/);
  assert.ok(!JSON.stringify(aws.accounts.peek(profile(r.profiles, 'u1'))).includes(registered), 'not in the kept state');
});
