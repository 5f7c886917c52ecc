/**
 * Cancel, command by command (issue 14, item 4): every command that waits on AWS shows the wait in a progress
 * notification, and its Cancel ends the command at once and quietly, reaching the AWS call itself (the loopback fault
 * server sees the client close the connection of the call that hangs) and the credentials the call resolves (a role
 * chain's inner AssumeRole). One test per command and wait; each scripts one call to hang and presses Cancel once the
 * call is in flight. Runs after setup.test ("zc…"); it restores the AWS config file and the settings it changes.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { unknownSendId, type SendRecord } from '../../src/core/delivery';
import type { SeedResult } from '../harness/seed';
import { startFaultServer, type FaultServer, type SeenRequest } from '../unit/faultServer';
import { env, planted, waitFor } from './helpers';
import { ScriptedUi } from './scriptedUi';

const PRIMARY = '111111111111';
const SECONDARY = '222222222222';
const OTHER = '333333333333';
const CHAIN_ROLE = `arn:aws:iam::${SECONDARY}:role/cancel-chain-role`;

/** Settles like `p`, or fails the test after `ms` (a hang is a failure, not a stalled run). */
async function within<T>(p: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve(p),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

describe('Cancel on every command that waits on AWS (extension host)', function () {
  this.timeout(60_000);
  let api: TestApi;
  let seed: SeedResult;
  let server: FaultServer;
  let originalConfig: string;
  const ui = new ScriptedUi();
  const saved: Record<string, unknown> = {};
  const settingKeys = ['primaryProfile', 'secondaryProfiles', 'testDestinationNumber', 'sharingMode'] as const;
  /** SNS, End User Messaging and AWS RAM go where AWS_ENDPOINT_URL_<SERVICE> says (the harness's stub): here, the fault server. */
  const serviceEnv = ['AWS_ENDPOINT_URL_SNS', 'AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2', 'AWS_ENDPOINT_URL_RAM'] as const;
  const savedEnv: Record<string, string | undefined> = {};
  const key = (kind: string): string => {
    const value = `cancel-${kind}-${randomBytes(9).toString('base64url')}`;
    planted.push({ kind: kind.includes('secret') ? 'secret access key' : 'access key id', value });
    return value;
  };
  const keys = {
    primary: { id: key('key'), secret: key('secret') },
    secondary: { id: key('key'), secret: key('secret') },
    other: { id: key('key'), secret: key('secret') },
  };
  const config = (name: string) => vscode.workspace.getConfiguration('tendlc').inspect(name)?.globalValue;
  const setSetting = (name: string, value: unknown) => vscode.workspace.getConfiguration('tendlc').update(name, value, vscode.ConfigurationTarget.Global);
  const services = () => api.deps.aws.get();
  const profile = (name: string) => {
    const p = api.deps.state.profile(name);
    assert.ok(p, `profile ${name} is loaded`);
    return p;
  };
  /** The account ids the commands look up first, known already: the next GetCallerIdentity is the one under test. */
  const knowAccounts = async (...names: string[]): Promise<void> => {
    const svc = await services();
    for (const n of names) {
      const s = await svc.accounts.resolve(profile(n), { interactive: true });
      assert.equal(s.status, 'known', `${n}: ${JSON.stringify(s)}`);
    }
  };
  const hang = (action: string, when: (q: SeenRequest) => boolean = () => true): void => server.on(action, (q) => (when(q) ? { kind: 'hang' } : undefined));
  /** Cancel is pressed once the call under test is in flight at the server. */
  const cancelWhenHung = (title: RegExp, action: string): void => {
    ui.cancelProgress(title, () => server.count(action) >= 1 && server.inFlight > 0);
  };
  /** The call the Cancel reached: the client closed its connection before any answer, and no call is left hanging. */
  const abandoned = () => server.waitFor(() => server.abandoned >= 1 && server.inFlight === 0, 'the client to close every hung call', 5_000);
  /** Nothing told after a Cancel: no error, warning or information. */
  const quiet = () => {
    const told = [...ui.of('error'), ...ui.of('warn'), ...ui.of('info')].map((r) => `${r.kind}: ${r.text}`);
    assert.deepEqual(told, [], 'a cancel is quiet');
  };

  before(async () => {
    seed = JSON.parse(fs.readFileSync(env('TENDLC_TEST_SEED'), 'utf8')) as SeedResult;
    const ext = vscode.extensions.getExtension<TestApi>('tendlc.tendlc-cross-account');
    assert.ok(ext);
    api = (await ext.activate()) as TestApi;
    api.setUi(ui);
    server = await startFaultServer();
    server.addUser(PRIMARY, 'cancel-admin', { accessKeyId: keys.primary.id, secretAccessKey: keys.primary.secret });
    server.addUser(SECONDARY, 'cancel-sender', { accessKeyId: keys.secondary.id, secretAccessKey: keys.secondary.secret });
    server.addUser(OTHER, 'cancel-other', { accessKeyId: keys.other.id, secretAccessKey: keys.other.secret });
    const at = `endpoint_url = ${server.url}`;
    originalConfig = fs.readFileSync(seed.configPath, 'utf8');
    fs.appendFileSync(
      seed.configPath,
      [
        '',
        '[profile cancel-primary]',
        'region = us-east-1',
        at,
        `aws_access_key_id = ${keys.primary.id}`,
        `aws_secret_access_key = ${keys.primary.secret}`,
        '',
        '[profile cancel-secondary]',
        'region = us-east-1',
        at,
        `aws_access_key_id = ${keys.secondary.id}`,
        `aws_secret_access_key = ${keys.secondary.secret}`,
        '',
        '[profile cancel-other]',
        'region = us-east-1',
        at,
        `aws_access_key_id = ${keys.other.id}`,
        `aws_secret_access_key = ${keys.other.secret}`,
        '',
        '[profile cancel-chain]',
        'region = us-east-1',
        at,
        `role_arn = ${CHAIN_ROLE}`,
        'source_profile = cancel-other',
        '',
      ].join('\n'),
    );
    await api.deps.state.reload();
    await waitFor('the cancel-* profiles to load', () => api.deps.state.profile('cancel-chain'));
    for (const k of serviceEnv) {
      savedEnv[k] = process.env[k];
      process.env[k] = server.url;
    }
    for (const k of settingKeys) {
      saved[k] = config(k);
    }
    await setSetting('primaryProfile', 'cancel-primary');
    await setSetting('secondaryProfiles', ['cancel-secondary']);
    await setSetting('testDestinationNumber', seed.destinationNumber);
    await waitFor('the settings to apply', () => api.deps.state.settings.primaryProfile === 'cancel-primary' && api.deps.state.settings.secondaryProfiles[0] === 'cancel-secondary');
  });

  after(async () => {
    for (const k of serviceEnv) {
      if (savedEnv[k] === undefined) {
        delete process.env[k];
      } else {
        process.env[k] = savedEnv[k];
      }
    }
    for (const k of settingKeys) {
      await setSetting(k, saved[k]);
    }
    fs.writeFileSync(seed.configPath, originalConfig);
    const svc = await services();
    svc.accounts.clear();
    svc.sessions.forget();
    await server.close();
  });

  beforeEach(async () => {
    await setSetting('sharingMode', undefined);
    await waitFor('role mode', () => api.deps.state.settings.sharingMode === 'role');
    ui.reset();
    server.reset();
    // A call a previous test's rule hung that no command owned (a lookup the tree started in the background) ends by
    // its own deadline (8 s), not by a Cancel: wait for it, so that no test joins or counts a call it did not make.
    await server.waitFor(() => server.inFlight === 0, 'the calls an earlier test left hanging to end', 30_000);
    const svc = await services();
    svc.accounts.clear();
    svc.sessions.forget();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'passed') {
      assert.equal(ui.unused(), 0, 'every scripted answer was used (the Cancel was pressed)');
    }
  });

  it('Look Up Account Id: Cancel ends a GetCallerIdentity that hangs', async () => {
    hang('GetCallerIdentity');
    cancelWhenHung(/Looking up the account of cancel-other/, 'GetCallerIdentity');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.lookupAccount', 'cancel-other'), 20_000, 'Look Up Account Id'), undefined);
    await abandoned();
    quiet();
  });

  it("Assume Role: Cancel ends the AssumeRole of a role chain's credentials (the inner call) that hangs", async () => {
    hang('AssumeRole', (q) => q.params.get('RoleArn') === CHAIN_ROLE);
    cancelWhenHung(/Assuming cancel-primary's role with cancel-chain/, 'AssumeRole');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.assumeRole', 'cancel-chain'), 20_000, 'Assume Role'), undefined);
    await abandoned();
    assert.ok(server.seen.every((q) => q.action !== 'AssumeRole' || q.params.get('RoleArn') === CHAIN_ROLE), 'the primary\'s role was never asked for');
    quiet();
  });

  it('Assume Role: Cancel ends an AssumeRole that hangs', async () => {
    await knowAccounts('cancel-primary');
    hang('AssumeRole');
    cancelWhenHung(/Assuming cancel-primary's role with cancel-secondary/, 'AssumeRole');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.assumeRole', 'cancel-secondary'), 20_000, 'Assume Role'), undefined);
    await abandoned();
    assert.equal((await services()).sessions.liveSessionOf('cancel-secondary'), undefined, 'no session kept');
    quiet();
  });

  it("Generate Policies: Cancel ends a secondary's account lookup that hangs", async () => {
    await knowAccounts('cancel-primary');
    hang('GetCallerIdentity', (q) => q.accessKeyId === keys.secondary.id);
    cancelWhenHung(/Looking up the account of profile "cancel-secondary"/, 'GetCallerIdentity');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.generatePolicies'), 20_000, 'Generate Policies'), undefined);
    await abandoned();
    quiet();
  });

  it('Generate Policies: Cancel ends the read of the number that hangs (no documents with placeholders)', async () => {
    await knowAccounts('cancel-primary', 'cancel-secondary');
    hang('DescribePhoneNumbers');
    cancelWhenHung(/Reading \+1\d{10} in us-east-1/, 'DescribePhoneNumbers');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.generatePolicies'), 20_000, 'Generate Policies'), undefined);
    await abandoned();
    quiet();
  });

  for (const [command, title] of [
    ['tendlc.exportCloudFormation', 'Export as CloudFormation'],
    ['tendlc.exportTerraform', 'Export as Terraform'],
  ] as const) {
    it(`${title}: Cancel ends the read of the number that hangs`, async () => {
      await knowAccounts('cancel-primary', 'cancel-secondary');
      hang('DescribePhoneNumbers');
      cancelWhenHung(/Reading \+1\d{10} in us-east-1/, 'DescribePhoneNumbers');
      assert.equal(await within(vscode.commands.executeCommand(command), 20_000, title), undefined);
      await abandoned();
      quiet();
    });
  }

  it('Create or Update Role: Cancel ends the check of which account the primary writes to', async () => {
    await knowAccounts('cancel-primary', 'cancel-secondary');
    hang('GetCallerIdentity');
    cancelWhenHung(/Checking which account profile "cancel-primary" writes to/, 'GetCallerIdentity');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.createRole'), 20_000, 'Create Role'), undefined);
    await abandoned();
    assert.equal(server.count('GetRole'), 0, 'nothing read after the Cancel');
    quiet();
  });

  it('Create or Update Role: Cancel ends the read of the role that hangs', async () => {
    await knowAccounts('cancel-primary', 'cancel-secondary');
    hang('GetRole');
    cancelWhenHung(/Reading role tendlc-cross-account-sms in 111111111111/, 'GetRole');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.createRole'), 20_000, 'Create Role'), undefined);
    await abandoned();
    assert.equal(server.count('CreateRole') + server.count('UpdateAssumeRolePolicy'), 0, 'nothing written');
    quiet();
  });

  it('Check Setup: Cancel ends the run: no report, no check results', async () => {
    const report = () => api.deps.docs.documents().find((d) => d.path.endsWith('/setup-check.md'))?.text;
    const before = report();
    hang('GetCallerIdentity');
    cancelWhenHung(/Checking the 10DLC setup/, 'GetCallerIdentity');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.checkSetup'), 20_000, 'Check Setup'), undefined);
    await abandoned();
    assert.equal(report(), before, 'no report was written');
    quiet();
  });

  it('Send Test SMS: Cancel ends the AssumeRole that hangs, and nothing is sent', async () => {
    await knowAccounts('cancel-primary');
    hang('AssumeRole');
    ui.answer('input', seed.destinationNumber, `tendlc cancel ${Date.now()}`);
    cancelWhenHung(/Sending a test SMS from cancel-secondary/, 'AssumeRole');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.sendTestSms', 'cancel-secondary'), 20_000, 'Send Test SMS'), undefined);
    await abandoned();
    assert.equal(server.count('Publish'), 0);
    assert.equal(ui.of('modal').length, 0, 'no confirmation was asked for');
    quiet();
  });

  const sendRecord = (messageId: string, status: SendRecord['status']): SendRecord => ({
    at: new Date().toISOString(),
    profile: 'cancel-secondary',
    maskedDestination: '+*******0123',
    messageId,
    region: 'us-east-1',
    primaryAccountId: PRIMARY,
    status,
  });

  it("Check Delivery Status: Cancel ends the session's AssumeRole that hangs; the send's record stays as it was", async () => {
    const record = sendRecord(`cancel-${randomBytes(6).toString('hex')}`, 'sent');
    await api.deps.history.add(record);
    await knowAccounts('cancel-primary');
    hang('AssumeRole');
    cancelWhenHung(/Assuming cancel-primary's role with cancel-secondary/, 'AssumeRole');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.checkDelivery', record.messageId), 20_000, 'Check Delivery Status'), undefined);
    await abandoned();
    assert.equal(api.deps.history.find(record.messageId)?.status, 'sent');
    quiet();
  });

  it('Check Delivery Status of a send whose outcome is unknown: Cancel ends the log search; the record stays as it was', async () => {
    const record = { ...sendRecord(unknownSendId(new Date(), randomBytes(4).toString('hex')), 'outcome-unknown'), detail: 'the connection was lost' };
    await api.deps.history.add(record);
    await knowAccounts('cancel-primary');
    hang('FilterLogEvents');
    cancelWhenHung(/Looking for a delivery record of the send to/, 'FilterLogEvents');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.checkDelivery', record.messageId), 20_000, 'Check Delivery Status'), undefined);
    await abandoned();
    const after = api.deps.history.find(record.messageId);
    assert.equal(after?.status, 'outcome-unknown');
    assert.equal(after?.detail, 'the connection was lost', 'the record is unchanged');
    quiet();
  });

  it('Verify Sandbox Destination: Cancel ends the CreateSMSSandboxPhoneNumber that hangs', async () => {
    await knowAccounts('cancel-primary');
    hang('CreateSMSSandboxPhoneNumber');
    ui.answer('input', seed.destinationNumber);
    cancelWhenHung(/Adding \+\*+0123 to the SMS sandbox/, 'CreateSMSSandboxPhoneNumber');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.verifySandboxNumber'), 20_000, 'Verify Sandbox Destination'), false);
    await abandoned();
    quiet();
  });

  it('Enable Delivery-Status Logging: Cancel ends the check of which account the primary writes to', async () => {
    await knowAccounts('cancel-primary');
    hang('GetCallerIdentity');
    cancelWhenHung(/Checking which account profile "cancel-primary" writes to/, 'GetCallerIdentity');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.enableDeliveryLogging'), 20_000, 'Enable Delivery-Status Logging'), false);
    await abandoned();
    assert.equal(ui.of('modal').length, 0, 'nothing was proposed');
    quiet();
  });

  // Issue 15: the End User Messaging share mode's commands and Dry Run Send. RAM is REST-JSON: its operations are
  // named here by their path (the fault server's name for them).
  const resourceShareMode = async (): Promise<void> => {
    await setSetting('sharingMode', 'resourceShare');
    await waitFor('resourceShare mode', () => api.deps.state.settings.sharingMode === 'resourceShare');
  };

  it('Dry Run Send (role mode): Cancel ends the AssumeRole that hangs; no SendTextMessage, no report', async () => {
    await knowAccounts('cancel-primary');
    hang('AssumeRole');
    ui.answer('input', seed.destinationNumber, `tendlc cancel dry run ${Date.now()}`);
    cancelWhenHung(/Dry run from cancel-secondary through role/, 'AssumeRole');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.dryRunSms', 'cancel-secondary'), 20_000, 'Dry Run Send'), undefined);
    await abandoned();
    assert.equal(server.count('SendTextMessage'), 0);
    quiet();
  });

  it("Dry Run Send (resourceShare mode): Cancel ends the secondary's read of its shared numbers that hangs; no SendTextMessage", async () => {
    await resourceShareMode();
    await knowAccounts('cancel-primary');
    hang('DescribePhoneNumbers');
    ui.answer('input', seed.destinationNumber, `tendlc cancel dry run ${Date.now()}`);
    cancelWhenHung(/Dry run from cancel-secondary with its own credentials/, 'DescribePhoneNumbers');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.dryRunSms', 'cancel-secondary'), 20_000, 'Dry Run Send'), undefined);
    await abandoned();
    assert.equal(server.count('SendTextMessage'), 0);
    quiet();
  });

  it('Send Test SMS (resourceShare mode): Cancel ends the pre-flight read that hangs; nothing is sent, nothing asked', async () => {
    await resourceShareMode();
    await knowAccounts('cancel-primary');
    hang('DescribePhoneNumbers');
    ui.answer('input', seed.destinationNumber, `tendlc cancel ${Date.now()}`);
    cancelWhenHung(/Sending a test SMS from cancel-secondary/, 'DescribePhoneNumbers');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.sendTestSms', 'cancel-secondary'), 20_000, 'Send Test SMS'), undefined);
    await abandoned();
    assert.equal(server.count('SendTextMessage'), 0);
    assert.equal(ui.of('modal').length, 0, 'no confirmation was asked for');
    quiet();
  });

  it('Generate Policies (resourceShare mode): Cancel ends the read of the number that hangs (no documents with placeholders)', async () => {
    await resourceShareMode();
    await knowAccounts('cancel-primary', 'cancel-secondary');
    hang('DescribePhoneNumbers');
    cancelWhenHung(/Reading \+1\d{10} in us-east-1/, 'DescribePhoneNumbers');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.generatePolicies'), 20_000, 'Generate Policies'), undefined);
    await abandoned();
    quiet();
  });

  for (const [command, title, write] of [
    ['tendlc.shareNumber', 'Share the Number with the Secondaries', 'PutResourcePolicy'],
    ['tendlc.shareNumberRam', 'Share the Number through AWS RAM', 'createresourceshare'],
  ] as const) {
    it(`${title}: Cancel ends the read of the number that hangs; nothing proposed, nothing written`, async () => {
      await resourceShareMode();
      await knowAccounts('cancel-primary', 'cancel-secondary');
      hang('DescribePhoneNumbers');
      cancelWhenHung(/Reading \+1\d{10} in us-east-1/, 'DescribePhoneNumbers');
      assert.equal(await within(vscode.commands.executeCommand(command), 20_000, title), undefined);
      await abandoned();
      assert.equal(server.count(write), 0, 'nothing written');
      assert.equal(ui.of('modal').length, 0, 'nothing was proposed');
      quiet();
    });
  }

  it("Accept Resource Share Invitation: Cancel ends RAM's GetResourceShareInvitations that hangs; nothing accepted", async () => {
    await resourceShareMode();
    await knowAccounts('cancel-primary');
    hang('getresourceshareinvitations');
    cancelWhenHung(/Reading the RAM invitations of account 222222222222/, 'getresourceshareinvitations');
    assert.equal(await within(vscode.commands.executeCommand('tendlc.acceptInvitation', 'cancel-secondary'), 20_000, 'Accept Invitation'), undefined);
    await abandoned();
    assert.equal(server.count('acceptresourceshareinvitation'), 0);
    assert.equal(ui.of('modal').length, 0, 'nothing was proposed');
    quiet();
  });
});
