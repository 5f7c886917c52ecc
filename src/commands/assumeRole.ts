/** Assume Role (from a secondary profile into the primary's role) and Forget Session. */
import * as vscode from 'vscode';
import type { AssumedSession, AssumeRequest } from '../aws/index';
import { timeLeft } from '../core/format';
import type { AwsProfile } from '../core/profiles';
import { asProfileNode } from '../ui/profilesView';
import { regionOfProfile } from '../ui/settings';
import { checkRoleArn, reportError, requirePrimary, resolveProfileArg, services, sessionPrompts, UserError, type Deps, type PrimaryInfo } from './common';

/** The AssumeRole request for a secondary profile, from settings and the primary. */
export function assumeRequestFor(deps: Deps, profile: AwsProfile, primary: PrimaryInfo): AssumeRequest {
  const s = deps.state.settings;
  if (profile.name === primary.profile.name) {
    throw new UserError(vscode.l10n.t('"{0}" is the primary profile; it does not need to assume its own account\'s role.', profile.name), vscode.l10n.t('Choose a secondary profile.'));
  }
  checkRoleArn(primary.roleArn);
  return {
    profile,
    primaryAccountId: primary.accountId,
    roleArn: primary.roleArn,
    roleName: s.roleName,
    externalId: s.externalId,
    requireMfa: s.requireMfa,
    region: regionOfProfile(profile) ?? primary.region,
  };
}

/** Registers a session's secrets with the log's redactor before anything could print them. */
export function protect(deps: Deps, session: AssumedSession): void {
  deps.log.redactor.addSecret(session.credentials.accessKeyId);
  deps.log.redactor.addSecret(session.credentials.secretAccessKey);
  deps.log.redactor.addSecret(session.credentials.sessionToken);
}

export async function assumeRole(deps: Deps, arg?: unknown): Promise<AssumedSession | undefined> {
  let profileName: string | undefined = asProfileNode(arg)?.name;
  let roleArn: string | undefined;
  try {
    if (deps.state.settings.sharingMode === 'resourceShare') {
      throw new UserError(
        vscode.l10n.t('Secondaries do not assume a role in resourceShare mode: they send with their own credentials through the number the primary shares with them.'),
        vscode.l10n.t('Use Dry Run Send or Send Test SMS on the secondary, or set tendlc.sharingMode to "role" to use the cross-account role.'),
        [{ label: vscode.l10n.t('Open Settings'), command: 'workbench.action.openSettings?tendlc.sharingMode' }],
      );
    }
    const profile = await resolveProfileArg(deps, arg, vscode.l10n.t('Assume Role: choose the secondary profile to assume it with'), 'secondary');
    profileName = profile.name;
    const primary = await requirePrimary(deps);
    const request = assumeRequestFor(deps, profile, primary);
    roleArn = request.roleArn;
    const svc = await services(deps);
    deps.log.info(`Assuming ${request.roleArn} with profile "${profile.name}"${request.externalId ? ' (external id set)' : ''}${request.requireMfa ? ' (MFA)' : ''}…`);
    const session = await deps.ui.progress(vscode.l10n.t('Assuming {0}\'s role with {1}…', primary.profile.name, profile.name), (signal) => svc.sessions.assume(request, sessionPrompts(deps), signal));
    protect(deps, session);
    deps.log.info(`Assumed ${session.assumedRoleArn} (primary account ${session.accountId}); session valid until ${session.expiration.toISOString()}.`);
    void deps.ui.info(vscode.l10n.t('Profile "{0}" assumed role {1} in primary account {2} · {3}.', profile.name, request.roleName, session.accountId, timeLeft(session.expiration)));
    return session;
  } catch (e) {
    await reportError(deps, e, 'AssumeRole', profileName, roleArn);
    return undefined;
  }
}

export async function forgetSession(deps: Deps, arg?: unknown): Promise<void> {
  const name = asProfileNode(arg)?.name;
  const svc = await services(deps);
  svc.sessions.forget(name);
  deps.log.info(name ? `Forgot the assumed session of "${name}".` : 'Forgot every assumed session.');
}
