/**
 * A Ui for the extension-host tests: answers prompts from a script and records everything the
 * extension asked or told, so tests assert on the exact wording the user would see.
 */
import type { InputOptions, PickItem, Ui } from '../../src/ui/prompts';

export type Answer = string | undefined | ((question: string) => string | undefined | Promise<string | undefined>);

export interface Recorded {
  readonly kind: 'pick' | 'input' | 'modal' | 'choose' | 'info' | 'warn' | 'error' | 'progress';
  readonly text: string;
  /** For input: the validation message the extension gave for the scripted answer. */
  readonly validation?: string;
}

/** A progress notification to cancel: when its title matches, Cancel is pressed once `when` holds. */
interface CancelRule {
  readonly title: RegExp;
  readonly when: () => boolean | Promise<boolean>;
}

export class ScriptedUi implements Ui {
  /** Everything any ScriptedUi of the run was asked to show (the run-wide secret scan reads it). */
  static readonly everything: Recorded[] = [];
  readonly log: Recorded[] = [];
  /** Everything ever shown, across resets (scanned for secrets at the end of the suite). */
  readonly history: Recorded[] = [];
  private cancels: CancelRule[] = [];
  private readonly answers: Record<'pick' | 'input' | 'modal' | 'choose', Answer[]> = { pick: [], input: [], modal: [], choose: [] };

  /** Queues answers; `pick` answers are item labels, `modal` answers are button labels. */
  answer(kind: 'pick' | 'input' | 'modal' | 'choose', ...values: Answer[]): this {
    this.answers[kind].push(...values);
    return this;
  }

  /**
   * Presses Cancel on the next progress notification whose title matches, as soon as `when` holds (polled, bounded
   * by the test's own timeout).
   */
  cancelProgress(title: RegExp, when: () => boolean | Promise<boolean> = () => true): this {
    this.cancels.push({ title, when });
    return this;
  }

  reset(): void {
    this.history.push(...this.log);
    this.log.length = 0;
    this.cancels = [];
    for (const k of Object.keys(this.answers) as (keyof typeof this.answers)[]) {
      this.answers[k].length = 0;
    }
  }

  unused(): number {
    return this.answers.pick.length + this.answers.input.length + this.answers.modal.length + this.answers.choose.length + this.cancels.length;
  }

  private record(r: Recorded): void {
    this.log.push(r);
    ScriptedUi.everything.push(r);
  }

  of(kind: Recorded['kind']): Recorded[] {
    return this.log.filter((r) => r.kind === kind);
  }

  private async next(kind: 'pick' | 'input' | 'modal' | 'choose', question: string): Promise<string | undefined> {
    if (this.answers[kind].length === 0) {
      throw new Error(`ScriptedUi: no ${kind} answer queued for "${question}"`);
    }
    const a = this.answers[kind].shift();
    return typeof a === 'function' ? a(question) : a;
  }

  async pick<T>(items: readonly PickItem<T>[], options: { title: string; placeHolder: string }): Promise<T | undefined> {
    this.record({ kind: 'pick', text: `${options.title} [${items.map((i) => `${i.label} ${i.description ?? ''} ${i.detail ?? ''}`).join(', ')}]` });
    const label = await this.next('pick', options.title);
    if (label === undefined) {
      return undefined;
    }
    const item = items.find((i) => i.label === label);
    if (!item) {
      throw new Error(`ScriptedUi: "${label}" is not among ${items.map((i) => i.label).join(', ')}`);
    }
    return item.value;
  }

  async input(o: InputOptions): Promise<string | undefined> {
    const value = await this.next('input', `${o.title}: ${o.prompt}`);
    const validation = value === undefined ? undefined : o.validate?.(value);
    this.record({ kind: 'input', text: `${o.title}: ${o.prompt}`, validation });
    return value;
  }

  async modal(message: string, detail: string, _actions: readonly string[]): Promise<string | undefined> {
    this.record({ kind: 'modal', text: `${message}\n${detail}` });
    return this.next('modal', message);
  }

  async choose(message: string, _actions: readonly string[]): Promise<string | undefined> {
    this.record({ kind: 'choose', text: message });
    return this.next('choose', message);
  }

  async info(message: string): Promise<string | undefined> {
    this.record({ kind: 'info', text: message });
    return undefined;
  }

  async warn(message: string): Promise<string | undefined> {
    this.record({ kind: 'warn', text: message });
    return undefined;
  }

  async error(message: string): Promise<string | undefined> {
    this.record({ kind: 'error', text: message });
    return undefined;
  }

  async progress<T>(title: string, task: (signal: AbortSignal, report: (m: string) => void) => Promise<T>): Promise<T> {
    this.record({ kind: 'progress', text: title });
    const ac = new AbortController();
    const i = this.cancels.findIndex((c) => c.title.test(title));
    const rule = i >= 0 ? this.cancels.splice(i, 1)[0] : undefined;
    const result = task(ac.signal, (m) => this.record({ kind: 'progress', text: `${title} ${m}` }));
    if (rule) {
      let done = false;
      void result.then(
        () => (done = true),
        () => (done = true),
      );
      // Cancel is pressed once the condition holds (checked for up to 30 s), or never if the task ends first.
      void (async () => {
        const deadline = Date.now() + 30_000;
        while (!done && Date.now() < deadline && !(await rule.when())) {
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        if (!done) {
          ac.abort();
        }
      })();
    }
    return result;
  }
}
