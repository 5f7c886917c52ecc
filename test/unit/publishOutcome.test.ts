/**
 * What a Publish that did not end with a message id means, fault by fault, against the scripted loopback endpoint:
 * once the request was written to the connection, a timeout, a reset, a 5xx, a non-AWS answer or a cancel leaves
 * the outcome unknown (the message may have been sent and billed); a failure that provably happened before
 * anything was written (connection refused) or a 4xx AWS error stays a failure. Publish is never retried.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainError, runTestSend } from '../../src/aws';
import type { TestSendResult } from '../../src/aws';
import { parseAwsFiles } from '../../src/core/awsIni';
import { buildProfileSet } from '../../src/core/profiles';
import { refusedPort, type Reply } from './faultServer';
import {
  configPath, configText, credentialsPath, credentialsText, FAST, hang, PRIMARY, profile, quietLogger, rejection, rig, sendPrompts, settled, SLOW, SMS, TEST_TIMEOUT_MS,
  type Rig,
} from './faultRig';

function send(r: Rig, signal?: AbortSignal, viaProfile = profile(r.profiles, 'secondary')): Promise<TestSendResult> {
  return runTestSend({ sessions: r.aws.sessions, sms: r.aws.sms, logger: quietLogger }, r.assumeRequest(), SMS, viaProfile, sendPrompts(), signal);
}

/** The result as the product reports an unknown outcome; fails the test for anything else. */
function unknownOutcome(result: TestSendResult): { reason: string; accountId: string } {
  const r = result as unknown as { outcome: string; reason?: { message?: string }; session?: { accountId?: string } };
  assert.equal(r.outcome, 'unknown', `outcome ${r.outcome}`);
  return { reason: r.reason?.message ?? '', accountId: r.session?.accountId ?? '' };
}

const UNKNOWN: readonly [string, Reply][] = [
  ['no answer after the request was written', hang],
  ['headers, then no body', { kind: 'stall-after-headers' }],
  ['a trickle that never completes', { kind: 'trickle', everyMs: 50 }],
  ['a connection reset after the request was read', { kind: 'reset' }],
  ['a reset in the middle of the answer', { kind: 'reset-mid-body' }],
  ["a proxy's 502 HTML page", { kind: 'html', status: 502 }],
  ['an HTML 500 page', { kind: 'html', status: 500 }],
  ['an AWS InternalError (500)', { kind: 'error', status: 500, code: 'InternalError', message: 'An internal error occurred.', type: 'Receiver' }],
  ['an AWS ServiceUnavailable (503)', { kind: 'error', status: 503, code: 'ServiceUnavailable', message: 'Service is unavailable.', type: 'Receiver' }],
  ['a 200 with no message id', { kind: 'xml', body: '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult/><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>' }],
];

for (const [what, reply] of UNKNOWN) {
  test(`Publish, ${what}: the outcome is unknown, may have been billed to the primary, never retried`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const r = await rig(t);
    r.server.on('Publish', () => reply);
    const { value } = await settled(send(r));
    const u = unknownOutcome(value);
    assert.equal(u.accountId, PRIMARY);
    assert.ok(u.reason.length > 0, 'says why');
    assert.equal(r.server.count('Publish'), 1, 'Publish is never retried');
  });
}

test('Publish cancelled after the request was written: unknown, not "cancelled"', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t, { timeouts: SLOW });
  r.server.on('Publish', () => hang);
  const ac = new AbortController();
  const pending = send(r, ac.signal);
  await r.server.waitFor(() => r.server.count('Publish') === 1, 'the Publish to reach the server');
  ac.abort();
  const { value } = await settled(pending);
  unknownOutcome(value);
});

const FAILURES: readonly [string, Reply, string][] = [
  ['an AWS InvalidParameter (400)', { kind: 'error', status: 400, code: 'InvalidParameter', message: 'Invalid parameter: PhoneNumber Reason: +1206 is not valid to publish to' }, 'invalid-phone'],
  ['an AWS AuthorizationError (403)', { kind: 'error', status: 403, code: 'AuthorizationError', message: 'User is not authorized to perform: SNS:Publish' }, 'access-denied'],
];

for (const [what, reply, category] of FAILURES) {
  test(`Publish, ${what}: a failure (AWS refused it before sending)`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const r = await rig(t);
    r.server.on('Publish', () => reply);
    const { error } = await rejection(send(r));
    assert.equal(explainError(error, { operation: 'Publish' }).category, category);
    assert.equal(r.server.count('Publish'), 1);
  });
}

test('Publish to a refused endpoint: a failure, nothing was written', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t, { timeouts: FAST });
  const port = await refusedPort();
  const dead = buildProfileSet(
    parseAwsFiles({ config: { path: configPath, text: configText(`http://127.0.0.1:${port}`), kind: 'config' }, credentials: { path: credentialsPath, text: credentialsText(), kind: 'credentials' } }),
  );
  // The session is assumed at the live endpoint; Publish goes through a profile whose endpoint refuses.
  const { error } = await rejection(send(r, undefined, profile(dead, 'secondary')));
  assert.equal(explainError(error, { operation: 'Publish' }).category, 'unreachable');
});
