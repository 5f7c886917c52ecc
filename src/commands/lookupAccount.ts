/** Look Up Account Id: the explicit lookup, allowed to prompt for MFA, use SSO or run credential_process. */
import * as vscode from 'vscode';
import { reportError, resolveProfileArg, services, sessionPrompts, type Deps } from './common';

export async function lookupAccount(deps: Deps, arg?: unknown): Promise<string | undefined> {
  let name: string | undefined;
  try {
    const profile = await resolveProfileArg(deps, arg, vscode.l10n.t('Look Up Account Id'));
    name = profile.name;
    const svc = await services(deps);
    const state = await deps.ui.progress(vscode.l10n.t('Looking up the account of {0}…', profile.name), (signal) =>
      svc.accounts.resolve(profile, { interactive: true, mfaCodeProvider: sessionPrompts(deps).mfaCode, signal }),
    );
    if (state.status === 'error' && state.cancelled) {
      deps.log.info(`Look Up Account Id of "${profile.name}": cancelled.`);
      return undefined;
    }
    if (state.status === 'known') {
      deps.log.info(`Profile "${profile.name}" is account ${state.accountId}${state.arn ? ` as ${state.arn}` : ''}.`);
      void deps.ui.info(vscode.l10n.t('Profile "{0}" is account {1}.', profile.name, state.accountId));
      return state.accountId;
    }
    const reason = state.status === 'error' ? `${state.reason} ${state.hint}` : state.status === 'deferred' ? state.reason : vscode.l10n.t('still looking up');
    deps.log.warn(`Account lookup for "${profile.name}": ${reason}`);
    const choice = await deps.ui.error(vscode.l10n.t('Could not look up the account of "{0}": {1}', profile.name, deps.log.redactor.redact(reason)), vscode.l10n.t('Show Log'));
    if (choice === vscode.l10n.t('Show Log')) {
      deps.log.show();
    }
    return undefined;
  } catch (e) {
    await reportError(deps, e, 'GetCallerIdentity', name);
    return undefined;
  }
}
