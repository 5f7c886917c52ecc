/**
 * The one-time move of the settings that became `machine`-scoped: what a local and a remote window do
 * (core/settingsMigration.ts), and the manifest facts it depends on (scopes, extensionKind, activation, the `when`
 * clauses that must hold before the extension activates).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  copyConfirmation,
  copyPlan,
  decideMigration,
  explainText,
  isEmpty,
  localNotice,
  MACHINE_SETTINGS,
  machineValues,
  offerText,
  type LocalSnapshot,
  type MigrationInput,
} from '../../src/core/settingsMigration';
import { machineScopedSettings, splitSettingsByScope } from '../harness/settingsFiles';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
  extensionKind?: string[];
  activationEvents?: string[];
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
  contributes: {
    configuration: { properties: Record<string, { scope?: string }> };
    views: Record<string, { id: string; when?: string }[]>;
    viewsWelcome: { view: string; when?: string }[];
  };
};

const LAPTOP: LocalSnapshot = {
  values: {
    primaryProfile: 'prod-sms',
    secondaryProfiles: ['team-a', 'team-b'],
    originationNumber: '+12065550100',
    region: 'us-east-1',
    externalId: 'ext-secret-value',
    testDestinationNumber: '+12065550123',
  },
  recordedAt: '2026-11-30T10:00:00.000Z',
};

const base: MigrationInput = { here: {}, noticeDecided: false, remoteSettled: false, usedBefore: false };

test('the six settings that name profiles, numbers, the region and the external id are machine-scoped; the rest stay application', () => {
  const props = pkg.contributes.configuration.properties;
  for (const k of MACHINE_SETTINGS) {
    assert.equal(props[`tendlc.${k}`]?.scope, 'machine', k);
  }
  for (const k of ['tendlc.roleName', 'tendlc.requireMfa', 'tendlc.smsType', 'tendlc.maxPrice']) {
    assert.equal(props[k]?.scope, 'application', k);
  }
  // Every setting that directs money or credentials ignores workspace values (machine and application both do).
  for (const k of pkg.capabilities.untrustedWorkspaces.restrictedConfigurations) {
    assert.ok(['machine', 'application'].includes(props[k]?.scope ?? ''), `${k} is ${props[k]?.scope}`);
  }
  for (const k of MACHINE_SETTINGS) {
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(`tendlc.${k}`), `${k} is still restricted`);
  }
  // tendlc.sharingMode (issue 15) decides who pays for the profiles it applies to, so it is per machine like them; new
  // since the move, it has no old values to move.
  assert.equal(props['tendlc.sharingMode']?.scope, 'machine', 'sharingMode');
  assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('tendlc.sharingMode'), 'sharingMode is restricted');
  assert.deepEqual([...machineScopedSettings(pkg)].sort(), [...MACHINE_SETTINGS, 'sharingMode'].map((k) => `tendlc.${k}`).sort());
});

test('the extension runs where ~/.aws is, and activates only on its view and commands', () => {
  assert.deepEqual(pkg.extensionKind, ['workspace']);
  for (const e of pkg.activationEvents ?? []) {
    assert.ok(!['*', 'onStartupFinished'].includes(e), `activation event ${e} activates it in every window`);
  }
});

/**
 * A `when` clause as VS Code evaluates it for the forms the manifest uses (`key`, `!key`, `key == N`, `&&`), with
 * `context` holding the keys set so far: before activation, none.
 */
function when(expr: string, context: Record<string, unknown>): boolean {
  return expr.split('&&').every((part) => {
    const t = part.trim();
    const eq = /^([\w.]+)\s*==\s*(\S+)$/.exec(t);
    if (eq) return String(context[eq[1]]) === eq[2];
    if (t.startsWith('!')) return !context[t.slice(1).trim()];
    return Boolean(context[t]);
  });
}

test('before activation (no context key set) the Get Started view and its welcome show, and the profiles view says it is reading', () => {
  const before = {};
  const view = pkg.contributes.views['tendlc'].find((v) => v.id === 'tendlc.gettingStarted');
  assert.ok(view?.when && when(view.when, before), `Get Started view: "${view?.when}"`);
  const welcome = pkg.contributes.viewsWelcome.filter((w) => w.view === 'tendlc.gettingStarted');
  assert.ok(welcome.length > 0 && welcome.every((w) => w.when === undefined || when(w.when, before)), 'its welcome content');
  const reading = pkg.contributes.viewsWelcome.filter((w) => w.view === 'tendlc.profiles' && w.when && when(w.when, before));
  assert.equal(reading.length, 1, 'one welcome text on the profiles view before activation');
  // After activation with a complete setup, Get Started goes away.
  assert.equal(when(view.when, { 'tendlc.setupComplete': true }), false);
});

test('machineValues keeps the user-level values of the six settings, and nothing else', () => {
  const stored: Record<string, unknown> = { primaryProfile: ' prod-sms ', secondaryProfiles: ['a', '', 3, 'b'], region: '', externalId: 42, roleName: 'x' };
  assert.deepEqual(machineValues((k) => stored[k]), { primaryProfile: 'prod-sms', secondaryProfiles: ['a', 'b'] });
  assert.ok(isEmpty(machineValues(() => undefined)));
});

test('local window: records what the user settings hold, and tells a user who had values when upgrading, once', () => {
  assert.deepEqual(decideMigration({ ...base, here: LAPTOP.values }), { kind: 'local', record: LAPTOP.values, notice: true });
  assert.deepEqual(decideMigration({ ...base, here: LAPTOP.values, noticeDecided: true }), { kind: 'local', record: LAPTOP.values, notice: false });
  // A new user (nothing set at the first run) is told nothing, then or later; an emptied settings file empties the record.
  assert.deepEqual(decideMigration({ ...base, snapshot: LAPTOP }), { kind: 'local', record: undefined, notice: false });
});

test('remote window: offers the local record when the remote has none, once settled never again', () => {
  const remote = { ...base, remoteName: 'ssh-remote' };
  assert.deepEqual(decideMigration({ ...remote, snapshot: LAPTOP }), { kind: 'offer', snapshot: LAPTOP });
  assert.deepEqual(decideMigration({ ...remote, snapshot: LAPTOP, here: { primaryProfile: 'server-profile' } }), { kind: 'nothing' }, 'the remote has its own');
  assert.deepEqual(decideMigration({ ...remote, snapshot: LAPTOP, remoteSettled: true }), { kind: 'nothing' });
  // Nothing recorded locally: the user who sent before is told why the settings are empty here; a new user is not.
  assert.deepEqual(decideMigration({ ...remote, usedBefore: true }), { kind: 'explain' });
  assert.deepEqual(decideMigration({ ...remote, usedBefore: true, snapshot: { values: {}, recordedAt: LAPTOP.recordedAt } }), { kind: 'explain' });
  assert.deepEqual(decideMigration(remote), { kind: 'nothing' });
  assert.deepEqual(decideMigration({ ...remote, usedBefore: true, remoteSettled: true }), { kind: 'nothing' });
});

test("the copy leaves out every profile name this machine's AWS files lack, and copies the rest as it is", () => {
  const plan = copyPlan(LAPTOP, new Set(['prod-sms', 'team-b', 'default']));
  assert.deepEqual(plan.copy, { ...LAPTOP.values, secondaryProfiles: ['team-b'] });
  assert.deepEqual(plan.leftOut, [{ key: 'secondaryProfiles', value: 'team-a', why: "no profile of that name in this machine's AWS files" }]);
  const none = copyPlan(LAPTOP, new Set(['default']));
  assert.equal(none.copy.primaryProfile, undefined);
  assert.equal(none.copy.secondaryProfiles, undefined);
  assert.deepEqual(none.leftOut.map((l) => l.value), ['prod-sms', 'team-a', 'team-b']);
  // AWS files that could not be read: no name can be checked, so none is copied.
  const unread = copyPlan(LAPTOP, undefined);
  assert.deepEqual(unread.leftOut.map((l) => l.why), Array(3).fill("this machine's AWS files could not be read"));
  assert.equal(unread.copy.originationNumber, '+12065550100');
});

test('the words: what changed, each value before the copy (the external id never, the destination masked)', () => {
  assert.match(localNotice(), /now per machine.*stay in your user settings.*Settings Sync no longer copies them.*remote window/s);
  assert.match(offerText('ssh-remote', LAPTOP), /this remote \(ssh-remote\) has none\. Your local computer had 6 \(recorded 2026-11-30\)/);
  const { message, detail } = copyConfirmation('ssh-remote', copyPlan(LAPTOP, new Set(['prod-sms', 'team-b'])));
  assert.equal(message, 'Copy 10DLC settings from your local computer to ssh-remote?');
  assert.match(detail, /Primary profile: "prod-sms"/);
  assert.match(detail, /Secondary profile: "team-b"/);
  assert.match(detail, /Secondary profile "team-a": left out \(no profile of that name in this machine's AWS files\)/);
  assert.match(detail, /External id: \(set; not shown\)/);
  assert.match(detail, /Test destination: \+\*+0123/);
  assert.match(detail, /may belong to another account/);
  assert.ok(!detail.includes('ext-secret-value') && !detail.includes('5550123'), 'no external id, no full destination');
  assert.match(explainText('wsl'), /this remote \(wsl\) has none: values in your local user settings no longer apply in remote windows/);
});

test('the test harness puts the machine-scoped settings in the remote settings file of code-server, the rest in the user file', () => {
  const { user, machine } = splitSettingsByScope({ 'tendlc.primaryProfile': 'p', 'tendlc.roleName': 'r', 'workbench.startupEditor': 'none' }, pkg);
  assert.deepEqual(machine, { 'tendlc.primaryProfile': 'p' });
  assert.deepEqual(user, { 'tendlc.roleName': 'r', 'workbench.startupEditor': 'none' });
});
