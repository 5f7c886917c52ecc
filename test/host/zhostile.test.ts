/**
 * Extension-host tests of faults, secrets and money, where the user meets them: commands against a scripted
 * loopback AWS endpoint (test/unit/faultServer) that stalls, answers like a proxy, runs a clock ten minutes off,
 * and echoes what it is sent; credential_process programs that hang or print tokens; an endpoint URL with a
 * password; a destination without "+"; an external id. Each secret planted here is also scanned for, run-wide,
 * by zzsecrets.test.ts. Runs after zdelivery ("zh…"); it restores the AWS config file and the settings it changes.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { SeedResult } from '../harness/seed';
import { refusedPort, startFaultServer, type FaultServer } from '../unit/faultServer';
import { env, planted, waitFor } from './helpers';
import { ScriptedUi } from './scriptedUi';

const PRIMARY = '111111111111';
const SECONDARY = '222222222222';

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

/** The confirmation's button: "Send Again" when the dialog says a send to the number was recent, else "Send SMS". */
const confirmSend = (question: string): string => (/ \d+ s ago\b/.test(question) ? 'Send Again' : 'Send SMS');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Faults, secrets and money (extension host)', function () {
  this.timeout(90_000);
  let api: TestApi;
  let seed: SeedResult;
  let server: FaultServer;
  let originalConfig: string;
  let dir: string;
  const ui = new ScriptedUi();
  const saved: Record<string, unknown> = {};
  /**
   * The harness points SNS and End User Messaging at its stub through AWS_ENDPOINT_URL_<SERVICE>, which wins over a
   * profile's endpoint_url; for this suite they point at the fault server, as a user's environment would.
   */
  const serviceEnv = ['AWS_ENDPOINT_URL_SNS', 'AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2'] as const;
  const savedEnv: Record<string, string | undefined> = {};
  const settingKeys = ['primaryProfile', 'secondaryProfiles', 'externalId', 'testDestinationNumber'] as const;
  const secret = (kind: string, value: string, inTrustPolicy = false): string => {
    planted.push({ kind, value, inTrustPolicy });
    return value;
  };
  const nonce = (): string => randomBytes(9).toString('base64url');
  const urlPassword = secret('endpoint URL password', `pw${nonce()}`);
  const unreachablePassword = secret('endpoint URL password', `pw${nonce()}`);
  const externalId = secret('external id', `ext-${randomBytes(8).toString('hex')}`, true);
  const vaultToken = secret('Vault token in credential_process stderr', `hvs.${randomBytes(40).toString('base64url')}`);
  const jwt = secret(
    'JWT in credential_process stderr',
    `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: nonce() })).toString('base64url')}.${randomBytes(32).toString('base64url')}`,
  );
  const bareNumber = secret('destination without +', '2065550123');
  const keys = {
    primary: { id: secret('access key id', `hostile-key-${nonce()}`), secret: secret('secret access key', `hostile-secret-${nonce()}`) },
    secondary: { id: secret('access key id', `hostile-key-${nonce()}`), secret: secret('secret access key', `hostile-secret-${nonce()}`) },
  };
  const pidFiles = () => ['sh.pid', 'sleep.pid'].map((f) => path.join(dir, f));
  const config = (name: string) => vscode.workspace.getConfiguration('tendlc').inspect(name)?.globalValue;
  const setSetting = (name: string, value: unknown) => vscode.workspace.getConfiguration('tendlc').update(name, value, vscode.ConfigurationTarget.Global);
  const services = () => api.deps.aws.get();
  const logText = () => (fs.existsSync(api.logFile.fsPath) ? fs.readFileSync(api.logFile.fsPath, 'utf8') : '');

  before(async () => {
    seed = JSON.parse(fs.readFileSync(env('TENDLC_TEST_SEED'), 'utf8')) as SeedResult;
    const ext = vscode.extensions.getExtension<TestApi>('tendlc.tendlc-cross-account');
    assert.ok(ext);
    api = (await ext.activate()) as TestApi;
    api.setUi(ui);
    // The profiles are loaded (so the watcher reloads them) even when this suite runs alone.
    await api.deps.state.ensureLoaded();
    server = await startFaultServer();
    server.addUser(PRIMARY, 'hostile-admin', { accessKeyId: keys.primary.id, secretAccessKey: keys.primary.secret });
    server.addUser(SECONDARY, 'hostile-sender', { accessKeyId: keys.secondary.id, secretAccessKey: keys.secondary.secret });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tendlc-hostile-'));
    const [shPid, sleepPid] = pidFiles();
    fs.writeFileSync(path.join(dir, 'hang.sh'), `sleep 60 &\necho $! > '${sleepPid}'\necho $$ > '${shPid}'\nwait\n`);
    fs.writeFileSync(path.join(dir, 'noisy.sh'), `echo "vault: permission denied for token ${vaultToken}" >&2\necho "oidc: ${jwt}" >&2\nexit 3\n`);
    const port = new URL(server.url).port;
    const dead = await refusedPort();
    const common = 'region = us-east-1';
    originalConfig = fs.readFileSync(seed.configPath, 'utf8');
    fs.appendFileSync(
      seed.configPath,
      [
        '',
        '[profile hostile-primary]',
        common,
        `endpoint_url = http://admin:${urlPassword}@127.0.0.1:${port}`,
        `aws_access_key_id = ${keys.primary.id}`,
        `aws_secret_access_key = ${keys.primary.secret}`,
        '',
        '[profile hostile-secondary]',
        common,
        `endpoint_url = http://admin:${urlPassword}@127.0.0.1:${port}`,
        `aws_access_key_id = ${keys.secondary.id}`,
        `aws_secret_access_key = ${keys.secondary.secret}`,
        '',
        '[profile hostile-unreachable]',
        common,
        `endpoint_url = http://svc:${unreachablePassword}@127.0.0.1:${dead}`,
        `aws_access_key_id = ${keys.secondary.id}`,
        `aws_secret_access_key = ${keys.secondary.secret}`,
        '',
        '[profile hostile-process-hang]',
        common,
        `credential_process = /bin/sh ${path.join(dir, 'hang.sh')}`,
        `endpoint_url = http://127.0.0.1:${port}`,
        '',
        '[profile hostile-process-noisy]',
        common,
        `credential_process = /bin/sh ${path.join(dir, 'noisy.sh')}`,
        `endpoint_url = http://127.0.0.1:${port}`,
        '',
      ].join('\n'),
    );
    await waitFor('the watcher to load the hostile profiles', () => api.deps.state.profile('hostile-process-noisy'));
    for (const k of serviceEnv) {
      savedEnv[k] = process.env[k];
      process.env[k] = server.url;
    }
    for (const k of settingKeys) {
      saved[k] = config(k);
    }
    await setSetting('primaryProfile', 'hostile-primary');
    await setSetting('secondaryProfiles', ['hostile-secondary']);
    await setSetting('externalId', externalId);
    await waitFor('the settings to apply', () => api.deps.state.settings.primaryProfile === 'hostile-primary' && api.deps.state.settings.externalId === externalId);
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
    (await services()).clients.clockOffsetMs = 0;
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    ui.reset();
    server.reset();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'passed') {
      assert.equal(ui.unused(), 0, 'every scripted answer was used');
    }
  });

  it('never shows an endpoint password: not in the notification, the log or the tooltip', async () => {
    const id = await within(vscode.commands.executeCommand('tendlc.lookupAccount', 'hostile-unreachable'), 30_000, 'Look Up Account Id');
    assert.equal(id, undefined);
    const error = ui.of('error')[0]?.text ?? '';
    assert.match(error, /could not reach the AWS endpoint at http:\/\/\[REDACTED\]@127\.0\.0\.1:\d+/);
    for (const name of ['hostile-unreachable', 'hostile-primary']) {
      const node = { kind: 'profile' as const, id: `profile:${name}`, name, group: name === 'hostile-primary' ? ('primary' as const) : ('other' as const) };
      const item = await api.deps.view.resolveTreeItem(api.deps.view.getTreeItem(node), node);
      const tooltip = typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
      assert.match(tooltip, /Endpoint: `http:\/\/\[REDACTED\]@127\.0\.0\.1:\d+`/);
      assert.ok(!tooltip.includes(unreachablePassword) && !tooltip.includes(urlPassword), `${name}: the tooltip shows no password`);
    }
    const log = logText();
    assert.ok(!log.includes(unreachablePassword) && !log.includes(urlPassword), 'the log shows no password');
  });

  it('masks a destination set without "+" in the error it causes', async () => {
    await setSetting('testDestinationNumber', bareNumber);
    try {
      await waitFor('the setting to apply', () => api.deps.state.settings.testDestinationNumber === bareNumber);
      const sent = await within(vscode.commands.executeCommand('tendlc.sendTestSms', 'hostile-secondary'), 30_000, 'Send Test SMS');
      assert.equal(sent, undefined);
      const error = ui.of('error')[0]?.text ?? '';
      assert.match(error, /tendlc\.testDestinationNumber is not valid: "\*{6}0123"/);
      assert.ok(!error.includes(bareNumber));
    } finally {
      await setSetting('testDestinationNumber', saved['testDestinationNumber']);
    }
  });

  it('Send Test SMS shows the wait for a stuck account lookup of the primary, and Cancel ends it', async () => {
    const svc = await services();
    svc.accounts.clear();
    const primary = api.deps.state.profile('hostile-primary');
    assert.ok(primary);
    server.on('GetCallerIdentity', (q) => (q.accessKeyId === keys.primary.id ? { kind: 'stall-after-headers' } : undefined));
    // A background lookup of the primary is stuck (headers, then nothing) when the user sends.
    const background = svc.accounts.resolve(primary, { interactive: false });
    await server.waitFor(() => server.count('GetCallerIdentity') >= 1, 'the background lookup to reach the endpoint');
    ui.cancelProgress(/Looking up the account of profile "hostile-primary"/);
    const started = Date.now();
    const sent = await within(vscode.commands.executeCommand('tendlc.sendTestSms', 'hostile-secondary'), 20_000, 'Send Test SMS');
    assert.equal(sent, undefined);
    assert.ok(Date.now() - started < 10_000, `ended ${Date.now() - started} ms after it started`);
    assert.ok(ui.of('progress').some((p) => /Looking up the account of profile "hostile-primary"/.test(p.text)), 'the wait was shown');
    assert.equal(ui.of('error').length, 0, 'a cancel is quiet');
    assert.equal(server.count('Publish'), 0);
    // The stuck background lookup ends at its own deadline.
    const state = await within(background, 20_000, 'the background lookup');
    assert.equal(state.status, 'error');
    svc.accounts.clear();
  });

  it("an uncertain Publish (a proxy's 502) is told as maybe sent and billed, kept, guards the next send, and can be checked", async () => {
    server.on('Publish', () => ({ kind: 'html', status: 502 }));
    const text = `tendlc hostile ${Date.now()}`;
    ui.answer('input', seed.destinationNumber, text).answer('modal', confirmSend);
    const sent = (await within(vscode.commands.executeCommand('tendlc.sendTestSms', 'hostile-secondary'), 30_000, 'Send Test SMS')) as
      | { outcome: string; messageId: string }
      | undefined;
    assert.equal(sent?.outcome, 'unknown', `errors: ${ui.of('error').map((e) => e.text).join(' | ')}`);
    assert.equal(server.count('Publish'), 1);
    const warning = ui.of('warn').at(-1)?.text ?? '';
    assert.match(warning, /may have been sent and billed to account 111111111111/);
    assert.match(warning, /HTTP 502/);
    assert.doesNotMatch(warning, /does not implement/);
    const record = api.deps.history.find(sent.messageId);
    assert.equal(record?.status, 'outcome-unknown');
    assert.equal(record?.profile, 'hostile-secondary');

    // The next send to the same number is guarded as after a real send.
    ui.reset();
    ui.answer('input', seed.destinationNumber, `${text} again`).answer('modal', undefined);
    assert.equal(await within(vscode.commands.executeCommand('tendlc.sendTestSms', 'hostile-secondary'), 30_000, 'Send Test SMS'), undefined);
    assert.match(ui.of('modal')[0]?.text ?? '', /^A test SMS to \+\*+0123 \d+ s ago may have been sent \(its outcome is unknown\)\. Send another, billed to primary account 111111111111\?/);
    assert.equal(server.count('Publish'), 1, 'nothing sent without the explicit Send Again');

    // Check Delivery Status finds SNS's record of it in the primary's delivery logs.
    ui.reset();
    const snsId = `sns-${randomBytes(8).toString('hex')}`;
    server.on('FilterLogEvents', (q) =>
      q.params.get('logGroupName')?.endsWith('/Failure')
        ? { kind: 'json', body: { events: [] } }
        : {
            kind: 'json',
            body: {
              events: [
                {
                  message: JSON.stringify({
                    notification: { messageId: snsId, timestamp: new Date().toISOString() },
                    delivery: { destination: '+1XXX5550123', phoneCarrier: 'Test Carrier', priceInUSD: 0.00581, dwellTimeMs: 300 },
                    status: 'SUCCESS',
                  }),
                },
              ],
            },
          },
    );
    const status = await within(vscode.commands.executeCommand('tendlc.checkDelivery', sent.messageId), 30_000, 'Check Delivery Status');
    assert.equal(status, 'delivered');
    assert.equal(api.deps.history.find(snsId)?.status, 'delivered', 'the send now carries SNS\'s message id');
    assert.match(ui.of('info').at(-1)?.text ?? '', /was most likely sent and billed to account 111111111111: SNS accepted a message to that number at .*message id sns-/);
  });

  it('a Publish cancelled after it was written is told as maybe sent, not as cancelled', async () => {
    server.on('Publish', () => ({ kind: 'hang' }));
    ui.answer('input', seed.destinationNumber, `tendlc hostile cancel ${Date.now()}`).answer('modal', confirmSend);
    ui.cancelProgress(/Sending a test SMS/, () => server.count('Publish') === 1 && server.inFlight > 0);
    const sent = (await within(vscode.commands.executeCommand('tendlc.sendTestSms', 'hostile-secondary'), 30_000, 'Send Test SMS')) as { outcome: string } | undefined;
    assert.equal(sent?.outcome, 'unknown');
    assert.match(ui.of('warn').at(-1)?.text ?? '', /may have been sent and billed to account 111111111111/);
  });

  it('a clock ten minutes off: Send Test SMS goes through', async () => {
    const svc = await services();
    svc.sessions.forget('hostile-secondary');
    server.setClockSkew(10 * 60_000);
    try {
      ui.answer('input', seed.destinationNumber, `tendlc hostile skew ${Date.now()}`).answer('modal', confirmSend);
      const sent = (await within(vscode.commands.executeCommand('tendlc.sendTestSms', 'hostile-secondary'), 30_000, 'Send Test SMS')) as { outcome: string } | undefined;
      assert.equal(sent?.outcome, 'sent', `errors: ${ui.of('error').map((e) => e.text).join(' | ')}`);
      assert.ok(server.skewRefusals >= 1, 'the endpoint did refuse the first request');
      assert.equal(server.count('Publish'), 1);
    } finally {
      server.setClockSkew(0);
      svc.clients.clockOffsetMs = 0;
    }
  });

  it('Cancel on Look Up Account Id stops a hanging credential_process and its children', async () => {
    const [shPid, sleepPid] = pidFiles();
    ui.cancelProgress(/Looking up the account of hostile-process-hang/, () => fs.existsSync(shPid) && fs.existsSync(sleepPid) && fs.readFileSync(sleepPid, 'utf8').trim() !== '');
    const id = await within(vscode.commands.executeCommand('tendlc.lookupAccount', 'hostile-process-hang'), 20_000, 'Look Up Account Id');
    assert.equal(id, undefined);
    assert.equal(ui.of('error').length, 0, 'a cancel is quiet');
    const pids = [shPid, sleepPid].map((f) => Number(fs.readFileSync(f, 'utf8').trim()));
    await waitFor('the credential_process and its child to be gone', () => !pids.some(alive), 10_000);
  });

  it('a failing credential_process shows its exit status and a redacted first line, never its tokens', async () => {
    const id = await within(vscode.commands.executeCommand('tendlc.lookupAccount', 'hostile-process-noisy'), 20_000, 'Look Up Account Id');
    assert.equal(id, undefined);
    const error = ui.of('error')[0]?.text ?? '';
    assert.match(error, /credential_process of profile "hostile-process-noisy" exited with status 3: vault: permission denied for token \[REDACTED\]/);
    const shown = ui.log.map((r) => r.text).join('\n') + logText();
    assert.ok(!shown.includes(vaultToken) && !shown.includes(jwt.split('.')[1]), 'no token');
    assert.ok(!shown.includes('noisy.sh'), 'not the command line');
  });

  it('the "not validated" diagnostic of Create Role never shows the endpoint password (the Problems panel is an exit too)', async () => {
    // Found by hostile review: the reason named the raw endpoint_url, and diagnostics were the one exit not redacted.
    server.on('GetRole', () => ({ kind: 'error', status: 404, code: 'NoSuchEntity', message: 'The role with name tendlc-hostile cannot be found.' }));
    // Access Analyzer at the profile's endpoint (the fault server, which lacks it), not at the harness's stub.
    const analyzerEnv = process.env['AWS_ENDPOINT_URL_ACCESSANALYZER'];
    delete process.env['AWS_ENDPOINT_URL_ACCESSANALYZER'];
    let messages: string[] = [];
    ui.answer('modal', 'Allow SendTextMessage', async () => {
      // This role's proposal: earlier suites leave other roles' trust-policy.json documents open.
      const trust = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith('/tendlc-cross-account-sms/trust-policy.json'));
      assert.ok(trust, 'the proposed trust policy is open');
      // Diagnostics reach the extension host's view of them asynchronously: wait for them (bounded).
      await waitFor('the diagnostic on the trust policy', () => vscode.languages.getDiagnostics(trust.uri).length > 0);
      messages = vscode.languages.getDiagnostics(trust.uri).map((d) => d.message);
      return undefined;
    });
    try {
      assert.equal(await within(vscode.commands.executeCommand('tendlc.createRole'), 60_000, 'Create or Update Role'), undefined);
    } finally {
      if (analyzerEnv !== undefined) {
        process.env['AWS_ENDPOINT_URL_ACCESSANALYZER'] = analyzerEnv;
      }
    }
    assert.equal(server.count('GetRole'), 1, 'the role was read through the endpoint with the password');
    assert.ok(messages.length > 0, `the trust policy has a diagnostic (shown: ${ui.log.map((r) => `${r.kind}: ${r.text}`).join(' | ')})`);
    assert.match(messages.join('\n'), /^Not validated by IAM Access Analyzer: the endpoint http:\/\/\[REDACTED\]@127\.0\.0\.1:\d+ does not implement/);
    assert.ok(!messages.join('\n').includes(urlPassword), 'the diagnostic shows no password');
  });

  it('an external id that STS echoes back is never shown; the trust policy still carries it', async () => {
    const svc = await services();
    svc.sessions.forget('hostile-secondary');
    server.on('AssumeRole', (q) => ({
      kind: 'error',
      status: 400,
      code: 'ValidationError',
      message: `1 validation error detected: Value '${q.params.get('ExternalId') ?? ''}' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:/-]*`,
    }));
    const session = await within(vscode.commands.executeCommand('tendlc.assumeRole', 'hostile-secondary'), 30_000, 'Assume Role');
    assert.equal(session, undefined);
    assert.equal(server.seen.find((q) => q.action === 'AssumeRole')?.params.get('ExternalId'), externalId, 'the external id was sent');
    const error = ui.of('error')[0]?.text ?? '';
    assert.match(error, /Value '\[REDACTED\]' at 'externalId'/);
    assert.ok(!logText().includes(externalId), 'not in the log');
    // Check Setup assumes the role too: its report and the tree's check items quote the error, never the id.
    await within(vscode.commands.executeCommand('tendlc.checkSetup'), 60_000, 'Check Setup');
    const report = api.deps.docs.documents().find((d) => d.path.endsWith('/setup-check.md'))?.text ?? '';
    assert.match(report, /Value '\[REDACTED\]' at 'externalId'/);
    assert.ok(!report.includes(externalId), 'not in the Check Setup report');
    const secondaryNode = { kind: 'profile' as const, id: 'profile:hostile-secondary', name: 'hostile-secondary', group: 'secondary' as const };
    const checkItems = (await api.deps.view.getChildren(secondaryNode)).map((n) => api.deps.view.getTreeItem(n));
    const checkText = checkItems.map((i) => `${String(i.description ?? '')} ${typeof i.tooltip === 'string' ? i.tooltip : (i.tooltip?.value ?? '')}`).join('\n');
    assert.match(checkText, /externalId/);
    assert.ok(!checkText.includes(externalId), 'not in the tree\'s check items');
    const out = (await within(vscode.commands.executeCommand('tendlc.generatePolicies'), 30_000, 'Generate Policies')) as { trust: vscode.Uri } | undefined;
    assert.ok(out);
    const trust = (await vscode.workspace.openTextDocument(out.trust)).getText();
    assert.ok(trust.includes(externalId), 'the trust policy requires the external id');
  });
});
