/**
 * The loaded profiles and the settings, kept current: reloads when either AWS file changes (debounced
 * file watchers) or the extension's settings change, and tells listeners once per change.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProfileLoader, LoadedProfiles } from '../core/profileLoader';
import { groupProfiles, type AwsProfile, type Grouped } from '../core/profiles';
import { readSettings, SECTION, type Settings } from './settings';

export class ProfileState implements vscode.Disposable {
  private current?: LoadedProfiles;
  private settingsNow: Settings = readSettings();
  private loading?: Promise<LoadedProfiles>;
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private debounce?: NodeJS.Timeout;
  private watchedPaths = '';
  private watchers: vscode.Disposable[] = [];
  /** The last grouping, valid while the same profiles and settings objects are current (both are replaced on change). */
  private groupedCache?: { readonly profiles: LoadedProfiles; readonly settings: Settings; readonly grouped: Grouped };

  /** Fires after the profiles or the settings changed. */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly loader: ProfileLoader,
    private readonly log: { info(m: string): void; warn(m: string): void },
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SECTION)) {
          this.settingsNow = readSettings();
          this.emitter.fire();
        }
      }),
    );
  }

  get settings(): Settings {
    return this.settingsNow;
  }

  /** The last loaded profiles (undefined before the first load). */
  get profiles(): LoadedProfiles | undefined {
    return this.current;
  }

  /** Loads once; later calls get the same result until a reload. */
  ensureLoaded(): Promise<LoadedProfiles> {
    if (this.current) {
      return Promise.resolve(this.current);
    }
    return this.reload();
  }

  /** Reads the files again (only those whose mtime or size changed are re-read). */
  reload(): Promise<LoadedProfiles> {
    this.loading ??= this.loader
      .load()
      .then((loaded) => {
        this.current = loaded;
        this.watch(loaded.configPath, loaded.credentialsPath);
        const errors = loaded.problems.length;
        this.log.info(
          `Loaded ${loaded.profiles.length} profiles from ${loaded.configPath}${loaded.found.config ? '' : ' (missing)'} and ${loaded.credentialsPath}${loaded.found.credentials ? '' : ' (missing)'}` +
            (errors ? `; ${errors} problem${errors === 1 ? '' : 's'}` : ''),
        );
        for (const p of loaded.problems) {
          this.log.warn(`${p.file}:${p.line}: ${p.message}`);
        }
        this.emitter.fire();
        return loaded;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  /** The profiles by group. The view asks once per node it shows; at 10,000 profiles regrouping each time showed (test/bench). */
  grouped(): Grouped | undefined {
    const current = this.current;
    if (!current) {
      return undefined;
    }
    const cached = this.groupedCache;
    if (cached && cached.profiles === current && cached.settings === this.settingsNow) {
      return cached.grouped;
    }
    const grouped = groupProfiles(current, this.settingsNow);
    this.groupedCache = { profiles: current, settings: this.settingsNow, grouped };
    return grouped;
  }

  profile(name: string): AwsProfile | undefined {
    return this.current?.byName.get(name);
  }

  private watch(configPath: string, credentialsPath: string): void {
    const key = `${configPath}\n${credentialsPath}`;
    if (key === this.watchedPaths) {
      return;
    }
    this.watchedPaths = key;
    this.watchers.forEach((w) => w.dispose());
    this.watchers = [configPath, credentialsPath].map((file) => {
      const w = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)),
      );
      const changed = (): void => this.scheduleReload();
      w.onDidChange(changed);
      w.onDidCreate(changed);
      w.onDidDelete(changed);
      return w;
    });
  }

  private scheduleReload(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      void this.reload();
    }, 250);
  }

  dispose(): void {
    clearTimeout(this.debounce);
    this.watchers.forEach((w) => w.dispose());
    this.disposables.forEach((d) => d.dispose());
  }
}
