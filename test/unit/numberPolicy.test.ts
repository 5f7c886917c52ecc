/**
 * The resource policy SNS needs on a 10DLC number and its opt-out list: what is generated, and how a
 * policy found on the resource is judged (Deny over Allow, conditions, principals, NotAction, wildcards).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  accessSummary,
  describeSnsAccess,
  evaluateSnsAccess,
  grantedAutomatically,
  SNS_ACTIONS,
  snsGrantStatement,
  snsResourcePolicy,
  type SnsAccess,
} from '../../src/core/numberPolicy';

const PRIMARY = '111111111111';
const NUMBER = 'arn:aws:sms-voice:us-east-1:111111111111:phone-number/phone-0123456789abcdef';
const OTHER_NUMBER = 'arn:aws:sms-voice:us-east-1:111111111111:phone-number/phone-ffffffffffffffff';
const LIST = 'arn:aws:sms-voice:us-east-1:111111111111:opt-out-list/Default';
const req = { resourceArn: NUMBER, accountId: PRIMARY };
const SEND = SNS_ACTIONS['phone-number'];

const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });
const snsAllow = (extra: object = {}): object => ({ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sms-voice:SendTextMessage', Resource: NUMBER, ...extra });
const verdicts = (a: SnsAccess): string[] => (a.kind === 'evaluated' ? a.actions.map((v) => v.verdict) : [a.kind]);

test('no policy: absent, empty, or "{}" as GetResourcePolicy answers then', () => {
  for (const text of [undefined, '', '  ', '{}']) {
    assert.equal(accessSummary(evaluateSnsAccess(text, req, SEND)), 'none', JSON.stringify(text));
  }
});

test('the generated grant: SNS service principal, the actions SNS needs, this resource only, the primary as source account', () => {
  const st = snsGrantStatement('phone-number', NUMBER, PRIMARY);
  // The engine's statement for the grant (one source with the merge): a single action as a string.
  assert.deepEqual(st, {
    Sid: 'AllowSnsToSendThroughThisNumber',
    Effect: 'Allow',
    Principal: { Service: 'sns.amazonaws.com' },
    Action: 'sms-voice:SendTextMessage',
    Resource: NUMBER,
    Condition: { StringEquals: { 'aws:SourceAccount': PRIMARY } },
  });
  assert.deepEqual(snsGrantStatement('opt-out-list', LIST, PRIMARY).Action, ['sms-voice:DescribeOptedOutNumbers', 'sms-voice:DeleteOptedOutNumber']);
  for (const kind of ['phone-number', 'opt-out-list'] as const) {
    const arn = kind === 'phone-number' ? NUMBER : LIST;
    const a = evaluateSnsAccess(JSON.stringify(snsResourcePolicy(kind, arn, PRIMARY)), { resourceArn: arn, accountId: PRIMARY }, SNS_ACTIONS[kind]);
    assert.equal(accessSummary(a), 'grants', kind);
  }
  // Granted for the primary only: SNS acting for another account is not covered.
  assert.equal(accessSummary(evaluateSnsAccess(JSON.stringify(snsResourcePolicy('phone-number', NUMBER, PRIMARY)), { resourceArn: NUMBER, accountId: '222222222222' }, SEND)), 'insufficient');
});

test('an explicit Deny wins over an Allow', () => {
  const a = evaluateSnsAccess(doc(snsAllow(), { Sid: 'NoSms', Effect: 'Deny', Principal: '*', Action: 'sms-voice:*', Resource: '*' }), req, SEND);
  assert.deepEqual(verdicts(a), ['denied']);
  assert.equal(accessSummary(a), 'insufficient');
  assert.match(describeSnsAccess(a), /denies SNS sms-voice:SendTextMessage \(Sid NoSms\)/);
});

test('a Deny whose condition cannot be judged makes an Allow uncertain, never a plain grant', () => {
  const a = evaluateSnsAccess(doc(snsAllow(), { Effect: 'Deny', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sms-voice:SendTextMessage', Resource: NUMBER, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }), req, SEND);
  assert.deepEqual(verdicts(a), ['maybe-denied']);
  assert.equal(accessSummary(a), 'uncertain');
});

test('a Deny for another account (condition false) does not apply', () => {
  const a = evaluateSnsAccess(doc(snsAllow(), { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } } }), req, SEND);
  assert.deepEqual(verdicts(a), ['allowed']);
});

test('conditions: the source account is known; other keys are not', () => {
  const cases: [object, string][] = [
    [{ StringEquals: { 'aws:SourceAccount': PRIMARY } }, 'allowed'],
    [{ StringEquals: { 'aws:SourceAccount': '222222222222' } }, 'not-granted'],
    [{ StringEquals: { 'aws:SourceAccount': ['222222222222', PRIMARY] } }, 'allowed'],
    [{ StringNotEquals: { 'aws:SourceAccount': '222222222222' } }, 'allowed'],
    [{ StringEqualsIfExists: { 'aws:SourceAccount': PRIMARY } }, 'allowed'],
    [{ 'ForAnyValue:StringEquals': { 'aws:SourceAccount': PRIMARY } }, 'allowed'],
    [{ StringLike: { 'aws:SourceOwner': '1111*' } }, 'allowed'],
    [{ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111111111111:*' } }, 'conditional'],
    [{ StringEquals: { 'aws:SourceAccount': PRIMARY }, ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:111111111111:*' } }, 'conditional'],
    // A false key decides even when another cannot be judged.
    [{ StringEquals: { 'aws:SourceAccount': '222222222222' }, ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*' } }, 'not-granted'],
    [{ Null: { 'aws:SourceAccount': 'true' } }, 'not-granted'],
    [{ Null: { 'aws:SourceAccount': 'false' } }, 'allowed'],
  ];
  for (const [Condition, expected] of cases) {
    assert.deepEqual(verdicts(evaluateSnsAccess(doc(snsAllow({ Condition })), req, SEND)), [expected], JSON.stringify(Condition));
  }
  assert.equal(accessSummary(evaluateSnsAccess(doc(snsAllow({ Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*' } } })), req, SEND)), 'uncertain');
});

test('principals: the SNS service principal (string or list, any case) or everyone; an account root is not SNS', () => {
  const grants = (Principal: unknown): string => accessSummary(evaluateSnsAccess(doc(snsAllow({ Principal })), req, SEND));
  assert.equal(grants('*'), 'grants');
  assert.equal(grants({ AWS: '*' }), 'grants');
  assert.equal(grants({ Service: ['lambda.amazonaws.com', 'SNS.amazonaws.com'] }), 'grants');
  assert.equal(grants({ AWS: `arn:aws:iam::${PRIMARY}:root` }), 'insufficient');
  assert.equal(grants({ Service: 'sms-voice.amazonaws.com' }), 'insufficient');
  // NotPrincipal: everyone but the named ones.
  const notP = evaluateSnsAccess(doc({ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sms-voice:*', Resource: NUMBER }), req, SEND);
  assert.equal(accessSummary(notP), 'grants');
});

test('actions and resources: wildcards, NotAction, NotResource, another resource', () => {
  const grants = (extra: object): string => accessSummary(evaluateSnsAccess(doc(snsAllow(extra)), req, SEND));
  assert.equal(grants({ Action: 'sms-voice:*' }), 'grants');
  assert.equal(grants({ Action: 'SMS-Voice:sendtextmessage' }), 'grants');
  assert.equal(grants({ Action: 'sms-voice:Send*' }), 'grants');
  assert.equal(grants({ Action: 'sms-voice:DescribePhoneNumbers' }), 'insufficient');
  assert.equal(grants({ Action: undefined, NotAction: 'sms-voice:DeleteOptedOutNumber' }), 'grants');
  assert.equal(grants({ Action: undefined, NotAction: ['sms-voice:Send*'] }), 'insufficient');
  assert.equal(grants({ Resource: OTHER_NUMBER }), 'insufficient');
  assert.equal(grants({ Resource: 'arn:aws:sms-voice:us-east-1:111111111111:phone-number/*' }), 'grants');
  assert.equal(grants({ Resource: undefined }), 'grants');
  assert.equal(grants({ Resource: undefined, NotResource: OTHER_NUMBER }), 'grants');
  assert.equal(grants({ Resource: undefined, NotResource: NUMBER }), 'insufficient');
});

test('the opt-out list needs both actions; what is missing is named', () => {
  const a = evaluateSnsAccess(
    doc({ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sms-voice:DescribeOptedOutNumbers', Resource: LIST }),
    { resourceArn: LIST, accountId: PRIMARY },
    SNS_ACTIONS['opt-out-list'],
  );
  assert.deepEqual(verdicts(a), ['allowed', 'not-granted']);
  assert.equal(accessSummary(a), 'insufficient');
  assert.match(describeSnsAccess(a), /grants SNS sms-voice:DescribeOptedOutNumbers; does not grant SNS sms-voice:DeleteOptedOutNumber/);
});

test('statements about other principals are listed as kept; a single Statement object and a missing Version read', () => {
  const foreign = { Sid: 'ShareWithPartner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: ['sms-voice:SendTextMessage'], Resource: NUMBER };
  const a = evaluateSnsAccess(JSON.stringify({ Statement: foreign }), req, SEND);
  assert.equal(a.kind, 'evaluated');
  assert.equal(accessSummary(a), 'insufficient');
  assert.deepEqual(a.kind === 'evaluated' ? a.others : [], [{ label: 'Sid ShareWithPartner', effect: 'Allow', principals: 'arn:aws:iam::999999999999:root', actions: 'sms-voice:SendTextMessage' }]);
});

test('a policy it cannot read completely is unreadable, never empty', () => {
  for (const text of ['not json', '[]', '{"Version":"2012-10-17"}', doc({ Effect: 'Maybe', Principal: '*', Action: '*' }), doc({ Effect: 'Allow', Principal: '*' }), doc({ Effect: 'Allow', Principal: '*', Action: 7 }), doc({ Effect: 'Allow', Principal: '*', Action: '*', Condition: 'x' })]) {
    const a = evaluateSnsAccess(text, req, SEND);
    assert.equal(a.kind, 'unreadable', text);
  }
});

test('numbers created before 2024-09-24 were granted automatically', () => {
  assert.equal(grantedAutomatically(new Date('2024-09-23T23:59:59Z')), true);
  assert.equal(grantedAutomatically(new Date('2021-01-01T00:00:00Z')), true);
  assert.equal(grantedAutomatically(new Date('2024-09-24T00:00:00Z')), false);
  assert.equal(grantedAutomatically(new Date('2025-06-01T12:00:00Z')), false);
  assert.equal(grantedAutomatically(undefined), false);
  assert.equal(grantedAutomatically(new Date('nonsense')), false);
});

// ---------------------------------------------------------------------------------------------------
// Properties over generated policies (seeded; the seed is printed so a failure can be replayed).

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generatedStatement(r: () => number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const st: Record<string, unknown> = {
    Effect: pick(['Allow', 'Allow', 'Deny']),
    Principal: pick(['*', { Service: 'sns.amazonaws.com' }, { Service: ['sns.amazonaws.com', 'lambda.amazonaws.com'] }, { AWS: 'arn:aws:iam::999999999999:root' }, { AWS: '*' }, { Service: 'sms-voice.amazonaws.com' }]),
    Resource: pick([NUMBER, OTHER_NUMBER, '*', 'arn:aws:sms-voice:*:111111111111:phone-number/*', undefined]),
  };
  if (r() < 0.2) {
    st['NotAction'] = pick(['sms-voice:DeleteOptedOutNumber', 'sms-voice:Send*', ['sms-voice:Describe*']]);
  } else {
    st['Action'] = pick(['sms-voice:SendTextMessage', 'sms-voice:*', '*', 'sms-voice:DescribePhoneNumbers', ['sms-voice:SendTextMessage', 'sms-voice:DescribeOptedOutNumbers']]);
  }
  const cond = pick([
    undefined,
    undefined,
    { StringEquals: { 'aws:SourceAccount': PRIMARY } },
    { StringEquals: { 'aws:SourceAccount': '222222222222' } },
    { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111111111111:*' } },
    { StringNotEquals: { 'aws:SourceAccount': PRIMARY } },
  ]);
  if (cond) {
    st['Condition'] = cond;
  }
  if (r() < 0.5) {
    st['Sid'] = `S${Math.floor(r() * 1000)}`;
  }
  return st;
}

test('properties: an unconditional Deny for SNS is never overridden; our grant with no Deny applying always grants; other principals change nothing', () => {
  const seed = Number(process.env['TENDLC_PROPERTY_SEED'] ?? Date.now() % 2 ** 31);
  const r = rng(seed);
  const cases = 2500;
  const actions = ['sms-voice:SendTextMessage', 'sms-voice:DescribeOptedOutNumbers'];
  try {
    for (let i = 0; i < cases; i++) {
      const statements = Array.from({ length: 1 + Math.floor(r() * 4) }, () => generatedStatement(r));
      const base = evaluateSnsAccess(doc(...statements), req, actions);
      assert.equal(base.kind, 'evaluated');
      // 1. An unconditional Deny of everything for SNS on this resource: every action is denied.
      const denied = evaluateSnsAccess(doc(...statements, { Effect: 'Deny', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sms-voice:*', Resource: NUMBER }), req, actions);
      assert.deepEqual(verdicts(denied), actions.map(() => 'denied'));
      // 2. Our grant added: allowed, unless a Deny applies (then never "allowed").
      const withGrant = evaluateSnsAccess(doc(...statements, { ...snsGrantStatement('phone-number', NUMBER, PRIMARY), Action: actions }), req, actions);
      const denies = statements.some((s) => s['Effect'] === 'Deny');
      if (!denies) {
        assert.deepEqual(verdicts(withGrant), actions.map(() => 'allowed'), JSON.stringify(statements));
      }
      if (withGrant.kind === 'evaluated' && base.kind === 'evaluated') {
        base.actions.forEach((v, k) => {
          if (v.verdict === 'denied') {
            assert.equal(withGrant.actions[k].verdict, 'denied', 'adding an Allow never lifts a Deny');
          }
        });
      }
      // 3. Statements about another principal never change the verdicts.
      const foreign = evaluateSnsAccess(doc(...statements, { Effect: pick2(r), Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: '*', Resource: '*' }), req, actions);
      assert.deepEqual(verdicts(foreign), verdicts(base));
    }
  } catch (e) {
    throw new Error(`property failed with TENDLC_PROPERTY_SEED=${seed}: ${(e as Error).message}`);
  }
  console.log(`numberPolicy properties: ${cases} generated policies, seed ${seed}`);
});

function pick2(r: () => number): 'Allow' | 'Deny' {
  return r() < 0.5 ? 'Allow' : 'Deny';
}
