/**
 * resourceShare mode's pure parts: the share as an engine grant and its merge with what is on the
 * number (SNS's grant kept), the identity policy of a secondary, how a number's resource policy is
 * judged for a secondary account (named cases, and a seeded property test against the tests' own IAM
 * model), the wire shape of SendTextMessage (DryRun only on a dry run), when a failed send's outcome is
 * unknown, and the readiness list's modes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHECKS } from '../../src/aws/readinessChecks';
import { requestOutcome } from '../../src/aws/errors';
import { sendOutcome, sendTextInput } from '../../src/aws/sharing';
import { snsGrant } from '../../src/core/numberPolicy';
import { mergeGrants, readPolicy } from '../../src/core/policyEngine';
import { DRY_RUN_SID, permissionsPolicy } from '../../src/core/policies';
import {
  effectiveSpendLimit,
  messageTypeOf,
  ownerOfArn,
  ramShareName,
  readSharingMode,
  secondaryAccess,
  secondarySendPolicy,
  shareGrant,
  shareResourcePolicy,
  SHARE_SID,
  type SecondaryAccess,
} from '../../src/core/sharing';
import { caseSeed, Rng } from './hostileFiles';
import { iamDecision } from './iamModel';

const PRIMARY = '111111111111';
const A = '222222222222';
const B = '333333333333';
const NUMBER = 'arn:aws:sms-voice:us-east-1:111111111111:phone-number/phone-0123456789abcdef';
const LIST = 'arn:aws:sms-voice:us-east-1:111111111111:opt-out-list/Default';
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });
const kind = (a: SecondaryAccess): string => a.kind;

test('the share: each secondary account root, SendTextMessage and DescribePhoneNumbers on the number only; read-only on the opt-out list', () => {
  assert.deepEqual(shareResourcePolicy('phone-number', NUMBER, [B, A, A]), {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: SHARE_SID['phone-number'],
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::${A}:root`, `arn:aws:iam::${B}:root`] },
        Action: ['sms-voice:SendTextMessage', 'sms-voice:DescribePhoneNumbers'],
        Resource: NUMBER,
      },
    ],
  });
  assert.deepEqual(shareGrant('opt-out-list', LIST, [A], 'us-gov-west-1'), {
    sid: SHARE_SID['opt-out-list'],
    principals: { AWS: [`arn:aws-us-gov:iam::${A}:root`] },
    actions: ['sms-voice:DescribeOptedOutNumbers'],
    resources: [LIST],
  });
});

test("the merge keeps SNS's grant and every other statement, adds the share once, and extends it for a new account", () => {
  const sns = doc({ Sid: 'SnsAccess', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sms-voice:SendTextMessage', Resource: NUMBER, Condition: { StringEquals: { 'aws:SourceAccount': PRIMARY } } });
  const first = mergeGrants(sns, [shareGrant('phone-number', NUMBER, [A])]);
  assert.ok(first.ok && first.changed);
  assert.deepEqual(first.risks, [], 'adding a share widens nothing that was there');
  const statements = (first.document as { Statement: Record<string, unknown>[] }).Statement;
  assert.deepEqual(statements[0], JSON.parse(sns).Statement[0], "SNS's statement is untouched");
  assert.equal(statements[1]['Sid'], SHARE_SID['phone-number']);
  const again = mergeGrants(first.text, [shareGrant('phone-number', NUMBER, [A])]);
  assert.ok(again.ok && !again.changed, 'merging twice changes nothing');
  // SNS's own grant (issue 12) merged into the shared document keeps the share too.
  const both = mergeGrants(first.text, [snsGrant('phone-number', NUMBER, PRIMARY)]);
  assert.ok(both.ok && !both.changed);
  const more = mergeGrants(first.text, [shareGrant('phone-number', NUMBER, [A, B])]);
  assert.ok(more.ok && more.changed);
  const grown = (more.document as { Statement: { Sid: string; Principal: { AWS: string[] } }[] }).Statement;
  assert.equal(grown.length, 2, 'the share statement grows; no second one');
  assert.deepEqual(grown[1].Principal.AWS, [`arn:aws:iam::${A}:root`, `arn:aws:iam::${B}:root`]);
  // An unconditional Deny for an account is respected: that account is not added.
  const denied = mergeGrants(doc({ Sid: 'NoB', Effect: 'Deny', Principal: { AWS: B }, Action: 'sms-voice:*', Resource: '*' }), [shareGrant('phone-number', NUMBER, [A, B])]);
  assert.ok(denied.ok);
  assert.ok(denied.changes.some((c) => c.kind === 'denied' && c.subject === B), JSON.stringify(denied.changes));
});

test("a secondary's identity policy: SendTextMessage on the number's ARN; the rest optional and labelled; RAM acceptance only from the primary", () => {
  const p = secondarySendPolicy({ numberArn: NUMBER, optOutListArn: LIST, primaryAccountId: PRIMARY, region: 'us-east-1' });
  assert.deepEqual(p.Statement[0], { Sid: 'SendThroughSharedNumber', Effect: 'Allow', Action: 'sms-voice:SendTextMessage', Resource: NUMBER });
  assert.ok(p.Statement.slice(1).every((s) => s.Sid.startsWith('Optional')), 'every other statement is labelled optional');
  assert.equal(p.Statement.find((s) => s.Action === 'ram:AcceptResourceShareInvitation')?.Resource, `arn:aws:ram:us-east-1:${PRIMARY}:resource-share-invitation/*`);
  const read = readPolicy(JSON.stringify(p));
  assert.ok(read.ok, 'the engine reads it');
});

test("role mode's permissions: an optional, labelled SendTextMessage for Dry Run Send, on the primary's numbers in the region only", () => {
  const s = permissionsPolicy({ accountId: PRIMARY, region: 'us-east-1' }).Statement.find((x) => x.Sid === DRY_RUN_SID);
  assert.deepEqual(s, { Sid: DRY_RUN_SID, Effect: 'Allow', Action: 'sms-voice:SendTextMessage', Resource: `arn:aws:sms-voice:us-east-1:${PRIMARY}:phone-number/*` });
  assert.equal(permissionsPolicy({ accountId: PRIMARY, region: 'us-east-1', includeOptional: false }).Statement.some((x) => x.Sid === DRY_RUN_SID), false);
});

test('judging the number for a secondary: granted, denied (Deny wins), only some of its principals, only under conditions, none, unreadable', () => {
  const allow = (extra: object = {}): object => ({ Sid: 'Share', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sms-voice:SendTextMessage', Resource: NUMBER, ...extra });
  assert.deepEqual(secondaryAccess(doc(allow()), NUMBER, A), { kind: 'allowed', by: 'Sid Share' });
  assert.equal(kind(secondaryAccess(doc(allow({ Principal: { AWS: A } })), NUMBER, A)), 'allowed', 'a bare account id is its root');
  assert.equal(kind(secondaryAccess(doc(allow({ Action: 'sms-voice:*', Resource: '*' })), NUMBER, A)), 'allowed');
  assert.equal(kind(secondaryAccess(doc(allow()), NUMBER, B)), 'not-granted', 'another account');
  assert.equal(kind(secondaryAccess(doc(allow({ Resource: `${NUMBER}x` })), NUMBER, A)), 'not-granted', 'another resource');
  assert.deepEqual(secondaryAccess(doc(allow(), { Sid: 'No', Effect: 'Deny', Principal: '*', Action: 'sms-voice:Send*', Resource: '*' }), NUMBER, A), { kind: 'denied', by: 'Sid No' });
  const role = secondaryAccess(doc(allow({ Principal: { AWS: `arn:aws:iam::${A}:role/Sender` } })), NUMBER, A);
  assert.equal(role.kind, 'partial');
  assert.match(role.kind === 'partial' ? role.why : '', /names only arn:aws:iam::222222222222:role\/Sender of that account/);
  const cond = secondaryAccess(doc(allow({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } })), NUMBER, A);
  assert.equal(cond.kind, 'partial');
  assert.equal(kind(secondaryAccess(doc(allow({ Condition: { StringEquals: { 'aws:PrincipalAccount': A } } })), NUMBER, A)), 'allowed', 'the principal account is known');
  assert.equal(kind(secondaryAccess('{}', NUMBER, A)), 'none');
  assert.equal(kind(secondaryAccess(undefined, NUMBER, A)), 'none');
  assert.equal(kind(secondaryAccess('{"Statement": [{"Effect": "Maybe"}]}', NUMBER, A)), 'unreadable');
  // SNS's grant alone shares nothing with an account.
  assert.equal(kind(secondaryAccess(doc({ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sms-voice:SendTextMessage', Resource: NUMBER }), NUMBER, A)), 'not-granted');
});

test('judging the number for a secondary agrees with the independent IAM model on generated policies (seeded)', () => {
  const seed = Number(process.env.TENDLC_FUZZ_SEED ?? 0x5eed15) >>> 0;
  const cases = Number(process.env.TENDLC_FUZZ_CASES ?? 2000) || 2000;
  console.log(`# sharing property: ${cases} generated policies, seed ${seed} (replay: TENDLC_FUZZ_SEED=${seed})`);
  const principals = [`arn:aws:iam::${A}:root`, A, `arn:aws:iam::${A}:role/Sender`, `arn:aws:iam::${B}:root`, '*'];
  const actions = ['sms-voice:SendTextMessage', 'sms-voice:*', 'sms-voice:Send*', 'sms-voice:DescribePhoneNumbers', '*', 'SMS-VOICE:sendtextmessage'];
  const resources = [NUMBER, '*', 'arn:aws:sms-voice:us-east-1:111111111111:phone-number/*', `${NUMBER}-other`, LIST];
  for (let i = 0; i < cases; i++) {
    const r = new Rng(caseSeed(seed, i));
    const statements = Array.from({ length: r.int(1, 4) }, () => {
      const st: Record<string, unknown> = { Effect: r.chance(0.3) ? 'Deny' : 'Allow' };
      const who = r.pick(principals);
      st[r.chance(0.1) ? 'NotPrincipal' : 'Principal'] = who === '*' && r.chance(0.5) ? '*' : { AWS: who };
      st[r.chance(0.15) ? 'NotAction' : 'Action'] = r.pick(actions);
      if (r.chance(0.9)) {
        st[r.chance(0.1) ? 'NotResource' : 'Resource'] = r.pick(resources);
      }
      if (r.chance(0.25)) {
        st['Condition'] = { [r.pick(['StringEquals', 'StringNotEquals'])]: { [r.pick(['aws:PrincipalAccount', 'aws:PrincipalOrgID'])]: r.pick([A, B, 'o-1']) } };
      }
      return st;
    });
    const text = JSON.stringify({ Version: '2012-10-17', Statement: statements });
    // The model has no Resource: keep only the statements that apply to the number, as IAM does.
    const glob = (p: string, s: string): boolean => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(s);
    const here = statements.filter((s) => (s['Resource'] !== undefined ? glob(String(s['Resource']), NUMBER) : s['NotResource'] !== undefined ? !glob(String(s['NotResource']), NUMBER) : true));
    const model = iamDecision({ Statement: here }, { principal: { type: 'AWS', id: `arn:aws:iam::${A}:root` }, action: 'sms-voice:SendTextMessage', context: { 'aws:principalaccount': A } });
    const ours = secondaryAccess(text, NUMBER, A);
    const where = `case ${i} (replay: TENDLC_FUZZ_SEED=${seed}): ${text}`;
    assert.equal(ours.kind === 'allowed', model === 'Allow', `allowed vs model ${model}: ${where}`);
    assert.equal(ours.kind === 'denied', model === 'Deny', `denied vs model ${model}: ${where}`);
  }
});

test('SendTextMessage on the wire: the number by its ARN, MessageType, MaxPrice when set, DryRun only on a dry run', () => {
  const m = { originationIdentity: NUMBER, destination: '+12065550123', body: 'hi', messageType: messageTypeOf('Transactional'), maxPrice: '0.50' };
  assert.deepEqual(sendTextInput(m, true), { DestinationPhoneNumber: '+12065550123', OriginationIdentity: NUMBER, MessageBody: 'hi', MessageType: 'TRANSACTIONAL', MaxPrice: '0.50', DryRun: true });
  assert.equal('DryRun' in sendTextInput(m, false), false, 'a real send carries no DryRun at all');
  assert.equal('MaxPrice' in sendTextInput({ ...m, maxPrice: undefined }, false), false);
  assert.equal(messageTypeOf('Promotional'), 'PROMOTIONAL');
});

test("a failed send's outcome is issue 11's rule for Publish: AWS's own 4xx, or nothing written, is not sent; a written request whose answer was lost, or a 5xx, is unknown", () => {
  assert.equal(sendOutcome, requestOutcome, 'one rule for Publish and SendTextMessage');
  const aws = (status: number, name: string, fault: 'client' | 'server') => Object.assign(new Error('x'), { name, $fault: fault, $metadata: { httpStatusCode: status } });
  assert.equal(sendOutcome(aws(400, 'AccessDeniedException', 'client')), 'not-sent');
  assert.equal(sendOutcome(aws(400, 'ServiceQuotaExceededException', 'client')), 'not-sent');
  assert.equal(sendOutcome(aws(500, 'InternalServerException', 'server')), 'unknown');
  assert.equal(sendOutcome(Object.assign(new Error('Unexpected token < in JSON (deserialization failed)'), { name: 'SyntaxError', $metadata: { httpStatusCode: 403 } })), 'unknown', 'a proxy page is not an AWS answer');
  assert.equal(sendOutcome(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', $tendlcRequest: 'not-sent' })), 'not-sent');
  assert.equal(sendOutcome(Object.assign(new Error('timed out waiting for the answer'), { name: 'TimeoutError', $tendlcRequest: 'sent' })), 'unknown');
  assert.equal(sendOutcome(Object.assign(new Error('aborted'), { name: 'AbortError', $tendlcRequest: 'unknown' })), 'unknown');
});

test('small words: the mode setting, the RAM share name, the owner in an ARN, the spend limit that applies', () => {
  assert.equal(readSharingMode('resourceShare'), 'resourceShare');
  for (const v of ['role', undefined, '', 'RESOURCESHARE', 3]) {
    assert.equal(readSharingMode(v), 'role');
  }
  assert.equal(ramShareName('+12065550100'), 'tendlc-10dlc-12065550100');
  assert.equal(ownerOfArn(NUMBER), PRIMARY);
  assert.equal(ownerOfArn('arn:aws:iam::111111111111:root'), undefined);
  assert.equal(effectiveSpendLimit({ maxLimit: 100, enforcedLimit: 100, overridden: false }), 100);
  assert.equal(effectiveSpendLimit({ maxLimit: 100, enforcedLimit: 20, overridden: true }), 20);
});

test('the one readiness list: every check names its modes; resourceShare has its own checks, run with the secondary\'s credentials, in Check Setup and in a send', () => {
  for (const c of CHECKS) {
    assert.ok(c.modes.length > 0, `${c.id} lists the modes it runs in`);
  }
  const shared = CHECKS.filter((c) => c.modes.includes('resourceShare'));
  assert.deepEqual(
    shared.filter((c) => c.on === 'consumer').map((c) => [c.id, c.scopes.join('+')]),
    [['shared-number', 'setup+send'], ['consumer-spend-limit', 'setup+send'], ['consumer-sandbox', 'setup+send'], ['opt-out', 'setup+send']],
  );
  assert.equal(shared.some((c) => ['role', 'sns-number-access', 'spend-limit', 'sandbox'].includes(c.id)), false, 'role-mode checks stay out');
  assert.equal(CHECKS.filter((c) => c.modes.includes('role')).some((c) => c.on === 'consumer'), false);
});
