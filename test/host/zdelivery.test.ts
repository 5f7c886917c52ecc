/**
 * Extension-host tests of the send pre-flight and delivery status (moto's CloudWatch Logs, the stub
 * for End User Messaging and the sandbox). Runs last ("z…"): it changes SMS attributes in moto.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { SeedResult } from '../harness/seed';
import { CAMPAIGN_ID } from '../harness/eumStub';
import { ACCOUNTS } from '../harness/seed';
import { env, eum, motoData, smsRecords, waitFor } from './helpers';
import { ScriptedUi } from './scriptedUi';


async function smsWithText(text: string): Promise<{ message_id?: string; phone_number: string } | undefined> {
  return smsRecords(await motoData()).find((r) => r.message === text);
}

describe('Pre-flight and delivery status (extension host)', function () {
  this.timeout(90_000);
  let api: TestApi;
  let seed: SeedResult;
  const ui = new ScriptedUi();
  let logs: import('@aws-sdk/client-cloudwatch-logs').CloudWatchLogsClient;
  let L: typeof import('@aws-sdk/client-cloudwatch-logs');
  let setSms: (attrs: Record<string, string>) => Promise<void>;
  const group = 'sns/us-east-1/111111111111/DirectPublishToPhoneNumber';

  before(async () => {
    seed = JSON.parse(fs.readFileSync(env('TENDLC_TEST_SEED'), 'utf8')) as SeedResult;
    const ext = vscode.extensions.getExtension<TestApi>('tendlc.tendlc-cross-account');
    assert.ok(ext);
    api = (await ext.activate()) as TestApi;
    api.setUi(ui);
    // Short waits between delivery looks: the behaviour is the same, the test is faster.
    api.deps.pollDelays = [300, 600, 1000, 1500, 2000];
    const { fromIni } = await import('@aws-sdk/credential-providers');
    L = await import('@aws-sdk/client-cloudwatch-logs');
    logs = new L.CloudWatchLogsClient({ endpoint: env('TENDLC_MOTO_ENDPOINT'), region: 'us-east-1', credentials: fromIni({ profile: 'primary' }) });
    // moto evaluates logs actions against Resource "*", so the generated policy's statement scoped to
    // SNS's log groups never matches there; the role gets an unscoped read for these tests only.
    const IAM = await import('@aws-sdk/client-iam');
    const iam = new IAM.IAMClient({ endpoint: env('TENDLC_MOTO_ENDPOINT'), region: 'us-east-1', credentials: fromIni({ profile: 'primary' }) });
    await iam.send(
      new IAM.PutRolePolicyCommand({
        RoleName: seed.roleName,
        PolicyName: 'test-only-logs-read',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:FilterLogEvents', 'sns:GetSMSAttributes', 'sms-voice:Describe*'], Resource: '*' }] }),
      }),
    );
    const { SNSClient, SetSMSAttributesCommand } = await import('@aws-sdk/client-sns');
    const sns = new SNSClient({ endpoint: env('TENDLC_MOTO_ENDPOINT'), region: 'us-east-1', credentials: fromIni({ profile: 'primary' }) });
    setSms = async (attributes) => {
      await sns.send(new SetSMSAttributesCommand({ attributes }));
    };
    // Delivery-status logging starts off here (an earlier suite turned it on).
    await setSms({ DeliveryStatusIAMRole: '', DeliveryStatusSuccessSamplingRate: '' });
  });
  beforeEach(async () => {
    ui.reset();
    // Each test changes the primary's number, registration or settings behind the extension's back: drop the
    // pre-flight findings a send keeps for five minutes (issue 13), as five minutes later.
    (await api.deps.aws.get()).preflight.forget();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'passed') {
      assert.equal(ui.unused(), 0, 'every scripted answer was used');
    }
  });

  /** Plays SNS: once the message with `text` is published, writes its delivery record to the log group. */
  async function deliverWhenSent(text: string, status: 'SUCCESS' | 'FAILURE', providerResponse: string): Promise<string> {
    const sent = await waitFor('the SMS in moto', () => smsWithText(text));
    const id = sent.message_id ?? '';
    const name = status === 'SUCCESS' ? group : `${group}/Failure`;
    await logs.send(new L.CreateLogGroupCommand({ logGroupName: name })).catch(() => undefined);
    await logs.send(new L.CreateLogStreamCommand({ logGroupName: name, logStreamName: 'tendlc-test' })).catch(() => undefined);
    // A record of another message first: the extension must check the id itself.
    const record = (messageId: string) =>
      JSON.stringify({
        notification: { messageId, timestamp: new Date().toISOString() },
        delivery: { phoneCarrier: 'Test Carrier', priceInUSD: 0.00581, dwellTimeMs: 412, numberOfMessageParts: 1, providerResponse, destination: '+1XXX5550123', smsType: 'Transactional' },
        status,
      });
    await logs.send(
      new L.PutLogEventsCommand({
        logGroupName: name,
        logStreamName: 'tendlc-test',
        logEvents: [
          { timestamp: Date.now(), message: record('00000000-0000-0000-0000-000000000000') },
          { timestamp: Date.now(), message: record(id) },
        ],
      }),
    );
    return id;
  }

  it('shows pre-flight findings in the confirmation, problems first', async () => {
    await setSms({ MonthlySpendLimit: '1' });
    const saved = (await eum(ACCOUNTS.primary)).registrations;
    await eum(ACCOUNTS.primary, { registrations: saved.map((r) => (r.RegistrationId === CAMPAIGN_ID ? { ...r, RegistrationStatus: 'REVIEWING' } : r)) });
    try {
      ui.answer('input', seed.destinationNumber, `preflight ${Date.now()}`).answer('modal', undefined);
      await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-a');
      const modal = ui.of('modal')[0]?.text ?? '';
      assert.match(modal, /Monthly spend limit: .*\$1/);
      assert.match(modal, /10DLC registration: .*REVIEWING, not COMPLETE/);
      assert.match(modal, /Delivery-status logging: .*Off/);
      assert.match(modal, /Origination number: .*ACTIVE 10DLC number/);
      assert.ok(modal.indexOf('spend limit') < modal.indexOf('Origination number'), 'problems before what is fine');
    } finally {
      await eum(ACCOUNTS.primary, { registrations: saved });
      await setSms({ MonthlySpendLimit: '100' });
    }
  });

  it('needs an explicit "Send Anyway" when the number is not ACTIVE', async () => {
    const saved = (await eum(ACCOUNTS.primary)).numbers;
    await eum(ACCOUNTS.primary, { numbers: saved.map((n) => ({ ...n, Status: 'PENDING' })) });
    const text = `blocked ${Date.now()}`;
    try {
      ui.answer('input', seed.destinationNumber, text).answer('modal', 'Send SMS');
      assert.equal(await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-a'), undefined, 'the ordinary button does not send past a blocking problem');
      assert.match(ui.of('modal')[0]?.text ?? '', /status is PENDING/);
      assert.equal(await smsWithText(text), undefined);
    } finally {
      await eum(ACCOUNTS.primary, { numbers: saved });
    }
  });

  it('with logging off, says delivery status is unknown and offers to enable it; enabling creates the role and sets the attributes', async () => {
    const text = `logging off ${Date.now()}`;
    ui.answer('input', seed.destinationNumber, text).answer('modal', (q) => (q.startsWith('You sent') ? 'Send Again' : 'Send SMS'));
    const sent = (await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-b')) as { messageId: string } | undefined;
    assert.ok(sent, `sent (errors: ${ui.of('error').map((e) => e.text).join(' | ')})`);
    assert.match(ui.of('warn').at(-1)?.text ?? '', /delivery status unknown: delivery-status logging is not enabled in the primary account 111111111111/i);
    ui.reset();
    ui.answer('modal', 'Enable Delivery Logging');
    assert.equal(await vscode.commands.executeCommand('tendlc.enableDeliveryLogging'), true, `errors: ${ui.of('error').map((e) => e.text).join(' | ')}`);
    assert.match(ui.of('modal')[0]?.text ?? '', /^Turn on SMS delivery-status logging in primary account 111111111111\?/);
    const { SNSClient, GetSMSAttributesCommand } = await import('@aws-sdk/client-sns');
    const { fromIni } = await import('@aws-sdk/credential-providers');
    const sns = new SNSClient({ endpoint: env('TENDLC_MOTO_ENDPOINT'), region: 'us-east-1', credentials: fromIni({ profile: 'primary' }) });
    const attrs = (await sns.send(new GetSMSAttributesCommand({}))).attributes ?? {};
    assert.match(attrs['DeliveryStatusIAMRole'] ?? '', /^arn:aws:iam::111111111111:role\/tendlc-sns-delivery-status$/);
    assert.equal(attrs['DeliveryStatusSuccessSamplingRate'], '100');
  });

  it('after a send, finds the delivery record of that message id and reports Delivered, and the tree keeps it', async () => {
    const text = `delivered ${Date.now()}`;
    ui.answer('input', seed.destinationNumber, text).answer('modal', (q) => (q.startsWith('You sent') ? 'Send Again' : 'Send SMS'));
    const deliver = deliverWhenSent(text, 'SUCCESS', 'Message has been accepted by phone carrier');
    const sent = (await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-a')) as { messageId: string } | undefined;
    const id = await deliver;
    assert.ok(sent);
    assert.equal(sent.messageId, id);
    const info = ui.of('info').map((i) => i.text).join('\n');
    assert.match(info, /Delivered to \+\*+0123: carrier Test Carrier, price \$0\.00581, dwell 412 ms/);
    const record = api.deps.history.find(id);
    assert.equal(record?.status, 'delivered');
    const node = { kind: 'send' as const, id: `send:${id}`, profile: 'secondary-a', messageId: id };
    const item = api.deps.view.getTreeItem(node);
    assert.match(String(item.label), /^SMS to \+\*+0123$/);
    assert.match(String(item.description), /^delivered/);
    assert.equal(item.command?.command, 'tendlc.checkDelivery');
  });

  it('reports a carrier failure with its response and a hint', async () => {
    const text = `failed ${Date.now()}`;
    ui.answer('input', seed.destinationNumber, text).answer('modal', (q) => (q.startsWith('You sent') ? 'Send Again' : 'Send SMS'));
    const deliver = deliverWhenSent(text, 'FAILURE', 'Phone carrier has blocked this message');
    await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-a');
    const id = await deliver;
    assert.match(ui.of('error').at(-1)?.text ?? '', /^Not delivered to \+\*+0123: Phone carrier has blocked this message\. The carrier filtered the message/);
    assert.equal(api.deps.history.find(id)?.status, 'failed');
  });

  it('says pending when no record comes, and Check Delivery Status finds it later', async () => {
    const text = `pending ${Date.now()}`;
    ui.answer('input', seed.destinationNumber, text).answer('modal', (q) => (q.startsWith('You sent') ? 'Send Again' : 'Send SMS'));
    const sent = (await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-a')) as { messageId: string } | undefined;
    assert.ok(sent);
    assert.match(ui.of('info').at(-1)?.text ?? '', /pending\. No delivery record yet: carriers can report for up to 72 hours/);
    assert.equal(api.deps.history.find(sent.messageId)?.status, 'pending');
    await deliverWhenSent(text, 'SUCCESS', 'Message has been accepted by phone carrier');
    ui.reset();
    const status = await vscode.commands.executeCommand('tendlc.checkDelivery', { kind: 'send', messageId: sent.messageId });
    assert.equal(status, 'delivered', `errors: ${ui.of('error').map((e) => e.text).join(' | ')}`);
    assert.equal(api.deps.history.find(sent.messageId)?.status, 'delivered');
  });
});
