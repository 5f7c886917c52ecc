/**
 * Extension-host tests of the setup automation: Create or Update Role against moto's IAM, Check Setup
 * (moto, plus the SNS stub for the calls moto lacks), and the sandbox verification flow.
 * Runs after extension.test.ts (files run in name order: "extension" < "setup").
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CheckResult, SetupReport } from '../../src/aws/index';
import type { TestApi } from '../../src/extension';
import type { SeedResult } from '../harness/seed';
import { env, stub, waitFor } from './helpers';
import { ScriptedUi } from './scriptedUi';


function find(report: SetupReport | undefined, subject: string, id: string): CheckResult {
  const r = report?.results.find((x) => x.subject === subject && x.id === id);
  assert.ok(r, `check ${subject}/${id} in ${JSON.stringify(report?.results.map((x) => `${x.subject}/${x.id}`))}`);
  return r;
}

describe('Setup automation (extension host)', function () {
  this.timeout(90_000);
  let api: TestApi;
  let seed: SeedResult;
  const ui = new ScriptedUi();
  let iam: import('@aws-sdk/client-iam').IAMClient;
  let IAM: typeof import('@aws-sdk/client-iam');

  async function trustOf(roleName: string): Promise<string[]> {
    const role = await iam.send(new IAM.GetRoleCommand({ RoleName: roleName }));
    const doc = JSON.parse(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '{}')) as { Statement: { Principal?: { AWS?: string | string[] } }[] };
    return doc.Statement.flatMap((s) => (Array.isArray(s.Principal?.AWS) ? s.Principal.AWS : s.Principal?.AWS ? [s.Principal.AWS] : [])).sort();
  }

  async function setting(key: string, value: unknown): Promise<void> {
    await vscode.workspace.getConfiguration('tendlc').update(key, value, vscode.ConfigurationTarget.Global);
  }

  before(async () => {
    seed = JSON.parse(fs.readFileSync(env('TENDLC_TEST_SEED'), 'utf8')) as SeedResult;
    const ext = vscode.extensions.getExtension<TestApi>('tendlc.tendlc-cross-account');
    assert.ok(ext);
    api = (await ext.activate()) as TestApi;
    api.setUi(ui);
    IAM = await import('@aws-sdk/client-iam');
    const { fromIni } = await import('@aws-sdk/credential-providers');
    iam = new IAM.IAMClient({ endpoint: env('TENDLC_MOTO_ENDPOINT'), region: 'us-east-1', credentials: fromIni({ profile: 'primary' }) });
    // A realistic primary: a raised spend limit (moto keeps SMS attributes).
    const { SNSClient, SetSMSAttributesCommand } = await import('@aws-sdk/client-sns');
    const sns = new SNSClient({ endpoint: env('TENDLC_MOTO_ENDPOINT'), region: 'us-east-1', credentials: fromIni({ profile: 'primary' }) });
    await sns.send(
      new SetSMSAttributesCommand({
        attributes: { MonthlySpendLimit: '100', DeliveryStatusIAMRole: 'arn:aws:iam::111111111111:role/sns-delivery-logs', DeliveryStatusSuccessSamplingRate: '100' },
      }),
    );
  });
  beforeEach(() => ui.reset());
  afterEach(function () {
    if (this.currentTest?.state === 'passed') {
      assert.equal(ui.unused(), 0, 'every scripted answer was used');
    }
  });

  it('check setup finds the secondary the role does not trust, and offers Create or Update Role', async () => {
    const report = (await vscode.commands.executeCommand('tendlc.checkSetup')) as SetupReport | undefined;
    assert.ok(report, `report (errors: ${ui.of('error').map((e) => e.text).join(' | ')})`);
    assert.equal(find(report, 'primary', 'credentials').status, 'pass');
    assert.equal(find(report, 'primary', 'number').status, 'pass');
    assert.equal(find(report, 'primary', 'sandbox').status, 'pass');
    assert.equal(find(report, 'primary', 'spend-limit').status, 'pass');
    assert.equal(find(report, 'primary', 'delivery-logging').status, 'pass');
    assert.equal(find(report, 'primary', 'registration').status, 'pass');
    const role = find(report, 'primary', 'role');
    assert.equal(role.status, 'fail');
    assert.match(role.detail, /does not trust secondary-denied \(444444444444\)/);
    assert.equal(role.fix, 'createRole');
    assert.equal(find(report, 'secondary-a', 'assume').status, 'pass');
    assert.equal(find(report, 'secondary-denied', 'assume').status, 'fail');
    // The seeded role's policy lacks sns:CheckIfPhoneNumberIsOptedOut: that check is unknown, not failed.
    assert.equal(find(report, 'secondary-a', 'opt-out').status, 'unknown');
    // The tree shows the results under the profiles, with the fix as the node's command.
    const primaryNode = (await api.deps.view.getChildren((await api.deps.view.getChildren()).find((n) => n.kind === 'group' && n.group === 'primary'))).find((n) => n.kind === 'profile');
    assert.ok(primaryNode);
    const checks = await api.deps.view.getChildren(primaryNode);
    const roleItem = checks.map((n) => api.deps.view.getTreeItem(n)).find((i) => i.label === `Role ${seed.roleName}`);
    assert.ok(roleItem, 'the role check is under the primary');
    assert.equal(roleItem.command?.command, 'tendlc.createRole');
    assert.match(String((roleItem.iconPath as vscode.ThemeIcon).id), /error/);
    // The report is one virtual document, re-filled by each check: wait for this check's text (an earlier suite ran one too).
    const text = await waitFor('the Markdown report of this check', () => {
      const doc = vscode.window.visibleTextEditors.find((e) => e.document.uri.path.endsWith('setup-check.md'));
      return doc && /Role: `arn:aws:iam::111111111111:role\/tendlc-cross-account-sms`/.test(doc.document.getText()) ? doc.document.getText() : undefined;
    });
    assert.match(text, /\*\*FAIL\*\* \| Role tendlc-cross-account-sms \|/);
  });

  it('updates the existing role after the diff, keeping every principal, and a second run changes nothing', async () => {
    const before = await trustOf(seed.roleName);
    ui.answer('choose', 'Apply');
    const first = await vscode.commands.executeCommand('tendlc.createRole');
    assert.equal(first, 'updated', `errors: ${ui.of('error').map((e) => e.text).join(' | ')}`);
    assert.match(ui.of('choose')[0]?.text ?? '', /exists; this would update its trust policy/);
    const after = await trustOf(seed.roleName);
    for (const p of before) {
      assert.ok(after.includes(p), `${p} is still trusted`);
    }
    assert.ok(after.includes('arn:aws:iam::444444444444:root'), 'the missing secondary is added');
    const tags = await iam.send(new IAM.ListRoleTagsCommand({ RoleName: seed.roleName }));
    assert.ok(tags.Tags?.some((t) => t.Key === 'managed-by' && t.Value === 'tendlc-cross-account'), 'tagged as ours');
    ui.reset();
    const second = await vscode.commands.executeCommand('tendlc.createRole');
    assert.equal(second, 'unchanged');
    assert.equal(ui.of('choose').length, 0, 'no diff the second time');
    assert.deepEqual(await trustOf(seed.roleName), after);
  });

  it('removes a principal only when the user deletes it in the diff and confirms that change, in words', async () => {
    // A new secondary (web-identity, account 777777777777) makes a proposal; the user also deletes 444444444444 from it.
    await setting('secondaryProfiles', ['secondary-a', 'secondary-b', 'secondary-denied', 'web-identity']);
    try {
      ui.answer('choose', async () => {
        const editor = await waitForEditor('trust-policy.json', 'file');
        const text = editor.document.getText();
        const doc = JSON.parse(text) as { Statement: { Principal?: { AWS?: string | string[] } }[] };
        doc.Statement = doc.Statement.filter((st) => {
          const aws = st.Principal?.AWS;
          const left = (Array.isArray(aws) ? aws : aws ? [aws] : []).filter((a) => a !== 'arn:aws:iam::444444444444:root');
          if (st.Principal && aws !== undefined) {
            st.Principal.AWS = left;
          }
          return aws === undefined || left.length > 0;
        });
        const edited = JSON.stringify(doc, null, 2);
        assert.notEqual(edited, text);
        const all = new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(text.length));
        await editor.edit((e) => e.replace(all, edited));
        return 'Apply';
      });
      ui.answer('modal', 'Apply This Change');
      const out = await vscode.commands.executeCommand('tendlc.createRole');
      assert.equal(out, 'updated', `errors: ${ui.of('error').map((e) => e.text).join(' | ')}`);
      assert.match(ui.of('modal')[0]?.text ?? '', /^Risky change 1 of 1 to the trust policy of role tendlc-cross-account-sms: it takes away access\.\nAccount 444444444444 would no longer be allowed to call sts:AssumeRole by statement "AllowSecondaryAccountsToAssume"\./);
      const after = await trustOf(seed.roleName);
      assert.ok(!after.includes('arn:aws:iam::444444444444:root'));
      assert.ok(after.includes('arn:aws:iam::777777777777:root'), 'the new secondary is added');
      assert.match(ui.of('info').at(-1)?.text ?? '', /1 risky change you confirmed \(Account 444444444444 would no longer be allowed/);
    } finally {
      await setting('secondaryProfiles', seed.settings['tendlc.secondaryProfiles']);
    }
  });

  it('creates a missing role after confirmation, tagged and with the permissions policy; a second run changes nothing', async () => {
    const roleName = `tendlc-new-${Date.now()}`;
    await setting('roleName', roleName);
    await setting('secondaryProfiles', ['secondary-a', 'secondary-b']);
    try {
      ui.answer('modal', 'Allow SendTextMessage', 'Create Role');
      const created = await vscode.commands.executeCommand('tendlc.createRole');
      assert.equal(created, 'created', `errors: ${ui.of('error').map((e) => e.text).join(' | ')}`);
      assert.match(ui.of('modal')[1]?.text ?? '', new RegExp(`^Create role ${roleName} in primary account 111111111111\\?`));
      assert.deepEqual(await trustOf(roleName), ['arn:aws:iam::222222222222:root', 'arn:aws:iam::333333333333:root']);
      const policy = await iam.send(new IAM.GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'tendlc-sms-publish' }));
      assert.match(decodeURIComponent(policy.PolicyDocument ?? ''), /sns:Publish/);
      const tags = await iam.send(new IAM.ListRoleTagsCommand({ RoleName: roleName }));
      assert.ok(tags.Tags?.some((t) => t.Key === 'managed-by' && t.Value === 'tendlc-cross-account'));
      ui.reset();
      assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), 'unchanged', 'idempotent');
    } finally {
      await setting('roleName', undefined);
      await setting('secondaryProfiles', seed.settings['tendlc.secondaryProfiles']);
    }
  });

  it("the role's own SendTextMessage (the Dry Run statement) is asked on its own, in words: left out at creation, never added by an update on its own (hostile review 3)", async () => {
    const roleName = `tendlc-nodry-${Date.now()}`;
    await setting('roleName', roleName);
    await setting('secondaryProfiles', ['secondary-a', 'secondary-b']);
    const inline = async (): Promise<string> => decodeURIComponent((await iam.send(new IAM.GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'tendlc-sms-publish' }))).PolicyDocument ?? '');
    const errors = (): string => `errors: ${ui.of('error').map((e) => e.text).join(' | ')}`;
    try {
      ui.answer('modal', 'Leave It Out', 'Create Role');
      assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), 'created', errors());
      assert.match(
        ui.of('modal')[0]?.text ?? '',
        new RegExp(`^Let role ${roleName} in primary account 111111111111 also call End User Messaging's SendTextMessage, for Dry Run Send\\?\\n.*whoever assumes the role \\(accounts 222222222222, 333333333333\\) could also send real SMS through End User Messaging from the primary's numbers, billed to account 111111111111`, 's'),
      );
      assert.match(await inline(), /sns:Publish/);
      assert.doesNotMatch(await inline(), /OptionalDryRunSendTextMessage/, 'left out as asked');

      // An update never proposes the widening on its own: the role left without it stays so.
      ui.reset();
      assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), 'unchanged', errors());
      assert.doesNotMatch(await inline(), /OptionalDryRunSendTextMessage/, 'not added by an update');
    } finally {
      await setting('roleName', undefined);
      await setting('secondaryProfiles', seed.settings['tendlc.secondaryProfiles']);
    }
  });

  it('create role, then check setup: all green for the secondaries allowed to assume it', async () => {
    await setting('secondaryProfiles', ['secondary-a', 'secondary-b']);
    try {
      const out = await vscode.commands.executeCommand('tendlc.createRole');
      assert.equal(out, 'unchanged', `the role already trusts 222 and 333 (errors: ${ui.of('error').map((e) => e.text).join(' | ')})`);
      ui.reset();
      const report = (await vscode.commands.executeCommand('tendlc.checkSetup')) as SetupReport | undefined;
      assert.ok(report);
      assert.deepEqual(report.results.filter((r) => r.status !== 'pass'), [], 'every check passes');
      assert.ok(report.results.length >= 9, `${report.results.length} checks ran`);
      assert.match(ui.of('info').at(-1)?.text ?? '', /^Setup check: \d+ passed, 0 failed, 0 warnings, 0 unknown\./);
    } finally {
      await setting('secondaryProfiles', seed.settings['tendlc.secondaryProfiles']);
    }
  });

  it('reports a missing role and an absent number, each with its fix', async () => {
    await setting('roleName', 'no-such-role');
    const saved = (await stub()).state.originationNumbers;
    await stub({ originationNumbers: [] });
    try {
      const report = (await vscode.commands.executeCommand('tendlc.checkSetup')) as SetupReport | undefined;
      const role = find(report, 'primary', 'role');
      assert.equal(role.status, 'fail');
      assert.match(role.detail, /does not exist in the primary account 111111111111/);
      assert.equal(role.fix, 'createRole');
      const number = find(report, 'primary', 'number');
      assert.equal(number.status, 'fail');
      assert.match(number.detail, /is not an origination number of the primary account in us-east-1/);
      assert.equal(number.fix, 'setOriginationNumber');
      assert.match(ui.of('warn').at(-1)?.text ?? '', /^Setup check: \d+ passed, [1-9]\d* failed/);
    } finally {
      await setting('roleName', undefined);
      await stub({ originationNumbers: saved });
    }
  });

  it('in the SMS sandbox, flags an unverified destination and verifies it with the one-time password', async () => {
    await stub({ inSandbox: true, sandboxNumbers: [] });
    try {
      let report = (await vscode.commands.executeCommand('tendlc.checkSetup')) as SetupReport | undefined;
      assert.equal(find(report, 'primary', 'sandbox').status, 'warn');
      const dest = find(report, 'primary', 'sandbox-destination');
      assert.equal(dest.status, 'fail');
      assert.equal(dest.fix, 'verifySandboxNumber');
      ui.reset();
      ui.answer('input', seed.destinationNumber, (await stub()).state.otp);
      assert.equal(await vscode.commands.executeCommand('tendlc.verifySandboxNumber'), true, `errors: ${ui.of('error').map((e) => e.text).join(' | ')}`);
      const actions = (await stub()).actions;
      assert.ok(actions.includes('CreateSMSSandboxPhoneNumber') && actions.includes('VerifySMSSandboxPhoneNumber'));
      ui.reset();
      report = (await vscode.commands.executeCommand('tendlc.checkSetup')) as SetupReport | undefined;
      assert.equal(find(report, 'primary', 'sandbox-destination').status, 'pass');
    } finally {
      await stub({ inSandbox: false, sandboxNumbers: [] });
    }
  });
});

async function waitForEditor(name: string, scheme: string): Promise<vscode.TextEditor> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const e = vscode.window.visibleTextEditors.find((x) => x.document.uri.scheme === scheme && x.document.uri.path.endsWith(name));
    if (e) {
      return e;
    }
    if (Date.now() > deadline) {
      throw new Error(`no visible editor for ${name}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
