/**
 * The send's pre-flight at the floor (issue 13), counted at the scripted loopback endpoint (./faultServer, with the
 * test harness's End User Messaging stub answering for the primary's 10DLC world): with the number's ids known
 * from an earlier read the whole pre-flight is one round (every read in flight at once); what does not depend on
 * the destination is kept for the next send, which then asks only whether its destination opted out; that is
 * dropped for another session, another number, after a change the extension made, and after five minutes; ids
 * that no longer match are read again; and after the confirmation there is exactly one request, Publish.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SetSMSAttributesCommand } from '@aws-sdk/client-sns';
import { runTestSend } from '../../src/aws';
import type { SmsRequest, TestSendResult } from '../../src/aws';
import { Preflight, PREFLIGHT_REUSE_MS } from '../../src/aws/preflight';
import { answerEum, CAMPAIGN_ID, primaryEumAccount, type EumState } from '../harness/eumStub';
import type { Reply, SeenRequest } from './faultServer';
import { NO_PROMPTS, PRIMARY, profile, quietLogger, REGION, rig, SMS, TEST_TIMEOUT_MS, type Rig } from './faultRig';

const NUMBER = SMS.originationNumber;
const EUM_OPS = ['DescribePhoneNumbers', 'DescribeRegistrations', 'GetResourcePolicy', 'DescribeOptOutLists', 'ListRegistrationAssociations', 'DescribeRegistrationFieldValues', 'DescribeRegistrationVersions'];
/** What the pre-flight reads besides the number: the SNS side. */
const SNS_READS = ['GetSMSAttributes', 'GetSMSSandboxAccountStatus', 'CheckIfPhoneNumberIsOptedOut'];

function snsEnvelope(action: string, result: string): string {
  return `<${action}Response xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${action}Response>`;
}

/** The JSON body of a request, as the SDK sent it (the fault server keeps JSON values as strings). */
function bodyOf(q: SeenRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [k, v] of q.params) {
    try {
      body[k] = /^[[{\d]/.test(v) ? JSON.parse(v) : v;
    } catch {
      body[k] = v;
    }
  }
  return body;
}

interface World {
  readonly state: EumState;
  /** While set, every pre-flight read is held until `release()`. */
  hold?: { readonly gate: Promise<Reply | undefined>; release(): void };
}

/** Scripts the primary's SNS settings and its End User Messaging world (answered by the harness's stub). */
function primaryWorld(r: Rig): World {
  const world: World = { state: { [PRIMARY]: primaryEumAccount(PRIMARY, NUMBER, REGION) } };
  const held = (reply: () => Reply): ((q: SeenRequest) => Reply) => () => (world.hold ? { kind: 'hold', until: world.hold.gate.then(() => reply()) } : reply());
  for (const op of EUM_OPS) {
    r.server.on(op, (q) => {
      const { status, body } = answerEum(world.state, op, bodyOf(q), { account: PRIMARY, region: REGION });
      return held(() => ({ kind: 'json', status, body: JSON.parse(body) as unknown }))(q);
    });
  }
  r.server.on('GetSMSAttributes', held(() => ({ kind: 'xml', body: snsEnvelope('GetSMSAttributes', '<attributes><entry><key>MonthlySpendLimit</key><value>100</value></entry></attributes>') })));
  r.server.on('GetSMSSandboxAccountStatus', held(() => ({ kind: 'xml', body: snsEnvelope('GetSMSSandboxAccountStatus', '<IsInSandbox>false</IsInSandbox>') })));
  r.server.on('CheckIfPhoneNumberIsOptedOut', held(() => ({ kind: 'xml', body: snsEnvelope('CheckIfPhoneNumberIsOptedOut', '<isOptedOut>false</isOptedOut>') })));
  r.server.on('SetSMSAttributes', () => ({ kind: 'xml', body: snsEnvelope('SetSMSAttributes', '') }));
  return world;
}

function hold(world: World): void {
  let release = (): void => undefined;
  const gate = new Promise<Reply | undefined>((resolve) => (release = () => resolve(undefined)));
  world.hold = { gate, release };
}

/** A test send with the full pre-flight; `atConfirm` is what the server had seen when the confirmation was shown. */
async function send(r: Rig, preflight: Preflight = r.aws.preflight, sms: SmsRequest = SMS): Promise<{ result: TestSendResult; before: string[]; after: string[] }> {
  const start = r.server.seen.length;
  let atConfirm = -1;
  const result = await runTestSend(
    { sessions: r.aws.sessions, sms: r.aws.sms, logger: quietLogger, preflight },
    r.assumeRequest(),
    sms,
    profile(r.profiles, 'secondary'),
    {
      ...NO_PROMPTS,
      confirm: async () => {
        atConfirm = r.server.seen.length;
        return true;
      },
    },
  );
  const actions = r.server.seen.map((q) => q.action);
  return { result, before: actions.slice(start, atConfirm), after: actions.slice(atConfirm) };
}

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

test('with the number\'s ids known, the whole pre-flight is one round: every read is in flight at once', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  const world = primaryWorld(r);
  const first = await send(r);
  assert.equal(first.result.outcome, 'sent');
  // A new session (nothing kept from the first pre-flight), the number's ids known from the first read.
  r.aws.sessions.forget();
  r.aws.preflight.forget();
  await r.aws.sessions.assume(r.assumeRequest(), NO_PROMPTS);
  r.server.reset();
  const again = primaryWorld(r);
  again.state[PRIMARY] = world.state[PRIMARY];
  hold(again);
  const pending = send(r);
  const expected = [...SNS_READS, 'DescribePhoneNumbers', 'DescribeRegistrations', 'GetResourcePolicy', 'GetResourcePolicy', 'DescribeOptOutLists'];
  await r.server.waitFor(() => r.server.inFlight === expected.length, `${expected.length} reads in flight together (saw ${r.server.seen.map((q) => q.action).join(', ')})`);
  again.hold?.release();
  const { result, before, after } = await pending;
  assert.equal(result.outcome, 'sent');
  assert.deepEqual(sorted(before), sorted(expected), 'nothing read after the first answers came');
  assert.deepEqual(after, ['Publish']);
  assert.ok(result.outcome === 'sent' && result.preflight?.findings.some((f) => f.id === 'registration' && f.status === 'pass'), 'the registration was read by its id');
});

test('a second send within the window asks only whether its destination opted out, then publishes', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  primaryWorld(r);
  const first = await send(r);
  assert.equal(first.before[0], 'AssumeRole');
  assert.ok(first.before.includes('DescribePhoneNumbers'));
  assert.deepEqual(first.after, ['Publish'], 'exactly one request after the confirmation');
  const second = await send(r, r.aws.preflight, { ...SMS, destination: '+12065550199' });
  assert.deepEqual(second.before, ['CheckIfPhoneNumberIsOptedOut']);
  assert.deepEqual(second.after, ['Publish']);
  assert.ok(second.result.outcome === 'sent' && first.result.outcome === 'sent');
  // The same findings, but for the destination's.
  const strip = (x: TestSendResult) => (x.outcome === 'sent' ? (x.preflight?.findings ?? []).filter((f) => f.id !== 'opt-out').map((f) => `${f.id} ${f.status} ${f.detail}`) : []);
  assert.deepEqual(strip(second.result), strip(first.result));
});

test('what a pre-flight kept is read again with another session, for another number, after a change the extension made, and after five minutes', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  primaryWorld(r);
  let now = Date.now();
  const preflight = new Preflight(r.aws.clients, r.aws.numbers.directory, () => now);
  const full = (s: { before: string[] }): boolean => ['GetSMSAttributes', 'GetSMSSandboxAccountStatus', 'DescribePhoneNumbers'].every((a) => s.before.includes(a));
  assert.ok(full(await send(r, preflight)), 'the first send reads everything');
  assert.deepEqual((await send(r, preflight)).before, ['CheckIfPhoneNumberIsOptedOut'], 'the second only the opt-out');

  r.aws.sessions.forget();
  const renewed = await send(r, preflight);
  assert.equal(renewed.before[0], 'AssumeRole');
  assert.ok(full(renewed), 'a new session reads everything again');

  const other = await send(r, preflight, { ...SMS, originationNumber: '+12065550111' });
  assert.ok(other.before.includes('DescribePhoneNumbers') && other.before.includes('GetSMSAttributes'), `another number is read (${other.before.join(', ')})`);

  assert.deepEqual((await send(r, preflight)).before, ['CheckIfPhoneNumberIsOptedOut'], 'the first number is still kept');
  const session = r.aws.sessions.liveSessionOf('secondary');
  assert.ok(session);
  await r.aws.clients.sns(profile(r.profiles, 'secondary'), session.credentials, { profile: 'p', region: REGION }).send(new SetSMSAttributesCommand({ attributes: { MonthlySpendLimit: '200' } }));
  assert.ok(full(await send(r, preflight)), 'after a change made through the extension, everything is read again');

  now += PREFLIGHT_REUSE_MS - 1_000;
  assert.deepEqual((await send(r, preflight)).before, ['CheckIfPhoneNumberIsOptedOut'], 'still within five minutes');
  now += 2_000;
  assert.ok(full(await send(r, preflight)), 'five minutes after it was read, it is read again');
});

test('ids that no longer match are read again: the findings are the number\'s as it is now', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  const world = primaryWorld(r);
  await send(r);
  // The number moved to another campaign, still in review.
  const acct = world.state[PRIMARY];
  acct.registrations.push({ RegistrationId: 'registration-new0campaign', RegistrationType: 'US_TEN_DLC_CAMPAIGN_REGISTRATION', RegistrationStatus: 'REVIEWING' });
  acct.numbers[0].RegistrationId = 'registration-new0campaign';
  r.aws.sessions.forget();
  r.aws.preflight.forget();
  const { result, before } = await send(r);
  assert.ok(result.outcome === 'sent');
  const reg = result.preflight?.findings.find((f) => f.id === 'registration');
  assert.ok(reg && reg.status === 'warn' && reg.detail.includes('registration-new0campaign') && reg.detail.includes('REVIEWING'), JSON.stringify(reg));
  assert.equal(before.filter((a) => a === 'DescribePhoneNumbers').length, 2, 'by id (which no longer matched), then listed');
  assert.ok(!reg.detail.includes(CAMPAIGN_ID));
});

test('a number never read costs one more round, and its findings are the same as when its ids are known', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  primaryWorld(r);
  const cold = await send(r);
  r.aws.sessions.forget();
  r.aws.preflight.forget();
  const warm = await send(r);
  const findings = (x: TestSendResult) => (x.outcome === 'sent' ? (x.preflight?.findings ?? []).map((f) => `${f.id} ${f.status} ${f.detail}`) : ['not sent']);
  assert.deepEqual(findings(warm.result), findings(cold.result));
  assert.ok(findings(cold.result).some((f) => f.startsWith('registration pass')));
});
