import assert from 'node:assert/strict';
import { test } from 'node:test';
import { partitionOf, permissionsPolicy, policyJson, principalArn, roleArn, secondaryAssumePolicy, trustPolicy } from '../../src/core/policies';

test('trust policy trusts each secondary account root, sorted and de-duplicated', () => {
  const doc = trustPolicy({ principals: ['333333333333', '222222222222', '333333333333'], requireMfa: false });
  assert.equal(doc.Version, '2012-10-17');
  assert.equal(doc.Statement.length, 1);
  const st = doc.Statement[0];
  assert.equal(st.Effect, 'Allow');
  assert.equal(st.Action, 'sts:AssumeRole');
  assert.deepEqual(st.Principal, { AWS: ['arn:aws:iam::222222222222:root', 'arn:aws:iam::333333333333:root'] });
  assert.equal(st.Condition, undefined);
});

test('a single principal is a string, and a role ARN principal stays as given', () => {
  const doc = trustPolicy({ principals: ['arn:aws:iam::222222222222:role/Sender'], requireMfa: false });
  assert.deepEqual(doc.Statement[0].Principal, { AWS: 'arn:aws:iam::222222222222:role/Sender' });
});

test('external id and MFA add StringEquals and Bool (never BoolIfExists) conditions', () => {
  const doc = trustPolicy({ principals: ['222222222222'], externalId: 'ext-123', requireMfa: true });
  assert.deepEqual(doc.Statement[0].Condition, {
    StringEquals: { 'sts:ExternalId': 'ext-123' },
    Bool: { 'aws:MultiFactorAuthPresent': 'true' },
  });
  assert.ok(!JSON.stringify(doc).includes('IfExists'));
});

test('permissions policy allows sns:Publish on * and sms-voice only via SNS', () => {
  const doc = permissionsPolicy();
  const publish = doc.Statement.find((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes('sns:Publish'));
  assert.ok(publish);
  assert.equal(publish.Resource, '*');
  assert.equal(publish.Effect, 'Allow');
  const smsVoice = doc.Statement.find((s) => JSON.stringify(s.Action).includes('sms-voice:SendTextMessage'));
  assert.ok(smsVoice);
  assert.deepEqual(smsVoice.Condition, { StringEquals: { 'aws:CalledViaLast': 'sns.amazonaws.com' } });
  for (const s of doc.Statement) {
    assert.match(s.Sid, /^[A-Za-z0-9]+$/, 'IAM Sids are alphanumeric');
  }
});

test('secondary policy allows sts:AssumeRole on exactly the role ARN', () => {
  const arn = roleArn('111111111111', 'tendlc-cross-account-sms');
  assert.equal(arn, 'arn:aws:iam::111111111111:role/tendlc-cross-account-sms');
  const doc = secondaryAssumePolicy(arn);
  assert.deepEqual(doc.Statement, [{ Sid: 'AssumeSharedSmsRoleInPrimary', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arn }]);
});

test('partitions and paths', () => {
  assert.equal(partitionOf('us-gov-west-1'), 'aws-us-gov');
  assert.equal(partitionOf('cn-north-1'), 'aws-cn');
  assert.equal(partitionOf(undefined), 'aws');
  assert.equal(roleArn('111111111111', 'r', 'us-gov-west-1'), 'arn:aws-us-gov:iam::111111111111:role/r');
  assert.equal(roleArn('111111111111', 'r', 'us-east-1', '/sms/'), 'arn:aws:iam::111111111111:role/sms/r');
  assert.equal(principalArn('222222222222', 'us-gov-east-1'), 'arn:aws-us-gov:iam::222222222222:root');
});

test('policyJson is parseable JSON ending in a newline', () => {
  const text = policyJson(permissionsPolicy());
  assert.ok(text.endsWith('\n'));
  assert.deepEqual(JSON.parse(text), permissionsPolicy());
});

test('merging trust keeps every principal and is idempotent', async () => {
  const { mergeTrust } = await import('../../src/core/policyMerge');
  const current = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'Legacy', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::222222222222:root', 'arn:aws:iam::999999999999:role/Ops'] }, Action: 'sts:AssumeRole' }],
  });
  const wanted = { principals: ['222222222222', '333333333333'], requireMfa: false };
  const once = mergeTrust(encodeURIComponent(current), wanted);
  assert.ok(once.ok);
  assert.deepEqual(once.changes.map((c) => [c.kind, c.subject]), [['already', '222222222222'], ['added', '333333333333']]);
  assert.deepEqual(once.risks, []);
  const twice = mergeTrust(once.text, wanted);
  assert.ok(twice.ok && !twice.changed, 'a second merge changes nothing');
  assert.deepEqual(twice.document, once.document);
});
