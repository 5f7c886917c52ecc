/**
 * Typed view of the extension's settings (mirrors `contributes.configuration` in package.json),
 * read in one place. Writes go to user (global) settings and touch only the keys a command owns.
 */
import * as vscode from 'vscode';
import { profileRegion, type RegionChoice } from '../core/endpoints';
import type { AwsProfile } from '../core/profiles';
import { readSharingMode, type SharingMode } from '../core/sharing';

export const SECTION = 'tendlc';
export const DEFAULT_ROLE_NAME = 'tendlc-cross-account-sms';
export const DEFAULT_REGION = 'us-east-1';

export interface Settings {
  readonly primaryProfile?: string;
  readonly secondaryProfiles: readonly string[];
  readonly originationNumber?: string;
  readonly region?: string;
  readonly roleName: string;
  readonly externalId?: string;
  readonly requireMfa: boolean;
  readonly testDestinationNumber?: string;
  readonly smsType: 'Transactional' | 'Promotional';
  readonly maxPrice?: string;
  /** `role`: secondaries assume the primary's role and call SNS Publish; `resourceShare`: they send with their own credentials through an End User Messaging share. */
  readonly sharingMode: SharingMode;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const secondaries = c.get<unknown>('secondaryProfiles');
  const smsType = c.get<string>('smsType');
  return {
    primaryProfile: str(c.get('primaryProfile')),
    secondaryProfiles: Array.isArray(secondaries) ? secondaries.filter((s): s is string => typeof s === 'string' && s !== '') : [],
    originationNumber: str(c.get('originationNumber')),
    region: str(c.get('region')),
    roleName: str(c.get('roleName')) ?? DEFAULT_ROLE_NAME,
    externalId: str(c.get('externalId')),
    requireMfa: c.get<boolean>('requireMfa') === true,
    testDestinationNumber: str(c.get('testDestinationNumber')),
    smsType: smsType === 'Promotional' ? 'Promotional' : 'Transactional',
    maxPrice: str(c.get('maxPrice')),
    sharingMode: readSharingMode(c.get('sharingMode')),
  };
}

/** The environment the AWS tools read (AWS_REGION, AWS_USE_FIPS_ENDPOINT, ...): the extension host's. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The number's region and where it came from: the setting, else the region the AWS CLI would use for the primary
 * profile (AWS_REGION, AWS_DEFAULT_REGION, the profile's region), else us-east-1.
 */
export function numberRegion(settings: Settings, primary: AwsProfile | undefined, env: Env = process.env): RegionChoice & { readonly region: string } {
  if (settings.region) {
    return { region: settings.region, source: 'tendlc.region' };
  }
  const chosen = profileRegion(primary, env);
  return chosen.region ? { ...chosen, region: chosen.region } : { region: DEFAULT_REGION, source: 'default' };
}

/** The number's region (see numberRegion). */
export function effectiveRegion(settings: Settings, primary: AwsProfile | undefined, env: Env = process.env): string {
  return numberRegion(settings, primary, env).region;
}

/** The region of a profile's own calls as the AWS CLI picks it, or undefined when nothing names one. */
export function regionOfProfile(profile: AwsProfile | undefined, env: Env = process.env): string | undefined {
  return profileRegion(profile, env).region;
}

/** Writes the two group keys to user settings (never workspace settings). */
export async function writeGroups(groups: { primaryProfile?: string; secondaryProfiles: readonly string[] }): Promise<void> {
  const c = vscode.workspace.getConfiguration(SECTION);
  await c.update('primaryProfile', groups.primaryProfile ?? undefined, vscode.ConfigurationTarget.Global);
  await c.update('secondaryProfiles', groups.secondaryProfiles.length ? [...groups.secondaryProfiles] : undefined, vscode.ConfigurationTarget.Global);
}

/** Writes one setting to user settings (used when the user enters a value at a prompt). */
export async function writeSetting(key: 'originationNumber' | 'testDestinationNumber' | 'sharingMode', value: string): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}
