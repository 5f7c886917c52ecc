import assert from 'node:assert/strict';
import { test } from 'node:test';
import { snsResourcePolicy } from '../../src/core/numberPolicy';
import { permissionsPolicy, roleArn, secondaryAssumePolicy, trustPolicy } from '../../src/core/policies';
import { resolveDocument, resolvedDocuments, setupModel, splitSymbols, type SetupInput } from '../../src/core/setup';

const base: SetupInput = {
  primaryAccountId: '111111111111',
  region: 'us-east-1',
  roleName: 'tendlc-cross-account-sms',
  trusted: ['333333333333', '222222222222'],
  requireMfa: false,
};

const NUMBER_ARN = 'arn:aws:sms-voice:us-east-1:111111111111:phone-number/phone-0123456789abcdef';
const LIST_ARN = 'arn:aws:sms-voice:us-east-1:111111111111:opt-out-list/Default';

test('symbols split into literal text and names', () => {
  assert.deepEqual(splitSymbols('arn:aws:iam::${AWS::AccountId}:role/${RoleName}'), ['arn:aws:iam::', { sym: 'AWS::AccountId' }, ':role/', { sym: 'RoleName' }]);
  assert.deepEqual(splitSymbols('plain'), ['plain']);
});

test('the JSON documents of the model are exactly what the policy functions give for the current setup', () => {
  const input: SetupInput = {
    ...base,
    externalId: 'ext-123',
    requireMfa: true,
    number: { e164: '+12065550100', createdAt: new Date('2025-01-01'), phone: { arn: NUMBER_ARN, current: {} }, optOutList: { arn: LIST_ARN, current: {} } },
  };
  const docs = resolvedDocuments(setupModel(input));
  assert.deepEqual(docs.trust, trustPolicy({ principals: input.trusted, externalId: 'ext-123', requireMfa: true, region: 'us-east-1' }));
  assert.deepEqual(docs.permissions, permissionsPolicy({ accountId: '111111111111', region: 'us-east-1' }));
  assert.deepEqual(docs.secondary, secondaryAssumePolicy(roleArn('111111111111', 'tendlc-cross-account-sms', 'us-east-1')));
  assert.deepEqual(docs.resourcePolicies, [
    { kind: 'phone-number', document: snsResourcePolicy('phone-number', NUMBER_ARN, '111111111111') },
    { kind: 'opt-out-list', document: snsResourcePolicy('opt-out-list', LIST_ARN, '111111111111') },
  ]);
});

test('a single trusted account resolves to a string principal, as trustPolicy writes it', () => {
  const docs = resolvedDocuments(setupModel({ ...base, trusted: ['222222222222'] }));
  assert.deepEqual(docs.trust.Statement[0].Principal, { AWS: 'arn:aws:iam::222222222222:root' });
});

test('the resource policies are needed only when the resource has none and SNS needs one', () => {
  const grant = JSON.stringify(snsResourcePolicy('phone-number', NUMBER_ARN, '111111111111'));
  const other = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sms-voice:SendTextMessage', Resource: NUMBER_ARN }] });
  const needOf = (phone: SetupInput['number']) => setupModel({ ...base, number: phone }).resourcePolicies.map((r) => [r.kind, r.needed]);
  const n = (phoneCurrent: { text?: string } | { unreadable: string } | undefined, createdAt?: Date) =>
    needOf({ e164: '+12065550100', createdAt, phone: { arn: NUMBER_ARN, current: phoneCurrent }, optOutList: { arn: LIST_ARN, current: {} } });
  assert.deepEqual(n({}, new Date('2025-03-01')), [['phone-number', true], ['opt-out-list', true]]);
  assert.deepEqual(n({}, undefined), [['phone-number', true], ['opt-out-list', true]], 'unknown creation date: needed');
  assert.deepEqual(n({}, new Date('2023-03-01')), [['phone-number', false], ['opt-out-list', true]], 'granted automatically before the cut-off');
  assert.deepEqual(n({ text: grant }), [['phone-number', false], ['opt-out-list', true]], 'already granted');
  assert.deepEqual(n({ text: other }), [['phone-number', false], ['opt-out-list', true]], 'another policy is there: never replaced by default');
  assert.deepEqual(n({ unreadable: 'GetResourcePolicy failed' }), [['phone-number', false], ['opt-out-list', true]]);
  assert.deepEqual(n(undefined), [['phone-number', false], ['opt-out-list', true]], 'not read: not assumed empty');
  const noArn = setupModel({ ...base, number: { e164: '+12065550100', phone: {}, optOutList: {} } });
  assert.ok(noArn.resourcePolicies.every((r) => !r.needed && /ARN could not be read/.test(r.reason)));
});

test('the external id is a sensitive parameter, present only when the setup has one', () => {
  assert.equal(setupModel(base).primaryParams.find((p) => p.key === 'ExternalId'), undefined);
  const p = setupModel({ ...base, externalId: 'ext-123' }).primaryParams.find((x) => x.key === 'ExternalId');
  assert.equal(p?.sensitive, true);
});

test('account names appear in the parameter descriptions when known', () => {
  const m = setupModel({ ...base, accountNames: { '222222222222': 'team-a' } });
  assert.match(m.primaryParams[0].description, /222222222222 \(team-a\)/);
});

test('resolveDocument refuses a symbol it has no value for, rather than leaving it in a policy', () => {
  assert.throws(() => resolveDocument({ a: '${Nope}' }, [], {}), /no string value for \$\{Nope\}/);
});

test('stack names from role names are valid CloudFormation stack names', async () => {
  const { stackName } = await import('../../src/core/iacGuide');
  assert.equal(stackName('tendlc-cross-account-sms'), 'tendlc-cross-account-sms');
  assert.equal(stackName('sms.sender@team'), 'sms-sender-team');
  assert.equal(stackName('1x'), 'tendlc-1x');
  for (const n of ['a', '_', '+=,.@-', 'x'.repeat(64)]) {
    assert.match(stackName(n), /^[A-Za-z][A-Za-z0-9-]{0,127}$/);
  }
});

test('a long list of secondary accounts stays within a CloudFormation parameter description', () => {
  const trusted = Array.from({ length: 300 }, (_, i) => String(100000000000 + i));
  const names = Object.fromEntries(trusted.map((id) => [id, `a rather long account name ${id}`]));
  const p = setupModel({ ...base, trusted, accountNames: names }).primaryParams[0];
  assert.ok(p.description.length < 4000, `${p.description.length} characters`);
  assert.match(p.description, /and 290 more/);
});
