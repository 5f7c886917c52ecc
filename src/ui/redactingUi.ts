/**
 * The one redaction at the notification exit: every message, dialog, progress title and quick-pick text the
 * extension shows passes through the log's redactor (registered secrets, key/token/password shapes, URL passwords,
 * phone numbers masked to their last four digits). Numbers the user configured to be shown — the shared 10DLC
 * number the confirmation names — stay as they are. What the user types (an input's value and the validation
 * message about it) is theirs and is left alone.
 */
import type { InputOptions, PickItem, Ui } from './prompts';

/** `redact(text)`, except that the `keep` values (when present) stay as they are: redacted around, never inside or across. */
export function redactKeeping(text: string, redact: (text: string) => string, keep: readonly string[]): string {
  const present = keep.filter((k) => k.length >= 2 && text.includes(k));
  if (present.length === 0) {
    return redact(text);
  }
  let parts = [text];
  for (const k of present) {
    parts = parts.flatMap((p, i) => (i % 2 === 1 ? [p] : interleave(p.split(k), k)));
  }
  return parts.map((p, i) => (i % 2 === 1 ? p : redact(p))).join('');
}

export function redactingUi(ui: Ui, redact: (text: string) => string, shown: () => readonly string[] = () => []): Ui {
  const r = (text: string): string => redactKeeping(text, redact, shown());
  const opt = (s: string | undefined): string | undefined => (s === undefined ? undefined : r(s));
  return {
    pick<T>(items: readonly PickItem<T>[], options: { title: string; placeHolder: string }): Promise<T | undefined> {
      return ui.pick(
        items.map((i) => ({ ...i, label: r(i.label), description: opt(i.description), detail: opt(i.detail) })),
        { title: r(options.title), placeHolder: r(options.placeHolder) },
      );
    },
    input(o: InputOptions): Promise<string | undefined> {
      return ui.input({ ...o, title: r(o.title), prompt: r(o.prompt), placeHolder: opt(o.placeHolder) });
    },
    modal: (message, detail, actions) => ui.modal(r(message), r(detail), actions),
    choose: (message, actions) => ui.choose(r(message), actions),
    info: (message, ...actions) => ui.info(r(message), ...actions),
    warn: (message, ...actions) => ui.warn(r(message), ...actions),
    error: (message, ...actions) => ui.error(r(message), ...actions),
    progress: (title, task) => ui.progress(r(title), (signal, report) => task(signal, (m) => report(r(m)))),
  };
}

/** `['a', 'b', 'c']`, `k` → `['a', k, 'b', k, 'c']`: kept values at the odd places. */
function interleave(pieces: string[], k: string): string[] {
  return pieces.flatMap((p, i) => (i === 0 ? [p] : [k, p]));
}
