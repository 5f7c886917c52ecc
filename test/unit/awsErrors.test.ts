import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainError, requestOutcome, TenDlcError } from '../../src/aws/errors';
import { smsAttributes } from '../../src/aws/sms';

/** An error as the SDK raises one it read from an AWS error document (a code, a fault side, the HTTP status). */
function sdkError(name: string, message: string, status?: number): Error {
  const fault = status === undefined ? undefined : status >= 500 ? 'server' : 'client';
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status }, ...(fault && name !== 'Error' && name !== 'SyntaxError' ? { $fault: fault } : {}) });
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

test('a request refused for its signing time is a clock problem, with how far off when AWS says', () => {
  const expired = sdkError('SignatureDoesNotMatch', 'Signature expired: 20261130T100000Z is now earlier than 20261130T101500Z (20261130T102000Z - 5 min.)', 403);
  const x = explainError(expired, { operation: 'Publish', profile: 'secondary-a' });
  assert.equal(x.category, 'clock');
  assert.match(x.message, /clock is 20 minutes behind AWS's time/);
  assert.match(x.hint, /update automatically/);
  assert.doesNotMatch(`${x.message} ${x.hint}`, /deactivated|mistyped/);
  const ahead = explainError(sdkError('SignatureDoesNotMatch', 'Signature not yet current: 20261130T130000Z is still later than 20261130T101500Z (20261130T101000Z + 5 min.)', 403), { operation: 'AssumeRole' });
  assert.equal(ahead.category, 'clock');
  assert.match(ahead.message, /3 hours ahead of AWS's time/);
  assert.equal(explainError(sdkError('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403), { operation: 'x' }).category, 'clock');
  assert.equal(explainError(sdkError('InvalidSignatureException', 'Signature expired: 20261130T100000Z is now earlier than 20261130T101500Z (20261130T102000Z - 5 min.)', 400), { operation: 'FilterLogEvents' }).category, 'clock');
  // A signature that is wrong for another reason is still a credentials problem.
  assert.equal(explainError(sdkError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.', 403), { operation: 'x' }).category, 'bad-credentials');
});

test('requestOutcome: written-then-lost, 5xx and non-AWS answers are unknown; unwritten failures and AWS 4xx are not sent', () => {
  const marked = (name: string, state: string, extra: object = {}): Error => Object.assign(new Error(name), { name, $tendlcRequest: state, ...extra });
  assert.equal(requestOutcome(marked('TimeoutError', 'sent')), 'unknown');
  assert.equal(requestOutcome(marked('AbortError', 'sent')), 'unknown');
  assert.equal(requestOutcome(marked('AbortError', 'not-sent')), 'not-sent');
  assert.equal(requestOutcome(marked('AbortError', 'unknown')), 'unknown');
  assert.equal(requestOutcome(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', $tendlcRequest: 'not-sent' })), 'not-sent');
  assert.equal(requestOutcome(Object.assign(sdkError('InternalError', 'x', 500), { $fault: 'server' })), 'unknown');
  assert.equal(requestOutcome(Object.assign(sdkError('InvalidParameter', 'x', 400), { $fault: 'client' })), 'not-sent');
  assert.equal(requestOutcome(sdkError('Error', '<html>502 Bad Gateway</html>', 502)), 'unknown');
  assert.equal(requestOutcome(sdkError('Error', '<html>403 Forbidden by proxy</html>', 403)), 'unknown', 'a 4xx that is not an AWS answer');
  assert.equal(requestOutcome(new TenDlcError('expired', 'm', 'h')), 'not-sent');
  assert.equal(requestOutcome(new Error('credentials could not be loaded')), 'not-sent', 'nothing reached the network');
});

test("a proxy's 502 is a gateway failure, not an operation the endpoint lacks", () => {
  const x = explainError(sdkError('Error', 'Deserialization error: <html><title>502 Bad Gateway</title>', 502), { operation: 'Publish', endpoint: 'https://sns.us-east-1.amazonaws.com' });
  assert.equal(x.category, 'unreachable');
  assert.match(x.message, /HTTP 502 .* not an answer from AWS/);
  assert.doesNotMatch(x.message, /does not implement/);
});

test('an answer that is not JSON but an AWS-style XML 403 (an emulator) is still "access denied", not a proxy', () => {
  const xml403 = sdkError('SyntaxError', 'Unexpected token \'<\', "<?xml vers"... is not valid JSON', 403);
  assert.equal(explainError(xml403, { operation: 'FilterLogEvents' }).category, 'access-denied');
  const html403 = Object.assign(sdkError('Error', 'Deserialization error', 403), { $response: { body: Buffer.from('<html><head><title>403 Forbidden</title></head></html>') } });
  const x = explainError(html403, { operation: 'Publish', endpoint: 'https://sns.us-east-1.amazonaws.com' });
  assert.equal(x.category, 'unreachable');
  assert.match(x.message, /HTTP 403 .* not an answer from AWS: a proxy, a firewall or a wrong endpoint_url/);
});
