/** Look Up Account Id: the explicit lookup, allowed to prompt for MFA, use SSO or run credential_process. */
import { reportError, resolveProfileArg, services, sessionPrompts, type Deps } from './common';

export async function lookupAccount(deps: Deps, arg?: unknown): Promise<string | undefined> {
  let name: string | undefined;
  try {
    const profile = await resolveProfileArg(deps, arg, 'Look Up Account Id');
    name = profile.name;
    const svc = await services(deps);
    const state = await deps.ui.progress(`Looking up the account of ${profile.name}…`, (signal) =>
      svc.accounts.resolve(profile, { interactive: true, mfaCodeProvider: sessionPrompts(deps).mfaCode, signal }),
    );
    if (state.status === 'error' && state.cancelled) {
      deps.log.info(`Look Up Account Id of "${profile.name}": cancelled.`);
      return undefined;
    }
    if (state.status === 'known') {
      deps.log.info(`Profile "${profile.name}" is account ${state.accountId}${state.arn ? ` as ${state.arn}` : ''}.`);
      void deps.ui.info(`Profile "${profile.name}" is account ${state.accountId}.`);
      return state.accountId;
    }
    const reason = state.status === 'error' ? `${state.reason} ${state.hint}` : state.status === 'deferred' ? state.reason : 'still looking up';
    deps.log.warn(`Account lookup for "${profile.name}": ${reason}`);
    const choice = await deps.ui.error(`Could not look up the account of "${profile.name}": ${deps.log.redactor.redact(reason)}`, 'Show Log');
    if (choice === 'Show Log') {
      deps.log.show();
    }
    return undefined;
  } catch (e) {
    await reportError(deps, e, 'GetCallerIdentity', name);
    return undefined;
  }
}
