/**
 * The readers Check Setup relies on (trustsAccount, trustedPrincipals, allowsAction) over every form
 * of "*", Deny, NotPrincipal, NotAction and conditions. Documents are passed as parsed JSON, the form
 * the readers took before the policy engine, so these tests also ran against the old readers: they
 * threw on "Principal": "*" and answered yes for a denied account.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowsAction, trustedPrincipals, trustsAccount } from '../../src/core/policyMerge';

const doc = (...Statement: object[]): never => ({ Version: '2012-10-17', Statement }) as never;
const allow = (Principal: unknown, more: object = {}) => ({ Effect: 'Allow', Principal, Action: 'sts:AssumeRole', ...more });

test('"Principal": "*" in the string form is read (the old reader threw "Cannot use \'in\' operator")', () => {
  assert.equal(trustsAccount(doc(allow('*')), '222222222222'), true);
  assert.deepEqual(trustedPrincipals(doc(allow('*'))), ['*']);
});

test('"*" with a condition the request does not meet does not trust the account for us', () => {
  const org = doc(allow({ AWS: ['*'] }, { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }));
  assert.equal(trustsAccount(org, '222222222222'), false);
  assert.deepEqual(trustedPrincipals(org), []);
});

test('a Deny wins over an Allow (the old reader counted the Allow)', () => {
  const d = doc(allow({ AWS: ['arn:aws:iam::444444444444:root', 'arn:aws:iam::222222222222:root'] }), { Effect: 'Deny', Principal: { AWS: '444444444444' }, Action: 'sts:AssumeRole' });
  assert.equal(trustsAccount(d, '444444444444'), false);
  assert.equal(trustsAccount(d, '222222222222'), true);
  assert.deepEqual(trustedPrincipals(d), ['arn:aws:iam::222222222222:root']);
});

test('a Deny with NotPrincipal refuses everyone but the listed account', () => {
  const d = doc(allow('*'), { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'sts:AssumeRole' });
  assert.equal(trustsAccount(d, '222222222222'), true);
  assert.equal(trustsAccount(d, '333333333333'), false);
});

test('an external id other than the configured one does not trust the account for us', () => {
  const d = doc(allow({ AWS: '222222222222' }, { Condition: { StringEquals: { 'sts:ExternalId': 'old' } } }));
  assert.equal(trustsAccount(d, '222222222222', { externalId: 'new' }), false);
  assert.equal(trustsAccount(d, '222222222222', { externalId: 'old' }), true);
  assert.equal(trustsAccount(d, '222222222222'), false, 'no external id configured: the request carries none');
});

test('MFA: a statement that requires it trusts the account only when the settings require MFA too', () => {
  const d = doc(allow({ AWS: '222222222222' }, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }));
  assert.equal(trustsAccount(d, '222222222222', { mfa: false }), false);
  assert.equal(trustsAccount(d, '222222222222', { mfa: true }), true);
});

test('NotAction, no Version, a statement object, and a role of the account', () => {
  assert.equal(trustsAccount({ Statement: { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, NotAction: 'sts:TagSession' } } as never, '222222222222'), true);
  assert.equal(trustsAccount(doc(allow({ AWS: 'arn:aws:iam::222222222222:role/Sender' })), '222222222222'), true, 'a role of the account is trusted');
  assert.equal(trustsAccount(doc(allow({ AWS: 'arn:aws:iam::222222222222:role/Sender' })), '333333333333'), false);
});

test('an unreadable document trusts nobody', () => {
  assert.equal(trustsAccount('{"Statement":[{"Effect":"Allow","Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"}]}', '222222222222'), false);
});

test('allowsAction: wildcards, NotAction, Deny, resources', () => {
  const pub = (more: object = {}) => ({ Effect: 'Allow', Action: 'sns:Publish', Resource: '*', ...more });
  assert.equal(allowsAction(doc(pub()), 'sns:Publish'), true);
  assert.equal(allowsAction(doc({ Effect: 'Allow', Action: 'SNS:*', Resource: '*' }), 'sns:Publish'), true);
  assert.equal(allowsAction(doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }), 'sns:Publish'), true, 'NotAction allows everything else');
  assert.equal(allowsAction(doc(pub(), { Effect: 'Deny', Action: 'sns:*', Resource: '*' }), 'sns:Publish'), false);
  assert.equal(allowsAction(doc(pub(), { Effect: 'Deny', Action: 'sns:Publish', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }), 'sns:Publish'), true, 'a Deny for insecure transport does not stop it');
  assert.equal(allowsAction(doc(pub({ Resource: 'arn:aws:sns:us-east-1:111111111111:t' })), 'sns:Publish'), false, 'not on every resource');
});

test('a condition key named like an Object.prototype member ("__proto__", "constructor") is a key the request lacks, not a crash', () => {
  // Check Setup threw "values.some is not a function": the request context was looked up with a plain `obj[key]`.
  for (const key of ['__proto__', 'constructor']) {
    const text = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"${key}":"x"}}}]}`;
    assert.equal(trustsAccount(text, '222222222222'), false, `${key}: the request carries no such key, so the condition does not hold`);
    assert.deepEqual(trustedPrincipals(text), []);
    const negated = text.replace('StringEquals', 'StringNotEquals');
    assert.equal(trustsAccount(negated, '222222222222'), true, `${key}: a negated operator holds when the key is missing`);
    const nullCheck = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sts:AssumeRole","Condition":{"Null":{"${key}":"true"}}}]}`;
    assert.equal(trustsAccount(nullCheck, '222222222222'), true, `${key}: Null "true" holds when the key is missing`);
  }
});
