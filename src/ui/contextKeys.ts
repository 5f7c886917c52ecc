/**
 * Context keys that drive `when` clauses: welcome content and the Get Started view. They are unset until the extension
 * activates (on the view or a command), so every `when` that must hold before then reads true while they are unset.
 */
import * as vscode from 'vscode';
import type { ProfileState } from './profileState';

export function trackContextKeys(state: ProfileState): vscode.Disposable {
  const update = (): void => {
    const loaded = state.profiles;
    const s = state.settings;
    void vscode.commands.executeCommand('setContext', 'tendlc.loaded', loaded !== undefined);
    void vscode.commands.executeCommand('setContext', 'tendlc.profileCount', loaded?.profiles.length ?? 0);
    void vscode.commands.executeCommand('setContext', 'tendlc.hasPrimary', Boolean(s.primaryProfile));
    void vscode.commands.executeCommand('setContext', 'tendlc.hasSecondary', s.secondaryProfiles.length > 0);
    const needsSetup = !s.primaryProfile || s.secondaryProfiles.length === 0 || !s.originationNumber;
    void vscode.commands.executeCommand('setContext', 'tendlc.needsSetup', needsSetup);
    // The Get Started view shows while this is unset, so it is there before the extension activates (opening the
    // view activates it), and hides once activation finds the setup complete.
    void vscode.commands.executeCommand('setContext', 'tendlc.setupComplete', !needsSetup);
  };
  update();
  return state.onDidChange(update);
}
