/**
 * Extension-host tests of issue 15: the second cross-account mode (tendlc.sharingMode = resourceShare),
 * end to end against moto and the loopback stub — sharing the number through its resource policy (one
 * merge with SNS's grant) or AWS RAM (invitation, acceptance), Check Setup per mode, a send billed to
 * the secondary with its own credentials, an unknown outcome, and Dry Run Send in both modes with
 * DryRun = true on the wire. Each test puts back what it changed (mode, stub state).
 * Runs after roleSafety.test.ts and before setup.test.ts (file names in order).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CheckResult, SetupReport } from '../../src/aws/index';
import type { TestApi } from '../../src/extension';
import { phoneNumberArn, primaryEumAccount, type EumAccount } from '../harness/eumStub';
import { defaultRamState, type RamState } from '../harness/ramStub';
import { ACCOUNTS, type SeedResult } from '../harness/seed';
import { env, eum, motoData, smsRecords, stub, waitFor } from './helpers';
import { ScriptedUi } from './scriptedUi';

const PRIMARY = ACCOUNTS.primary;
const A = ACCOUNTS.secondaryA;
const B = ACCOUNTS.secondaryB;
const DENIED = ACCOUNTS.denied;

function find(report: SetupReport | undefined, subject: string, id: string): CheckResult {
  const r = report?.results.find((x) => x.subject === subject && x.id === id);
  assert.ok(r, `check ${subject}/${id} in ${JSON.stringify(report?.results.map((x) => `${x.subject}/${x.id}`))}`);
  return r;
}

/** The confirmation's button: "Send Again" when the destination got a test a moment ago, or one whose outcome is unknown. */
const sendOrAgain = (q: string): string => (/^(You sent|A test SMS to \S+ \d+ s ago may have been sent)/.test(q) ? 'Send Again' : 'Send SMS');

const empty = (): EumAccount => ({ region: 'us-east-1', numbers: [], registrations: [], optOutLists: [], policies: {} });
/** Back to how the stub starts an account: what a test added (sends, charges, faults) removed. */
const cleared = (base: EumAccount): EumAccount => ({ ...base, ...({ texts: null, spent: null, sendFault: null, spendLimit: null, tier: null, optedOut: null } as unknown as Partial<EumAccount>) });

async function ram(state?: RamState): Promise<RamState> {
  return (await stub(state ? { ram: state } : undefined)).state.ram;
}

describe('Sharing through End User Messaging: the resourceShare mode and Dry Run Send (extension host)', function () {
  this.timeout(120_000);
  let api: TestApi;
  let seed: SeedResult;
  const ui = new ScriptedUi();
  const pristine = () => primaryEumAccount(PRIMARY, seed.originationNumber);
  const numberArn = () => phoneNumberArn(PRIMARY, 'us-east-1', pristine().numbers[0]);

  async function setting(key: string, value: unknown): Promise<void> {
    await vscode.workspace.getConfiguration('tendlc').update(key, value, vscode.ConfigurationTarget.Global);
  }

  async function checkSetup(): Promise<SetupReport> {
    const report = (await vscode.commands.executeCommand('tendlc.checkSetup')) as SetupReport | undefined;
    assert.ok(report, `report (errors: ${ui.of('error').map((e) => e.text).join(' | ')})`);
    return report;
  }

  /** The tree item of a secondary profile, as VS Code would draw it now. */
  async function secondaryItem(name: string): Promise<vscode.TreeItem> {
    const view = api.deps.view;
    const group = (await view.getChildren()).find((n) => n.kind === 'group' && n.group === 'secondary');
    const node = (await view.getChildren(group)).find((n) => n.kind === 'profile' && n.name === name);
    assert.ok(node, `node of ${name}`);
    return view.getTreeItem(node);
  }

  before(async () => {
    seed = JSON.parse(fs.readFileSync(env('TENDLC_TEST_SEED'), 'utf8')) as SeedResult;
    const ext = vscode.extensions.getExtension<TestApi>('tendlc.tendlc-cross-account');
    assert.ok(ext);
    api = (await ext.activate()) as TestApi;
    api.setUi(ui);
  });
  beforeEach(() => ui.reset());
  afterEach(async function () {
    await setting('sharingMode', undefined);
    await eum(PRIMARY, cleared(pristine()));
    for (const a of [A, B, DENIED]) {
      await eum(a, cleared(empty()));
    }
    await ram(defaultRamState());
    // The next suite starts without this one's recent sends (an old send is outside the repeat window).
    api.deps.recentSends.record(seed.destinationNumber, new Date(0));
    if (this.currentTest?.state === 'passed') {
      assert.equal(ui.unused(), 0, 'every scripted answer was used');
    }
  });

  it('role mode: Dry Run Send goes through the assumed role with DryRun = true, asks nothing about billing, and says nothing was sent or billed', async () => {
    const text = `dry run role ${Date.now()}`;
    ui.answer('input', seed.destinationNumber, text);
    const out = (await vscode.commands.executeCommand('tendlc.dryRunSms', 'secondary-a')) as { result: { outcome: string; billedAccountId: string; originationIdentity: string } } | undefined;
    assert.ok(out, `dry run (errors: ${ui.of('error').map((e) => e.text).join(' | ')})`);
    assert.equal(out.result.outcome, 'passed');
    assert.equal(ui.of('modal').length, 0, 'a dry run asks no billing question');
    const info = ui.of('info').map((i) => i.text).join('\n');
    assert.match(info, /^Dry run passed: AWS checked and validated a TRANSACTIONAL message from \+12065550100 to \S+0123 as arn:aws:sts::111111111111:assumed-role\//m);
    assert.match(info, /It was not sent and not billed \(a real send would be billed to account 111111111111\)/);
    // On the wire: the role (in the primary account) called SendTextMessage with DryRun true, and nothing was sent.
    const texts = (await eum(PRIMARY)).texts ?? [];
    const mine = texts.filter((t) => t.body === text);
    assert.deepEqual(mine.map((t) => [t.dryRun, t.originationIdentity, t.messageType]), [[true, numberArn(), 'TRANSACTIONAL']]);
    assert.equal((await eum(PRIMARY)).spent, undefined, 'not charged');
    assert.equal(smsRecords(await motoData()).filter((r) => r.message === text).length, 0, 'no SNS Publish either');
    const report = (await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'tendlc-policy', path: '/dry-run/dry-run.md' }))).getText();
    assert.match(report, /\*\*Nothing was sent and nothing was billed\*\*: SendTextMessage ran with `DryRun = true`/);
    assert.match(report, /\| PASS \| SNS may send through the number \|/);
  });

  it('role mode: a dry run AWS refuses is its result (nothing sent), with why', async () => {
    const arn = numberArn();
    await eum(PRIMARY, {
      policies: { ...pristine().policies, [arn]: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${PRIMARY}:root` }, Action: 'sms-voice:SendTextMessage', Resource: arn }] }) },
    });
    ui.answer('input', seed.destinationNumber, `dry run refused ${Date.now()}`);
    const out = (await vscode.commands.executeCommand('tendlc.dryRunSms', 'secondary-a')) as { result: { outcome: string } } | undefined;
    assert.equal(out?.result.outcome, 'refused');
    assert.match(
      ui.of('warn').map((w) => w.text).join('\n'),
      /^Dry run refused by AWS: AWS refused SendTextMessage with profile "secondary-a → role": the identity may not call it\. \(User: arn:aws:iam::111111111111:root is not authorized to perform: sms-voice:SendTextMessage on resource: \S+ with an explicit deny in a resource-based policy\) The role needs sms-voice:SendTextMessage on the number .* Nothing was sent or billed\./m,
    );
  });

  it('resourceShare: before sharing, Check Setup says the number is not shared with each secondary, and a send stops before any question', async () => {
    ui.answer('pick', 'resourceShare');
    assert.equal(await vscode.commands.executeCommand('tendlc.chooseSharingMode'), 'resourceShare');
    assert.equal(vscode.workspace.getConfiguration('tendlc').inspect('sharingMode')?.globalValue, 'resourceShare', 'written to user settings');
    ui.reset();
    const report = await checkSetup();
    assert.equal(report.roleArn, undefined, 'no role in this mode');
    assert.equal(report.results.some((r) => r.id === 'role' || r.id === 'assume' || r.id === 'sns-number-access'), false, 'role-mode checks do not run');
    const sharing = find(report, 'secondary-a', 'sharing');
    assert.equal(sharing.status, 'fail');
    assert.equal(sharing.fix, 'shareNumber');
    assert.match(sharing.detail, /^The number's resource policy does not grant account 222222222222 SendTextMessage; no RAM resource share of the primary holds the number for account 222222222222\./);
    const visible = find(report, 'secondary-a', 'shared-number');
    assert.equal(visible.status, 'fail');
    assert.match(visible.detail, /^\+12065550100 is not shared with account 222222222222 in us-east-1 \(DescribePhoneNumbers Owner = SHARED does not list it\)/);
    assert.equal(find(report, 'secondary-a', 'consumer-spend-limit').status, 'pass');
    assert.match((await secondaryItem('secondary-a')).description as string, /^number not shared · /);
    // The group labels say which mode this is.
    const view = api.deps.view;
    const groups = (await view.getChildren()).filter((n) => n.kind === 'group').map((n) => view.getTreeItem(n));
    assert.deepEqual(groups.slice(0, 2).map((g) => g.description), ['+12065550100 · shares the number', '3 · own credentials, each pays']);

    ui.reset();
    ui.answer('input', seed.destinationNumber, `not shared ${Date.now()}`);
    assert.equal(await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-a'), undefined);
    assert.equal(ui.of('modal').length, 0, 'no confirmation: there is no ARN to send from');
    assert.match(ui.of('error')[0]?.text ?? '', /^\+\*{7}0100 is not shared with account 222222222222 in us-east-1 \(DescribePhoneNumbers Owner = SHARED does not list it\)/);
  });

  it('resourceShare: Share the Number adds the secondaries to the resource policy beside SNS\'s grant; then each sees it, and a send is billed to the secondary', async () => {
    await setting('sharingMode', 'resourceShare');
    ui.answer('choose', 'Apply');
    const outcome = (await vscode.commands.executeCommand('tendlc.createRole')) as { status: string; written: string[] } | undefined;
    assert.equal(outcome?.status, 'updated', `errors: ${ui.of('error').map((e) => e.text).join(' | ')}`);
    const question = ui.of('choose')[0]?.text ?? '';
    assert.match(question, /^Share the Number in account 111111111111: this would update the resource policies of the number \+12065550100 \(adds 222222222222, 333333333333, 444444444444\) and its opt-out list Default \(adds 222222222222, 333333333333, 444444444444\)\./);
    assert.match(question, /each message is billed to the account that sends it, not to 111111111111/);
    const policies = (await eum(PRIMARY)).policies;
    const doc = JSON.parse(policies[numberArn()]) as { Statement: { Sid: string; Principal: unknown; Action: unknown }[] };
    assert.deepEqual(
      doc.Statement.map((s) => [s.Sid, s.Principal, s.Action]),
      [
        ['SnsAccess', { Service: 'sns.amazonaws.com' }, ['sms-voice:SendTextMessage']],
        [
          'AllowSecondaryAccountsToSendThroughThisNumber',
          { AWS: [A, B, DENIED].map((a) => `arn:aws:iam::${a}:root`) },
          ['sms-voice:SendTextMessage', 'sms-voice:DescribePhoneNumbers'],
        ],
      ],
      "SNS's grant is kept, the share is added",
    );

    // Running it again changes nothing.
    ui.reset();
    const again = (await vscode.commands.executeCommand('tendlc.shareNumber')) as { status: string } | undefined;
    assert.equal(again?.status, 'unchanged');

    ui.reset();
    const report = await checkSetup();
    assert.equal(find(report, 'secondary-a', 'sharing').status, 'pass');
    assert.match(find(report, 'secondary-a', 'sharing').detail, /^The number's resource policy lets account 222222222222 call SendTextMessage on it \(Sid AllowSecondaryAccountsToSendThroughThisNumber\)/);
    const visible = find(report, 'secondary-b', 'shared-number');
    assert.equal(visible.status, 'pass');
    assert.equal(visible.detail, `+12065550100 is shared with account ${B} in us-east-1 (DescribePhoneNumbers Owner = SHARED): ${numberArn()}.`);
    assert.equal(find(report, 'secondary-a', 'opt-out').status, 'pass', 'the shared opt-out list can be read');
    assert.match((await secondaryItem('secondary-a')).description as string, /^number shared ✓ · (assumed · \d+ min left · )?222222222222 · /);

    ui.reset();
    const text = `shared send ${Date.now()}`;
    ui.answer('input', seed.destinationNumber, text).answer('modal', sendOrAgain);
    const sent = (await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-a')) as { messageId: string; billedAccountId: string } | undefined;
    assert.ok(sent, `sent (errors: ${ui.of('error').map((e) => e.text).join(' | ')})`);
    assert.equal(sent.billedAccountId, A);
    const modal = ui.of('modal')[0]?.text ?? '';
    assert.match(modal, /^Send a test SMS billed to secondary account 222222222222 \(secondary-a\)\?/, 'no recent send: each test starts clean');
    assert.match(modal, /From: \+12065550100 \(10DLC, shared by primary account 111111111111, us-east-1\)/);
    assert.match(modal, /AWS charges this message to secondary account 222222222222 \(secondary-a\), not to the primary 111111111111, and it counts against account 222222222222's monthly SMS spend limit \(\$100\)\./);
    assert.match(modal, /✓ Shared number visible:/);
    assert.doesNotMatch(modal, /\+12065550123/, 'the destination is masked');
    const texts = ((await eum(A)).texts ?? []).filter((t) => t.body === text);
    assert.deepEqual(texts.map((t) => [t.originationIdentity, t.owner, t.dryRun, t.messageId]), [[numberArn(), PRIMARY, undefined, sent.messageId]]);
    assert.equal((await eum(A)).spent, 0.01, 'billed to the secondary');
    assert.equal((await eum(PRIMARY)).spent, undefined, 'not to the primary');
    assert.equal(smsRecords(await motoData()).filter((r) => r.message === text).length, 0, 'not through SNS');
    const record = api.deps.history.find(sent.messageId);
    assert.deepEqual([record?.via, record?.billedAccountId, record?.status], ['eum', A, 'unknown']);
    assert.match(record?.detail ?? '', /configuration set's event destinations in account 222222222222, not through SNS's delivery-status logs/);

    // A dry run from the secondary: DryRun true on the wire, nothing charged.
    ui.reset();
    const dry = `shared dry run ${Date.now()}`;
    ui.answer('input', seed.destinationNumber, dry);
    const out = (await vscode.commands.executeCommand('tendlc.dryRunSms', 'secondary-a')) as { result: { outcome: string; caller: string } } | undefined;
    assert.equal(out?.result.outcome, 'passed');
    assert.match(out?.result.caller ?? '', /^arn:aws:iam::222222222222:user\//);
    assert.deepEqual(((await eum(A)).texts ?? []).filter((t) => t.body === dry).map((t) => t.dryRun), [true]);
    assert.equal((await eum(A)).spent, 0.01, 'the dry run cost nothing');
    assert.equal(ui.of('modal').length, 0);
  });

  it('resourceShare: a send whose answer is lost after it went out is told as unknown, billed to the secondary if sent', async () => {
    await setting('sharingMode', 'resourceShare');
    const arn = numberArn();
    await eum(PRIMARY, { policies: { ...pristine().policies, [arn]: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: ['sms-voice:SendTextMessage', 'sms-voice:DescribePhoneNumbers'], Resource: arn }] }) } });
    await eum(A, { ...empty(), sendFault: 'internal-error' });
    const text = `unknown ${Date.now()}`;
    ui.answer('input', seed.destinationNumber, text).answer('modal', sendOrAgain);
    assert.equal(await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-a'), undefined);
    assert.equal(ui.of('error').length, 0, 'not reported as a failure');
    assert.match(ui.of('warn')[0]?.text ?? '', /^The outcome of the test SMS to \S+0123 is unknown: .* It may have been sent, and billed to secondary account 222222222222\. Do not send again until you know/);
    assert.equal(((await eum(A)).texts ?? []).filter((t) => t.body === text).length, 1, 'one attempt, never retried');
  });

  it('resourceShare through AWS RAM: share, the invitation state per secondary, Accept Invitation, then the send goes out', async () => {
    await setting('sharingMode', 'resourceShare');
    ui.answer('modal', 'Share Number');
    const shared = (await vscode.commands.executeCommand('tendlc.shareNumberRam')) as { status: string; invited: string[] } | undefined;
    assert.deepEqual([shared?.status, shared?.invited], ['created', [A, B, DENIED]], `errors: ${ui.of('error').map((e) => e.text).join(' | ')}`);
    assert.match(ui.of('modal')[0]?.text ?? '', /^Share \+12065550100 through AWS RAM from primary account 111111111111 with accounts 222222222222, 333333333333, 444444444444\?/);
    const state = await ram();
    assert.deepEqual(state.shares.map((s) => [s.name, s.owner, s.resources, s.principals.map((p) => [p.id, p.status])]), [
      ['tendlc-10dlc-12065550100', PRIMARY, [numberArn()], [[A, 'ASSOCIATING'], [B, 'ASSOCIATING'], [DENIED, 'ASSOCIATING']]],
    ]);

    ui.reset();
    let report = await checkSetup();
    const pending = find(report, 'secondary-a', 'sharing');
    assert.equal(pending.status, 'warn');
    assert.equal(pending.fix, 'acceptInvitation');
    assert.match(pending.detail, /RAM resource share tendlc-10dlc-12065550100 invites account 222222222222, and the invitation is not accepted yet \(ASSOCIATING\)/);
    const notYet = find(report, 'secondary-a', 'shared-number');
    assert.equal(notYet.status, 'fail');
    assert.equal(notYet.fix, 'acceptInvitation');
    assert.match(notYet.detail, /the RAM invitation to resource share tendlc-10dlc-12065550100 from primary account 111111111111 is PENDING/);
    // The failed check's node runs Accept Invitation for that very secondary.
    const view = api.deps.view;
    const node = (await view.getChildren(await (async () => {
      const group = (await view.getChildren()).find((n) => n.kind === 'group' && n.group === 'secondary');
      return (await view.getChildren(group)).find((n) => n.kind === 'profile' && n.name === 'secondary-a');
    })())).map((n) => view.getTreeItem(n)).find((i) => i.label === 'Shared number visible');
    assert.deepEqual([node?.command?.command, node?.command?.arguments], ['tendlc.acceptInvitation', ['secondary-a']]);

    ui.reset();
    ui.answer('modal', 'Accept Invitation');
    const accepted = (await vscode.commands.executeCommand('tendlc.acceptInvitation', 'secondary-a')) as { status: string } | undefined;
    assert.equal(accepted?.status, 'accepted', `errors: ${ui.of('error').map((e) => e.text).join(' | ')}`);
    assert.match(ui.of('modal')[0]?.text ?? '', /^Accept the invitation to resource share tendlc-10dlc-12065550100 from primary account 111111111111, as account 222222222222 \(secondary-a\)\?\nAccount 222222222222 can then send SMS .* billed to account 222222222222/);
    assert.deepEqual((await ram()).invitations.map((i) => [i.receiver, i.status]), [[A, 'ACCEPTED'], [B, 'PENDING'], [DENIED, 'PENDING']]);

    ui.reset();
    report = await checkSetup();
    assert.equal(find(report, 'secondary-a', 'sharing').status, 'pass');
    assert.match(find(report, 'secondary-a', 'sharing').detail, /RAM resource share tendlc-10dlc-12065550100 holds the number for account 222222222222 \(ASSOCIATED\)/);
    assert.equal(find(report, 'secondary-a', 'shared-number').status, 'pass');
    assert.equal(find(report, 'secondary-b', 'shared-number').status, 'fail');

    ui.reset();
    const text = `ram send ${Date.now()}`;
    ui.answer('input', seed.destinationNumber, text).answer('modal', sendOrAgain);
    const sent = (await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-a')) as { billedAccountId: string } | undefined;
    assert.equal(sent?.billedAccountId, A, `errors: ${ui.of('error').map((e) => e.text).join(' | ')}`);

    // Sharing again adds nobody; accepting again finds nothing pending.
    ui.reset();
    assert.equal(((await vscode.commands.executeCommand('tendlc.shareNumberRam')) as { status: string } | undefined)?.status, 'unchanged');
    const noneLeft = (await vscode.commands.executeCommand('tendlc.acceptInvitation', 'secondary-a')) as { status: string } | undefined;
    assert.equal(noneLeft?.status, 'none');
    assert.match(ui.of('info').at(-1)?.text ?? '', /has no pending RAM invitation from primary account 111111111111 in us-east-1 \(tendlc-10dlc-12065550100: ACCEPTED\)/);
  });

  it('resourceShare: the role-mode-only commands (exports, Grant SNS Use of the Number, delivery-status logging) stop, naming the mode and what to use instead; nothing is written', async () => {
    await setting('sharingMode', 'resourceShare');
    await waitFor('resourceShare mode', () => api.deps.state.settings.sharingMode === 'resourceShare');
    const policiesBefore = JSON.stringify((await eum(PRIMARY)).policies ?? {});
    for (const [command, title, failed] of [
      ['tendlc.exportCloudFormation', 'Export as CloudFormation', undefined],
      ['tendlc.exportTerraform', 'Export as Terraform', undefined],
      ['tendlc.grantSnsNumberAccess', 'Grant SNS Use of the Number', undefined],
      ['tendlc.enableDeliveryLogging', 'Enable Delivery-Status Logging', false],
    ] as const) {
      ui.reset();
      assert.equal(await vscode.commands.executeCommand(command), failed, title);
      const errors = ui.of('error').map((e) => e.text);
      assert.equal(errors.length, 1, `${title}: ${errors.join(' | ')}`);
      assert.match(errors[0], new RegExp(`^${title} is for role mode \\(secondaries assume the role \\S+ and call SNS Publish, billed to the primary\\); tendlc\\.sharingMode is resourceShare\\.`));
      assert.equal(ui.of('modal').length, 0, `${title}: nothing proposed`);
    }
    assert.equal(JSON.stringify((await eum(PRIMARY)).policies ?? {}), policiesBefore, 'no resource policy written');
  });

  it("resourceShare through AWS RAM: a share the number is already in but this extension did not make is left alone (it may hold other resources); the number's own share is created", async () => {
    await setting('sharingMode', 'resourceShare');
    const otherResource = 'arn:aws:sms-voice:us-east-1:111111111111:sender-id/OTHERCO/US';
    const foreign = { arn: 'arn:aws:ram:us-east-1:111111111111:resource-share/foreign', name: 'team-shared-identities', owner: PRIMARY, region: 'us-east-1', allowExternalPrincipals: true, resources: [numberArn(), otherResource], principals: [{ id: '555555555555', status: 'ASSOCIATED' as const }], created: Date.now() };
    await ram({ ...defaultRamState(), shares: [foreign] });
    ui.answer('modal', 'Share Number');
    const shared = (await vscode.commands.executeCommand('tendlc.shareNumberRam')) as { status: string; invited: string[] } | undefined;
    assert.deepEqual([shared?.status, shared?.invited], ['created', [A, B, DENIED]], `errors: ${ui.of('error').map((e) => e.text).join(' | ')}`);
    assert.match(ui.of('modal')[0]?.text ?? '', /^Share \+12065550100 through AWS RAM from primary account 111111111111 with accounts /);
    const state = await ram();
    const after = state.shares.find((s) => s.arn === foreign.arn);
    assert.deepEqual([after?.resources, after?.principals.map((p) => p.id)], [[numberArn(), otherResource], ['555555555555']], 'the foreign share is unchanged');
    assert.deepEqual(state.shares.filter((s) => s.arn !== foreign.arn).map((s) => [s.name, s.resources]), [['tendlc-10dlc-12065550100', [numberArn()]]]);
  });

  it('resourceShare: Generate Policies shows the merged number policy, the opt-out list\'s and each secondary\'s identity policy; Assume Role says it is not used', async () => {
    await setting('sharingMode', 'resourceShare');
    const out = (await vscode.commands.executeCommand('tendlc.generatePolicies')) as { guide: vscode.Uri; numberPolicy: vscode.Uri; optOutListPolicy: vscode.Uri; secondary: vscode.Uri } | undefined;
    assert.ok(out?.secondary, `generated (errors: ${ui.of('error').map((e) => e.text).join(' | ')})`);
    const text = async (u: vscode.Uri): Promise<string> => (await vscode.workspace.openTextDocument(u)).getText();
    const number = JSON.parse(await text(out.numberPolicy)) as { Statement: { Sid: string }[] };
    assert.deepEqual(number.Statement.map((s) => s.Sid), ['SnsAccess', 'AllowSecondaryAccountsToSendThroughThisNumber'], "SNS's grant kept, the share added");
    const secondary = JSON.parse(await text(out.secondary)) as { Statement: { Sid: string; Action: unknown; Resource: unknown }[] };
    assert.deepEqual(secondary.Statement[0], { Sid: 'SendThroughSharedNumber', Effect: 'Allow', Action: 'sms-voice:SendTextMessage', Resource: numberArn() });
    const guide = await text(out.guide);
    assert.match(guide, /Each secondary — \*\*222222222222\*\*, \*\*333333333333\*\*, \*\*444444444444\*\* — sends with its \*\*own\*\* credentials/);
    assert.match(guide, /- The number has a resource policy today; the file is that document with the share added for accounts 222222222222, 333333333333, 444444444444 \(every statement there, SNS's grant included, kept as it is\)\./);
    assert.ok(guide.includes(`aws ram create-resource-share --profile primary --region us-east-1 --name tendlc-10dlc-12065550100 --resource-arns ${numberArn()} --principals ${A} ${B} ${DENIED} --allow-external-principals`), guide);
    assert.ok(guide.includes(`--origination-identity ${numberArn()} --destination-phone-number +1XXXXXXXXXX --message-body "test" --message-type TRANSACTIONAL --dry-run`));

    ui.reset();
    assert.equal(await vscode.commands.executeCommand('tendlc.assumeRole', 'secondary-a'), undefined);
    assert.match(ui.of('error')[0]?.text ?? '', /^Secondaries do not assume a role in resourceShare mode/);
  });
});
