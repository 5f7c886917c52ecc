/**
 * Wires the extension: log first, then services, the view and the commands. Nothing here calls AWS
 * or loads the AWS SDK; the profile files are read when the view first asks for its children.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { configureL10n } from './core/l10n';
import { registerCommands } from './commands/index';
import type { Deps } from './commands/common';
import { ProfileLoader } from './core/profileLoader';
import { RecentSends } from './core/sendGuard';
import { pollSchedule } from './core/delivery';
import { SendHistory } from './ui/sendHistory';
import { AwsGateway } from './ui/awsLoader';
import { trackContextKeys } from './ui/contextKeys';
import { Log, OUTPUT_CHANNEL_NAME } from './ui/log';
import { PolicyDocuments } from './ui/policyDocuments';
import { ProfileState } from './ui/profileState';
import { ProfilesView } from './ui/profilesView';
import { vscodeUi, type Ui } from './ui/prompts';
import { redactingUi, redactKeeping } from './ui/redactingUi';
import { usNumberForms } from './core/redact';
import { effectiveRegion } from './ui/settings';
import { SettingsMigration } from './ui/settingsMigration';

/** What activate() returns: used by the extension-host tests only (in ExtensionMode.Test). */
export interface TestApi {
  readonly deps: Deps;
  /** Where the output channel is written on disk (tests scan it). */
  readonly logFile: vscode.Uri;
  /** The one-time move of the machine-scoped settings, and the globalState it keeps its records in. */
  readonly migration: SettingsMigration;
  readonly globalState: vscode.Memento;
  setUi(ui: Ui): void;
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const log = new Log();
  context.subscriptions.push(log);
  // src/core localises through @vscode/l10n: give it this display language's bundle (none in English).
  configureL10n(vscode.l10n.bundle);
  const loader = new ProfileLoader(process.env, os.homedir());
  const state = new ProfileState(loader, log);
  const aws = new AwsGateway({
    logger: log,
    env: process.env,
    // The AWS layer resolves credentials from the tree's parse of the files: one parse per change for both.
    profileFiles: loader,
    // The ids of the 10DLC number (not secrets) outlive a restart: the first send reads the number in one round trip.
    store: context.globalState,
    defaultRegion: () => effectiveRegion(state.settings, state.profile(state.settings.primaryProfile ?? '')),
    l10nBundle: vscode.l10n.bundle,
  });
  const history = new SendHistory(context.globalState, (t) => log.redact(t));
  const view = new ProfilesView(state, aws, history);
  // Documents keep the shared number they name, and a policy (JSON) the external id its trust condition requires;
  // a report (Markdown) does not keep the external id, which an error it quotes may echo.
  const docs = new PolicyDocuments((t, file) =>
    redactKeeping(t, (x) => log.redact(x), [...(file.endsWith('.json') ? [state.settings.externalId ?? ''] : []), ...usNumberForms(state.settings.originationNumber ?? '')]),
  );
  context.subscriptions.push(state, view, docs, history, aws, trackContextKeys(state));
  // Every notification passes through the log's redactor; the shared number the confirmation names stays readable.
  const redacted = (ui: Ui): Ui => redactingUi(ui, (t) => log.redact(t), () => usNumberForms(state.settings.originationNumber ?? ''));
  const deps: Deps = { state, view, aws, log, docs, history, recentSends: new RecentSends(), pollDelays: pollSchedule(180_000), ui: redacted(vscodeUi) };
  context.subscriptions.push(
    // The secrets of every profile, and the external id, are known to the redactor before anything can show them.
    state.onDidChange(() => {
      log.secret(state.settings.externalId);
      void log.addSecretsFromFiles(state.profiles ? [state.profiles.configPath, state.profiles.credentialsPath] : []);
    }),
    // Cached credentials files are re-read after an AWS file changed (only once the AWS layer is loaded).
    state.onDidChange(() => {
      if (aws.loaded) {
        void aws.get().then((s) => s.clients.markFilesChanged());
      }
    }),
  );
  registerCommands(context, deps);
  // Settings that name profiles and numbers became per machine: record them (local window) or offer them (remote).
  const migration = new SettingsMigration(context.globalState, state, history, log, () => deps.ui);
  context.subscriptions.push(migration);
  void migration.run();
  log.info(`10DLC Cross-Account Access ${String(context.extension.packageJSON.version)} activated.`);
  if (context.extensionMode === vscode.ExtensionMode.Test) {
    return { deps, logFile: vscode.Uri.joinPath(context.logUri, `${OUTPUT_CHANNEL_NAME}.log`), migration, globalState: context.globalState, setUi: (ui) => (deps.ui = redacted(ui)) };
  }
  return undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
