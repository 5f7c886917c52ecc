/**
 * Which settings.json of code-server a setting goes in. code-server is a remote window: VS Code reads a setting an
 * extension contributes at `machine` (or `machine-overridable`) scope only from the remote's user settings
 * (USER_DATA_DIR/Machine/settings.json), never from the window's user settings (USER_DATA_DIR/User/settings.json),
 * exactly as under Remote-SSH. The scopes come from the extension's package.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths';

interface Manifest {
  contributes?: { configuration?: { properties?: Record<string, { scope?: string }> } | { properties?: Record<string, { scope?: string }> }[] };
}

/** The setting ids the manifest contributes at a machine scope. */
export function machineScopedSettings(manifest: Manifest): Set<string> {
  const c = manifest.contributes?.configuration;
  const blocks = Array.isArray(c) ? c : c ? [c] : [];
  return new Set(blocks.flatMap((b) => Object.entries(b.properties ?? {}).filter(([, p]) => p.scope === 'machine' || p.scope === 'machine-overridable').map(([k]) => k)));
}

/** `settings` split into the window's user settings and the remote's (machine) settings. */
export function splitSettingsByScope(
  settings: Record<string, unknown>,
  manifest: Manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as Manifest,
): { user: Record<string, unknown>; machine: Record<string, unknown> } {
  const machineKeys = machineScopedSettings(manifest);
  const user: Record<string, unknown> = {};
  const machine: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(settings)) {
    (machineKeys.has(k) ? machine : user)[k] = v;
  }
  return { user, machine };
}

/** Where code-server keeps the remote's user settings, for a user data dir. */
export function machineSettingsFile(userDataDir: string): string {
  return path.join(userDataDir, 'Machine', 'settings.json');
}
