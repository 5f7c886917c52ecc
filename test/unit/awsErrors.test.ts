import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainError, TenDlcError } from '../../src/aws/errors';
import { smsAttributes } from '../../src/aws/sms';

function sdkError(name: string, message: string, status?: number): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

test('AccessDenied on AssumeRole names the role and points at the policies', () => {
  const x = explainError(sdkError('AccessDenied', 'User: arn:aws:iam::222222222222:user/a is not authorized to perform: sts:AssumeRole', 403), {
    operation: 'AssumeRole',
    profile: 'secondary-a',
    roleArn: 'arn:aws:iam::111111111111:role/r',
  });
  assert.equal(x.category, 'access-denied');
  assert.match(x.message, /secondary-a/);
  assert.match(x.message, /arn:aws:iam::111111111111:role\/r/);
  assert.match(x.hint, /Generate Cross-Account Policies/);
});

test('the operation recorded on the error by the client wins over the caller\'s', () => {
  const e = Object.assign(sdkError('AuthorizationError', 'not authorized', 403), { $tendlcOperation: 'Publish' });
  const x = explainError(e, { operation: 'Send Test SMS' });
  assert.equal(x.category, 'access-denied');
  assert.match(x.hint, /sns:Publish/);
});

test('invalid phone, expired, unreachable, timeout, throttling, not implemented, SSO', () => {
  assert.equal(explainError(sdkError('InvalidParameterException', 'Invalid parameter: PhoneNumber Reason: Phone number does not meet the E164 format', 400), { operation: 'Publish' }).category, 'invalid-phone');
  assert.equal(explainError(sdkError('ExpiredToken', 'The security token included in the request is expired', 400), { operation: 'Publish' }).category, 'expired');
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  const u = explainError(refused, { operation: 'GetCallerIdentity', endpoint: 'http://127.0.0.1:1' });
  assert.equal(u.category, 'unreachable');
  assert.match(u.message, /127\.0\.0\.1:1/);
  assert.equal(explainError(sdkError('TimeoutError', 'Connection timed out after 5000 ms'), { operation: 'Publish' }).category, 'timeout');
  assert.equal(explainError(sdkError('ThrottlingException', 'Rate exceeded', 400), { operation: 'Publish' }).category, 'throttled');
  assert.equal(explainError(sdkError('SyntaxError', 'Unexpected token < in JSON; Deserialization error: to see the raw response', 500), { operation: 'ListOriginationNumbers' }).category, 'not-implemented');
  const sso = explainError(new Error('The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.'), { operation: 'GetCallerIdentity', profile: 'sso-dev' });
  assert.equal(sso.category, 'sso-login');
  assert.match(sso.hint, /aws sso login --profile sso-dev/);
  assert.equal(explainError(new TenDlcError('wrong-account', 'm', 'h'), { operation: 'x' }).category, 'wrong-account');
});

test('SMS attributes carry the origination number and type, MaxPrice only when set', () => {
  assert.deepEqual(smsAttributes({ originationNumber: '+12065550100', smsType: 'Transactional' }), {
    'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: '+12065550100' },
    'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
  });
  assert.deepEqual(smsAttributes({ originationNumber: '+12065550100', smsType: 'Promotional', maxPrice: '0.50' })['AWS.SNS.SMS.MaxPrice'], { DataType: 'Number', StringValue: '0.50' });
});
