/**
 * The End User Messaging part of the loopback stub, through the real SDK client: per-account state
 * chosen by the caller's key, the documented shapes, and PutResourcePolicy refusing what AWS refuses.
 * (That moto's own keys decode to their accounts is proven against moto in seed.moto.test.ts.)
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  DescribeOptOutListsCommand,
  DescribePhoneNumbersCommand,
  DescribeRegistrationFieldValuesCommand,
  GetResourcePolicyCommand,
  ListRegistrationAssociationsCommand,
  PinpointSMSVoiceV2Client,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { accountOfAccessKey, callerOf, optOutListArn, phoneNumberArn } from '../harness/eumStub';
import { defaultStubState, startSnsStub, type SnsStub } from '../harness/snsStub';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const NUMBER = '+12065550100';

/** A key id of `account`, made here at run time the way AWS (and moto) encode it. */
function keyFor(account: string, prefix = 'AKIA'): string {
  const n = Number(account);
  let v = Math.floor(n / 2) + 2 ** 39;
  let part = '';
  for (let i = 0; i < 8; i++) {
    part = ALPHABET[v % 32] + part;
    v = Math.floor(v / 32);
  }
  const middle = ALPHABET[(n % 2 ? 16 : 0) + randomInt(16)];
  const rest = Array.from({ length: 7 }, () => ALPHABET[randomInt(32)]).join('');
  return `${prefix}${part}${middle}${rest}`;
}

let stub: SnsStub;
const clients: PinpointSMSVoiceV2Client[] = [];
function client(account: string, region = 'us-east-1'): PinpointSMSVoiceV2Client {
  const c = new PinpointSMSVoiceV2Client({ endpoint: stub.endpoint, region, maxAttempts: 1, credentials: { accessKeyId: keyFor(account), secretAccessKey: `test-${randomInt(1e9)}` } });
  clients.push(c);
  return c;
}

before(async () => {
  // Nothing is passed through in these tests: the upstream is never asked.
  stub = await startSnsStub('http://127.0.0.1:9', defaultStubState(NUMBER));
});
after(async () => {
  clients.forEach((c) => c.destroy());
  await stub.stop();
});

test('key ids decode to their account; anything else is the default account', () => {
  for (const account of ['111111111111', '222222222222', '000000000001', '999999999999', '123456789012']) {
    assert.equal(accountOfAccessKey(keyFor(account)), account);
    assert.equal(accountOfAccessKey(keyFor(account, 'ASIA')), account);
  }
  assert.equal(accountOfAccessKey('seed-bootstrap'), '123456789012');
  assert.deepEqual(callerOf(`AWS4-HMAC-SHA256 Credential=${keyFor('222222222222')}/20260101/us-west-2/sms-voice/aws4_request, SignedHeaders=host, Signature=00`), { account: '222222222222', region: 'us-west-2' });
});

test('each account sees its own numbers, in its region only', async () => {
  const mine = await client('111111111111').send(new DescribePhoneNumbersCommand({}));
  assert.equal(mine.PhoneNumbers?.length, 1);
  const p = mine.PhoneNumbers![0];
  assert.equal(p.PhoneNumber, NUMBER);
  assert.equal(p.PhoneNumberArn, phoneNumberArn('111111111111', 'us-east-1', { PhoneNumber: NUMBER, Status: 'ACTIVE', NumberType: 'TEN_DLC' }));
  assert.deepEqual(p.MessagingLimits, { RateLimits: { SMS: 20 }, DailyMessageCaps: { 'T-MOBILE': 2000 } });
  assert.equal(p.OptOutListName, 'Default');
  assert.ok(p.CreatedTimestamp instanceof Date && p.CreatedTimestamp.toISOString().startsWith('2025-06-01'));
  assert.deepEqual((await client('222222222222').send(new DescribePhoneNumbersCommand({}))).PhoneNumbers, []);
  assert.deepEqual((await client('111111111111', 'us-west-2').send(new DescribePhoneNumbersCommand({}))).PhoneNumbers, []);
  assert.deepEqual((await client('111111111111').send(new DescribePhoneNumbersCommand({ Filters: [{ Name: 'number-type', Values: ['TOLL_FREE'] }] }))).PhoneNumbers, []);
});

test('registrations: the campaign names its brand; the brand has its fields; opt-out lists by name', async () => {
  const c = client('111111111111');
  const assoc = await c.send(new ListRegistrationAssociationsCommand({ RegistrationId: 'registration-0a1b2c3d4e5f' }));
  assert.deepEqual(assoc.RegistrationAssociations?.map((a) => a.ResourceType), ['registration', 'phone-number']);
  const fields = await c.send(new DescribeRegistrationFieldValuesCommand({ RegistrationId: 'registration-b7a1d0c0ffee', FieldPaths: ['companyInfo.companyName'] }));
  assert.deepEqual(fields.RegistrationFieldValues, [{ FieldPath: 'companyInfo.companyName', TextValue: 'Example Corp' }]);
  const lists = await c.send(new DescribeOptOutListsCommand({ OptOutListNames: ['Default'] }));
  assert.equal(lists.OptOutLists?.[0]?.OptOutListArn, optOutListArn('111111111111', 'us-east-1', 'Default'));
  await assert.rejects(c.send(new DescribeOptOutListsCommand({ OptOutListNames: ['Nope'] })), { name: 'ResourceNotFoundException' });
});

test('PutResourcePolicy: stored per resource, "{}" when none, and refused as AWS refuses', async () => {
  const c = client('111111111111');
  const arn = (await c.send(new DescribePhoneNumbersCommand({}))).PhoneNumbers![0].PhoneNumberArn!;
  stub.state.eum['111111111111'].policies = {};
  assert.equal((await c.send(new GetResourcePolicyCommand({ ResourceArn: arn }))).Policy, '{}');
  const policy = (resource: string, action = 'sms-voice:SendTextMessage'): string =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: action, Resource: resource }] });
  await c.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy(arn) }));
  assert.equal((await c.send(new GetResourcePolicyCommand({ ResourceArn: arn }))).Policy, policy(arn));
  // The service prefix of an action is read in any case, as IAM reads it.
  await c.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy(arn, 'SMS-Voice:SendTextMessage') }));
  await c.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy(arn) }));
  const refused: [string, string, RegExp][] = [
    [arn, policy('arn:aws:sms-voice:us-east-1:111111111111:phone-number/phone-other'), /must be the resource it is attached to/],
    [arn, policy(arn, 'sns:Publish'), /must be sms-voice actions/],
    [arn, 'not json', /not valid JSON/],
    [arn, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sms-voice:*', Resource: arn }] }), /needs Effect, Principal and Action/],
    [arn, 'x'.repeat(10_001), /1 to 10000 characters/],
    ['arn:bad arn with spaces here', policy(arn), /20 to 256 characters/],
  ];
  for (const [resource, text, why] of refused) {
    await assert.rejects(c.send(new PutResourcePolicyCommand({ ResourceArn: resource, Policy: text })), (e: Error) => e.name === 'ValidationException' && why.test(e.message), `${why}`);
  }
  // Another account cannot see or set the primary's number.
  await assert.rejects(client('222222222222').send(new GetResourcePolicyCommand({ ResourceArn: arn })), { name: 'ResourceNotFoundException' });
  await assert.rejects(client('222222222222').send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy(arn) })), { name: 'ResourceNotFoundException' });
  assert.equal((await c.send(new GetResourcePolicyCommand({ ResourceArn: arn }))).Policy, policy(arn), 'the refused puts changed nothing');
});
