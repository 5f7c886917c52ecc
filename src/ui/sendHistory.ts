/**
 * A short history of test sends (time, masked destination, message id, final status), kept in the
 * extension's global state so "Check Delivery Status" still works after a reload. Nothing secret and
 * no full phone number is stored.
 */
import * as vscode from 'vscode';
import { addToHistory, type SendRecord } from '../core/delivery';

const KEY = 'tendlc.sendHistory';

export class SendHistory {
  private readonly emitter = new vscode.EventEmitter<string>();
  /** Fires with the profile whose history changed. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly state: vscode.Memento) {}

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
    await this.state.update(KEY, addToHistory(this.all(), record));
    this.emitter.fire(record.profile);
  }

  async update(messageId: string, change: Pick<SendRecord, 'status' | 'detail'>): Promise<void> {
    const all = this.all().map((r) => (r.messageId === messageId ? { ...r, ...change } : r));
    await this.state.update(KEY, all);
    const rec = all.find((r) => r.messageId === messageId);
    if (rec) {
      this.emitter.fire(rec.profile);
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
