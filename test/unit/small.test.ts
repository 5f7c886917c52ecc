import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextTokens, profileContextValue } from '../../src/core/contextValue';
import { configuredEndpoint } from '../../src/core/endpoints';
import { roleSessionName, timeLeft } from '../../src/core/format';
import { createLimiter } from '../../src/core/limit';
import * as fs from 'node:fs';
import * as path from 'node:path';

test('contextValue carries the tokens the package.json menus match', () => {
  const v = profileContextValue({ group: 'secondary', assumed: true, canAssume: true, canLookup: false });
  assert.deepEqual([...contextTokens(v)], ['tendlc-profile', 'group-secondary', 'assumed', 'can-assume']);
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
  const menus: { command: string; when: string }[] = pkg.contributes.menus['view/item/context'];
  const regexesOf = (cmd: string) =>
    menus.filter((m) => m.command === cmd).flatMap((m) => [...m.when.matchAll(/viewItem =~ \/(.+?)\/(?:\s|$)/g)].map((x) => new RegExp(x[1])));
  const matchesAll = (cmd: string, value: string) => regexesOf(cmd).length > 0 && regexesOf(cmd).every((r) => r.test(value));
  const other = profileContextValue({ group: 'other', assumed: false, canAssume: false, canLookup: true });
  const primary = profileContextValue({ group: 'primary', assumed: false, canAssume: false, canLookup: true });
  assert.ok(matchesAll('tendlc.sendTestSms', v), 'Send Test SMS on a secondary');
  assert.ok(!matchesAll('tendlc.sendTestSms', other), 'no Send Test SMS on Other');
  assert.ok(!matchesAll('tendlc.sendTestSms', primary), 'no Send Test SMS on the primary');
  assert.ok(matchesAll('tendlc.forgetSession', v));
  assert.ok(matchesAll('tendlc.setPrimary', other) && !matchesAll('tendlc.setPrimary', primary));
  assert.ok(matchesAll('tendlc.addSecondary', other) && !matchesAll('tendlc.addSecondary', v));
  assert.ok(matchesAll('tendlc.removeFromGroup', v) && !matchesAll('tendlc.removeFromGroup', other));
  assert.ok(matchesAll('tendlc.lookupAccount', other) && !matchesAll('tendlc.lookupAccount', v));
});

test('configured endpoints follow the documented precedence', () => {
  const profile = { endpointUrl: 'http://profile', serviceEndpoints: { sns: 'http://profile-sns' }, ignoreConfiguredEndpointUrls: false };
  assert.equal(configuredEndpoint(profile, 'sts', {}), 'http://profile');
  assert.equal(configuredEndpoint(profile, 'sns', {}), 'http://profile-sns');
  assert.equal(configuredEndpoint(profile, 'sns', { AWS_ENDPOINT_URL: 'http://env' }), 'http://env');
  assert.equal(configuredEndpoint(profile, 'sns', { AWS_ENDPOINT_URL: 'http://env', AWS_ENDPOINT_URL_SNS: 'http://env-sns' }), 'http://env-sns');
  assert.equal(configuredEndpoint(profile, 'sns', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL: 'http://env' }), undefined);
  assert.equal(configuredEndpoint({ ...profile, ignoreConfiguredEndpointUrls: true }, 'sts', {}), undefined);
  assert.equal(configuredEndpoint(undefined, 'iam', {}), undefined);
});

test('timeLeft and roleSessionName', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  assert.equal(timeLeft(new Date('2026-01-01T00:54:30Z'), now), '54 min left');
  assert.equal(timeLeft(new Date('2026-01-01T01:05:00Z'), now), '1 h 5 min left');
  assert.equal(timeLeft(new Date('2025-12-31T23:00:00Z'), now), 'expired');
  const name = roleSessionName('my profile/with:odd chars'.repeat(5), now);
  assert.match(name, /^[\w+=,.@-]{2,64}$/);
  assert.ok(name.endsWith('20260101T000000'));
});

test('the limiter never runs more than its limit at once, and keeps order', async () => {
  const limit = createLimiter(3);
  let running = 0;
  let peak = 0;
  const order: number[] = [];
  const gates: (() => void)[] = [];
  const tasks = Array.from({ length: 10 }, (_, i) =>
    limit(async () => {
      running++;
      peak = Math.max(peak, running);
      order.push(i);
      await new Promise<void>((r) => gates.push(r));
      running--;
      return i;
    }),
  );
  // release tasks one at a time as they start
  while (gates.length || limit.active) {
    await new Promise((r) => setImmediate(r));
    gates.shift()?.();
  }
  assert.deepEqual(await Promise.all(tasks), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(peak, 3);
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  await assert.rejects(limit(() => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(limit.active, 0);
});

test('a repeat send to the same number within the window is noticed, another number is not', async () => {
  const { RecentSends } = await import('../../src/core/sendGuard');
  const r = new RecentSends(120_000);
  const t0 = new Date('2026-01-01T00:00:00Z');
  r.record('+12065550123', t0);
  assert.equal(r.secondsSinceRecent('+12065550123', new Date(t0.getTime() + 30_000)), 30);
  assert.equal(r.secondsSinceRecent('+12065550124', new Date(t0.getTime() + 30_000)), undefined);
  assert.equal(r.secondsSinceRecent('+12065550123', new Date(t0.getTime() + 120_000)), undefined);
});

test('a send of unknown outcome arms the repeat guard as a send does, and says so', async () => {
  const { RecentSends } = await import('../../src/core/sendGuard');
  const r = new RecentSends(120_000);
  const t0 = new Date('2026-01-01T00:00:00Z');
  r.record('+12065550123', t0, 'unknown');
  assert.deepEqual(r.recent('+12065550123', new Date(t0.getTime() + 10_000)), { seconds: 10, outcome: 'unknown' });
  r.record('+12065550123', new Date(t0.getTime() + 20_000));
  assert.deepEqual(r.recent('+12065550123', new Date(t0.getTime() + 30_000)), { seconds: 10, outcome: 'sent' });
});

test('delivery records that may be those of a send of unknown outcome: same last four digits, not known yet', async () => {
  const { candidatesFor, hasNoMessageId, unknownSendId, parseDeliveryRecord } = await import('../../src/core/delivery');
  const at = new Date('2026-01-01T00:00:00Z');
  const id = unknownSendId(at, 'abc');
  assert.ok(hasNoMessageId({ messageId: id }));
  assert.ok(!hasNoMessageId({ messageId: '1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7a8b' }));
  const record = (messageId: string, destination: string) =>
    parseDeliveryRecord(JSON.stringify({ notification: { messageId, timestamp: at.toISOString() }, delivery: { destination }, status: 'SUCCESS' }), undefined);
  const late = (messageId: string) =>
    parseDeliveryRecord(JSON.stringify({ notification: { messageId, timestamp: '2026-01-01 00:10:00.000' }, delivery: { destination: '+12065550123' }, status: 'SUCCESS' }), undefined);
  const records = [record('m1', '+1XXX5550123'), record('m2', '+12065550199'), record('m3', '+12065550123'), late('m4')].filter((x) => x !== undefined);
  const found = candidatesFor({ at: at.toISOString(), maskedDestination: '+*******0123' }, records, new Set(['m3']));
  assert.deepEqual(found.map((f) => f.messageId), ['m1'], 'm4 was accepted ten minutes later: another message');
});

test('configured endpoints for End User Messaging and CloudWatch Logs use the SDK service ids', () => {
  const profile = { endpointUrl: undefined, serviceEndpoints: { pinpoint_sms_voice_v2: 'http://eum', cloudwatch_logs: 'http://logs' }, ignoreConfiguredEndpointUrls: false };
  assert.equal(configuredEndpoint(profile, 'sms-voice', {}), 'http://eum');
  assert.equal(configuredEndpoint(profile, 'logs', {}), 'http://logs');
  assert.equal(configuredEndpoint(profile, 'sms-voice', { AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: 'http://env-eum' }), 'http://env-eum');
  assert.equal(configuredEndpoint(profile, 'logs', { AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://env-logs' }), 'http://env-logs');
});
