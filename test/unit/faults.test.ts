/**
 * Fault tests of the AWS layer against a scripted loopback AWS endpoint (./faultServer, ./faultRig): refused
 * connections, endpoints that never answer, HTML 500 pages, throttling, a session that expires
 * mid-way, a check the endpoint does not implement, and an endpoint that answers for another account.
 * Each test counts requests at the server, so retries and look-ups are measured, not assumed, and
 * then makes a normal call with the same services object to show nothing was left broken.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createAwsServices, explainError, runTestSend, TenDlcError } from '../../src/aws';
import { parseAwsFiles } from '../../src/core/awsIni';
import { buildProfileSet } from '../../src/core/profiles';
import { assumeRoleXml, refusedPort } from './faultServer';
import {
  assertHealthy, configPath, configText, credentialsPath, credentialsText, ELSEWHERE, expired, FAST, hang, html500, NO_PROMPTS, PRIMARY,
  NEVER_HANGS_MS, processMarker, profile, quietLogger, REGION, rejection, rig, ROLE, SECONDARY, sendPrompts, settled, SLOW, SMS, TEST_TIMEOUT_MS, throttled, USERS,
  type Rig,
} from './faultRig';

// ---------------------------------------------------------------------------------------------------
// 1. Refused
// ---------------------------------------------------------------------------------------------------

test('a refused endpoint is "unreachable", names the endpoint, and gives up after maxAttempts', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  const port = await refusedPort();
  const refusedUrl = `http://127.0.0.1:${port}`;
  const deadProfiles = buildProfileSet(
    parseAwsFiles({ config: { path: configPath, text: configText(refusedUrl), kind: 'config' }, credentials: { path: credentialsPath, text: credentialsText(), kind: 'credentials' } }),
  );
  const req = { ...r.assumeRequest(), profile: profile(deadProfiles, 'secondary') };

  const { error, ms } = await rejection(r.aws.sessions.assume(req, NO_PROMPTS));
  const x = explainError(error, { operation: 'AssumeRole', profile: 'secondary' });
  assert.equal(x.category, 'unreachable', x.message);
  assert.ok(x.message.includes(refusedUrl), `the message names the endpoint: ${x.message}`);
  assert.equal((error as { $metadata?: { attempts?: number } }).$metadata?.attempts, FAST.maxAttempts, 'the SDK tried exactly maxAttempts times');
  assert.ok(r.log.some((l) => l.includes(`STS AssumeRole`) && l.includes(`after ${FAST.maxAttempts} attempts`)), 'the log line counts the attempts');
  assert.ok(ms < NEVER_HANGS_MS, `gave up in ${ms} ms`);

  // Background lookup against the same dead endpoint: an error state, one attempt, never a throw.
  const state = await settled(r.aws.accounts.resolve(profile(deadProfiles, 'u1'), { interactive: false }));
  assert.equal(state.value.status, 'error');
  assert.match(state.value.status === 'error' ? state.value.reason : '', new RegExp(`could not reach.*127\\.0\\.0\\.1:${port}`));
  assert.ok(r.log.some((l) => l.startsWith('[warn] STS GetCallerIdentity profile=u1') && !l.includes('attempts')), 'one attempt in the background');

  await assertHealthy(r, 'a refused endpoint');
});

// ---------------------------------------------------------------------------------------------------
// 2. Accepts and never answers: bounded by requestMs, and cancellable
// ---------------------------------------------------------------------------------------------------

test('an endpoint that never answers: AssumeRole and Publish time out after maxAttempts × requestMs', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  r.server.on('AssumeRole', () => hang);
  const a = await rejection(r.aws.sessions.assume(r.assumeRequest(), NO_PROMPTS));
  const xa = explainError(a.error, { operation: 'AssumeRole', profile: 'secondary' });
  assert.equal(xa.category, 'timeout', xa.message);
  assert.ok(xa.message.includes(r.server.url), xa.message);
  assert.equal(r.server.count('AssumeRole'), FAST.maxAttempts, 'each attempt reached the server');
  assert.ok(a.ms >= FAST.requestMs * FAST.maxAttempts, `waited ${a.ms} ms: each attempt waited requestMs`);
  await r.server.waitFor(() => r.server.inFlight === 0, 'the client to close every hung request');
  assert.equal(r.server.abandoned, FAST.maxAttempts);

  // Publish hangs; the session was assumed fine.
  r.server.reset();
  const session = await r.aws.sessions.assume(r.assumeRequest(), NO_PROMPTS);
  r.server.on('Publish', () => hang);
  const p = await rejection(r.aws.sms.publish(session, profile(r.profiles, 'secondary'), SMS));
  assert.equal(explainError(p.error, { operation: 'Publish' }).category, 'timeout');
  assert.equal(r.server.count('Publish'), 1, 'Publish is never retried: the first may have been sent and billed');

  await assertHealthy(r, 'a silent endpoint');
});

test('an endpoint that never answers: the opt-out check and a background lookup give up after one attempt', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  const session = await r.aws.sessions.assume(r.assumeRequest(), NO_PROMPTS);
  r.server.on('CheckIfPhoneNumberIsOptedOut', () => hang);
  r.server.on('GetCallerIdentity', (q) => (q.accessKeyId === USERS['u1'].keys.accessKeyId ? hang : undefined));
  const [opt, acct] = await Promise.all([
    settled(r.aws.sms.optOutState(session, profile(r.profiles, 'secondary'), SMS.destination, REGION)),
    settled(r.aws.accounts.resolve(profile(r.profiles, 'u1'), { interactive: false })),
  ]);
  assert.equal(opt.value.status, 'unknown');
  assert.equal(acct.value.status, 'error');
  assert.equal(r.server.count('CheckIfPhoneNumberIsOptedOut'), 1);
  assert.equal(r.server.seen.filter((q) => q.accessKeyId === USERS['u1'].keys.accessKeyId).length, 1);
  assert.equal(r.aws.accounts.peek(profile(r.profiles, 'u1'))?.status, 'error', 'no lookup is left pending');
  await assertHealthy(r, 'a silent check');
});

/** Starts `run` with a fresh AbortController, aborts once `action` has reached the server, and returns how the call ended. */
async function abortWhenArrived(r: Rig, action: string, run: (signal: AbortSignal) => Promise<unknown>): Promise<{ error: unknown; afterAbortMs: number }> {
  const ac = new AbortController();
  const call = run(ac.signal);
  call.catch(() => undefined);
  await r.server.waitFor(() => r.server.count(action) > 0 && r.server.inFlight > 0, `${action} to reach the server`);
  const aborted = Date.now();
  ac.abort();
  const { error } = await rejection(call);
  return { error, afterAbortMs: Date.now() - aborted };
}

test('cancelling a hung AssumeRole, Publish or test send ends it at once; a sent Publish is then of unknown outcome', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t, { timeouts: SLOW });

  r.server.on('AssumeRole', () => hang);
  const a = await abortWhenArrived(r, 'AssumeRole', (signal) => r.aws.sessions.assume(r.assumeRequest(), NO_PROMPTS, signal));
  assert.equal(explainError(a.error, { operation: 'AssumeRole' }).category, 'cancelled', String(a.error));
  assert.ok(a.afterAbortMs < 2_000, `ended ${a.afterAbortMs} ms after the abort`);
  assert.equal(r.server.count('AssumeRole'), 1, 'no retry after a cancel');
  await r.server.waitFor(() => r.server.abandoned === 1, 'the client to close the cancelled request');
  assert.equal(r.aws.sessions.liveSessionOf('secondary'), undefined);

  r.server.reset();
  const session = await r.aws.sessions.assume(r.assumeRequest(), NO_PROMPTS);
  r.server.on('Publish', () => hang);
  const p = await abortWhenArrived(r, 'Publish', (signal) => r.aws.sms.publish(session, profile(r.profiles, 'secondary'), SMS, signal));
  assert.equal(explainError(p.error, { operation: 'Publish' }).category, 'cancelled', String(p.error));
  assert.ok(p.afterAbortMs < 2_000, `ended ${p.afterAbortMs} ms after the abort`);
  assert.equal(r.server.count('Publish'), 1);

  // The cancelled Publish had been written: the test send reports its outcome as unknown, not as cancelled.
  r.server.reset();
  r.aws.sessions.forget();
  r.server.on('Publish', () => hang);
  const ac = new AbortController();
  const sending = runTestSend({ sessions: r.aws.sessions, sms: r.aws.sms, logger: quietLogger }, r.assumeRequest(), SMS, profile(r.profiles, 'secondary'), sendPrompts(), ac.signal);
  await r.server.waitFor(() => r.server.count('Publish') > 0 && r.server.inFlight > 0, 'Publish to reach the server');
  const aborted = Date.now();
  ac.abort();
  const { value: s } = await settled(sending);
  assert.equal(s.outcome, 'unknown');
  assert.ok(Date.now() - aborted < 2_000, `ended ${Date.now() - aborted} ms after the abort`);
  assert.equal(r.server.count('Publish'), 1);

  await assertHealthy(r, 'cancelled calls');
});

test('cancelling during the opt-out check stops the test send before the confirmation', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t, { checkTimeouts: { ...SLOW, maxAttempts: 1 } });
  r.server.on('CheckIfPhoneNumberIsOptedOut', () => hang);
  const confirmations = { count: 0 };
  const c = await abortWhenArrived(r, 'CheckIfPhoneNumberIsOptedOut', (signal) =>
    runTestSend({ sessions: r.aws.sessions, sms: r.aws.sms, logger: quietLogger }, r.assumeRequest(), SMS, profile(r.profiles, 'secondary'), sendPrompts(confirmations), signal),
  );
  assert.equal(explainError(c.error, { operation: 'Send Test SMS' }).category, 'cancelled', String(c.error));
  assert.ok(c.afterAbortMs < 2_000, `ended ${c.afterAbortMs} ms after the abort`);
  assert.equal(confirmations.count, 0, 'the user was not asked to confirm');
  assert.equal(r.server.count('Publish'), 0);
  await assertHealthy(r, 'a cancelled check');
});

test('the AbortError the SDK builds from a fired signal (its cause is a DOMException, code 20) reads as "cancelled"', () => {
  const ac = new AbortController();
  ac.abort();
  const e = Object.assign(new Error('Request aborted'), { name: 'AbortError', cause: ac.signal.reason as unknown });
  const x = explainError(e, { operation: 'Publish' });
  assert.equal(x.category, 'cancelled');
  assert.equal(x.code, 'AbortError');
});

test('cancelling a test send before it starts sends nothing', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  const ac = new AbortController();
  ac.abort();
  const { error } = await rejection(
    runTestSend({ sessions: r.aws.sessions, sms: r.aws.sms, logger: quietLogger }, r.assumeRequest(), SMS, profile(r.profiles, 'secondary'), sendPrompts(), ac.signal),
  );
  assert.equal(explainError(error, { operation: 'Send Test SMS' }).category, 'cancelled', String(error));
  assert.equal(r.server.seen.length, 0, 'no request reached the endpoint');

  // Cancelled while the confirmation was open: nothing is published.
  const late = new AbortController();
  const { error: e2 } = await rejection(
    runTestSend({ sessions: r.aws.sessions, sms: r.aws.sms, logger: quietLogger }, r.assumeRequest(), SMS, profile(r.profiles, 'secondary'), {
      ...NO_PROMPTS,
      confirm: async () => {
        late.abort();
        return true;
      },
    }, late.signal),
  );
  assert.equal(explainError(e2, { operation: 'Send Test SMS' }).category, 'cancelled', String(e2));
  assert.equal(r.server.count('Publish'), 0, 'no Publish after a cancel');
  await assertHealthy(r, 'a cancel before sending');
});

test('cancelling an assume whose source profile is itself a role ends at once, though the inner AssumeRole hangs', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t, { timeouts: SLOW });
  // The inner call (fromIni's STS client) assumes arn:…:role/sender; the outer one the primary's role.
  r.server.on('AssumeRole', (q) => (q.params.get('RoleArn')?.endsWith(':role/sender') ? hang : undefined));
  const a = await abortWhenArrived(r, 'AssumeRole', (signal) => r.aws.sessions.assume(r.assumeRequest('chained'), NO_PROMPTS, signal));
  assert.equal(explainError(a.error, { operation: 'AssumeRole' }).category, 'cancelled', String(a.error));
  assert.ok(a.afterAbortMs < 2_000, `ended ${a.afterAbortMs} ms after the abort`);
  assert.equal(r.server.count('AssumeRole'), 1, 'the outer AssumeRole was never sent');
});

test('the inner AssumeRole of a role profile is bounded by the same timeouts', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  r.server.on('AssumeRole', (q) => (q.params.get('RoleArn')?.endsWith(':role/sender') ? hang : undefined));
  const { error } = await rejection(r.aws.sessions.assume(r.assumeRequest('chained'), NO_PROMPTS));
  const x = explainError(error, { operation: 'AssumeRole', profile: 'chained' });
  assert.equal(x.category, 'timeout', x.message);
  assert.equal(r.server.count('AssumeRole'), FAST.maxAttempts, 'inner attempts bounded by maxAttempts; no outer call');
  r.server.reset();
  const s = await settled(r.aws.sessions.assume(r.assumeRequest('chained'), NO_PROMPTS));
  assert.equal(s.value.accountId, PRIMARY);
  assert.equal(r.server.count('AssumeRole'), 2, 'inner and outer AssumeRole');
});

test('cancelling an interactive account lookup ends it, is not cached, and leaves nothing pending', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t, { timeouts: SLOW, checkTimeouts: { ...SLOW, maxAttempts: 1 } });
  const u1 = profile(r.profiles, 'u1');
  r.server.on('GetCallerIdentity', () => hang);
  const ac = new AbortController();
  const pending = r.aws.accounts.resolve(u1, { interactive: true, signal: ac.signal });
  await r.server.waitFor(() => r.server.count('GetCallerIdentity') === 1, 'the lookup to reach the server');
  assert.equal(r.aws.accounts.peek(u1)?.status, 'pending');
  const finished = new Promise<void>((resolve) => {
    const sub = r.aws.accounts.onDidChange((name) => {
      if (name === 'u1') {
        sub.dispose();
        resolve();
      }
    });
  });
  const aborted = Date.now();
  ac.abort();
  const { value: state } = await settled(pending);
  assert.ok(Date.now() - aborted < 2_000, 'ended at once');
  assert.equal(state.status, 'error');
  assert.match(state.status === 'error' ? state.reason : '', /cancelled/);
  assert.equal(r.aws.accounts.peek(u1), undefined, 'a cancelled lookup is not pending');
  // The call itself is aborted (the connection closed), not left to run out its 60 s timeout...
  await r.server.waitFor(() => r.server.abandoned === 1 && r.server.inFlight === 0, 'the client to close the cancelled lookup');
  // ...and once it has finished, its "cancelled" is not cached.
  await settled(finished);
  assert.equal(r.aws.accounts.peek(u1), undefined, 'a cancelled lookup is not cached');

  r.server.reset();
  const again = await settled(r.aws.accounts.resolve(u1, { interactive: false }));
  assert.deepEqual(again.value.status === 'known' ? again.value.accountId : again.value, SECONDARY);
  assert.equal(r.server.count('GetCallerIdentity'), 1);

  // A caller that cancels does not abort a lookup another caller waits for without a signal.
  r.server.reset();
  const u2 = profile(r.profiles, 'u2');
  let release = (): void => undefined;
  r.server.on('GetCallerIdentity', () => ({ kind: 'hold', until: new Promise<undefined>((resolve) => (release = () => resolve(undefined))) }));
  const background = r.aws.accounts.resolve(u2, { interactive: false });
  const impatient = new AbortController();
  const interactive = r.aws.accounts.resolve(u2, { interactive: true, signal: impatient.signal });
  await r.server.waitFor(() => r.server.count('GetCallerIdentity') === 1, 'the shared lookup to reach the server');
  impatient.abort();
  const gaveUp = await settled(interactive);
  assert.match(gaveUp.value.status === 'error' ? gaveUp.value.reason : gaveUp.value.status, /cancelled/);
  release();
  const bg = await settled(background);
  assert.equal(bg.value.status === 'known' ? bg.value.accountId : JSON.stringify(bg.value), SECONDARY);
  assert.equal(r.server.count('GetCallerIdentity'), 1, 'one shared call');
  assert.equal(r.server.abandoned, 0, 'the shared call was not aborted');
});

// ---------------------------------------------------------------------------------------------------
// 3. HTTP 500 and throttling: bounded retries
// ---------------------------------------------------------------------------------------------------

test('an HTML 500 page on Publish is not retried (it may have been sent and billed), and is explained', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  const session = await r.aws.sessions.assume(r.assumeRequest(), NO_PROMPTS);
  r.server.on('Publish', () => html500);
  const { error } = await rejection(r.aws.sms.publish(session, profile(r.profiles, 'secondary'), SMS));
  const x = explainError(error, { operation: 'Publish' });
  assert.equal(r.server.count('Publish'), 1);
  assert.equal(x.category, 'not-implemented', `${x.category}: ${x.message}`);
  assert.ok(x.message.includes('Publish') && x.message.includes(r.server.url), x.message);
  await assertHealthy(r, 'HTTP 500');
});

test('throttling: retried up to maxAttempts, then "throttled"; fewer throttles than that succeed', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  r.server.on('AssumeRole', () => throttled);
  const { error } = await rejection(r.aws.sessions.assume(r.assumeRequest(), NO_PROMPTS));
  const x = explainError(error, { operation: 'AssumeRole', profile: 'secondary' });
  assert.equal(x.category, 'throttled', x.message);
  assert.equal(r.server.count('AssumeRole'), FAST.maxAttempts);

  // Throttled twice, then fine: the third attempt succeeds within the same call.
  r.server.reset();
  r.server.on('AssumeRole', (q) => (q.n <= FAST.maxAttempts - 1 ? throttled : undefined));
  const s = await settled(r.aws.sessions.assume(r.assumeRequest(), NO_PROMPTS));
  assert.equal(s.value.accountId, PRIMARY);
  assert.equal(r.server.count('AssumeRole'), FAST.maxAttempts);
  assert.ok(r.log.some((l) => l.includes('STS AssumeRole') && l.includes(`ok`) && l.includes(`after ${FAST.maxAttempts} attempts`)), 'logged as ok after 3 attempts');

  // Throttled three times then fine: this call fails, the next one (same services) works.
  r.server.reset();
  r.aws.sessions.forget();
  r.server.on('AssumeRole', (q) => (q.n <= 3 ? throttled : undefined));
  await rejection(r.aws.sessions.assume(r.assumeRequest(), NO_PROMPTS));
  assert.equal(r.server.count('AssumeRole'), 3);
  const ok = await settled(r.aws.sessions.assume(r.assumeRequest(), NO_PROMPTS));
  assert.equal(ok.value.accountId, PRIMARY);
  assert.equal(r.server.count('AssumeRole'), 4);
  await assertHealthy(r, 'throttling');
});

// ---------------------------------------------------------------------------------------------------
// 4. The session expires mid-way
// ---------------------------------------------------------------------------------------------------

test('an expired session on Publish: runTestSend assumes the role once more and publishes', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  r.server.on('Publish', (q) => (q.n === 1 ? expired : undefined));
  const confirmations = { count: 0 };
  const { value } = await settled(
    runTestSend({ sessions: r.aws.sessions, sms: r.aws.sms, logger: quietLogger }, r.assumeRequest(), SMS, profile(r.profiles, 'secondary'), sendPrompts(confirmations)),
  );
  assert.equal(value.outcome, 'sent');
  assert.equal(r.server.count('AssumeRole'), 2);
  assert.equal(r.server.count('Publish'), 2);
  assert.equal(confirmations.count, 1, 'the user is asked once');
  const publishes = r.server.seen.filter((q) => q.action === 'Publish');
  assert.notEqual(publishes[0].accessKeyId, publishes[1].accessKeyId, 'the second Publish used the new session');
  assert.equal(value.outcome === 'sent' ? value.session.credentials.accessKeyId : '', publishes[1].accessKeyId);
});

test('a session that expires again right after renewal fails as "expired", without a loop, and is dropped', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  r.server.on('Publish', () => expired);
  const { error } = await rejection(
    runTestSend({ sessions: r.aws.sessions, sms: r.aws.sms, logger: quietLogger }, r.assumeRequest(), SMS, profile(r.profiles, 'secondary'), sendPrompts()),
  );
  assert.ok(error instanceof TenDlcError);
  assert.equal(explainError(error, { operation: 'Publish' }).category, 'expired');
  assert.equal(r.server.count('AssumeRole'), 2);
  assert.equal(r.server.count('Publish'), 2);
  assert.equal(r.aws.sessions.liveSessionOf('secondary'), undefined, 'the rejected session is not kept');
  await assertHealthy(r, 'a repeated expiry');
});

// ---------------------------------------------------------------------------------------------------
// 5. A check the endpoint does not implement
// ---------------------------------------------------------------------------------------------------

test('a check the endpoint does not implement (HTML 500) is "unknown" after one attempt; the send goes on', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t, { checkTimeouts: undefined });
  r.server.on('CheckIfPhoneNumberIsOptedOut', () => html500);
  const session = await r.aws.sessions.assume(r.assumeRequest(), NO_PROMPTS);
  const opt = await settled(r.aws.sms.optOutState(session, profile(r.profiles, 'secondary'), SMS.destination, REGION));
  assert.equal(opt.value.status, 'unknown');
  assert.match(opt.value.status === 'unknown' ? opt.value.reason : '', /does not implement CheckIfPhoneNumberIsOptedOut/);
  assert.equal(r.server.count('CheckIfPhoneNumberIsOptedOut'), 1, 'one attempt only');

  r.server.reset();
  r.server.on('CheckIfPhoneNumberIsOptedOut', () => html500);
  const seen: string[] = [];
  const { value } = await settled(
    runTestSend({ sessions: r.aws.sessions, sms: r.aws.sms, logger: quietLogger }, r.assumeRequest(), SMS, profile(r.profiles, 'secondary'), {
      ...NO_PROMPTS,
      confirm: async (d) => {
        seen.push(d.optOut.status);
        return true;
      },
    }),
  );
  assert.equal(value.outcome, 'sent');
  assert.deepEqual(seen, ['unknown']);
  assert.equal(r.server.count('CheckIfPhoneNumberIsOptedOut'), 1);
});

test('a background account lookup against an HTML 500 is an error state after one attempt; an explicit one retries', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t, { checkTimeouts: undefined });
  const u2 = profile(r.profiles, 'u2');
  r.server.on('GetCallerIdentity', () => html500);
  const bg = await settled(r.aws.accounts.resolve(u2, { interactive: false }));
  assert.equal(bg.value.status, 'error');
  assert.equal(r.server.count('GetCallerIdentity'), 1, 'one attempt in the background');
  // The failure is remembered for background refreshes (no hammering)...
  await r.aws.accounts.resolve(u2, { interactive: false });
  assert.equal(r.server.count('GetCallerIdentity'), 1);
  // ...and an explicit lookup tries again, with the normal retries.
  const fg = await settled(r.aws.accounts.resolve(u2, { interactive: true }));
  assert.equal(fg.value.status, 'error');
  assert.equal(r.server.count('GetCallerIdentity'), 1 + FAST.maxAttempts);

  r.server.reset();
  const ok = await settled(r.aws.accounts.resolve(u2, { interactive: true }));
  assert.equal(ok.value.status === 'known' ? ok.value.accountId : ok.value.status, SECONDARY);
});

// ---------------------------------------------------------------------------------------------------
// 6. The endpoint answers for another account
// ---------------------------------------------------------------------------------------------------

test('an assumed session that is another account is refused as "wrong-account" and not cached', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  // AssumeRole's own answer names the session (AssumedRoleUser): no GetCallerIdentity is needed to check it.
  r.server.on('AssumeRole', () => ({ kind: 'xml', body: assumeRoleXml(`arn:aws:sts::${ELSEWHERE}:assumed-role/${ROLE}/s`) }));
  const req = r.assumeRequest();
  const { error } = await rejection(r.aws.sessions.assume(req, NO_PROMPTS));
  const x = explainError(error, { operation: 'AssumeRole' });
  assert.equal(x.category, 'wrong-account');
  assert.ok(x.message.includes(ELSEWHERE) && x.message.includes(PRIMARY), x.message);
  assert.equal(r.aws.sessions.cached(req), undefined);
  assert.equal(r.aws.sessions.liveSessionOf('secondary'), undefined);

  // Right account, wrong role: also refused.
  r.server.reset();
  r.server.on('AssumeRole', () => ({ kind: 'xml', body: assumeRoleXml(`arn:aws:sts::${PRIMARY}:assumed-role/admin/s`) }));
  const { error: e2 } = await rejection(r.aws.sessions.assume(req, NO_PROMPTS));
  assert.equal(explainError(e2, { operation: 'AssumeRole' }).category, 'wrong-account');

  // An answer that does not say who the session is: refused too (never trusted blindly).
  r.server.reset();
  r.server.on('AssumeRole', () => ({ kind: 'xml', body: assumeRoleXml(undefined) }));
  const { error: e3 } = await rejection(r.aws.sessions.assume(req, NO_PROMPTS));
  assert.equal(explainError(e3, { operation: 'AssumeRole' }).category, 'wrong-account');
  assert.equal(r.server.count('GetCallerIdentity'), 0);
  await assertHealthy(r, 'a wrong account');
});

test('a new session costs one request: AssumeRole, checked by its own answer (no GetCallerIdentity)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  const session = await r.aws.sessions.assume(r.assumeRequest(), NO_PROMPTS);
  assert.equal(session.accountId, PRIMARY);
  assert.match(session.assumedRoleArn, new RegExp(`^arn:aws:sts::${PRIMARY}:assumed-role/${ROLE}/`));
  assert.deepEqual(r.server.seen.map((q) => q.action), ['AssumeRole']);
});

// ---------------------------------------------------------------------------------------------------
// AccountResolver
// ---------------------------------------------------------------------------------------------------

test('AccountResolver: at most N lookups in flight at the server, each profile looked up once', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const limit = 2;
  // Background lookups use the check timeouts: long enough here that only the test releases them.
  const r = await rig(t, { concurrency: limit, checkTimeouts: { ...SLOW, maxAttempts: 1 } });
  const releases: (() => void)[] = [];
  // Each lookup is held at the server until the test releases it, then answered normally.
  r.server.on('GetCallerIdentity', () => ({ kind: 'hold', until: new Promise<undefined>((resolve) => releases.push(() => resolve(undefined))) }));
  const names = ['u1', 'u2', 'u3', 'u4', 'u5'];
  const all = names.map((n) => r.aws.accounts.resolve(profile(r.profiles, n), { interactive: false }));
  // The same profiles again while they are in flight: joined, not looked up twice.
  const joined = names.map((n) => r.aws.accounts.resolve(profile(r.profiles, n), { interactive: false }));
  assert.equal(r.aws.accounts.lookups, limit, 'only N lookups were started');
  for (const n of names) {
    assert.equal(r.aws.accounts.peek(profile(r.profiles, n))?.status, 'pending');
  }
  for (let released = 0; released < names.length; released++) {
    const expected = Math.min(limit, names.length - released);
    await r.server.waitFor(() => r.server.inFlight === expected && releases.length > released, `${expected} lookups in flight`);
    assert.ok(r.server.maxInFlight <= limit, `at most ${limit} in flight, saw ${r.server.maxInFlight}`);
    releases[released]();
  }
  const states = await settled(Promise.all([...all, ...joined]));
  assert.equal(r.server.maxInFlight, limit);
  assert.equal(r.server.count('GetCallerIdentity'), names.length, 'one lookup per profile');
  for (const s of states.value) {
    assert.equal(s.status === 'known' ? s.accountId : s.status, SECONDARY);
  }
  // Cached: no more calls, in either mode.
  for (const n of names) {
    await r.aws.accounts.resolve(profile(r.profiles, n), { interactive: false });
    await r.aws.accounts.resolve(profile(r.profiles, n), { interactive: true });
  }
  assert.equal(r.server.count('GetCallerIdentity'), names.length, 'a cached id is not looked up again');
  assert.equal(r.aws.accounts.lookups, names.length);
});

test('AccountResolver: MFA, SSO and credential_process profiles are never resolved in the background', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  for (const name of ['mfa', 'mfa-source', 'sso', 'process']) {
    const p = profile(r.profiles, name);
    assert.equal(p.interactive, true, `${name} is interactive`);
    const state = await settled(r.aws.accounts.resolve(p, { interactive: false }));
    if (p.declaredAccountId) {
      assert.equal(state.value.status, 'known', `${name}: its account is read from the profile`);
    } else {
      assert.equal(state.value.status, 'deferred', name);
    }
  }
  assert.equal(r.server.seen.length, 0, 'no request reached the endpoint');
  assert.equal(r.aws.accounts.lookups, 0);
  assert.equal(existsSync(processMarker), false, 'credential_process was not run');

  // Asked for explicitly, credential_process runs (the marker proves the test could see it).
  await settled(r.aws.accounts.resolve(profile(r.profiles, 'process'), { interactive: true }));
  assert.equal(existsSync(processMarker), true);
});

test('AccountResolver: a failing lookup is an error state, never a throw, and never stays pending', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  const u3 = profile(r.profiles, 'u3');
  r.server.on('GetCallerIdentity', () => ({ kind: 'error', status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' }));
  const { value } = await settled(r.aws.accounts.resolve(u3, { interactive: true }));
  assert.equal(value.status, 'error');
  assert.match(value.status === 'error' ? value.reason : '', /did not accept the credentials of profile "u3"/);
  assert.equal(r.aws.accounts.peek(u3)?.status, 'error');

  // A region callback that throws (a broken setting) is also an error state, and nothing is left pending.
  const broken = createAwsServices({
    logger: quietLogger,
    env: {},
    timeouts: FAST,
    defaultRegion: () => {
      throw new Error('no region configured');
    },
  });
  const noRegion = { ...u3, region: undefined };
  const s2 = await settled(broken.accounts.resolve(noRegion, { interactive: true }));
  assert.equal(s2.value.status, 'error');
  assert.notEqual(broken.accounts.peek(noRegion)?.status, 'pending');

  // After clear() (refresh), a lookup that was in flight does not write its stale answer back.
  r.server.reset();
  const held: (() => void)[] = [];
  r.server.on('GetCallerIdentity', () => ({ kind: 'hold', until: new Promise<undefined>((resolve) => held.push(() => resolve(undefined))) }));
  r.aws.accounts.clear();
  const inflight = r.aws.accounts.resolve(u3, { interactive: true });
  await r.server.waitFor(() => held.length === 1, 'the lookup to reach the server');
  r.aws.accounts.clear();
  held[0]();
  await settled(inflight);
  assert.equal(r.aws.accounts.peek(u3), undefined, 'cleared while in flight: not cached');

  r.server.reset();
  const ok = await settled(r.aws.accounts.resolve(u3, { interactive: true }));
  assert.equal(ok.value.status === 'known' ? ok.value.accountId : ok.value.status, SECONDARY);
});

test('a plain client from the factory honours the profile endpoint and the identity the server gives', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  const p = profile(r.profiles, 'primary');
  const sts = r.aws.clients.sts(p, USERS['primary'].keys, { profile: 'primary', region: REGION });
  try {
    const who = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Account, PRIMARY);
  } finally {
    sts.destroy();
  }
  assert.equal(r.server.count('GetCallerIdentity'), 1);
});
