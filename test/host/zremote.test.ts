/**
 * Remote windows and the settings that became `machine`-scoped (issue 14, item 1), in code-server — which is a remote
 * window: the workbench runs in the browser, the extension host on the server, and VS Code keeps the window's user
 * settings (USER_DATA_DIR/User/settings.json) apart from the remote's (USER_DATA_DIR/Machine/settings.json), as under
 * Remote-SSH. First the facts the migration relies on, then the migration itself: a remote without the settings is
 * offered the local computer's recorded values, sees each of them, gets only the profile names its own AWS files have,
 * in its own settings. Runs after ziac ("zr…"); it restores every setting and file it changes. Under
 * @vscode/test-electron (a local window: `npm run test:host -- --electron`) the suite is skipped; the local window's
 * part of the move is in the unit tier (test/unit/settingsMigration.test.ts).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { MACHINE_SETTINGS, type MachineValues } from '../../src/core/settingsMigration';
import { COPY_BUTTON, NEVER_HERE_BUTTON, NOT_NOW_BUTTON, REVIEW_BUTTON, SETTLED_KEY, SNAPSHOT_KEY } from '../../src/ui/settingsMigration';
import type { SeedResult } from '../harness/seed';
import { env, waitFor } from './helpers';
import { ScriptedUi } from './scriptedUi';

const EXTENSION_ID = 'tendlc.tendlc-cross-account';

describe('Remote windows and per-machine settings (extension host, code-server)', function () {
  this.timeout(60_000);
  let api: TestApi;
  let seed: SeedResult;
  const ui = new ScriptedUi();
  const saved: Record<string, unknown> = {};
  let savedSnapshot: unknown;
  let savedSettled: unknown;
  const userDir = () => env('TENDLC_USER_DATA_DIR');
  const userFile = () => path.join(userDir(), 'User', 'settings.json');
  const remoteFile = () => path.join(userDir(), 'Machine', 'settings.json');
  const read = (file: string): Record<string, unknown> => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8') || '{}') as Record<string, unknown>) : {});
  const cfg = () => vscode.workspace.getConfiguration('tendlc');
  const clearMachineSettings = async (): Promise<void> => {
    for (const k of MACHINE_SETTINGS) {
      await cfg().update(k, undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('the remote settings to be empty', () => api.deps.state.settings.primaryProfile === undefined && api.migration.here().originationNumber === undefined);
  };

  before(async function () {
    if (process.env.TENDLC_USER_DATA_DIR === undefined) {
      this.skip(); // not in code-server
    }
    seed = JSON.parse(fs.readFileSync(env('TENDLC_TEST_SEED'), 'utf8')) as SeedResult;
    const ext = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
    assert.ok(ext);
    api = (await ext.activate()) as TestApi;
    api.setUi(ui);
    for (const k of MACHINE_SETTINGS) {
      saved[k] = cfg().inspect(k)?.globalValue;
    }
    savedSnapshot = api.globalState.get(SNAPSHOT_KEY);
    savedSettled = api.globalState.get(SETTLED_KEY);
  });

  after(async () => {
    if (!api) {
      return;
    }
    for (const k of MACHINE_SETTINGS) {
      await cfg().update(k, saved[k], vscode.ConfigurationTarget.Global);
    }
    await api.globalState.update(SNAPSHOT_KEY, savedSnapshot);
    await api.globalState.update(SETTLED_KEY, savedSettled);
    await waitFor('the settings to be back', () => api.deps.state.settings.primaryProfile === saved['primaryProfile']);
  });

  beforeEach(() => ui.reset());
  afterEach(function () {
    if (this.currentTest?.state === 'passed') {
      assert.equal(ui.unused(), 0, 'every scripted answer was used');
    }
  });

  it('code-server is a remote window, and the extension runs there as a workspace extension', () => {
    assert.ok(vscode.env.remoteName, `vscode.env.remoteName is set (it is "${String(vscode.env.remoteName)}")`);
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.extensionKind, vscode.ExtensionKind.Workspace);
  });

  it("reads a machine-scoped setting only from the remote's settings, never from the window's user settings", async () => {
    // The harness wrote the seeded primary profile to the remote's settings.
    assert.equal(read(remoteFile())['tendlc.primaryProfile'], 'primary');
    assert.equal(read(userFile())['tendlc.primaryProfile'], undefined);
    assert.equal(api.deps.state.settings.primaryProfile, 'primary');
    const original = fs.readFileSync(userFile(), 'utf8');
    try {
      // The user settings name another primary (machine-scoped). VS Code does not watch that file here, but it reads it
      // again when it writes a setting there: the role name (application-scoped) is written through the API.
      fs.writeFileSync(userFile(), JSON.stringify({ ...read(userFile()), 'tendlc.primaryProfile': 'secondary-a' }, null, 2));
      await cfg().update('roleName', 'user-file-role', vscode.ConfigurationTarget.Global);
      await waitFor('the user settings file to be read', () => cfg().get('roleName') === 'user-file-role');
      const file = read(userFile());
      assert.equal(file['tendlc.roleName'], 'user-file-role', 'the role name went to the user settings');
      assert.equal(file['tendlc.primaryProfile'], 'secondary-a', 'beside the other primary, in the file VS Code just read');
      assert.equal(cfg().get('primaryProfile'), 'primary', 'the machine-scoped value of the user settings is not read');
      assert.equal(cfg().inspect('primaryProfile')?.globalValue, 'primary');
      assert.equal(api.deps.state.settings.primaryProfile, 'primary');
    } finally {
      fs.writeFileSync(userFile(), original);
      await cfg().update('roleName', seed.roleName, vscode.ConfigurationTarget.Global);
      await waitFor('the role name to be back', () => cfg().get('roleName') === seed.roleName);
    }
  });

  it("writes a machine-scoped setting with ConfigurationTarget.Global to the remote's settings", async () => {
    const before = cfg().inspect('testDestinationNumber')?.globalValue;
    try {
      await cfg().update('testDestinationNumber', '+12065550155', vscode.ConfigurationTarget.Global);
      await waitFor('the remote settings file to hold it', () => read(remoteFile())['tendlc.testDestinationNumber'] === '+12065550155');
      assert.equal(read(userFile())['tendlc.testDestinationNumber'], undefined, 'not in the user settings');
    } finally {
      await cfg().update('testDestinationNumber', before, vscode.ConfigurationTarget.Global);
    }
  });

  const laptop: MachineValues = {
    primaryProfile: 'primary',
    secondaryProfiles: ['secondary-a', 'laptop-only'],
    originationNumber: '+12065550100',
    region: 'us-east-1',
    externalId: 'laptop-external-id-7',
    testDestinationNumber: '+12065550123',
  };

  it("offers a remote without the settings the local computer's, shows each value, copies only profiles this machine has, into the remote's settings", async () => {
    await clearMachineSettings();
    await api.migration.record(laptop);
    await api.globalState.update(SETTLED_KEY, []);
    ui.answer('choose', REVIEW_BUTTON).answer('modal', COPY_BUTTON);
    assert.equal(await api.migration.run(), 'copied');
    assert.match(ui.of('choose')[0]?.text ?? '', new RegExp(`this remote \\(${vscode.env.remoteName ?? ''}\\) has none\\. Your local computer had 6`));
    const confirmation = ui.of('modal')[0]?.text ?? '';
    assert.match(confirmation, /^Copy 10DLC settings from your local computer to /);
    assert.match(confirmation, /Primary profile: "primary"/);
    assert.match(confirmation, /Secondary profile: "secondary-a"/);
    assert.match(confirmation, /Secondary profile "laptop-only": left out \(no profile of that name in this machine's AWS files\)/);
    assert.match(confirmation, /External id: \(set; not shown\)/);
    assert.ok(!confirmation.includes('laptop-external-id-7') && !confirmation.includes('2065550123'), 'no external id, no full destination');
    await waitFor('the copied settings to apply', () => api.deps.state.settings.primaryProfile === 'primary');
    assert.deepEqual(api.deps.state.settings.secondaryProfiles, ['secondary-a']);
    assert.equal(api.deps.state.settings.externalId, 'laptop-external-id-7');
    const remote = read(remoteFile());
    assert.deepEqual(remote['tendlc.secondaryProfiles'], ['secondary-a'], "written to the remote's settings");
    assert.equal(read(userFile())['tendlc.primaryProfile'], undefined, 'not to the user settings');
    assert.match(ui.of('info').at(-1)?.text ?? '', /Copied 6 10DLC settings to the remote settings of .*; 1 left out/);
    // Once the remote has its settings, nothing more is asked.
    ui.reset();
    assert.equal(await api.migration.run(), 'nothing');
    assert.equal(ui.log.length, 0);
  });

  it('a value set on the remote while the offer was waiting is kept: the copy writes only what is still unset, and says so', async () => {
    await clearMachineSettings();
    await api.migration.record(laptop);
    await api.globalState.update(SETTLED_KEY, []);
    // The offer is a notification that may wait for hours; meanwhile the user sets the remote's own destination and region.
    ui.answer('choose', async () => {
      await cfg().update('testDestinationNumber', '+12065550199', vscode.ConfigurationTarget.Global);
      await cfg().update('region', 'us-west-2', vscode.ConfigurationTarget.Global);
      await waitFor('the remote values to apply', () => api.migration.here().region === 'us-west-2' && api.migration.here().testDestinationNumber === '+12065550199');
      return REVIEW_BUTTON;
    });
    ui.answer('modal', COPY_BUTTON);
    assert.equal(await api.migration.run(), 'copied');
    await waitFor('the copied settings to apply', () => api.deps.state.settings.primaryProfile === 'primary');
    assert.equal(cfg().inspect('region')?.globalValue, 'us-west-2', "the remote's own region was not overwritten");
    assert.equal(cfg().inspect('testDestinationNumber')?.globalValue, '+12065550199', "the remote's own destination was not overwritten");
    const told = ui.of('info').at(-1)?.text ?? '';
    assert.match(told, /Copied 4 10DLC settings to the remote settings of .*; kept tendlc\.region and tendlc\.testDestinationNumber, set here meanwhile; 1 left out/);
    assert.ok(!told.includes('2065550199') && !told.includes('2065550123'), 'no destination number in full');
  });

  it('"Not Now" asks again next time; "Don\'t Ask Again Here" does not; the local record stays', async () => {
    await clearMachineSettings();
    await api.migration.record(laptop);
    await api.globalState.update(SETTLED_KEY, []);
    ui.answer('choose', NOT_NOW_BUTTON, NEVER_HERE_BUTTON);
    assert.equal(await api.migration.run(), 'not-now');
    assert.equal(await api.migration.run(), 'declined');
    assert.equal(await api.migration.run(), 'nothing');
    assert.equal(ui.of('choose').length, 2);
    assert.equal(api.deps.state.settings.primaryProfile, undefined, 'nothing was written');
    assert.ok(api.globalState.get(SNAPSHOT_KEY), 'the local record is kept');
  });

  it('a remote whose settings are empty and that has no local record is told why, once', async () => {
    await clearMachineSettings();
    await api.migration.record(undefined);
    await api.globalState.update(SETTLED_KEY, []);
    if (api.deps.history.all().length === 0) {
      await api.deps.history.add({ at: new Date().toISOString(), profile: 'secondary-a', maskedDestination: '+*******0123', messageId: 'remote-test', region: 'us-east-1', primaryAccountId: '111111111111', status: 'sent' });
    }
    assert.equal(await api.migration.run(), 'explained');
    assert.match(ui.of('info')[0]?.text ?? '', /has none: values in your local user settings no longer apply in remote windows/);
    assert.equal(await api.migration.run(), 'nothing');
    assert.equal(ui.of('info').length, 1);
  });
});
