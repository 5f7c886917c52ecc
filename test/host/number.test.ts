/**
 * Extension-host tests of numbers bought since September 2024 (issue 12): the resource policy SNS
 * needs on the number and its opt-out list, the number's capacity and registration, brands shared
 * across accounts, and senders set to another region. End User Messaging is the stub's
 * (test/harness/eumStub.ts), with state per account; each test puts back what it changed.
 * Runs after extension.test.ts and before setup.test.ts (file names in order).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CheckResult, SetupReport } from '../../src/aws/index';
import type { TestApi } from '../../src/extension';
import { brandRegistration, phoneNumberArn, primaryEumAccount } from '../harness/eumStub';
import { ACCOUNTS, type SeedResult } from '../harness/seed';
import { env, eum, motoData, smsRecords } from './helpers';
import { ScriptedUi } from './scriptedUi';

function find(report: SetupReport | undefined, subject: string, id: string): CheckResult {
  const r = report?.results.find((x) => x.subject === subject && x.id === id);
  assert.ok(r, `check ${subject}/${id} in ${JSON.stringify(report?.results.map((x) => `${x.subject}/${x.id}`))}`);
  return r;
}

describe('Numbers since September 2024: resource policy, capacity, brands, regions (extension host)', function () {
  this.timeout(90_000);
  let api: TestApi;
  let seed: SeedResult;
  const ui = new ScriptedUi();
  const primary = ACCOUNTS.primary;

  async function checkSetup(): Promise<SetupReport> {
    const report = (await vscode.commands.executeCommand('tendlc.checkSetup')) as SetupReport | undefined;
    assert.ok(report, `report (errors: ${ui.of('error').map((e) => e.text).join(' | ')})`);
    return report;
  }

  async function setting(key: string, value: unknown): Promise<void> {
    await vscode.workspace.getConfiguration('tendlc').update(key, value, vscode.ConfigurationTarget.Global);
  }

  /** The primary's End User Messaging world as the stub starts it (SNS granted on the number and its opt-out list). */
  const pristine = (region = 'us-east-1') => primaryEumAccount(primary, seed.originationNumber, region);

  before(async () => {
    seed = JSON.parse(fs.readFileSync(env('TENDLC_TEST_SEED'), 'utf8')) as SeedResult;
    const ext = vscode.extensions.getExtension<TestApi>('tendlc.tendlc-cross-account');
    assert.ok(ext);
    api = (await ext.activate()) as TestApi;
    api.setUi(ui);
  });
  beforeEach(() => ui.reset());
  afterEach(async function () {
    await eum(primary, pristine());
    await eum(ACCOUNTS.secondaryA, { region: 'us-east-1', numbers: [], registrations: [], optOutLists: [], policies: {} });
    if (this.currentTest?.state === 'passed') {
      assert.equal(ui.unused(), 0, 'every scripted answer was used');
    }
  });

  it('the default number: SNS granted on it and its opt-out list; capacity and registration in the report and the tooltip', async () => {
    const report = await checkSetup();
    const access = find(report, 'primary', 'sns-number-access');
    assert.equal(access.status, 'pass', access.detail);
    assert.match(access.detail, /grants SNS sms-voice:SendTextMessage/);
    assert.match(find(report, 'primary', 'sns-opt-out-access').detail, /grants SNS sms-voice:DescribeOptedOutNumbers, sms-voice:DeleteOptedOutNumber/);
    assert.equal(find(report, 'primary', 'capacity').detail, 'SMS 20 messages/s; advisory daily caps: T-MOBILE 2,000 messages.');
    assert.match(find(report, 'primary', 'registration').detail, /^Registration registration-0a1b2c3d4e5f \(10DLC campaign\) is COMPLETE; brand Example Corp \(registration-b7a1d0c0ffee, COMPLETE\)\.$/);
    assert.match(find(report, 'primary', 'ten-dlc-holdings').detail, /^Owns 1 10DLC number \(\+12065550100\) and brand registration Example Corp \(COMPLETE\) in us-east-1\.$/);
    assert.match(find(report, 'secondary-a', 'ten-dlc-holdings').detail, /^Owns no 10DLC number and no brand registration in us-east-1\.$/);
    const doc = vscode.window.visibleTextEditors.find((e) => e.document.uri.path.endsWith('setup-check.md'));
    assert.match(doc?.document.getText() ?? '', /\| PASS \| Capacity of the number \| SMS 20 messages\/s; advisory daily caps: T-MOBILE 2,000 messages\. \|/);
    // The primary's tooltip shows the same.
    const view = api.deps.view;
    const group = (await view.getChildren()).find((n) => n.kind === 'group' && n.group === 'primary');
    const node = (await view.getChildren(group)).find((n) => n.kind === 'profile');
    assert.ok(node);
    const item = await view.resolveTreeItem(new vscode.TreeItem('primary'), node);
    const tooltip = (item.tooltip as vscode.MarkdownString).value.replace(/\\/g, '');
    assert.match(tooltip, /Capacity: SMS 20 messages\/s; advisory daily caps: T-MOBILE 2,000 messages/);
    assert.match(tooltip, /Registration: registration-0a1b2c3d4e5f \(10DLC campaign\): COMPLETE; brand Example Corp/);
  });

  it('a number with no resource policy: the check fails with the grant fix, and the send confirmation blocks', async () => {
    await eum(primary, { policies: {} });
    const report = await checkSetup();
    const access = find(report, 'primary', 'sns-number-access');
    assert.equal(access.status, 'fail');
    assert.equal(access.fix, 'grantSnsNumberAccess');
    assert.match(access.detail, /^The number \+12065550100 has no resource policy and was created 2025-06-01, after 2024-09-24: SNS may not send through it/);
    const optOut = find(report, 'primary', 'sns-opt-out-access');
    assert.equal(optOut.status, 'warn');
    assert.match(optOut.detail, /^Its opt-out list Default has no resource policy/);
    // In the tree, under the primary, with its fix as the node's command.
    const view = api.deps.view;
    const group = (await view.getChildren()).find((n) => n.kind === 'group' && n.group === 'primary');
    const node = (await view.getChildren(group)).find((n) => n.kind === 'profile');
    const items = (await view.getChildren(node)).map((n) => view.getTreeItem(n));
    const item = items.find((i) => i.label === 'SNS may send through the number');
    assert.ok(item, 'the failed check is in the tree');
    assert.equal(item.command?.command, 'tendlc.generatePolicies');
    assert.match(String((item.iconPath as vscode.ThemeIcon).id), /error/);

    ui.reset();
    const text = `no policy ${Date.now()}`;
    ui.answer('input', seed.destinationNumber, text).answer('modal', 'Send SMS');
    assert.equal(await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-a'), undefined, 'the ordinary button does not send past a blocking finding');
    const modal = ui.of('modal')[0]?.text ?? '';
    assert.match(modal, /A problem below stops this message from being delivered\./);
    assert.match(modal, /⛔ SNS may send through the number: The number \+12065550100 has no resource policy/);
    assert.ok(modal.indexOf('SNS may send through the number') < modal.indexOf('Origination number'), 'the blocking problem comes first');
    assert.equal(smsRecords(await motoData()).filter((r) => r.message === text).length, 0, 'nothing was sent');
  });

  it('a number created before 2024-09-24 passes without a policy', async () => {
    const numbers = pristine().numbers.map((n) => ({ ...n, CreatedTimestamp: '2023-05-01T00:00:00Z' }));
    await eum(primary, { numbers, policies: {} });
    const report = await checkSetup();
    const access = find(report, 'primary', 'sns-number-access');
    assert.equal(access.status, 'pass', access.detail);
    assert.match(access.detail, /^The number \+12065550100 was created 2023-05-01, before 2024-09-24: AWS granted SNS its use automatically; no resource policy is needed\.$/);
  });

  it('an existing statement for another principal is reported as kept, and the guide says to merge, not replace', async () => {
    const arn = phoneNumberArn(primary, 'us-east-1', pristine().numbers[0]);
    const foreign = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'ShareWithPartner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sms-voice:SendTextMessage', Resource: arn }],
    });
    await eum(primary, { policies: { ...pristine().policies, [arn]: foreign } });
    const report = await checkSetup();
    const access = find(report, 'primary', 'sns-number-access');
    assert.equal(access.status, 'fail');
    assert.match(access.detail, /does not grant SNS sms-voice:SendTextMessage\. Missing for SNS: sms-voice:SendTextMessage\./);
    assert.match(access.detail, /Its other statement \(Sid ShareWithPartner: Allow arn:aws:iam::999999999999:root sms-voice:SendTextMessage\) is kept as it is when SNS's grant is added\./);

    ui.reset();
    const out = (await vscode.commands.executeCommand('tendlc.generatePolicies')) as { guide: vscode.Uri; numberPolicy?: vscode.Uri; optOutListPolicy?: vscode.Uri } | undefined;
    assert.ok(out?.numberPolicy && out.optOutListPolicy, `resource policies generated (errors: ${ui.of('error').map((e) => e.text).join(' | ')})`);
    const guide = (await vscode.workspace.openTextDocument(out.guide)).getText();
    assert.match(guide, /The number has a resource policy with 1 statement \(does not grant SNS sms-voice:SendTextMessage\)\. `put-resource-policy` replaces the whole document/);
    assert.ok(guide.includes(`aws pinpoint-sms-voice-v2 put-resource-policy --profile primary --region us-east-1 --resource-arn ${arn} \\`), guide);
    assert.match(guide, /The opt-out list's resource policy already grants SNS sms-voice:DescribeOptedOutNumbers, sms-voice:DeleteOptedOutNumber: nothing to apply\./);
    assert.match(guide, /\[SNS Developer Guide: Getting started with Amazon SNS SMS access management\]\(https:\/\/docs\.aws\.amazon\.com\/sns\/latest\/dg\/sns-sms-access-management\.html\)/);
    const policy = JSON.parse((await vscode.workspace.openTextDocument(out.numberPolicy)).getText()) as { Statement: { Principal: unknown; Action: unknown; Resource: unknown; Condition: unknown }[] };
    assert.deepEqual(policy.Statement.map((s) => [s.Principal, s.Action, s.Resource, s.Condition]), [
      [{ Service: 'sns.amazonaws.com' }, ['sms-voice:SendTextMessage'], arn, { StringEquals: { 'aws:SourceAccount': primary } }],
    ]);
  });

  it('two accounts registering the same brand: the shared T-Mobile cap is named in the report', async () => {
    // secondary-a's account registers the primary's company too (same tax id); read with its own keys.
    await eum(ACCOUNTS.secondaryA, { region: 'us-east-1', registrations: [brandRegistration('registration-a1a1a1a1a1a1', 'Example Corp', '12-3456789')] });
    const report = await checkSetup();
    assert.match(find(report, 'secondary-a', 'ten-dlc-holdings').detail, /and brand registration Example Corp \(COMPLETE\) in us-east-1\./);
    const shared = find(report, 'primary', 'shared-brand');
    assert.equal(shared.status, 'warn');
    assert.equal(shared.detail, 'Brand Example Corp is registered in primary (111111111111) and secondary-a (222222222222): the daily number of messages to T-Mobile customers is shared across these accounts.');
    assert.equal(report.results.filter((r) => r.id === 'shared-brand').length, 1);
  });

  it('a secondary set to another region than the number: the report and the confirmation say where the message goes from', async () => {
    await setting('region', 'us-west-2');
    try {
      await eum(primary, pristine('us-west-2'));
      const report = await checkSetup();
      const note = find(report, 'secondary-a', 'region');
      assert.equal(note.status, 'warn');
      assert.equal(
        note.detail,
        "Profile secondary-a is set to us-east-1, but the message is sent from the number's region, us-west-2 (the primary's SNS there). Using 10DLC in us-east-1 would mean registering the brand and campaign there again.",
      );
      assert.equal(find(report, 'primary', 'sns-number-access').status, 'pass', 'the number is read in its own region');
      ui.reset();
      ui.answer('input', seed.destinationNumber, `region ${Date.now()}`).answer('modal', undefined);
      await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-a');
      const modal = ui.of('modal')[0]?.text ?? '';
      assert.match(modal, /From: \+12065550100 \(10DLC, us-west-2\)/);
      assert.match(modal, /⚠ Region: Profile secondary-a is set to us-east-1, but the message is sent from the number's region, us-west-2/);
    } finally {
      await setting('region', seed.settings['tendlc.region']);
    }
  });
});
