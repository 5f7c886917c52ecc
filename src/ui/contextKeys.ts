/** Context keys that drive `when` clauses: welcome content and the Get Started view. */
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
    void vscode.commands.executeCommand('setContext', 'tendlc.needsSetup', !s.primaryProfile || s.secondaryProfiles.length === 0 || !s.originationNumber);
  };
  update();
  return state.onDidChange(update);
}
