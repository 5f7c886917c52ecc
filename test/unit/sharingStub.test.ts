/**
 * The loopback stub's End User Messaging sharing and AWS RAM, through the real SDK clients: a
 * secondary account may send through the primary's number only when the number's resource policy (or
 * an accepted RAM share) names it, as AWS decides; DryRun is checked like a send but neither recorded
 * as sent nor charged; the shapes are the documented ones.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, beforeEach, test } from 'node:test';
import {
  DescribeAccountAttributesCommand,
  DescribeOptedOutNumbersCommand,
  DescribePhoneNumbersCommand,
  DescribeSpendLimitsCommand,
  PinpointSMSVoiceV2Client,
  PutResourcePolicyCommand,
  SendTextMessageCommand,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { AcceptResourceShareInvitationCommand, AssociateResourceShareCommand, CreateResourceShareCommand, GetResourceShareAssociationsCommand, GetResourceShareInvitationsCommand, RAMClient } from '@aws-sdk/client-ram';
import { optOutListArn, phoneNumberArn, primaryEumAccount, snsGrant } from '../harness/eumStub';
import { defaultRamState } from '../harness/ramStub';
import { defaultStubState, startSnsStub, type SnsStub } from '../harness/snsStub';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const NUMBER = '+12065550100';
const PRIMARY = '111111111111';
const SECONDARY = '222222222222';
const OTHER = '333333333333';
const DEST = '+12065550123';

/** A key id of `account`, made here at run time the way AWS (and moto) encode it. */
function keyFor(account: string): string {
  const n = Number(account);
  let v = Math.floor(n / 2) + 2 ** 39;
  let part = '';
  for (let i = 0; i < 8; i++) {
    part = ALPHABET[v % 32] + part;
    v = Math.floor(v / 32);
  }
  return `AKIA${part}${ALPHABET[(n % 2 ? 16 : 0) + randomInt(16)]}${Array.from({ length: 7 }, () => ALPHABET[randomInt(32)]).join('')}`;
}

let stub: SnsStub;
const destroy: { destroy(): void }[] = [];
const creds = (account: string) => ({ accessKeyId: keyFor(account), secretAccessKey: `test-${randomInt(1e9)}` });
function eum(account: string, region = 'us-east-1'): PinpointSMSVoiceV2Client {
  const c = new PinpointSMSVoiceV2Client({ endpoint: stub.endpoint, region, maxAttempts: 1, credentials: creds(account) });
  destroy.push(c);
  return c;
}
function ram(account: string, region = 'us-east-1'): RAMClient {
  const c = new RAMClient({ endpoint: stub.endpoint, region, maxAttempts: 1, credentials: creds(account) });
  destroy.push(c);
  return c;
}

const numberArn = (): string => phoneNumberArn(PRIMARY, 'us-east-1', primaryEumAccount(PRIMARY, NUMBER).numbers[0]);
const sharePolicy = (accounts: string[], effect: 'Allow' | 'Deny' = 'Allow', actions = ['sms-voice:SendTextMessage', 'sms-voice:DescribePhoneNumbers']): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Share', Effect: effect, Principal: { AWS: accounts.map((a) => `arn:aws:iam::${a}:root`) }, Action: actions, Resource: numberArn() }] });
const send = (account: string, extra: Record<string, unknown> = {}) =>
  eum(account).send(new SendTextMessageCommand({ DestinationPhoneNumber: DEST, OriginationIdentity: numberArn(), MessageBody: 'hello', MessageType: 'TRANSACTIONAL', ...extra }));

before(async () => {
  stub = await startSnsStub('http://127.0.0.1:9', defaultStubState(NUMBER));
});
beforeEach(() => {
  const fresh = defaultStubState(NUMBER);
  stub.state.eum = fresh.eum;
  stub.state.ram = defaultRamState();
});
after(async () => {
  destroy.forEach((c) => c.destroy());
  await stub.stop();
});

test('an account the number is not shared with is refused, as AWS refuses (AccessDeniedException); the owner may send', async () => {
  await assert.rejects(send(SECONDARY), (e: Error) => e.name === 'AccessDeniedException' && /no resource-based policy allows the sms-voice:SendTextMessage action/.test(e.message));
  assert.deepEqual((await eum(SECONDARY).send(new DescribePhoneNumbersCommand({ Owner: 'SHARED' }))).PhoneNumbers, []);
  const own = await send(PRIMARY);
  assert.match(own.MessageId ?? '', /^[0-9a-f-]{36}$/);
  assert.deepEqual(
    stub.state.eum[SECONDARY].texts?.map((t) => [t.originationIdentity, t.refused]),
    [[numberArn(), 'AccessDeniedException']],
    'the refused request is recorded under the caller',
  );
});

test('a resource policy naming the account shares the number: visible as SHARED, sends, and is billed to the sender', async () => {
  stub.state.eum[PRIMARY].policies[numberArn()] = sharePolicy([SECONDARY]);
  const shared = await eum(SECONDARY).send(new DescribePhoneNumbersCommand({ Owner: 'SHARED' }));
  assert.deepEqual(shared.PhoneNumbers?.map((p) => [p.PhoneNumber, p.PhoneNumberArn]), [[NUMBER, numberArn()]]);
  const out = await send(SECONDARY, { MaxPrice: '0.50' });
  assert.ok(out.MessageId);
  assert.equal(stub.state.eum[SECONDARY].spent, 0.01, "the sender's account is charged");
  assert.equal(stub.state.eum[PRIMARY].spent, undefined, 'the owner is not');
  const t = stub.state.eum[SECONDARY].texts?.at(-1);
  assert.deepEqual([t?.owner, t?.maxPrice, t?.messageType, t?.dryRun], [PRIMARY, '0.50', 'TRANSACTIONAL', undefined]);
  // Other accounts still may not; a number named by its E.164 form is looked up in the caller's own account only.
  await assert.rejects(send(OTHER), { name: 'AccessDeniedException' });
  await assert.rejects(eum(SECONDARY).send(new SendTextMessageCommand({ DestinationPhoneNumber: DEST, OriginationIdentity: NUMBER, MessageBody: 'x' })), (e: Error) => e.name === 'ResourceNotFoundException' && /full ARN/.test(e.message));
  // Sharing is regional: the same ARN from another Region is not found.
  await assert.rejects(eum(SECONDARY, 'us-west-2').send(new SendTextMessageCommand({ DestinationPhoneNumber: DEST, OriginationIdentity: numberArn(), MessageBody: 'x' })), { name: 'ResourceNotFoundException' });
  // Owner and PhoneNumberIds together are refused, as documented; the ARN alone finds the shared number.
  await assert.rejects(eum(SECONDARY).send(new DescribePhoneNumbersCommand({ Owner: 'SHARED', PhoneNumberIds: [numberArn()] })), { name: 'ValidationException' });
  assert.equal((await eum(SECONDARY).send(new DescribePhoneNumbersCommand({ PhoneNumberIds: [numberArn()] }))).PhoneNumbers?.[0]?.PhoneNumber, NUMBER);
});

test('an explicit Deny wins over a share, also for the owner account', async () => {
  stub.state.eum[PRIMARY].policies[numberArn()] = JSON.stringify({
    Version: '2012-10-17',
    Statement: [JSON.parse(sharePolicy([SECONDARY])).Statement[0], { Effect: 'Deny', Principal: { AWS: [SECONDARY, PRIMARY] }, Action: 'sms-voice:*', Resource: '*' }],
  });
  await assert.rejects(send(SECONDARY), (e: Error) => e.name === 'AccessDeniedException' && /explicit deny/.test(e.message));
  await assert.rejects(send(PRIMARY), { name: 'AccessDeniedException' });
});

test('DryRun: checked like a send (a refusal is the same refusal), the request carries DryRun true, nothing is charged', async () => {
  await assert.rejects(send(SECONDARY, { DryRun: true }), { name: 'AccessDeniedException' });
  stub.state.eum[PRIMARY].policies[numberArn()] = sharePolicy([SECONDARY]);
  const out = await send(SECONDARY, { DryRun: true });
  assert.ok(out.MessageId);
  assert.equal(stub.state.eum[SECONDARY].spent, undefined, 'a dry run is not charged');
  assert.deepEqual(stub.state.eum[SECONDARY].texts?.map((t) => t.dryRun), [true, true]);
});

test('the spend limit and the opt-out list of the number refuse a send; DescribeSpendLimits and ACCOUNT_TIER answer', async () => {
  stub.state.eum[PRIMARY].policies[numberArn()] = sharePolicy([SECONDARY]);
  stub.state.eum[SECONDARY] = { region: 'us-east-1', numbers: [], registrations: [], optOutLists: [], policies: {}, spendLimit: { MaxLimit: 1 }, spent: 1, tier: 'SANDBOXED' };
  const limits = await eum(SECONDARY).send(new DescribeSpendLimitsCommand({}));
  assert.deepEqual(limits.SpendLimits?.find((l) => l.Name === 'TEXT_MESSAGE_MONTHLY_SPEND_LIMIT'), { Name: 'TEXT_MESSAGE_MONTHLY_SPEND_LIMIT', MaxLimit: 1, EnforcedLimit: 1, Overridden: false });
  assert.deepEqual((await eum(SECONDARY).send(new DescribeAccountAttributesCommand({}))).AccountAttributes, [{ Name: 'ACCOUNT_TIER', Value: 'SANDBOXED' }]);
  await assert.rejects(send(SECONDARY), (e: Error & { Reason?: string }) => e.name === 'ServiceQuotaExceededException' && e.Reason === 'MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT');
  stub.state.eum[SECONDARY].spent = 0;
  stub.state.eum[PRIMARY].optedOut = { Default: [DEST] };
  await assert.rejects(send(SECONDARY), (e: Error & { Reason?: string }) => e.name === 'ConflictException' && e.Reason === 'DESTINATION_PHONE_NUMBER_OPTED_OUT');
  // Reading the shared opt-out list needs its own grant.
  const list = optOutListArn(PRIMARY, 'us-east-1', 'Default');
  await assert.rejects(eum(SECONDARY).send(new DescribeOptedOutNumbersCommand({ OptOutListName: list, OptedOutNumbers: [DEST] })), { name: 'ResourceNotFoundException' });
  stub.state.eum[PRIMARY].policies[list] = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${SECONDARY}:root` }, Action: 'sms-voice:DescribeOptedOutNumbers', Resource: list }] });
  const opted = await eum(SECONDARY).send(new DescribeOptedOutNumbersCommand({ OptOutListName: list, OptedOutNumbers: [DEST] }));
  assert.deepEqual(opted.OptedOutNumbers?.map((n) => n.OptedOutNumber), [DEST]);
});

test("the SNS grant alone shares nothing with another account (it names SNS's service principal)", async () => {
  stub.state.eum[PRIMARY].policies[numberArn()] = snsGrant(numberArn(), PRIMARY, ['sms-voice:SendTextMessage']);
  await assert.rejects(send(SECONDARY), { name: 'AccessDeniedException' });
});

test('RAM: a share invites each outside account (PENDING / ASSOCIATING); only after it accepts may that account send', async () => {
  const created = await ram(PRIMARY).send(new CreateResourceShareCommand({ name: 'tendlc-10dlc-12065550100', resourceArns: [numberArn()], principals: [SECONDARY], allowExternalPrincipals: true }));
  const shareArn = created.resourceShare?.resourceShareArn ?? '';
  assert.match(shareArn, /^arn:aws:ram:us-east-1:111111111111:resource-share\//);
  assert.equal(created.resourceShare?.status, 'ACTIVE');
  const principals = await ram(PRIMARY).send(new GetResourceShareAssociationsCommand({ associationType: 'PRINCIPAL', resourceShareArns: [shareArn] }));
  assert.deepEqual(principals.resourceShareAssociations?.map((a) => [a.associatedEntity, a.status]), [[SECONDARY, 'ASSOCIATING']]);
  const resources = await ram(PRIMARY).send(new GetResourceShareAssociationsCommand({ associationType: 'RESOURCE', resourceArn: numberArn() }));
  assert.deepEqual(resources.resourceShareAssociations?.map((a) => a.resourceShareArn), [shareArn]);
  await assert.rejects(send(SECONDARY), { name: 'AccessDeniedException' });
  const inv = await ram(SECONDARY).send(new GetResourceShareInvitationsCommand({}));
  assert.deepEqual(inv.resourceShareInvitations?.map((i) => [i.senderAccountId, i.receiverAccountId, i.status, i.resourceShareName]), [[PRIMARY, SECONDARY, 'PENDING', 'tendlc-10dlc-12065550100']]);
  assert.ok(inv.resourceShareInvitations?.[0]?.invitationTimestamp instanceof Date);
  assert.deepEqual((await ram(OTHER).send(new GetResourceShareInvitationsCommand({}))).resourceShareInvitations, [], 'an invitation is seen only by its receiver');
  await assert.rejects(ram(OTHER).send(new AcceptResourceShareInvitationCommand({ resourceShareInvitationArn: inv.resourceShareInvitations?.[0]?.resourceShareInvitationArn })), { name: 'ResourceShareInvitationArnNotFoundException' });
  const accepted = await ram(SECONDARY).send(new AcceptResourceShareInvitationCommand({ resourceShareInvitationArn: inv.resourceShareInvitations?.[0]?.resourceShareInvitationArn }));
  assert.equal(accepted.resourceShareInvitation?.status, 'ACCEPTED');
  await assert.rejects(ram(SECONDARY).send(new AcceptResourceShareInvitationCommand({ resourceShareInvitationArn: inv.resourceShareInvitations?.[0]?.resourceShareInvitationArn })), { name: 'ResourceShareInvitationAlreadyAcceptedException' });
  assert.ok((await send(SECONDARY)).MessageId);
  assert.deepEqual((await eum(SECONDARY).send(new DescribePhoneNumbersCommand({ Owner: 'SHARED' }))).PhoneNumbers?.map((p) => p.PhoneNumberArn), [numberArn()]);
  // Adding an account: a new invitation for it; the accepted one stays ASSOCIATED.
  await ram(PRIMARY).send(new AssociateResourceShareCommand({ resourceShareArn: shareArn, principals: [OTHER] }));
  const after = await ram(PRIMARY).send(new GetResourceShareAssociationsCommand({ associationType: 'PRINCIPAL', resourceShareArns: [shareArn] }));
  assert.deepEqual(after.resourceShareAssociations?.map((a) => [a.associatedEntity, a.status]), [[SECONDARY, 'ASSOCIATED'], [OTHER, 'ASSOCIATING']]);
});

test("RAM refuses to share what the caller does not own, and another account's share", async () => {
  await assert.rejects(ram(SECONDARY).send(new CreateResourceShareCommand({ name: 'steal', resourceArns: [numberArn()], principals: [OTHER] })), { name: 'UnknownResourceException' });
  await assert.rejects(ram(PRIMARY).send(new CreateResourceShareCommand({ name: 'bad', resourceArns: ['not-an-arn'] })), { name: 'MalformedArnException' });
  const created = await ram(PRIMARY).send(new CreateResourceShareCommand({ name: 'ok', resourceArns: [numberArn()] }));
  await assert.rejects(ram(SECONDARY).send(new AssociateResourceShareCommand({ resourceShareArn: created.resourceShare?.resourceShareArn, principals: [SECONDARY] })), { name: 'UnknownResourceException' });
  await assert.rejects(ram(PRIMARY).send(new GetResourceShareAssociationsCommand({ associationType: 'PRINCIPAL', resourceArn: numberArn() })), { name: 'InvalidParameterException' });
});

test('PutResourcePolicy accepts the share of the number with secondary accounts', async () => {
  await eum(PRIMARY).send(new PutResourcePolicyCommand({ ResourceArn: numberArn(), Policy: sharePolicy([SECONDARY, OTHER]) }));
  assert.ok((await send(OTHER)).MessageId);
});
