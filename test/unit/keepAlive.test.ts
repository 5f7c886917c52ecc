/**
 * Clients reused with kept-alive connections (issue 13), against the scripted loopback endpoint (./faultServer):
 * calls share connections; a kept-alive connection the server had closed (it drops the next request unread, as a
 * server that closed an idle connection just as the request was written) costs a read one retry on a new
 * connection, never a failure; a Publish never goes out on a kept-alive connection, so that race can never leave
 * its outcome unknown; and an idle connection that stopped answering ends a call at its attempt deadline.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainError, runTestSend } from '../../src/aws';
import { FAST_CHECK, NO_PROMPTS, profile, quietLogger, rig, sendPrompts, settled, SMS, TEST_TIMEOUT_MS } from './faultRig';

test('calls of different clients share kept-alive connections: two lookups, one connection', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  const a = await r.aws.accounts.resolve(profile(r.profiles, 'u1'), { interactive: true });
  const b = await r.aws.accounts.resolve(profile(r.profiles, 'u2'), { interactive: true });
  assert.deepEqual([a.status, b.status], ['known', 'known']);
  assert.equal(r.server.count('GetCallerIdentity'), 2);
  assert.equal(r.server.connections, 1, 'the second call used the first one\'s connection');
  assert.deepEqual(
    r.server.seen.map((q) => q.reused),
    [false, true],
  );
});

test('a kept-alive connection the server had closed: a read is retried once on a new connection and succeeds', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  // The server drops, unread, the first request that comes on a kept-alive connection.
  let dropped = 0;
  r.server.on('GetCallerIdentity', (q) => (q.reused && dropped++ === 0 ? { kind: 'reset' } : undefined));
  await r.aws.accounts.resolve(profile(r.profiles, 'u1'), { interactive: false });
  const { value } = await settled(r.aws.accounts.resolve(profile(r.profiles, 'u2'), { interactive: false }));
  assert.equal(value.status, 'known', value.status === 'error' ? value.reason : '');
  assert.equal(dropped, 1, 'one request was dropped');
  const seen = r.server.seen.map((q) => ({ reused: q.reused }));
  assert.deepEqual(seen, [{ reused: false }, { reused: true }, { reused: false }], 'retried on a new connection');
  assert.equal(FAST_CHECK.maxAttempts, 1, 'a background lookup has one attempt: the retry is not the SDK\'s');
});

test('a Publish never goes out on a kept-alive connection: a server closing one cannot make its outcome unknown', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  // Any request on a kept-alive connection is dropped unread: on one, a Publish's outcome would be unknown.
  r.server.on('Publish', (q) => (q.reused ? { kind: 'reset' } : undefined));
  // A live session and an opt-out check first: connections to the same endpoint are left open for reuse.
  const result = await runTestSend({ sessions: r.aws.sessions, sms: r.aws.sms, logger: quietLogger }, r.assumeRequest(), SMS, profile(r.profiles, 'secondary'), sendPrompts());
  assert.equal(result.outcome, 'sent');
  const publish = r.server.seen.filter((q) => q.action === 'Publish');
  assert.equal(publish.length, 1);
  assert.equal(publish[0].reused, false, 'Publish came on a connection of its own');
  assert.ok(r.server.seen.some((q) => q.reused), 'the calls before it did reuse a connection');
});

test('a kept-alive connection that stops answering ends the call at its attempt deadline', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  r.server.on('GetCallerIdentity', (q) => (q.reused ? { kind: 'hang' } : undefined));
  await r.aws.accounts.resolve(profile(r.profiles, 'u1'), { interactive: false });
  const { value, ms } = await settled(r.aws.accounts.resolve(profile(r.profiles, 'u2'), { interactive: false }));
  assert.ok(r.server.seen[1]?.reused, 'the second call went out on the kept-alive connection');
  assert.equal(value.status, 'error');
  assert.match(value.status === 'error' ? value.reason : '', /in time/);
  assert.ok(ms < FAST_CHECK.requestMs + 2_000, `ended at its deadline (${ms} ms), not at the socket's idle timeout`);
  await r.server.waitFor(() => r.server.inFlight === 0, 'the client to close the connection it gave up on');
});

test('a session assumed once is used by the pre-flight and the send without another AssumeRole; the session\'s clients are reused', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  const session = await r.aws.sessions.assume(r.assumeRequest(), NO_PROMPTS);
  const via = profile(r.profiles, 'secondary');
  const ctx = { profile: 'x', account: session.accountId, region: SMS.region };
  const first = r.aws.clients.sns(via, session.credentials, ctx, r.aws.clients.checkTimeouts);
  const again = r.aws.clients.sns(via, session.credentials, ctx, r.aws.clients.checkTimeouts);
  assert.equal(first, again, 'the same credentials, region, endpoint and timeouts give the same client');
  first.destroy();
  assert.equal(r.aws.clients.sns(via, session.credentials, ctx, r.aws.clients.checkTimeouts), first, 'destroy() leaves a factory client in place');
  assert.notEqual(r.aws.clients.sns(via, session.credentials, ctx, r.aws.clients.sendTimeouts), first, 'a send has its own client');
  const state = await r.aws.sms.optOutState(session, via, SMS.destination, SMS.region);
  assert.equal(state.status, 'not-opted-out', explainError(state, { operation: 'x' }).message);
});
