/**
 * The delivery-status lookup searches the success and the failure log group at once (issue 13), against the
 * scripted loopback endpoint: both FilterLogEvents calls are in flight together, a failure record wins over a
 * success record, and a missing group is "no record yet".
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Reply, SeenRequest } from './faultServer';
import { PRIMARY, profile, REGION, rig, settled, TEST_TIMEOUT_MS, USERS } from './faultRig';

const MESSAGE_ID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

function record(status: 'SUCCESS' | 'FAILURE'): string {
  return JSON.stringify({
    notification: { messageId: MESSAGE_ID, timestamp: '2026-11-30 12:00:00.000' },
    delivery: { destination: '+1206555XXXX', providerResponse: status === 'SUCCESS' ? 'Message has been accepted by phone carrier' : 'Phone is currently unreachable/unavailable', phoneCarrier: 'Example' },
    status,
  });
}

function groupOf(q: SeenRequest): string {
  return q.params.get('logGroupName') ?? '';
}

test('one look at the delivery logs searches both log groups at once', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  r.server.on('FilterLogEvents', (q): Reply => ({
    kind: 'hold',
    until: gate.then(() => ({ kind: 'json', body: { events: groupOf(q).endsWith('/Failure') ? [] : [{ message: record('SUCCESS') }] } })),
  }));
  const pending = r.aws.delivery.poll(
    profile(r.profiles, 'secondary'),
    USERS['primary'].keys,
    { messageId: MESSAGE_ID, region: REGION, accountId: PRIMARY, sentAt: new Date() },
    [],
  );
  await r.server.waitFor(() => r.server.inFlight === 2, 'both log groups searched together');
  release();
  const { value } = await settled(pending);
  assert.equal(value.status, 'delivered');
  assert.deepEqual(r.server.seen.map(groupOf).sort(), [`sns/${REGION}/${PRIMARY}/DirectPublishToPhoneNumber`, `sns/${REGION}/${PRIMARY}/DirectPublishToPhoneNumber/Failure`]);
});

test('a failure record wins over a success record; a missing log group is no record yet', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  r.server.on('FilterLogEvents', (q): Reply => ({ kind: 'json', body: { events: [{ message: record(groupOf(q).endsWith('/Failure') ? 'FAILURE' : 'SUCCESS') }] } }));
  const q = { messageId: MESSAGE_ID, region: REGION, accountId: PRIMARY, sentAt: new Date() };
  const failed = await r.aws.delivery.poll(profile(r.profiles, 'secondary'), USERS['primary'].keys, q, []);
  assert.equal(failed.status, 'failed');
  r.server.reset();
  r.server.on('FilterLogEvents', (x): Reply =>
    groupOf(x).endsWith('/Failure')
      ? { kind: 'json', status: 400, body: { __type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' } }
      : { kind: 'json', body: { events: [] } },
  );
  const pending = await r.aws.delivery.poll(profile(r.profiles, 'secondary'), USERS['primary'].keys, q, []);
  assert.equal(pending.status, 'pending');
});
