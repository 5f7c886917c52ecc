/**
 * Everything that asks the user something or tells them something goes through `Ui`, so the
 * extension-host tests can answer prompts with a scripted implementation instead of patching `vscode`.
 */
import * as vscode from 'vscode';

export interface PickItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T;
}

export interface InputOptions {
  readonly title: string;
  readonly prompt: string;
  readonly value?: string;
  readonly placeHolder?: string;
  readonly password?: boolean;
  /** Returns an error message for invalid input, or undefined. */
  readonly validate?: (value: string) => string | undefined;
}

export interface Ui {
  pick<T>(items: readonly PickItem<T>[], options: { title: string; placeHolder: string }): Promise<T | undefined>;
  input(options: InputOptions): Promise<string | undefined>;
  /** A modal dialog; resolves to the chosen action's label, or undefined when dismissed. */
  modal(message: string, detail: string, actions: readonly string[]): Promise<string | undefined>;
  /**
   * A non-modal question (a notification with buttons), for when the user must still be able to work
   * in the editor before answering, e.g. to edit a proposed policy in a diff.
   */
  choose(message: string, actions: readonly string[]): Promise<string | undefined>;
  info(message: string, ...actions: string[]): Promise<string | undefined>;
  warn(message: string, ...actions: string[]): Promise<string | undefined>;
  error(message: string, ...actions: string[]): Promise<string | undefined>;
  /** Runs a task in a cancellable progress notification; the signal aborts on Cancel. */
  progress<T>(title: string, task: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Promise<T>;
}

/** How long a task runs before its progress notification shows. */
export const PROGRESS_DELAY_MS = 400;

export const vscodeUi: Ui = {
  async pick(items, options) {
    const picked = await vscode.window.showQuickPick(
      items.map((i) => ({ label: i.label, description: i.description, detail: i.detail, item: i })),
      { title: options.title, placeHolder: options.placeHolder, matchOnDescription: true, ignoreFocusOut: true },
    );
    return picked?.item.value;
  },
  async input(o) {
    return vscode.window.showInputBox({
      title: o.title,
      prompt: o.prompt,
      value: o.value,
      placeHolder: o.placeHolder,
      password: o.password,
      ignoreFocusOut: true,
      validateInput: o.validate ? (v) => o.validate?.(v) : undefined,
    });
  },
  async modal(message, detail, actions) {
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions);
  },
  choose: (m, a) => Promise.resolve(vscode.window.showInformationMessage(m, ...a)),
  info: (m, ...a) => Promise.resolve(vscode.window.showInformationMessage(m, ...a)),
  warn: (m, ...a) => Promise.resolve(vscode.window.showWarningMessage(m, ...a)),
  error: (m, ...a) => Promise.resolve(vscode.window.showErrorMessage(m, ...a)),
  progress(title, task) {
    // A notification only for a task still running after PROGRESS_DELAY_MS. VS Code drops a toast that comes
    // after three others within 800 ms (its spam protection; the message goes to the notification center
    // only), so a burst of quick calls — verify the account, read, validate — would hide the question
    // that follows them. A quick task shows nothing; a slow one shows (and can be cancelled) as before.
    const ac = new AbortController();
    let last: string | undefined;
    let forward: ((message: string) => void) | undefined;
    const running = task(ac.signal, (message) => {
      last = message;
      forward?.(message);
    });
    let settled = false;
    const done = (): void => {
      settled = true;
    };
    running.then(done, done);
    const timer = setTimeout(() => {
      if (settled) {
        return;
      }
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (p, token) => {
        forward = (message) => p.report({ message });
        if (last !== undefined) {
          p.report({ message: last });
        }
        const sub = token.onCancellationRequested(() => ac.abort());
        return running.then(
          () => undefined,
          () => undefined,
        ).finally(() => sub.dispose());
      });
    }, PROGRESS_DELAY_MS);
    return running.finally(() => clearTimeout(timer));
  },
};
