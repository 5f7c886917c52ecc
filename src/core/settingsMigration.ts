/**
 * The one-time move of the settings that became `machine`-scoped (issue 14): what to record, say or offer in a local
 * and in a remote window. Pure: the UI layer (ui/settingsMigration.ts) reads VS Code's state, asks, and writes.
 *
 * Facts it relies on (sources in the report and in ui/settingsMigration.ts):
 * - A `machine` setting is read where the extension host runs: in a local window from the local user settings (so
 *   values written there before the change keep working), in a remote window (Remote-SSH, WSL, dev containers,
 *   code-server) only from the remote's user settings — values in the local user settings no longer apply there.
 *   Workspace settings never count for it (nor for `application`).
 * - Settings Sync does not sync `machine` settings.
 * - An extension's globalState is stored by the client (where VS Code's window runs), shared by its local window and
 *   every remote window of that client, and not synced.
 * - ConfigurationTarget.Global is the remote's user settings in a remote window.
 *
 * So: a local window records what its user settings hold (a snapshot in globalState) and says once, to a user who had
 * values, what changed; a remote window whose settings hold none of them offers to copy the snapshot into the
 * remote's settings, listing each value and leaving out profile names the remote's AWS files do not have. Nothing is
 * written without the user's say, and nothing is deleted.
 */
import * as l10n from '@vscode/l10n';
import { maskPhoneNumber } from './validate';

/** The settings that name profiles, numbers, the region and the external id: per machine since issue 14. */
export const MACHINE_SETTINGS = ['primaryProfile', 'secondaryProfiles', 'originationNumber', 'region', 'externalId', 'testDestinationNumber'] as const;
export type MachineKey = (typeof MACHINE_SETTINGS)[number];

export interface MachineValues {
  readonly primaryProfile?: string;
  readonly secondaryProfiles?: readonly string[];
  readonly originationNumber?: string;
  readonly region?: string;
  readonly externalId?: string;
  readonly testDestinationNumber?: string;
}

/** What a local window's user settings held, as a remote window reads it from globalState. */
export interface LocalSnapshot {
  readonly values: MachineValues;
  /** ISO time of the recording. */
  readonly recordedAt: string;
}

/** The user-level values of the machine settings, from `inspect(key).globalValue` of each: wrong types dropped. */
export function machineValues(read: (key: MachineKey) => unknown): MachineValues {
  const str = (k: MachineKey): string | undefined => {
    const v = read(k);
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const list = read('secondaryProfiles');
  const secondaries = Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : [];
  const out: Record<string, unknown> = {
    primaryProfile: str('primaryProfile'),
    secondaryProfiles: secondaries.length ? secondaries : undefined,
    originationNumber: str('originationNumber'),
    region: str('region'),
    externalId: str('externalId'),
    testDestinationNumber: str('testDestinationNumber'),
  };
  for (const k of Object.keys(out)) {
    if (out[k] === undefined) delete out[k];
  }
  return out as MachineValues;
}

export function isEmpty(v: MachineValues | undefined): boolean {
  return !v || MACHINE_SETTINGS.every((k) => v[k] === undefined);
}

/** A value that is not copied, and why. */
export interface LeftOut {
  readonly key: MachineKey;
  readonly value: string;
  readonly why: string;
}

/** What a copy into the remote's settings would write, and what it leaves out. */
export interface CopyPlan {
  readonly copy: MachineValues;
  readonly leftOut: readonly LeftOut[];
  readonly recordedAt: string;
}

/**
 * The copy of a local snapshot into a machine whose AWS files hold `profilesHere` (undefined: they could not be read,
 * so no profile name can be checked and none is copied): a profile name is copied only when a profile of that name
 * exists here; the number, region, external id and destination are copied as they are.
 */
export function copyPlan(snapshot: LocalSnapshot, profilesHere: ReadonlySet<string> | undefined): CopyPlan {
  const v = snapshot.values;
  const leftOut: LeftOut[] = [];
  const exists = (name: string): boolean => profilesHere?.has(name) ?? false;
  const why = profilesHere ? "no profile of that name in this machine's AWS files" : "this machine's AWS files could not be read";
  const copy: Record<string, unknown> = { ...v };
  if (v.primaryProfile && !exists(v.primaryProfile)) {
    leftOut.push({ key: 'primaryProfile', value: v.primaryProfile, why });
    delete copy['primaryProfile'];
  }
  if (v.secondaryProfiles) {
    const kept = v.secondaryProfiles.filter(exists);
    for (const name of v.secondaryProfiles.filter((n) => !exists(n))) {
      leftOut.push({ key: 'secondaryProfiles', value: name, why });
    }
    if (kept.length) {
      copy['secondaryProfiles'] = kept;
    } else {
      delete copy['secondaryProfiles'];
    }
  }
  return { copy: copy as MachineValues, leftOut, recordedAt: snapshot.recordedAt };
}

export interface MigrationInput {
  /** `vscode.env.remoteName`: undefined in a local window. */
  readonly remoteName?: string;
  /** The machine settings as this window's user settings hold them (the remote's, in a remote window). */
  readonly here: MachineValues;
  /** The last local window's recording, if any. */
  readonly snapshot?: LocalSnapshot;
  /**
   * A local window of this version has run the move before (globalState): the notice is for users who had values
   * when they upgraded, not for those who set them later.
   */
  readonly noticeDecided: boolean;
  /** This remote has had its offer or explanation, and the user copied or said not to ask again. */
  readonly remoteSettled: boolean;
  /** Test sends are in the history: the extension was used from this client before. */
  readonly usedBefore: boolean;
}

export type MigrationDecision =
  /**
   * Local window: keep the snapshot equal to the local user settings (undefined: none to keep); on the first run, say
   * what changed when there are values.
   */
  | { readonly kind: 'local'; readonly record: MachineValues | undefined; readonly notice: boolean }
  /** Remote window without values: offer the snapshot (the plan is made once the remote's AWS files are read). */
  | { readonly kind: 'offer'; readonly snapshot: LocalSnapshot }
  /** Remote window without values or snapshot, after earlier use: say why the settings are empty here. */
  | { readonly kind: 'explain' }
  | { readonly kind: 'nothing' };

export function decideMigration(i: MigrationInput): MigrationDecision {
  if (i.remoteName === undefined) {
    const has = !isEmpty(i.here);
    return { kind: 'local', record: has ? i.here : undefined, notice: has && !i.noticeDecided };
  }
  if (!isEmpty(i.here) || i.remoteSettled) {
    return { kind: 'nothing' };
  }
  if (i.snapshot && !isEmpty(i.snapshot.values)) {
    return { kind: 'offer', snapshot: i.snapshot };
  }
  return i.usedBefore ? { kind: 'explain' } : { kind: 'nothing' };
}

const LABELS: Record<MachineKey, string> = {
  primaryProfile: 'Primary profile',
  secondaryProfiles: 'Secondary profile',
  originationNumber: '10DLC number',
  region: 'Region',
  externalId: 'External id',
  testDestinationNumber: 'Test destination',
};

/** A value as the dialog may show it: the external id never, the destination masked. */
function shown(key: MachineKey, value: string): string {
  return key === 'externalId' ? '(set; not shown)' : key === 'testDestinationNumber' ? maskPhoneNumber(value) : key.endsWith('Profile') || key === 'secondaryProfiles' ? `"${value}"` : value;
}

/** The one-time notice of a local window whose user settings hold machine settings. */
export function localNotice(): string {
  return (
    '10DLC settings that name profiles, numbers, the region and the external id are now per machine. On this computer ' +
    'they stay in your user settings and work as before; Settings Sync no longer copies them to other computers, and ' +
    'in a remote window (SSH, WSL, dev container) they come from the remote\'s settings: the extension offers to copy them there.'
  );
}

/** The non-modal offer of a remote window. */
export function offerText(remoteName: string, snapshot: LocalSnapshot): string {
  const n = MACHINE_SETTINGS.filter((k) => snapshot.values[k] !== undefined).length;
  return (
    `10DLC settings are now per machine, and this remote (${remoteName}) has none. Your local computer had ${n === 1 ? 'one' : n} ` +
    `(recorded ${snapshot.recordedAt.slice(0, 10)}). Copy them into the remote's settings? You will see each value first.`
  );
}

/** The confirmation of the copy: every value it writes, every value it leaves out and why. */
export function copyConfirmation(remoteName: string, plan: CopyPlan): { message: string; detail: string } {
  const lines: string[] = [];
  for (const k of MACHINE_SETTINGS) {
    const v = plan.copy[k];
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v as string]) {
      lines.push(`${LABELS[k]}: ${shown(k, item)}`);
    }
  }
  const out = plan.leftOut.map((l) => `${LABELS[l.key]} ${shown(l.key, l.value)}: left out (${l.why})`);
  const detail = [
    ...(lines.length ? ['Copied to the remote\'s user settings:', ...lines] : ['Nothing can be copied.']),
    ...(out.length ? ['', 'Not copied:', ...out] : []),
    '',
    "A profile name here may belong to another account than on your computer: check the accounts the 10DLC view shows before you send. Your local settings stay as they are.",
  ].join('\n');
  return { message: l10n.t('Copy 10DLC settings from your local computer to {0}?', remoteName), detail };
}

/** Why a remote window's settings are empty after the change, when nothing was recorded locally. */
export function explainText(remoteName: string): string {
  return (
    `10DLC settings are now per machine, and this remote (${remoteName}) has none: values in your local user settings ` +
    'no longer apply in remote windows. Choose the primary and secondary profiles from this machine\'s AWS files, or ' +
    "copy the values into the remote's settings (Preferences: Open Remote Settings)."
  );
}
