/**
 * Issue 10 against moto: Create or Update Cross-Account Role can never widen or drop trust silently,
 * refuses what it cannot read, validates with IAM Access Analyzer (the stub; moto lacks it), and
 * writes to the account it names. Each case reads the role back from IAM after the command.
 * Runs after extension.test.ts and before setup.test.ts (name order); it never touches the seeded role.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { SeedResult } from '../harness/seed';
import type { StubFinding } from '../harness/accessAnalyzerStub';
import { analyzer, env, waitFor } from './helpers';
import { ScriptedUi } from './scriptedUi';

const SID = 'AllowSecondaryAccountsToAssume';
const root = (a: string): string => `arn:aws:iam::${a}:root`;

function editorOf(name: string, scheme: string): vscode.TextEditor | undefined {
  return vscode.window.visibleTextEditors.find((x) => x.document.uri.scheme === scheme && x.document.uri.path.endsWith(name));
}

async function waitForEditor(name: string, scheme: string): Promise<vscode.TextEditor> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const e = editorOf(name, scheme);
    if (e) {
      return e;
    }
    if (Date.now() > deadline) {
      throw new Error(`no visible editor for ${name} (${scheme})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The left side of the diff: the current document as the extension shows it. */
async function currentShown(roleName: string, name: string): Promise<string> {
  const uri = vscode.Uri.from({ scheme: 'tendlc-policy', path: `/111111111111/${roleName}/current/${name}` });
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

/** Diagnostics reach the extension host's view of them asynchronously: wait for them (bounded). */
async function diagnosticsOf(uri: vscode.Uri): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const d = vscode.languages.getDiagnostics(uri);
    if (d.length || Date.now() > deadline) {
      return d;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Role setup never widens or drops trust silently, and writes to the account it names (extension host, moto)', function () {
  this.timeout(120_000);
  let api: TestApi;
  let seed: SeedResult;
  const ui = new ScriptedUi();
  let IAM: typeof import('@aws-sdk/client-iam');
  let iam: import('@aws-sdk/client-iam').IAMClient;
  let roleName = '';
  let n = 0;

  async function setting(key: string, value: unknown): Promise<void> {
    await vscode.workspace.getConfiguration('tendlc').update(key, value, vscode.ConfigurationTarget.Global);
  }

  /** A fresh role with this trust policy text, made the role of the settings. */
  async function roleWith(trust: string): Promise<void> {
    roleName = `tendlc-i10-${Date.now()}-${n++}`;
    await iam.send(new IAM.CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trust }));
    await setting('roleName', roleName);
  }

  async function trustText(name = roleName): Promise<string> {
    const role = await iam.send(new IAM.GetRoleCommand({ RoleName: name }));
    return decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '');
  }

  async function trustStatements(name = roleName): Promise<Record<string, unknown>[]> {
    const doc = JSON.parse(await trustText(name)) as { Statement: unknown };
    return Array.isArray(doc.Statement) ? (doc.Statement as Record<string, unknown>[]) : [doc.Statement as Record<string, unknown>];
  }

  async function roleExists(name: string): Promise<boolean> {
    try {
      await iam.send(new IAM.GetRoleCommand({ RoleName: name }));
      return true;
    } catch (e) {
      if ((e as Error).name === 'NoSuchEntity' || (e as Error).name === 'NoSuchEntityException') {
        return false;
      }
      throw e;
    }
  }

  const errors = (): string => ui.of('error').map((e) => e.text).join(' | ');

  before(async () => {
    seed = JSON.parse(fs.readFileSync(env('TENDLC_TEST_SEED'), 'utf8')) as SeedResult;
    const ext = vscode.extensions.getExtension<TestApi>('tendlc.tendlc-cross-account');
    assert.ok(ext);
    api = (await ext.activate()) as TestApi;
    api.setUi(ui);
    IAM = await import('@aws-sdk/client-iam');
    const { fromIni } = await import('@aws-sdk/credential-providers');
    iam = new IAM.IAMClient({ endpoint: env('TENDLC_MOTO_ENDPOINT'), region: 'us-east-1', credentials: fromIni({ profile: 'primary' }) });
  });
  beforeEach(async () => {
    ui.reset();
    await analyzer({ mode: 'answer', findings: [], requests: [] });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'passed') {
      assert.equal(ui.unused(), 0, 'every scripted answer was used');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setting('roleName', undefined);
    await setting('primaryProfile', seed.settings['tendlc.primaryProfile']);
    await setting('secondaryProfiles', seed.settings['tendlc.secondaryProfiles']);
  });
  after(async () => {
    await analyzer({ mode: 'answer', findings: [], requests: [] });
    iam.destroy();
  });

  // ----- The cases of the issue -------------------------------------------------------------------------------

  const legacyNoVersion = {
    Statement: [
      { Effect: 'Allow', Principal: { AWS: '333333333333' }, Action: 'sts:AssumeRole' },
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  };

  /** Runs the command with Apply, checking the diff's left side shows the document `shown` (laid out for the diff); returns the outcome. */
  async function applyExpectingCurrent(shown: string): Promise<unknown> {
    let left: string | undefined;
    ui.answer('choose', async () => {
      await waitForEditor('trust-policy.json', 'file');
      left = await currentShown(roleName, 'trust-policy.json');
      return 'Apply';
    });
    const out = await vscode.commands.executeCommand('tendlc.createRole');
    assert.deepEqual(JSON.parse(left ?? '{}'), JSON.parse(shown), 'the current side of the diff is the document as IAM holds it, not {}');
    return out;
  }

  it('a trust policy with no Version keeps 333333333333 and lambda.amazonaws.com, and says what it adds', async () => {
    await roleWith(JSON.stringify(legacyNoVersion, null, 2));
    const out = await applyExpectingCurrent(JSON.stringify(legacyNoVersion, null, 2));
    assert.equal(out, 'updated', errors());
    const after = await trustStatements();
    assert.deepEqual(after.slice(0, 2), legacyNoVersion.Statement, 'both statements are as they were');
    assert.deepEqual(after[2]?.['Principal'], { AWS: [root('222222222222'), root('444444444444')] }, '333 was already trusted; 222 and 444 are added');
    assert.equal(ui.of('modal').length, 0, 'nothing risky to confirm');
    const question = ui.of('choose')[0]?.text ?? '';
    assert.match(question, /the trust policy adds 222222222222, 444444444444/);
    assert.doesNotMatch(ui.of('info').at(-1)?.text ?? '', /removed none/);
  });

  it('a trust policy with a NotAction statement is read and kept; IAM (moto) refuses to store it again, and says so, and nothing is lost', async () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: root('333333333333') }, NotAction: 'sts:TagSession' }, legacyNoVersion.Statement[1]] };
    await roleWith(JSON.stringify(doc));
    let proposal: Record<string, unknown> = {};
    ui.answer('choose', async () => {
      const editor = await waitForEditor('trust-policy.json', 'file');
      assert.deepEqual(JSON.parse(await currentShown(roleName, 'trust-policy.json')), doc, 'the current side is the document as IAM holds it');
      proposal = JSON.parse(editor.document.getText()) as Record<string, unknown>;
      return 'Apply';
    });
    const out = await vscode.commands.executeCommand('tendlc.createRole');
    const statements = proposal['Statement'] as Record<string, unknown>[];
    assert.deepEqual(statements.slice(0, 2), doc.Statement, 'the proposal keeps the NotAction statement and lambda');
    assert.deepEqual(statements[2]?.['Principal'], { AWS: [root('222222222222'), root('444444444444')] }, '333 counts as trusted (NotAction sts:TagSession allows sts:AssumeRole)');
    // moto, like IAM, stores a trust policy only when its actions are sts:AssumeRole*: the write is refused, not the statement dropped.
    assert.equal(out, undefined);
    assert.match(errors(), /UpdateAssumeRolePolicy failed: Trust Policy statement actions can only be/);
    assert.deepEqual(JSON.parse(await trustText()), doc, 'the role keeps 333333333333 and lambda.amazonaws.com');
  });

  it('a trust policy that starts with a newline (IAM returns it URL-encoded from %0A) is read', async () => {
    const text = `\n${JSON.stringify({ Version: '2012-10-17', ...legacyNoVersion }, null, 2)}`;
    await roleWith(text);
    const raw = (await iam.send(new IAM.GetRoleCommand({ RoleName: roleName }))).Role?.AssumeRolePolicyDocument ?? '';
    assert.ok(raw.startsWith('%0A'), 'moto returns it encoded, newline first');
    assert.equal(await applyExpectingCurrent(text), 'updated', errors());
    const after = await trustStatements();
    assert.deepEqual(after.slice(0, 2), legacyNoVersion.Statement);
  });

  it('our Sid as a Deny for 444444444444 with conditions and an ec2 principal stays exactly; a new statement is added', async () => {
    const deny = {
      Sid: SID,
      Effect: 'Deny',
      Principal: { AWS: root('444444444444'), Service: 'ec2.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'partner-7' }, IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
    };
    await roleWith(JSON.stringify({ Version: '2012-10-17', Statement: [deny] }));
    ui.answer('choose', 'Apply');
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), 'updated', errors());
    const after = await trustStatements();
    assert.deepEqual(after[0], deny, 'the Deny, its ec2 principal and both conditions are unchanged');
    assert.equal(after[1]?.['Sid'], `${SID}2`);
    assert.equal(after[1]?.['Effect'], 'Allow');
    assert.match(ui.of('choose')[0]?.text ?? '', /Deny\) still refuses account 444444444444 and the service ec2\.amazonaws\.com sts:AssumeRole only when StringEquals sts:ExternalId "partner-7"/);
  });

  it('an unconditional Deny keeps 444444444444 out: it is not added, and the message says the grant would not take effect', async () => {
    const deny = { Sid: 'NoPartner', Effect: 'Deny', Principal: { AWS: '444444444444' }, Action: 'sts:AssumeRole' };
    await roleWith(JSON.stringify({ Version: '2012-10-17', Statement: [deny] }));
    ui.answer('choose', 'Apply');
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), 'updated', errors());
    const after = await trustStatements();
    assert.deepEqual(after[0], deny);
    assert.deepEqual(after[1]?.['Principal'], { AWS: [root('222222222222'), root('333333333333')] });
    assert.match(ui.of('choose')[0]?.text ?? '', /Account 444444444444 is denied sts:AssumeRole by statement "NoPartner".*would not take effect/);
  });

  it('"Principal": "*" (string form): Check Setup and Create Role work; trusting the secondaries without the organisation condition asks, per account', async () => {
    const star = { Version: '2012-10-17', Statement: { Sid: 'Org', Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } } };
    await roleWith(JSON.stringify(star));
    const report = (await vscode.commands.executeCommand('tendlc.checkSetup')) as { results: { id: string; subject: string; status: string; detail: string }[] } | undefined;
    const role = report?.results.find((r) => r.subject === 'primary' && r.id === 'role');
    assert.ok(role, `the role check ran (errors: ${errors()})`);
    assert.doesNotMatch(role.detail, /Cannot use 'in'/);
    assert.match(role.detail, /does not trust secondary-a \(222222222222\)/, 'the organisation condition is not met by our requests');
    ui.reset();
    // Decline the first widening: nothing is written.
    ui.answer('choose', 'Apply').answer('modal', undefined);
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), undefined);
    assert.match(ui.of('modal')[0]?.text ?? '', /^Risky change 1 of 3 to the trust policy of role tendlc-i10-\S+: it widens access\.\nAccount 222222222222 is allowed to call sts:AssumeRole today only when StringEquals aws:PrincipalOrgID "o-a1b2c3d4e5"/);
    assert.deepEqual(JSON.parse(await trustText()), star, 'declined: the role is unchanged');
    ui.reset();
    ui.answer('choose', 'Apply').answer('modal', 'Apply This Change', 'Apply This Change', 'Apply This Change');
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), 'updated', errors());
    const after = await trustStatements();
    assert.deepEqual(after[0], star.Statement);
    assert.deepEqual(after[1]?.['Principal'], { AWS: [root('222222222222'), root('333333333333'), root('444444444444')] });
    assert.match(ui.of('info').at(-1)?.text ?? '', /3 risky changes you confirmed/);
  });

  it('keys of 111111111111 with a stale aws_account_id = 999999999999: the dialogs name 111111111111, the role is created there, the tree shows the problem', async () => {
    const name = `tendlc-i10-stale-${Date.now()}`;
    await setting('primaryProfile', 'primary-stale');
    await setting('roleName', name);
    // Declined: nothing is written.
    ui.answer('modal', undefined);
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), undefined);
    assert.match(ui.of('modal')[0]?.text ?? '', /^Profile "primary-stale" says account 999999999999, but its credentials belong to account 111111111111\./);
    assert.equal(await roleExists(name), false);
    const node = api.deps.view.getTreeItem({ kind: 'profile', id: 'profile:primary-stale', name: 'primary-stale', group: 'primary' });
    assert.match(String(node.description), /999999999999 declared, credentials are 111111111111/);
    assert.match(String((node.iconPath as vscode.ThemeIcon).id), /warning/);
    ui.reset();
    ui.answer('modal', 'Write to Account 111111111111', 'Create Role');
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), 'created', errors());
    const [, create] = ui.of('modal');
    assert.match(create?.text ?? '', /^Create role \S+ in primary account 111111111111\?/);
    assert.match(create?.text ?? '', /declares account 999999999999/);
    assert.doesNotMatch(ui.of('info').at(-1)?.text ?? '', /999999999999/);
    assert.match(ui.of('info').at(-1)?.text ?? '', /in primary account 111111111111/);
    assert.equal(await roleExists(name), true, 'created in 111111111111 (the keys\' account), where it was said to be');
    assert.ok(!(await trustStatements(name)).some((s) => JSON.stringify(s).includes('999999999999')));
  });

  it('Generate Policies checks a stale secondary the same way: one question naming both accounts, and 999999999999 named nowhere', async () => {
    // Found by hostile review: Generate Policies (and the IaC exports, which read the same plan) took aws_account_id
    // at its word, so the generated trust named 999999999999, an account the profile's keys do not belong to.
    await setting('secondaryProfiles', ['secondary-a', 'primary-stale']);
    ui.answer('modal', undefined);
    assert.equal(await vscode.commands.executeCommand('tendlc.generatePolicies'), undefined, 'declined: nothing generated');
    ui.reset();
    ui.answer('modal', 'Use Account 111111111111');
    const out = (await vscode.commands.executeCommand('tendlc.generatePolicies')) as { trust: vscode.Uri } | undefined;
    assert.ok(out, errors());
    const asked = ui.of('modal').map((m) => m.text);
    assert.equal(asked.length, 1, asked.join(' | '));
    assert.match(asked[0] ?? '', /^Secondary profile "primary-stale" says account 999999999999, but its credentials belong to account 111111111111\./);
    const trust = (await vscode.workspace.openTextDocument(out.trust)).getText();
    assert.doesNotMatch(trust, /999999999999/);
    assert.deepEqual([JSON.parse(trust).Statement[0].Principal.AWS].flat(), [root('222222222222')]);
  });

  it('Enable Delivery Logging with the stale profile names both accounts and writes nothing until confirmed', async () => {
    await setting('primaryProfile', 'primary-stale');
    ui.answer('modal', undefined);
    assert.equal(await vscode.commands.executeCommand('tendlc.enableDeliveryLogging'), false);
    assert.match(ui.of('modal')[0]?.text ?? '', /^Profile "primary-stale" says account 999999999999, but its credentials belong to account 111111111111\.\nThe IAM role tendlc-sns-delivery-status would be written to account 111111111111/);
    assert.equal(await roleExists('tendlc-sns-delivery-status'), false);
  });

  // ----- Follow-ups: the secondaries' declared accounts, the trust policy's size, mismatches under Problems ----------

  /** The tree's Problems group, as item labels and descriptions. */
  async function problemsInTree(): Promise<string[]> {
    const view = api.deps.view;
    const group = (await view.getChildren()).find((n) => n.kind === 'problems');
    return group ? (await view.getChildren(group)).map((n) => String(view.getTreeItem(n).description ?? '')) : [];
  }

  it("a secondary whose aws_account_id is stale: checked with its own keys before the trust is written; the dialog names both accounts, nothing is written until the user answers, and the account trusted is the keys'", async () => {
    // primary-stale holds the primary's keys (111111111111) and declares 999999999999.
    const name = `tendlc-i10-sec-${Date.now()}`;
    await setting('roleName', name);
    await setting('secondaryProfiles', ['secondary-a', 'primary-stale']);
    ui.answer('modal', undefined);
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), undefined);
    assert.match(
      ui.of('modal')[0]?.text ?? '',
      /^Secondary profile "primary-stale" says account 999999999999, but its credentials belong to account 111111111111\.\nAccount 111111111111 is the primary itself, where role tendlc-i10-sec-\d+ is: it would be left out of the trust policy, not 999999999999\. aws_account_id in the profile \(\S+config:\d+\) is wrong or stale: fix it and run the command again, or use 111111111111\.$/,
    );
    assert.equal(await roleExists(name), false, 'declined: nothing was written');
    ui.reset();
    ui.answer('modal', 'Use Account 111111111111', 'Create Role');
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), 'created', errors());
    assert.match(ui.of('modal')[1]?.text ?? '', /It will trust 222222222222,.*Secondary "primary-stale" declares account 999999999999, but its credentials belong to 111111111111, the primary itself: it is left out\./s);
    const principals = (await trustStatements(name)).map((st) => st['Principal']);
    assert.deepEqual(principals, [{ AWS: root('222222222222') }], '999999999999 is not trusted');
  });

  it('a stale declared account is listed under Problems in the tree, with its file, after a write found it', async () => {
    await setting('primaryProfile', 'primary-stale');
    ui.answer('modal', undefined);
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), undefined);
    const problems = await waitFor('the mismatch under Problems', async () => {
      const p = await problemsInTree();
      return p.some((d) => d.includes('primary-stale')) && p;
    });
    assert.ok(
      problems.includes('profile "primary-stale": aws_account_id says account 999999999999, but GetCallerIdentity with its credentials answered 111111111111: writes go to 111111111111. Fix aws_account_id.'),
      JSON.stringify(problems),
    );
    const group = (await api.deps.view.getChildren()).find((n) => n.kind === 'problems');
    assert.ok(group);
    assert.match(String(api.deps.view.getTreeItem(group).description), /^[2-9]\d* in your AWS files$/, 'the malformed header and the mismatch');
  });

  it("warns before Apply when the proposed trust policy is over IAM's default 2,048 characters (as IAM counts them), and blocks it over 8,192", async () => {
    // 55 accounts: 1,959 characters as IAM counts them; the three secondaries take it over 2,048.
    const many = Array.from({ length: 55 }, (_, i) => root(String(500000000000 + i)));
    await roleWith(JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Partners', Effect: 'Allow', Principal: { AWS: many }, Action: 'sts:AssumeRole' }] }));
    ui.answer('choose', 'Cancel');
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), undefined);
    assert.match(
      ui.of('choose')[0]?.text ?? '',
      /The proposed trust policy \(trust-policy\.json\) is 2,\d{3} characters as IAM counts them \(without white space\), over IAM's default limit of 2,048 for a role trust policy: unless this account's quota "Role trust policy length" \(L-C07B4B0D in Service Quotas\) was raised \(up to 8,192\), IAM will refuse it with LimitExceeded\./,
    );
    assert.ok(!/not ready to apply/.test(ui.of('choose')[0]?.text ?? ''), 'a warning, not a block: the quota may have been raised');

    ui.reset();
    const more = Array.from({ length: 250 }, (_, i) => root(String(500000000000 + i)));
    await roleWith(JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Partners', Effect: 'Allow', Principal: { AWS: more }, Action: 'sts:AssumeRole' }] }));
    ui.answer('choose', 'Cancel');
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), undefined);
    assert.match(ui.of('choose')[0]?.text ?? '', /not ready to apply\. The proposed trust policy \(trust-policy\.json\) is 8,\d{3} characters as IAM counts them \(without white space\), over IAM's maximum for a role trust policy, 8,192 even with a quota increase/);
  });

  // ----- What cannot be read, and bad input ----------------------------------------------------------------------

  it('a trust policy it cannot read completely (a repeated key) is shown as it is with the statement to add, and nothing is written', async () => {
    const text = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"sts:AssumeRole"}]}';
    await roleWith(text);
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), 'refused');
    assert.match(errors(), /Nothing was changed: the trust policy of role \S+ cannot be read completely \(Statement 1 has the key "Effect" twice/);
    assert.equal(await currentShown(roleName, 'trust-policy.json'), text, 'the current document, verbatim');
    const add = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith('/statement-to-add-to-trust-policy.json'));
    assert.ok(add, 'the statement to add by hand is open');
    assert.deepEqual(JSON.parse(add.getText())['Principal'], { AWS: [root('222222222222'), root('333333333333'), root('444444444444')] });
    assert.equal(await trustText(), text, 'the role is unchanged');
  });

  it('an edit that cannot be read is not applied: the question says why and offers to validate again', async () => {
    await roleWith(JSON.stringify(legacyNoVersion));
    ui.answer('choose', async () => {
      const editor = await waitForEditor('trust-policy.json', 'file');
      const all = new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length));
      await editor.edit((e) => e.replace(all, '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"sts:AssumeRole",}]}'));
      return 'Apply';
    }, 'Cancel');
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), undefined);
    assert.match(ui.of('choose')[1]?.text ?? '', /not ready to apply\. The edited trust-policy\.json cannot be read: The document is not valid JSON/);
    assert.deepEqual(JSON.parse(await trustText()), legacyNoVersion, 'nothing was written');
  });

  it('a trust policy changed in IAM while the diff was open is not overwritten: nothing is written, and it says why', async () => {
    await roleWith(JSON.stringify(legacyNoVersion));
    const meanwhile = { Version: '2012-10-17', Statement: [...legacyNoVersion.Statement, { Sid: 'AddedByAColleague', Effect: 'Allow', Principal: { AWS: root('555555555555') }, Action: 'sts:AssumeRole' }] };
    ui.answer('choose', async () => {
      await waitForEditor('trust-policy.json', 'file');
      await iam.send(new IAM.UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: JSON.stringify(meanwhile) }));
      return 'Apply';
    });
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), undefined);
    assert.match(errors(), /changed in IAM while you were reviewing/);
    assert.deepEqual(JSON.parse(await trustText()), meanwhile, "the colleague's statement is still there");
  });

  // ----- IAM Access Analyzer (the stub; moto lacks it) -----------------------------------------------------------------

  it('validates the trust policy as a role trust policy and the permissions as an identity policy; an ERROR blocks Apply and shows on the line', async () => {
    const finding: StubFinding = { on: 'trust', findingType: 'ERROR', issueCode: 'INVALID_PRINCIPAL', findingDetails: 'The principal is not valid.', path: [{ value: 'Statement' }, { index: 1 }, { value: 'Principal' }, { value: 'AWS' }] };
    await analyzer({ findings: [finding] });
    await roleWith(JSON.stringify(legacyNoVersion));
    let diagnostics: vscode.Diagnostic[] = [];
    let lineText = '';
    ui.answer('choose', async () => {
      const editor = await waitForEditor('trust-policy.json', 'file');
      diagnostics = await diagnosticsOf(editor.document.uri);
      lineText = diagnostics[0] ? editor.document.lineAt(diagnostics[0].range.start.line).text : '';
      return 'Cancel';
    });
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), undefined);
    const question = ui.of('choose')[0]?.text ?? '';
    assert.match(question, /not ready to apply\. IAM Access Analyzer found an error in trust-policy\.json, which must be fixed first: error INVALID_PRINCIPAL at line \d+: The principal is not valid\./);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostics[0].source, 'IAM Access Analyzer');
    assert.match(lineText, /"AWS"|"Principal"|arn:aws:iam::333333333333:root/, `the diagnostic is on the principal (line: ${lineText})`);
    const requests = (await analyzer()).requests;
    assert.deepEqual(
      requests.map((r) => [r.policyType, r.validatePolicyResourceType]),
      [
        ['RESOURCE_POLICY', 'AWS::IAM::AssumeRolePolicyDocument'],
        ['IDENTITY_POLICY', undefined],
      ],
    );
    assert.deepEqual(JSON.parse(await trustText()), legacyNoVersion, 'nothing was written');
  });

  it('a SECURITY_WARNING needs its own confirmation', async () => {
    await analyzer({ findings: [{ on: 'identity', findingType: 'SECURITY_WARNING', issueCode: 'PASS_ROLE_WITH_STAR_IN_RESOURCE', findingDetails: 'Using a wildcard in the resource can be overly permissive.', path: [{ value: 'Statement' }, { index: 0 }, { value: 'Resource' }] }] });
    await roleWith(JSON.stringify(legacyNoVersion));
    ui.answer('choose', 'Apply').answer('modal', undefined);
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), undefined);
    assert.match(ui.of('modal')[0]?.text ?? '', /^IAM Access Analyzer has a security warning on the documents for role \S+\.\npermissions-policy\.json: security warning PASS_ROLE_WITH_STAR_IN_RESOURCE at line \d+/);
    assert.deepEqual(JSON.parse(await trustText()), legacyNoVersion, 'declined: nothing was written');
    ui.reset();
    ui.answer('choose', 'Apply').answer('modal', 'Apply Despite Warnings');
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), 'updated', errors());
  });

  it('where the endpoint does not implement ValidatePolicy (moto), it says "not validated" and why', async () => {
    await analyzer({ mode: 'absent' });
    await roleWith(JSON.stringify(legacyNoVersion));
    let info: vscode.Diagnostic[] = [];
    ui.answer('choose', async () => {
      const editor = await waitForEditor('trust-policy.json', 'file');
      info = await diagnosticsOf(editor.document.uri);
      return 'Apply';
    });
    assert.equal(await vscode.commands.executeCommand('tendlc.createRole'), 'updated', errors());
    assert.match(ui.of('choose')[0]?.text ?? '', /trust-policy\.json was not validated by IAM Access Analyzer: the endpoint http:\/\/127\.0\.0\.1:\d+ does not implement IAM Access Analyzer's ValidatePolicy/);
    assert.match(info[0]?.message ?? '', /^Not validated by IAM Access Analyzer/);
  });
});
