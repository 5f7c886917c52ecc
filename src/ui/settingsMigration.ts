/**
 * The one-time move of the settings that became `machine`-scoped (the decisions are in core/settingsMigration.ts).
 *
 * What it relies on, as documented or answered by VS Code's maintainers, and checked in the extension-host tier
 * (code-server is a remote window):
 * - A `machine`-scoped setting is read "only from User settings" when the extension runs locally and "only from
 *   Remote settings on the remote machine" when it runs remotely (VS Code team, on adopting machine scope, 1.34:
 *   github.com/JohnstonCode/svn-scm/issues/613). Host tier: a value in code-server's user settings is not read, one
 *   in its remote (Machine) settings is, and ConfigurationTarget.Global writes there.
 * - Settings Sync ignores `machine` and `machine-overridable` settings (microsoft/vscode#103613).
 * - "global state is persisted in the local machine where you launch VS Code from", shared by its remote windows,
 *   whichever remote (microsoft/vscode#130099); it is synced only for keys given to setKeysForSync (none here).
 * - An extension's `extensionKind: ["workspace"]` runs it where the workspace is: the remote in a remote window.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
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
  type MachineValues,
} from '../core/settingsMigration';
import type { Log } from './log';
import type { ProfileState } from './profileState';
import type { Ui } from './prompts';
import type { SendHistory } from './sendHistory';
import { SECTION } from './settings';

/** globalState keys (on the client, shared by its local and remote windows, never synced). */
export const SNAPSHOT_KEY = 'tendlc.localMachineSettings';
/** Set by the first local run of the move: whether the notice was needed is decided once. */
export const NOTICE_KEY = 'tendlc.machineScopeNoticeDecided';
export const SETTLED_KEY = 'tendlc.machineScopeSettledRemotes';

export const REVIEW_BUTTON = vscode.l10n.t('Review and Copy…');
export const NOT_NOW_BUTTON = vscode.l10n.t('Not Now');
export const NEVER_HERE_BUTTON = vscode.l10n.t('Don\'t Ask Again Here');
export const COPY_BUTTON = vscode.l10n.t('Copy to Remote Settings');
export const SET_PRIMARY_BUTTON = vscode.l10n.t('Set Primary Profile');
export const REMOTE_SETTINGS_BUTTON = vscode.l10n.t('Open Remote Settings');

export type MigrationOutcome = 'recorded' | 'noticed' | 'copied' | 'declined' | 'not-now' | 'explained' | 'nothing';

export class SettingsMigration implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly memento: vscode.Memento,
    private readonly state: ProfileState,
    private readonly history: SendHistory,
    private readonly log: Log,
    /** The current Ui (the tests replace it after activation). */
    private readonly ui: () => Ui,
    private readonly remoteName: string | undefined = vscode.env.remoteName,
  ) {
    if (remoteName === undefined) {
      // A local window keeps the snapshot equal to its user settings, for the remote windows of this client.
      this.subscriptions.push(
        vscode.workspace.onDidChangeConfiguration((e) => {
          if (MACHINE_SETTINGS.some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) {
            void this.record(this.here());
          }
        }),
      );
    }
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
  }

  /** The machine settings as this window's user settings hold them (the remote's, in a remote window). */
  here(): MachineValues {
    const c = vscode.workspace.getConfiguration(SECTION);
    return machineValues((k) => c.inspect(k)?.globalValue);
  }

  /** This remote, for "don't ask again": the remote's kind and host name (the extension runs there). */
  private remoteKey(): string {
    return `${this.remoteName ?? 'local'}:${os.hostname()}`;
  }

  /** Records what a local window's user settings hold (undefined or empty: forgets the recording). */
  async record(values: MachineValues | undefined): Promise<void> {
    if (values === undefined || isEmpty(values)) {
      await this.memento.update(SNAPSHOT_KEY, undefined);
      return;
    }
    const before = this.memento.get<LocalSnapshot>(SNAPSHOT_KEY);
    if (JSON.stringify(before?.values) !== JSON.stringify(values)) {
      await this.memento.update(SNAPSHOT_KEY, { values, recordedAt: new Date().toISOString() } satisfies LocalSnapshot);
    }
  }

  private settled(): string[] {
    return this.memento.get<string[]>(SETTLED_KEY, []);
  }

  private async settle(): Promise<void> {
    await this.memento.update(SETTLED_KEY, [...new Set([...this.settled(), this.remoteKey()])]);
  }

  /** Runs the move once for this window; resolves with what it did. */
  async run(): Promise<MigrationOutcome> {
    const decision = decideMigration({
      remoteName: this.remoteName,
      here: this.here(),
      snapshot: this.memento.get<LocalSnapshot>(SNAPSHOT_KEY),
      noticeDecided: this.memento.get<boolean>(NOTICE_KEY, false),
      remoteSettled: this.settled().includes(this.remoteKey()),
      usedBefore: this.history.all().length > 0,
    });
    switch (decision.kind) {
      case 'local': {
        await this.record(decision.record);
        await this.memento.update(NOTICE_KEY, true);
        if (!decision.notice) {
          return decision.record ? 'recorded' : 'nothing';
        }
        this.log.info(`Settings: ${localNotice()}`);
        void this.ui().info(localNotice());
        return 'noticed';
      }
      case 'offer':
        return this.offer(decision.snapshot);
      case 'explain': {
        const remote = this.remoteName ?? '';
        await this.settle();
        this.log.info(`Settings: ${explainText(remote)}`);
        void this.ui()
          .info(explainText(remote), SET_PRIMARY_BUTTON, REMOTE_SETTINGS_BUTTON)
          .then(async (choice) => {
            if (choice === SET_PRIMARY_BUTTON) {
              await vscode.commands.executeCommand('tendlc.setPrimary');
            } else if (choice === REMOTE_SETTINGS_BUTTON) {
              await vscode.commands.executeCommand('workbench.action.openRemoteSettings');
            }
          });
        return 'explained';
      }
      case 'nothing':
        return 'nothing';
    }
  }

  /** Offers the local snapshot to this remote: a look at each value first, then the copy to the remote's settings. */
  private async offer(snapshot: LocalSnapshot): Promise<MigrationOutcome> {
    const remote = this.remoteName ?? '';
    const ui = this.ui();
    const choice = await ui.choose(offerText(remote, snapshot), [REVIEW_BUTTON, NOT_NOW_BUTTON, NEVER_HERE_BUTTON]);
    if (choice === NEVER_HERE_BUTTON) {
      await this.settle();
      this.log.info(`Settings: the local 10DLC settings are not copied to ${remote} (not to be asked again here).`);
      return 'declined';
    }
    if (choice !== REVIEW_BUTTON) {
      this.log.info(`Settings: the local 10DLC settings were not copied to ${remote} (asked again next time).`);
      return 'not-now';
    }
    // The profile names are checked against this machine's AWS files: a laptop's names are never applied unseen.
    let names: ReadonlySet<string> | undefined;
    try {
      names = new Set((await this.state.ensureLoaded()).profiles.map((p) => p.name));
    } catch {
      names = undefined;
    }
    const plan = copyPlan(snapshot, names);
    const { message, detail } = copyConfirmation(remote, plan);
    if (isEmpty(plan.copy)) {
      await this.settle();
      this.log.warn(`Settings: nothing of the local 10DLC settings can be copied to ${remote}. ${detail.replace(/\n+/g, ' ')}`);
      void ui.warn(vscode.l10n.t('Nothing of your local 10DLC settings can be copied to {0}: {1}.', remote, plan.leftOut.map((l) => `"${l.value}" (${l.why})`).join(', ')));
      return 'declined';
    }
    if ((await ui.modal(message, detail, [COPY_BUTTON])) !== COPY_BUTTON) {
      this.log.info(`Settings: the copy of the local 10DLC settings to ${remote} was cancelled (asked again next time).`);
      return 'not-now';
    }
    const c = vscode.workspace.getConfiguration(SECTION);
    // The offer may have waited for hours: a value the user set on this remote meanwhile is theirs and is kept.
    const now = this.here();
    const kept = MACHINE_SETTINGS.filter((k) => plan.copy[k] !== undefined && now[k] !== undefined);
    const copied = MACHINE_SETTINGS.filter((k) => plan.copy[k] !== undefined && now[k] === undefined);
    // User (global) settings: in a remote window, the remote's user settings.
    for (const k of copied) {
      const v = plan.copy[k];
      if (v !== undefined) {
        await c.update(k, Array.isArray(v) ? [...v] : v, vscode.ConfigurationTarget.Global);
      }
    }
    await this.settle();
    const keptIds = kept.map((k) => `tendlc.${k}`);
    const keptWords = kept.length ? vscode.l10n.t('; kept {0}, set here meanwhile', kept.length === 2 ? vscode.l10n.t('{0} and {1}', keptIds[0], keptIds[1]) : keptIds.join(', ')) : '';
    this.log.info(`Settings: copied ${copied.map((k) => `tendlc.${k}`).join(', ') || 'nothing'} from the local computer's settings to the remote settings of ${remote}${kept.length ? `; kept ${keptIds.join(kept.length === 2 ? ' and ' : ', ')}, set here meanwhile` : ''}${plan.leftOut.length ? `; left out ${plan.leftOut.map((l) => `${l.key} "${l.value}" (${l.why})`).join(', ')}` : ''}.`);
    void ui.info(vscode.l10n.t('Copied {0} to the remote settings of {1}{2}{3}.', copied.length === 1 ? vscode.l10n.t('one 10DLC setting') : vscode.l10n.t('{0} 10DLC settings', copied.length), remote, keptWords, plan.leftOut.length ? vscode.l10n.t('; {0} left out (see the log)', plan.leftOut.length) : ''));
    return 'copied';
  }
}
