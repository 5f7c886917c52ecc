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
import { brandRegistration, optOutListArn, phoneNumberArn, primaryEumAccount } from '../harness/eumStub';
import { ACCOUNTS, type SeedResult } from '../harness/seed';
import { analyzer, env, eum, motoData, smsRecords, stub, waitFor } from './helpers';
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
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await analyzer({ mode: 'answer', findings: [], requests: [] });
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
    assert.equal(item.command?.command, 'tendlc.grantSnsNumberAccess');
    assert.equal(item.command?.title, 'Grant SNS Use of the Number');
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
      [{ Service: 'sns.amazonaws.com' }, 'sms-voice:SendTextMessage', arn, { StringEquals: { 'aws:SourceAccount': primary } }],
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
  // ----- Grant SNS Use of the Number (issue 12 point 3): PutResourcePolicy through the one resource-policy flow -----

  const numberArn = (): string => phoneNumberArn(primary, 'us-east-1', pristine().numbers[0]);
  const listArn = (): string => optOutListArn(primary, 'us-east-1', 'Default');
  const errors = (): string => ui.of('error').map((e) => e.text).join(' | ');
  /** The statements of a policy as the stub holds it. */
  const statementsOf = (text: string | undefined): Record<string, unknown>[] => {
    const doc = JSON.parse(text ?? '{}') as { Statement?: unknown };
    return doc.Statement === undefined ? [] : Array.isArray(doc.Statement) ? (doc.Statement as Record<string, unknown>[]) : [doc.Statement as Record<string, unknown>];
  };
  const sourceAccount = (): Record<string, unknown> => ({ StringEquals: { 'aws:SourceAccount': primary } });
  const numberGrant = (): Record<string, unknown> => ({ Sid: 'AllowSnsToSendThroughThisNumber', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sms-voice:SendTextMessage', Resource: numberArn(), Condition: sourceAccount() });
  const listGrant = (): Record<string, unknown> => ({
    Sid: 'AllowSnsToUseThisOptOutList',
    Effect: 'Allow',
    Principal: { Service: 'sns.amazonaws.com' },
    Action: ['sms-voice:DescribeOptedOutNumbers', 'sms-voice:DeleteOptedOutNumber'],
    Resource: listArn(),
    Condition: sourceAccount(),
  });
  /** The left side of a diff: the current document as the extension shows it. */
  const currentShown = async (file: string): Promise<string> =>
    (await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'tendlc-policy', path: `/${primary}/resource-policies/current/${file}` }))).getText();

  it('Grant SNS Use of the Number: no policy → the check fails and the send blocks → the fix (diff, Apply) → the check passes and the send goes out', async () => {
    await eum(primary, { policies: {} });
    let report = await checkSetup();
    assert.equal(find(report, 'primary', 'sns-number-access').status, 'fail');
    assert.equal(find(report, 'primary', 'sns-number-access').fix, 'grantSnsNumberAccess');
    ui.reset();
    ui.answer('input', seed.destinationNumber, `before the grant ${Date.now()}`).answer('modal', undefined);
    assert.equal(await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-a'), undefined);
    assert.match(ui.of('modal')[0]?.text ?? '', /A problem below stops this message from being delivered\./);

    ui.reset();
    let shown: { left: string; right: unknown } | undefined;
    ui.answer('choose', async () => {
      // The number's diff is in front: none yet on the left, the proposal (editable, a file) on the right.
      const editor = await waitFor('the proposed number policy in front', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'file' && e.document.uri.path.endsWith('/number-resource-policy.json')));
      shown = { left: await currentShown('number-resource-policy.json'), right: JSON.parse(editor.document.getText()) };
      return 'Apply';
    });
    assert.equal(await vscode.commands.executeCommand('tendlc.grantSnsNumberAccess'), 'updated', errors());
    assert.deepEqual(shown, { left: '', right: { Version: '2012-10-17', Statement: [numberGrant()] } });
    const question = ui.of('choose')[0]?.text ?? '';
    assert.match(
      question,
      /^Grant SNS Use of the Number in account 111111111111: this would update the resource policies of the number \+12065550100 \(adds sns\.amazonaws\.com\) and its opt-out list Default \(adds sns\.amazonaws\.com\)\./,
    );
    assert.match(question, /IAM Access Analyzer found nothing in number-resource-policy\.json\. IAM Access Analyzer found nothing in opt-out-list-resource-policy\.json\./);
    assert.deepEqual(
      (await analyzer()).requests.map((r) => [r.policyType, r.validatePolicyResourceType]),
      [
        ['RESOURCE_POLICY', undefined],
        ['RESOURCE_POLICY', undefined],
      ],
      'validated as resource policies without a resource type (End User Messaging has none)',
    );
    assert.match(ui.of('info').at(-1)?.text ?? '', /^Updated the resource policies of the number \+12065550100 \(adds sns\.amazonaws\.com\) and its opt-out list Default \(adds sns\.amazonaws\.com\) in account 111111111111\.$/);
    const after = await eum(primary);
    assert.deepEqual(statementsOf(after.policies[numberArn()]), [numberGrant()], 'read back from End User Messaging (the stub)');
    assert.deepEqual(statementsOf(after.policies[listArn()]), [listGrant()]);

    report = await checkSetup();
    assert.equal(find(report, 'primary', 'sns-number-access').status, 'pass', find(report, 'primary', 'sns-number-access').detail);
    assert.equal(find(report, 'primary', 'sns-opt-out-access').status, 'pass', find(report, 'primary', 'sns-opt-out-access').detail);
    ui.reset();
    const text = `after the grant ${Date.now()}`;
    // An earlier suite may have sent to this destination a moment ago: then the confirmation asks "Send Again".
    ui.answer('input', seed.destinationNumber, text).answer('modal', (q) => (/Send another/.test(q) ? 'Send Again' : 'Send SMS'));
    const sent = (await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-a')) as { messageId: string } | undefined;
    assert.ok(sent, `sent (errors: ${errors()})`);
    assert.doesNotMatch(ui.of('modal')[0]?.text ?? '', /stops this message/);
    assert.equal((await waitFor('the SMS in moto', async () => smsRecords(await motoData()).filter((r) => r.message === text))).length, 1);
  });

  it('Grant SNS Use of the Number keeps a foreign statement (read back), and running it twice changes nothing', async () => {
    const foreign = { Sid: 'ShareWithPartner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sms-voice:SendTextMessage', Resource: numberArn() };
    await eum(primary, { policies: { ...pristine().policies, [numberArn()]: JSON.stringify({ Version: '2012-10-17', Statement: [foreign] }) } });
    ui.answer('choose', 'Apply');
    assert.equal(await vscode.commands.executeCommand('tendlc.grantSnsNumberAccess'), 'updated', errors());
    assert.match(ui.of('choose')[0]?.text ?? '', /this would update the resource policy of the number \+12065550100 \(adds sns\.amazonaws\.com\)\. /, 'the opt-out list, granted already, is not proposed');
    assert.equal(ui.of('modal').length, 0, 'adding SNS beside the partner removes and widens nothing');
    const once = (await eum(primary)).policies;
    assert.deepEqual(statementsOf(once[numberArn()]), [foreign, numberGrant()], "the partner's statement is still there, unchanged, first");
    assert.equal(once[listArn()], pristine().policies[listArn()], 'the opt-out list was not written');

    ui.reset();
    assert.equal(await vscode.commands.executeCommand('tendlc.grantSnsNumberAccess'), 'unchanged', errors());
    assert.equal(ui.of('choose').length, 0, 'nothing to review');
    assert.match(ui.of('info').at(-1)?.text ?? '', /^Grant SNS Use of the Number: nothing changed in account 111111111111\. The resource policies of the number \+12065550100 and its opt-out list Default already grant what is needed\.$/);
    assert.deepEqual((await eum(primary)).policies, once, 'the second run wrote nothing');
  });

  it('Grant SNS Use of the Number: a Deny on SNS is reported and not removed (nor overridden)', async () => {
    const deny = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoSnsHere', Effect: 'Deny', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sms-voice:SendTextMessage', Resource: numberArn() }] });
    await eum(primary, { policies: { [numberArn()]: deny } });
    ui.answer('choose', 'Apply');
    assert.equal(await vscode.commands.executeCommand('tendlc.grantSnsNumberAccess'), 'updated', errors());
    const question = ui.of('choose')[0]?.text ?? '';
    assert.match(question, /this would update the resource policy of its opt-out list Default \(adds sns\.amazonaws\.com\)\./, 'only the opt-out list gets the grant');
    assert.match(question, /The service sns\.amazonaws\.com is denied sms-voice:SendTextMessage by statement "NoSnsHere" \(a Deny without conditions\), so it is not added: the grant would not take effect for it\. Remove that Deny yourself if it should be allowed\./);
    const after = await eum(primary);
    assert.equal(after.policies[numberArn()], deny, "the number's policy was not written: the Deny is there as it was");
    assert.deepEqual(statementsOf(after.policies[listArn()]), [listGrant()]);
    const report = await checkSetup();
    assert.equal(find(report, 'primary', 'sns-number-access').status, 'fail');
    assert.match(find(report, 'primary', 'sns-number-access').detail, /denies SNS sms-voice:SendTextMessage \(Sid NoSnsHere\)/);
  });

  it('Grant SNS Use of the Number: an edit that drops a statement gets its own confirmation, in words; declined, nothing is written', async () => {
    const foreign = { Sid: 'ShareWithPartner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sms-voice:SendTextMessage', Resource: numberArn() };
    const before = { ...pristine().policies, [numberArn()]: JSON.stringify({ Version: '2012-10-17', Statement: [foreign] }) };
    await eum(primary, { policies: before });
    ui.answer('choose', async () => {
      // The user edits the proposal (the right side) and drops the partner's statement.
      const doc = await waitFor('the proposal', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.path.endsWith('/number-resource-policy.json')));
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), JSON.stringify({ Version: '2012-10-17', Statement: [numberGrant()] }, null, 2));
      assert.ok(await vscode.workspace.applyEdit(edit));
      return 'Apply';
    });
    ui.answer('modal', undefined);
    assert.equal(await vscode.commands.executeCommand('tendlc.grantSnsNumberAccess'), undefined);
    assert.match(
      ui.of('modal')[0]?.text ?? '',
      /^Risky change 1 of 1 to the resource policy of the number \+12065550100: it takes away access\.\n.*999999999999.*\n\nThe resource policy of the number \+12065550100 decides who may send SMS from the number \+12065550100, billed to account 111111111111\. Apply this change only if you meant it; cancelling writes nothing\.$/s,
    );
    assert.deepEqual((await eum(primary)).policies, before, 'declined: nothing was written');
  });

  it('Grant SNS Use of the Number: a current policy it cannot read completely is shown as it is with the statement to add, and nothing is written', async () => {
    const text = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sms-voice:SendTextMessage","Resource":"${numberArn()}"}]}`;
    await eum(primary, { policies: { [numberArn()]: text } });
    assert.equal(await vscode.commands.executeCommand('tendlc.grantSnsNumberAccess'), 'refused');
    assert.match(errors(), /^Nothing was changed: the resource policy of the number \+12065550100 in account 111111111111 cannot be read completely \(Statement 1 has the key "Effect" twice/);
    assert.equal(await currentShown('number-resource-policy.json'), text, 'the current document, verbatim');
    const add = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith('/statement-to-add-to-number-resource-policy.json'));
    assert.ok(add, 'the statement to add by hand is open');
    assert.deepEqual(JSON.parse(add.getText()), numberGrant());
    assert.deepEqual((await eum(primary)).policies, { [numberArn()]: text }, 'nothing was written, not even to the opt-out list');
  });

  it('Grant SNS Use of the Number: a policy changed while the diff was open is not overwritten; an Access Analyzer error blocks Apply', async () => {
    await eum(primary, { policies: {} });
    const colleague = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'AddedByAColleague', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::555555555555:root' }, Action: 'sms-voice:SendTextMessage', Resource: numberArn() }] });
    ui.answer('choose', async () => {
      await eum(primary, { policies: { [numberArn()]: colleague } });
      return 'Apply';
    });
    assert.equal(await vscode.commands.executeCommand('tendlc.grantSnsNumberAccess'), undefined);
    // Errors go through the redactor, which masks every phone number (the origination number too) to its last four digits.
    assert.match(errors(), /Nothing was written: the resource policy of the number \+\*+0100 changed in End User Messaging while you were reviewing the proposal\. Run Grant SNS Use of the Number again/);
    assert.deepEqual((await eum(primary)).policies, { [numberArn()]: colleague }, "the colleague's policy is still there, and the opt-out list was not written either");

    ui.reset();
    await eum(primary, { policies: {} });
    await analyzer({ findings: [{ on: 'resource', findingType: 'ERROR', issueCode: 'INVALID_ACTION', findingDetails: 'The action is not valid.', path: [{ value: 'Statement' }, { index: 0 }, { value: 'Action' }] }] });
    ui.answer('choose', 'Cancel');
    assert.equal(await vscode.commands.executeCommand('tendlc.grantSnsNumberAccess'), undefined);
    assert.match(ui.of('choose')[0]?.text ?? '', /^Grant SNS Use of the Number in account 111111111111: not ready to apply\. IAM Access Analyzer found an error in number-resource-policy\.json, which must be fixed first: error INVALID_ACTION at line \d+: The action is not valid\./);
    assert.deepEqual((await eum(primary)).policies, {}, 'nothing was written');
  });

  it('Grant SNS Use of the Number: a write AWS applied but whose answer never came, cancelled, is told as unknown (not as failed, nor as nothing)', async () => {
    // Only the number needs the grant; AWS applies the PutResourcePolicy and its answer never comes.
    await eum(primary, { policies: { [listArn()]: pristine().policies[listArn()] } });
    await stub({ eumHangAfterApplying: ['PutResourcePolicy'] });
    try {
      ui.answer('choose', 'Apply');
      // The user presses Cancel on the write once AWS has applied it (the stub holds the new policy, the answer is pending).
      ui.cancelProgress(/^Writing the resource policy of the number/, async () => (await eum(primary)).policies[numberArn()] !== undefined);
      assert.equal(await vscode.commands.executeCommand('tendlc.grantSnsNumberAccess'), 'unknown', errors());
      assert.deepEqual(statementsOf((await eum(primary)).policies[numberArn()]), [numberGrant()], 'AWS did write it');
      assert.equal(errors(), '', 'not told as a failure');
      const told = ui.of('warn').map((w) => w.text).join(' | ');
      assert.match(told, /^Grant SNS Use of the Number: it is not known whether the resource policy of the number \+12065550100 was written in account 111111111111: the request was sent and its answer never came \(.+\)\. Run Grant SNS Use of the Number again \(or Check Setup\): it reads the policy as it is now and adds only what is still missing\.$/);
    } finally {
      await stub({ eumHangAfterApplying: [] });
    }
  });

  it('Grant SNS Use of the Number with a profile that declares another account than its keys: asks first, names both, writes nothing when declined', async () => {
    await eum(primary, { policies: {} });
    await setting('primaryProfile', 'primary-stale');
    try {
      ui.answer('modal', undefined);
      assert.equal(await vscode.commands.executeCommand('tendlc.grantSnsNumberAccess'), undefined);
      assert.match(
        ui.of('modal')[0]?.text ?? '',
        /^Profile "primary-stale" says account 999999999999, but its credentials belong to account 111111111111\.\nThe resource policies of \+12065550100 and of its opt-out list would be written to account 111111111111/,
      );
      assert.deepEqual((await eum(primary)).policies, {}, 'nothing was written');
    } finally {
      await setting('primaryProfile', seed.settings['tendlc.primaryProfile']);
    }
  });
});
