/**
 * Extension-host tests: the real extension in VS Code (code-server here, desktop under
 * @vscode/test-electron), against moto seeded by test/harness/seed.ts. The harness passes
 * TENDLC_TEST_SEED (the seed result without secrets), TENDLC_TEST_SECRETS (JSON array of every seeded
 * key, to scan for) and TENDLC_MOTO_ENDPOINT in the environment.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Node } from '../../src/ui/profilesView';
import type { SeedResult } from '../harness/seed';
import { env, motoData, smsRecords, waitFor } from './helpers';
import { ScriptedUi } from './scriptedUi';

const EXTENSION_ID = 'tendlc.tendlc-cross-account';

/** The form parameters of every Publish moto recorded (it keeps raw requests, not message attributes). */
async function recordedPublishes(): Promise<URLSearchParams[]> {
  const res = await fetch(`${env('TENDLC_MOTO_ENDPOINT')}/moto-api/recorder/download-recording`);
  const lines = (await res.text()).split('\n').filter(Boolean);
  return lines
    .map((l) => JSON.parse(l) as { method: string; body: string; body_encoded: boolean })
    .filter((r) => r.method === 'POST' && r.body)
    .map((r) => new URLSearchParams(r.body_encoded ? Buffer.from(r.body, 'base64').toString('utf8') : r.body))
    .filter((p) => p.get('Action') === 'Publish');
}

/** MessageAttributes.entry.N.{Name,Value.DataType,Value.StringValue} → { name: [type, value] }. */
function messageAttributes(p: URLSearchParams): Record<string, [string | null, string | null]> {
  const out: Record<string, [string | null, string | null]> = {};
  for (let i = 1; p.has(`MessageAttributes.entry.${i}.Name`); i++) {
    out[p.get(`MessageAttributes.entry.${i}.Name`) ?? ''] = [p.get(`MessageAttributes.entry.${i}.Value.DataType`), p.get(`MessageAttributes.entry.${i}.Value.StringValue`)];
  }
  return out;
}

describe('10DLC Cross-Account Access (extension host)', function () {
  this.timeout(90_000);
  let api: TestApi;
  let seed: SeedResult;
  let secrets: string[];
  const ui = new ScriptedUi();
  const generatedDocs: string[] = [];
  let fileHashes: Record<string, string>;
  const hashFiles = () => Object.fromEntries([seed.configPath, seed.credentialsPath].map((f) => [f, createHash('sha256').update(fs.readFileSync(f)).digest('hex')]));

  before(async () => {
    seed = JSON.parse(fs.readFileSync(env('TENDLC_TEST_SEED'), 'utf8')) as SeedResult;
    secrets = JSON.parse(env('TENDLC_TEST_SECRETS')) as string[];
    const ext = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    api = (await ext.activate()) as TestApi;
    assert.ok(api?.deps, 'activate() returns the test API in ExtensionMode.Test');
    api.setUi(ui);
    fileHashes = hashFiles();
  });

  beforeEach(() => ui.reset());
  afterEach(function () {
    if (this.currentTest?.state === 'passed') {
      assert.equal(ui.unused(), 0, 'every scripted answer was used');
    }
  });

  async function children(parent?: Node): Promise<Node[]> {
    return api.deps.view.getChildren(parent);
  }

  async function groupNames(group: 'primary' | 'secondary' | 'other'): Promise<string[]> {
    const roots = await children();
    const g = roots.find((n) => n.kind === 'group' && n.group === group);
    assert.ok(g, `group ${group} is shown`);
    return (await children(g)).filter((n) => n.kind === 'profile').map((n) => (n.kind === 'profile' ? n.name : ''));
  }

  it('shows every seeded profile in its group', async () => {
    for (const group of ['primary', 'secondary', 'other'] as const) {
      const shown = (await groupNames(group)).sort();
      const expected = seed.profiles.filter((p) => p.expectedGroup === group).map((p) => p.name).sort();
      assert.deepEqual(shown, expected, `${group} group`);
    }
  });

  it('shows the account id of each profile (declared, or looked up with GetCallerIdentity)', async () => {
    for (const expected of seed.profiles.filter((p) => p.expectedAccountId)) {
      const profile = api.deps.state.profile(expected.name);
      assert.ok(profile, expected.name);
      const id = await waitFor(`account id of ${expected.name}`, async () => {
        if (profile.declaredAccountId) {
          return profile.declaredAccountId;
        }
        if (profile.interactive) {
          return 'skip';
        }
        await children((await children()).find((n) => n.kind === 'group' && n.group === expected.expectedGroup));
        const s = (await api.deps.aws.get()).accounts.peek(profile);
        return s?.status === 'known' ? s.accountId : s?.status === 'error' ? `error: ${s.reason}` : undefined;
      });
      if (id !== 'skip') {
        assert.equal(id, expected.shownAccountId ?? expected.expectedAccountId, expected.name);
      }
      const item = api.deps.view.getTreeItem({ kind: 'profile', id: `profile:${expected.name}`, name: expected.name, group: expected.expectedGroup });
      if (id !== 'skip') {
        assert.match(String(item.description), new RegExp(expected.shownAccountId ?? expected.expectedAccountId ?? 'x'), `tree shows the id of ${expected.name}`);
      }
    }
  });

  it('never looks up MFA, SSO or credential_process profiles in the background', async () => {
    await children((await children()).find((n) => n.kind === 'group' && n.group === 'other'));
    const services = await api.deps.aws.get();
    for (const name of ['mfa-role', 'sso-dev', 'process-creds']) {
      const p = api.deps.state.profile(name);
      if (p) {
        const s = services.accounts.peek(p);
        assert.ok(p.declaredAccountId || s === undefined || s.status === 'deferred', `${name} was not looked up (${JSON.stringify(s)})`);
      }
    }
  });

  it('reports the broken section with file and line, and keeps the profiles after it', async () => {
    const roots = await children();
    const problems = roots.find((n) => n.kind === 'problems');
    assert.ok(problems, 'a Problems group is shown');
    const items = await children(problems);
    const hit = items.find((n) => n.kind === 'problem' && n.file === seed.brokenLine.file && n.line === seed.brokenLine.line);
    assert.ok(hit, `problem at ${seed.brokenLine.file}:${seed.brokenLine.line} among ${JSON.stringify(items)}`);
    const all = api.deps.state.profiles?.profiles.map((p) => p.name) ?? [];
    for (const p of seed.profiles) {
      assert.ok(all.includes(p.name), `${p.name} still listed`);
    }
  });

  it('lists a role the SDK cannot resolve under Problems like any other profile problem, and never looks it up', async () => {
    // A copy of the seeded config with three more profiles, read through AWS_CONFIG_FILE (the seeded files stay as
    // they are: another test checks the extension never writes them).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tendlc-host-chain-'));
    const copy = path.join(dir, 'config');
    fs.writeFileSync(
      copy,
      `${fs.readFileSync(seed.configPath, 'utf8')}\n` +
        '[profile half-keys]\naws_access_key_id = half-keys-id-only\n\n' +
        `[profile via-half-keys]\nrole_arn = arn:aws:iam::${'2'.repeat(12)}:role/x\nsource_profile = half-keys\n\n` +
        // An account id of 5 digits: no account is read from the profile, and the role cannot be assumed.
        '[profile bad-arn]\nrole_arn = arn:aws:iam::12345:role/x\nsource_profile = secondary-a\n',
    );
    const original = process.env.AWS_CONFIG_FILE;
    process.env.AWS_CONFIG_FILE = copy;
    try {
      await vscode.commands.executeCommand('tendlc.refreshProfiles');
      assert.ok(api.deps.state.profile('bad-arn'), 'the copy is loaded');
      const problems = (await children()).find((n) => n.kind === 'problems');
      assert.ok(problems, 'a Problems group is shown');
      const messages = (await children(problems)).flatMap((n) => (n.kind === 'problem' ? [`${n.file}:${n.line}: ${n.message}`] : []));
      const at = (name: string) => `${copy}:${api.deps.state.profile(name)!.locations[0].line}: profile "${name}": `;
      assert.ok(
        messages.includes(`${at('via-half-keys')}source profile "half-keys" has aws_access_key_id but no aws_secret_access_key. Add aws_secret_access_key to it, or set source_profile to a profile with both keys.`),
        messages.join('\n'),
      );
      assert.ok(messages.includes(`${at('half-keys')}has aws_access_key_id but no aws_secret_access_key. Add aws_secret_access_key, or remove aws_access_key_id.`), messages.join('\n'));
      assert.ok(messages.some((m) => m.startsWith(`${at('bad-arn')}role_arn "arn:aws:iam::12345:role/x" is not an IAM role ARN`)), messages.join('\n'));
      // Shown in Other, and never looked up in the background: the tree says why instead.
      await children((await children()).find((n) => n.kind === 'group' && n.group === 'other'));
      const services = await api.deps.aws.get();
      const badArn = api.deps.state.profile('bad-arn')!;
      assert.equal(services.accounts.peek(badArn), undefined, 'no lookup was started for bad-arn');
      assert.equal((await services.accounts.resolve(badArn, { interactive: false })).status, 'error', 'a background lookup refuses it');
      assert.equal(services.accounts.peek(badArn), undefined, 'and starts nothing');
      const item = api.deps.view.getTreeItem({ kind: 'profile', id: 'profile:bad-arn', name: 'bad-arn', group: 'other' });
      assert.match(String(item.description), /^account unknown · role via secondary-a/);
    } finally {
      if (original === undefined) delete process.env.AWS_CONFIG_FILE;
      else process.env.AWS_CONFIG_FILE = original;
      await vscode.commands.executeCommand('tendlc.refreshProfiles');
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(api.deps.state.profile('bad-arn'), undefined, 'the seeded files are read again');
  });

  it('generates policies that name the real accounts and role, and moto IAM accepts them', async () => {
    const out = (await vscode.commands.executeCommand('tendlc.generatePolicies')) as { trust: vscode.Uri; permissions: vscode.Uri; secondary: vscode.Uri } | undefined;
    assert.ok(out, `policies generated (errors: ${ui.of('error').map((e) => e.text).join(' | ')})`);
    const text = async (u: vscode.Uri) => (await vscode.workspace.openTextDocument(u)).getText();
    for (const u of Object.values(out)) {
      generatedDocs.push(await text(u));
    }
    const trust = JSON.parse(await text(out.trust));
    assert.deepEqual(trust.Statement[0].Principal.AWS, ['arn:aws:iam::222222222222:root', 'arn:aws:iam::333333333333:root', 'arn:aws:iam::444444444444:root']);
    const secondary = JSON.parse(await text(out.secondary));
    assert.equal(secondary.Statement[0].Resource, seed.roleArn);
    const permissions = await text(out.permissions);
    assert.match(permissions, /"sns:Publish"/);
    const editors = vscode.window.visibleTextEditors.map((e) => e.document.uri.path);
    assert.ok(editors.some((p) => p.endsWith('trust-policy.json')), 'the trust policy is open in an editor');

    // moto's IAM validates policy documents on CreateRole / PutRolePolicy.
    const { IAMClient, CreateRoleCommand, PutRolePolicyCommand, DeleteRolePolicyCommand, DeleteRoleCommand } = await import('@aws-sdk/client-iam');
    const { fromIni } = await import('@aws-sdk/credential-providers');
    const iam = new IAMClient({ endpoint: env('TENDLC_MOTO_ENDPOINT'), region: 'us-east-1', credentials: fromIni({ profile: 'primary' }) });
    const name = `generated-${Date.now()}`;
    await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: await text(out.trust) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'p', PolicyDocument: permissions }));
    await iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: 'p' }));
    await iam.send(new DeleteRoleCommand({ RoleName: name }));
  });

  it('assumes the role from a secondary and gets the primary\'s assumed-role identity', async () => {
    const session = (await vscode.commands.executeCommand('tendlc.assumeRole', 'secondary-a')) as { assumedRoleArn: string; accountId: string } | undefined;
    assert.ok(session, `assumed (errors: ${ui.of('error').map((e) => e.text).join(' | ')})`);
    assert.equal(session.accountId, '111111111111');
    assert.match(session.assumedRoleArn, new RegExp(`^arn:aws:sts::111111111111:assumed-role/${seed.roleName}/tendlc-secondary-a-`));
    assert.match(ui.of('info')[0]?.text ?? '', /assumed role .* in primary account 111111111111/);
    const item = api.deps.view.getTreeItem({ kind: 'profile', id: 'profile:secondary-a', name: 'secondary-a', group: 'secondary' });
    assert.match(String(item.description), /^assumed · \d+ min left/);
    assert.match(String(item.contextValue), /\bassumed\b/);
  });

  it('sends a test SMS through the 10DLC number after a confirmation naming the billed account', async () => {
    const text = `tendlc host test ${Date.now()}`;
    await fetch(`${env('TENDLC_MOTO_ENDPOINT')}/moto-api/recorder/start-recording`, { method: 'POST' });
    ui.answer('input', seed.destinationNumber, text).answer('modal', 'Send SMS');
    const sent = (await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-b')) as { messageId: string } | undefined;
    assert.ok(sent, `sent (errors: ${ui.of('error').map((e) => e.text).join(' | ')})`);
    const modal = ui.of('modal')[0]?.text ?? '';
    assert.match(modal, /billed to primary account 111111111111/);
    assert.match(modal, /From: \+12065550100/);
    assert.match(modal, /To: \+\*+0123/);
    assert.ok(!modal.includes(seed.destinationNumber), 'the destination is masked in the dialog');
    const records = await waitFor('the SMS in moto', async () => smsRecords(await motoData()).filter((r) => r.message === text));
    assert.equal(records.length, 1);
    assert.equal(records[0].phone_number, seed.destinationNumber);
    assert.match(ui.of('info').at(-1)?.text ?? '', new RegExp(`Message ID: ${sent.messageId}`));
    const publish = (await recordedPublishes()).find((p) => p.get('Message') === text);
    assert.ok(publish, 'moto recorded the Publish request');
    assert.equal(publish.get('PhoneNumber'), seed.destinationNumber);
    assert.deepEqual(messageAttributes(publish), {
      'AWS.MM.SMS.OriginationNumber': ['String', seed.originationNumber],
      'AWS.SNS.SMS.SMSType': ['String', 'Transactional'],
    });
  });

  it('asks again, more pointedly, before a second send to the same number within minutes', async () => {
    const text = `tendlc repeat ${Date.now()}`;
    ui.answer('input', seed.destinationNumber, text).answer('modal', 'Send SMS');
    const refused = await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-b');
    assert.equal(refused, undefined, 'the first-send button does not confirm a repeat');
    assert.match(ui.of('modal')[0]?.text ?? '', /^You sent a test SMS to \+\*+0123 \d+ s ago\. Send another, billed to primary account 111111111111\?/);
    ui.answer('input', seed.destinationNumber, text).answer('modal', 'Send Again');
    const sent = await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-b');
    assert.ok(sent, 'sent after "Send Again"');
    assert.equal(smsRecords(await motoData()).filter((r) => r.message === text).length, 1);
  });

  it('ignores workspace values of settings that direct money or credentials, machine- and application-scoped alike', () => {
    // The harness put a .vscode/settings.json in the workspace that tries to redirect them.
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const hostile = JSON.parse(fs.readFileSync(`${folder}/.vscode/settings.json`, 'utf8')) as Record<string, unknown>;
    assert.ok(hostile['tendlc.originationNumber'] && hostile['tendlc.roleName'], 'the workspace tries to redirect');
    assert.notEqual(hostile['tendlc.originationNumber'], seed.originationNumber);
    const s = api.deps.state.settings;
    assert.equal(s.originationNumber, seed.originationNumber);
    assert.equal(s.roleName, seed.roleName);
    assert.equal(s.primaryProfile, 'primary');
    assert.deepEqual(s.secondaryProfiles, seed.settings['tendlc.secondaryProfiles']);
    // Every restricted setting the workspace names: VS Code keeps no workspace value of it, and the value in effect is not the workspace's.
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    };
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.filter((k) => k in hostile);
    assert.ok(restricted.length >= 10, `the workspace names ${restricted.length} restricted settings`);
    const scopes = new Set<string>();
    for (const id of restricted) {
      const key = id.replace(/^tendlc\./, '');
      scopes.add(manifest.contributes.configuration.properties[id]?.scope ?? '');
      const inspect = vscode.workspace.getConfiguration('tendlc').inspect(key);
      assert.equal(inspect?.workspaceValue, undefined, `${id}: no workspace value`);
      assert.notDeepEqual(vscode.workspace.getConfiguration('tendlc').get(key), hostile[id], `${id}: not the workspace's value`);
    }
    assert.deepEqual([...scopes].sort(), ['application', 'machine'], 'both scopes are covered');
  });

  it('sends nothing when the confirmation is dismissed', async () => {
    const text = `tendlc cancelled ${Date.now()}`;
    ui.answer('input', seed.destinationNumber, text).answer('modal', undefined);
    const sent = await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-a');
    assert.equal(sent, undefined);
    assert.equal(smsRecords(await motoData()).filter((r) => r.message === text).length, 0);
    assert.equal(ui.of('error').length, 0);
  });

  it('asks for the MFA code of a role profile with mfa_serial, once, and assumes through the chain', async () => {
    ui.answer('input', '123456');
    const session = (await vscode.commands.executeCommand('tendlc.assumeRole', 'mfa-role')) as { assumedRoleArn: string } | undefined;
    assert.ok(session, `assumed (errors: ${ui.of('error').map((e) => e.text).join(' | ')})`);
    assert.match(session.assumedRoleArn, /^arn:aws:sts::111111111111:assumed-role\//);
    const asked = ui.of('input');
    assert.equal(asked.length, 1);
    assert.match(asked[0].text, new RegExp(`MFA device ${seed.mfaSerial.replace(/[/]/g, '\\/')}`));
  });

  it('moves profiles between groups through the commands, in user settings only', async () => {
    await vscode.commands.executeCommand('tendlc.addSecondary', 'default');
    await waitFor('default in Secondary', async () => (await groupNames('secondary')).includes('default'));
    const inspect = vscode.workspace.getConfiguration('tendlc').inspect<string[]>('secondaryProfiles');
    assert.ok(inspect?.globalValue?.includes('default'), 'written to user settings');
    assert.equal(inspect?.workspaceValue, undefined, 'never to workspace settings');
    await vscode.commands.executeCommand('tendlc.removeFromGroup', 'default');
    await waitFor('default back in Other', async () => (await groupNames('other')).includes('default'));
    assert.deepEqual(vscode.workspace.getConfiguration('tendlc').get('secondaryProfiles'), seed.settings['tendlc.secondaryProfiles']);
  });

  it('explains AccessDenied when a secondary may not assume the role', async () => {
    const session = await vscode.commands.executeCommand('tendlc.assumeRole', 'secondary-denied');
    assert.equal(session, undefined);
    const err = ui.of('error')[0]?.text ?? '';
    assert.match(err, /AWS refused to let profile "secondary-denied" assume arn:aws:iam::111111111111:role\//);
    assert.match(err, /trust policy/);
  });

  it('refuses a bad phone number with the rule, before any AWS call', async () => {
    ui.answer('input', '12ab');
    const sent = await vscode.commands.executeCommand('tendlc.sendTestSms', 'secondary-a');
    assert.equal(sent, undefined);
    assert.match(ui.of('input')[0]?.validation ?? '', /E\.164/);
    assert.match(ui.of('error')[0]?.text ?? '', /E\.164/);
    assert.equal(ui.of('modal').length, 0, 'never reached the confirmation');
  });

  it('explains an unreachable endpoint, and the tree picks up the edited file by itself', async () => {
    const closedPort = 9; // discard port: nothing listens on loopback here
    const extra = `\n[profile unreachable]\nregion = us-east-1\nendpoint_url = http://127.0.0.1:${closedPort}\naws_access_key_id = unreachable-test\naws_secret_access_key = unreachable-test\n`;
    fs.appendFileSync(seed.configPath, extra);
    try {
      await waitFor('the watcher to load the new profile', () => api.deps.state.profile('unreachable'));
      const id = await vscode.commands.executeCommand('tendlc.lookupAccount', 'unreachable');
      assert.equal(id, undefined);
      assert.match(ui.of('error')[0]?.text ?? '', /could not reach the AWS endpoint at http:\/\/127\.0\.0\.1:9/);
    } finally {
      fs.writeFileSync(seed.configPath, fs.readFileSync(seed.configPath, 'utf8').replace(extra, ''));
    }
  });

  it('logs every call with the message id and no secret', async () => {
    const logFile = api.logFile.fsPath;
    const content = await waitFor('the log file to contain the send', () => {
      const t = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
      return /Test SMS accepted by SNS: message id \S+/.test(t) && t;
    });
    assert.match(content, /STS AssumeRole profile=secondary-a .* → ok in \d+ ms/);
    assert.match(content, /SNS Publish profile=secondary-b → role account=111111111111 region=us-east-1 .* → ok/);
    assert.match(content, /STS AssumeRole profile=secondary-denied .* → AccessDenied/);
    for (const s of secrets) {
      assert.ok(!content.includes(s), `a seeded secret (${s.slice(0, 4)}…) appears in the log`);
    }
    const services = await api.deps.aws.get();
    const live = services.sessions.liveSessionOf('secondary-a');
    assert.ok(live);
    for (const s of [live.credentials.accessKeyId, live.credentials.secretAccessKey, live.credentials.sessionToken ?? '']) {
      assert.ok(!content.includes(s), 'an assumed-role credential appears in the log');
    }
    assert.ok(!content.includes(seed.destinationNumber), 'the destination is masked in the log');
  });

  it('leaves the AWS files byte for byte as they were, and shows no secret anywhere', async () => {
    assert.deepEqual(hashFiles(), fileHashes, 'the AWS config and credentials files are unchanged');
    ui.reset();
    const shown = [...ui.history.map((r) => r.text), ...generatedDocs].join('\n');
    assert.ok(shown.length > 0);
    for (const secret of secrets) {
      assert.ok(!shown.includes(secret), `a seeded secret (${secret.slice(0, 4)}…) was shown to the user`);
    }
  });
});
