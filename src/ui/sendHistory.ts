/**
 * A short history of test sends (time, masked destination, message id, final status), kept in the
 * extension's global state so "Check Delivery Status" still works after a reload. Nothing secret and
 * no full phone number is stored: every text passes through the log's redactor before it is written.
 */
import * as vscode from 'vscode';
import { addToHistory, type SendRecord } from '../core/delivery';

const KEY = 'tendlc.sendHistory';

export class SendHistory {
  private readonly emitter = new vscode.EventEmitter<string>();
  /** Fires with the profile whose history changed. */
  readonly onDidChange = this.emitter.event;

  /** `redact` is applied to every text of a record before it is stored (the log's redactor). */
  constructor(
    private readonly state: vscode.Memento,
    private readonly redact: (text: string) => string = (t) => t,
  ) {}

  all(): readonly SendRecord[] {
    return this.state.get<SendRecord[]>(KEY, []);
  }

  of(profile: string): readonly SendRecord[] {
    return this.all().filter((r) => r.profile === profile);
  }

  find(messageId: string): SendRecord | undefined {
    return this.all().find((r) => r.messageId === messageId);
  }

  async add(record: SendRecord): Promise<void> {
    await this.state.update(KEY, addToHistory(this.all(), this.clean(record)));
    this.emitter.fire(record.profile);
  }

  /** Changes a send's status (and, for a send whose outcome was unknown, records SNS's message id once found). */
  async update(messageId: string, change: Pick<SendRecord, 'status' | 'detail'> & { readonly messageId?: string }): Promise<void> {
    const newId = change.messageId ?? messageId;
    const all = this.all().map((r) => (r.messageId === messageId ? this.clean({ ...r, status: change.status, detail: change.detail, messageId: newId }) : r));
    await this.state.update(KEY, all);
    const rec = all.find((r) => r.messageId === newId);
    if (rec) {
      this.emitter.fire(rec.profile);
    }
  }

  private clean(r: SendRecord): SendRecord {
    return { ...r, maskedDestination: this.redact(r.maskedDestination), detail: r.detail === undefined ? undefined : this.redact(r.detail) };
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
