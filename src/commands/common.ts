/** Pieces every command handler shares: services, picking a profile, the primary, error reporting. */
import * as vscode from 'vscode';
import type { AwsServices, SessionPrompts } from '../aws/index';
import type { AwsProfile } from '../core/profiles';
import { validateAccountId, validateExternalId, validateMfaCode, validateRoleArn, validateRoleName, type Validation } from '../core/validate';
import type { AwsGateway } from '../ui/awsLoader';
import type { Log } from '../ui/log';
import type { ProfileState } from '../ui/profileState';
import { asProfileNode, type ProfilesView } from '../ui/profilesView';
import type { InputOptions, Ui } from '../ui/prompts';
import { effectiveRegion, regionOfProfile } from '../ui/settings';
import { roleArn } from '../core/policies';
import type { PolicyDocuments } from '../ui/policyDocuments';
import type { RecentSends } from '../core/sendGuard';
import type { SendHistory } from '../ui/sendHistory';

export interface Deps {
  readonly state: ProfileState;
  readonly view: ProfilesView;
  readonly aws: AwsGateway;
  readonly log: Log;
  readonly docs: PolicyDocuments;
  /** Recent test sends, so a repeat to the same number asks again. */
  readonly recentSends: RecentSends;
  /** Test sends with their delivery status, shown under the profile that sent them. */
  readonly history: SendHistory;
  /** Waits between delivery-status looks (about three minutes in all; tests shorten it). */
  pollDelays: readonly number[];
  /** Replaceable by the extension-host tests (see the API returned by activate). */
  ui: Ui;
}

/** Thrown when the user dismisses a prompt: the command stops quietly. */
export class Cancelled extends Error {
  constructor() {
    super(vscode.l10n.t('cancelled by the user'));
    this.name = 'Cancelled';
  }
}

export async function services(deps: Deps): Promise<AwsServices> {
  const s = await deps.aws.get();
  deps.view.attach(s);
  return s;
}

/**
 * The profile a command acts on: the tree node it was invoked on, a profile name passed by another
 * command, or one the user picks (secondaries first).
 */
export async function resolveProfileArg(deps: Deps, arg: unknown, title: string, prefer: 'secondary' | 'any' = 'any'): Promise<AwsProfile> {
  const loaded = await deps.state.ensureLoaded();
  const node = asProfileNode(arg);
  const name = node?.name ?? (typeof arg === 'string' ? arg : undefined);
  if (name) {
    const p = loaded.byName.get(name);
    if (!p) {
      throw new UserError(vscode.l10n.t('Profile "{0}" is not in your AWS config or credentials file.', name), vscode.l10n.t('Refresh the 10DLC view, or add the profile.'));
    }
    return p;
  }
  if (loaded.profiles.length === 0) {
    throw new UserError(vscode.l10n.t('No AWS profiles found in {0} or {1}.', loaded.configPath, loaded.credentialsPath), vscode.l10n.t('Create one with "aws configure" or "aws configure sso", then refresh.'));
  }
  const s = deps.state.settings;
  const rank = (p: AwsProfile): number => (prefer === 'secondary' && s.secondaryProfiles.includes(p.name) ? 0 : p.name === s.primaryProfile ? 2 : 1);
  const items = [...loaded.profiles]
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))
    .map((p) => ({
      label: p.name,
      description: [s.primaryProfile === p.name ? 'primary' : s.secondaryProfiles.includes(p.name) ? 'secondary' : '', p.kindLabel, regionOfProfile(p) ?? ''].filter(Boolean).join(' · '),
      value: p,
    }));
  const picked = await deps.ui.pick(items, { title, placeHolder: vscode.l10n.t('Choose an AWS profile') });
  if (!picked) {
    throw new Cancelled();
  }
  return picked;
}

/** An error whose message and hint are meant for the user as they are. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly actions: readonly { label: string; command: string }[] = [],
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export interface PrimaryInfo {
  readonly profile: AwsProfile;
  readonly accountId: string;
  readonly region: string;
  readonly roleArn: string;
}

/** The primary profile with its account id (looked up now if needed) and the role ARN. */
export async function requirePrimary(deps: Deps): Promise<PrimaryInfo> {
  const s = deps.state.settings;
  await deps.state.ensureLoaded();
  if (!s.primaryProfile) {
    throw new UserError(vscode.l10n.t('No primary profile is set.'), vscode.l10n.t('Choose the profile of the account that owns the 10DLC number.'), [{ label: vscode.l10n.t('Set Primary Profile'), command: 'tendlc.setPrimary' }]);
  }
  const profile = deps.state.profile(s.primaryProfile);
  if (!profile) {
    throw new UserError(vscode.l10n.t('The primary profile "{0}" is not in your AWS files.', s.primaryProfile), vscode.l10n.t('Choose another primary profile, or add that profile.'), [{ label: vscode.l10n.t('Set Primary Profile'), command: 'tendlc.setPrimary' }]);
  }
  const accountId = await accountIdOf(deps, profile);
  const region = effectiveRegion(s, profile);
  return { profile, accountId, region, roleArn: roleArn(accountId, s.roleName, region) };
}

/**
 * A profile's account id, looked up interactively (the user is acting on it): known already, or looked up in a
 * cancellable progress notification (never a silent wait on a background lookup). Cancel stops the command; when
 * the lookup fails, the user may type the id instead.
 */
export async function accountIdOf(deps: Deps, profile: AwsProfile): Promise<string> {
  if (profile.declaredAccountId) {
    return profile.declaredAccountId;
  }
  const svc = await services(deps);
  const known = svc.accounts.peek(profile);
  const state =
    known?.status === 'known'
      ? known
      : await deps.ui.progress(vscode.l10n.t('Looking up the account of profile "{0}"…', profile.name), (signal) =>
          svc.accounts.resolve(profile, { interactive: true, mfaCodeProvider: sessionPrompts(deps).mfaCode, signal }),
        );
  if (state.status === 'known') {
    return state.accountId;
  }
  if (state.status === 'error' && state.cancelled) {
    throw new Cancelled();
  }
  const reason = state.status === 'error' ? `${state.reason} ${state.hint}` : 'unknown';
  deps.log.warn(`Account id of profile "${profile.name}" could not be looked up: ${reason}`);
  const r = await askValid(
    deps,
    { title: vscode.l10n.t('Account id of profile "{0}"', profile.name), prompt: vscode.l10n.t('Looking it up failed ({0}). Enter the 12-digit account id, or press Escape to stop.', reason) },
    validateAccountId,
    'Enter 12 digits.',
  );
  return r.value;
}

/**
 * Waits on AWS in a cancellable progress notification whose Cancel ends the command: once the signal has fired,
 * whatever the task still answers (a report of "cancelled" checks, a fallback it chose) is dropped and the command
 * stops quietly. Only for reads: a send or a write cancelled after its request went out must still say so.
 */
export async function waitOnAws<T>(deps: Deps, title: string, task: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Promise<T> {
  return deps.ui.progress(title, async (signal, report) => {
    let out: T;
    try {
      out = await task(signal, report);
    } catch (e) {
      throw signal.aborted ? new Cancelled() : e;
    }
    if (signal.aborted) {
      throw new Cancelled();
    }
    return out;
  });
}

/** Prompts the session manager uses: MFA code and device. */
export function sessionPrompts(deps: Deps): SessionPrompts {
  return {
    mfaCode: async (serial) =>
      (
        await askValid(
          deps,
          { title: vscode.l10n.t('MFA code'), prompt: vscode.l10n.t('Enter the current code of MFA device {0}', serial), placeHolder: '123456' },
          validateMfaCode,
          vscode.l10n.t('Enter the 6 digits shown by the device.'),
        )
      ).value,
    mfaSerial: async (profile) => {
      const arn = await deps.ui.input({
        title: vscode.l10n.t('MFA device'),
        prompt: vscode.l10n.t('The role requires MFA and profile "{0}" has no mfa_serial. Enter your MFA device ARN.', profile),
        placeHolder: vscode.l10n.t('arn:aws:iam::222222222222:mfa/alice'),
        validate: (v) => (/^arn:[a-z-]+:iam::\d{12}:(mfa|u2f)\/.+$/.test(v.trim()) ? undefined : vscode.l10n.t('An MFA device ARN looks like arn:aws:iam::ACCOUNT:mfa/NAME.')),
      });
      if (arn === undefined) {
        throw new Cancelled();
      }
      return arn.trim();
    },
  };
}

/**
 * Asks for a value and validates it with one of the core validators: the input box shows the rule while
 * typing, and the value is checked again after. Escape cancels the command.
 */
export async function askValid<T>(
  deps: Deps,
  options: Omit<InputOptions, 'validate'>,
  validate: (input: string) => Validation<T>,
  hint: string,
): Promise<{ value: T; warnings: string[] }> {
  const typed = await deps.ui.input({
    ...options,
    validate: (v) => {
      const r = validate(v);
      return r.ok ? undefined : r.error;
    },
  });
  if (typed === undefined) {
    throw new Cancelled();
  }
  const r = validate(typed);
  if (!r.ok) {
    throw new UserError(r.error, hint);
  }
  return r;
}

/** Checks a role ARN built from settings before it is used (the role name setting may be bad). */
export function checkRoleArn(arn: string): void {
  const r = validateRoleArn(arn);
  if (!r.ok) {
    throw new UserError(vscode.l10n.t('The role ARN {0} is not valid: {1}', arn, r.error), vscode.l10n.t('Fix the setting tendlc.roleName.'), [{ label: vscode.l10n.t('Open Settings'), command: 'workbench.action.openSettings?tendlc.roleName' }]);
  }
}

/** Shows an error with its hint and a "Show Log" button; the detail goes to the log. */
export async function reportError(deps: Deps, e: unknown, operation: string, profile?: string, roleArn?: string): Promise<void> {
  if (e instanceof Cancelled) {
    deps.log.info(`${operation}: cancelled.`);
    return;
  }
  let message: string;
  let hint: string;
  let actions: readonly { label: string; command: string }[] = [];
  if (e instanceof UserError) {
    ({ message, hint, actions } = e);
  } else {
    const mod = await deps.aws.mod();
    const x = mod.explainError(e, { operation, profile, roleArn });
    if (x.category === 'cancelled') {
      deps.log.info(`${operation}: cancelled.`);
      return;
    }
    message = x.message;
    hint = x.hint;
    deps.log.error(`${operation} failed [${x.code}]: ${message} — ${hint}`);
  }
  if (e instanceof UserError) {
    deps.log.error(`${operation}: ${message} — ${hint}`);
  }
  const labels = [...actions.map((a) => a.label), vscode.l10n.t('Show Log')];
  const chosen = await deps.ui.error(deps.log.redactor.redact(`${message} ${hint}`), ...labels);
  if (chosen === vscode.l10n.t('Show Log')) {
    deps.log.show();
  } else {
    const action = actions.find((a) => a.label === chosen);
    if (action) {
      const [command, query] = action.command.split('?');
      await vscode.commands.executeCommand(command, ...(query ? [query] : []));
    }
  }
}

export interface TrustPlan {
  readonly primary: PrimaryInfo;
  readonly externalId?: string;
  /** Every secondary with its account id (profiles, or ids the user typed when there are none). */
  readonly secondaries: readonly { name: string; accountId: string }[];
  /** The distinct secondary accounts the role must trust (the primary's own account left out). */
  readonly trusted: readonly string[];
}

/**
 * What the role's trust policy must say, from validated settings: the primary, the external id and
 * the secondary accounts. Shared by Generate Policies and Create or Update Role.
 */
export async function trustPlan(deps: Deps): Promise<TrustPlan> {
  const s = deps.state.settings;
  const name = validateRoleName(s.roleName);
  if (!name.ok) {
    throw new UserError(vscode.l10n.t('The role name "{0}" is not valid: {1}', s.roleName, name.error), vscode.l10n.t('Fix the setting tendlc.roleName.'), [{ label: vscode.l10n.t('Open Settings'), command: 'workbench.action.openSettings?tendlc.roleName' }]);
  }
  let externalId: string | undefined;
  if (s.externalId) {
    const x = validateExternalId(s.externalId);
    if (!x.ok) {
      throw new UserError(vscode.l10n.t('The external id setting is not valid: {0}', x.error), vscode.l10n.t('Fix the setting tendlc.externalId.'), [{ label: vscode.l10n.t('Open Settings'), command: 'workbench.action.openSettings?tendlc.externalId' }]);
    }
    externalId = x.value;
  }
  const primary = await requirePrimary(deps);
  checkRoleArn(primary.roleArn);
  const secondaries: { name: string; accountId: string }[] = [];
  for (const n of s.secondaryProfiles) {
    const p = deps.state.profile(n);
    if (!p) {
      deps.log.warn(`Secondary "${n}" is not in the AWS files; left out of the trust policy.`);
      continue;
    }
    secondaries.push({ name: n, accountId: await accountIdOf(deps, p) });
  }
  if (secondaries.length === 0) {
    const typed = await deps.ui.input({
      title: vscode.l10n.t('Secondary accounts'),
      prompt: vscode.l10n.t('No secondary profiles are set. Enter the 12-digit account ids that may send through the primary, separated by commas.'),
      placeHolder: '222222222222, 333333333333',
      validate: (v) => {
        const ids = v.split(',').map((x) => x.trim()).filter(Boolean);
        const bad = ids.find((x) => !validateAccountId(x).ok);
        return ids.length === 0 ? vscode.l10n.t('Enter at least one account id.') : bad ? vscode.l10n.t('"{0}" is not a 12-digit account id.', bad) : undefined;
      },
    });
    if (typed === undefined) {
      throw new Cancelled();
    }
    for (const id of typed.split(',').map((x) => x.trim()).filter(Boolean)) {
      const r = validateAccountId(id);
      if (!r.ok) {
        throw new UserError(r.error, vscode.l10n.t('Enter 12-digit account ids separated by commas.'));
      }
      secondaries.push({ name: vscode.l10n.t('account {0}', r.value), accountId: r.value });
    }
  }
  const sameAsPrimary = secondaries.filter((x) => x.accountId === primary.accountId);
  if (sameAsPrimary.length) {
    deps.log.warn(`Secondary ${sameAsPrimary.map((x) => x.name).join(', ')} is in the primary account ${primary.accountId}; a role need not trust its own account, so it is left out.`);
  }
  const trusted = [...new Set(secondaries.filter((x) => x.accountId !== primary.accountId).map((x) => x.accountId))];
  if (trusted.length === 0) {
    throw new UserError(vscode.l10n.t('Every secondary is in the primary account itself, so there is nothing to trust.'), vscode.l10n.t('Add profiles of other accounts as secondaries.'));
  }
  return { primary, externalId, secondaries, trusted };
}
