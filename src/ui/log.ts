/**
 * The "10DLC Cross-Account" LogOutputChannel, behind a logger that redacts every line: registered
 * secrets (keys and tokens the extension has seen, every secret value in the AWS files, the external
 * id), key-, token- and URL-password-shaped strings, and phone numbers (all but the last four digits).
 * The same redactor guards every other exit: notifications (ui/redactingUi.ts), the send history,
 * tooltips and generated documents.
 */
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { Redactor, secretsInAwsFile } from '../core/redact';

export const OUTPUT_CHANNEL_NAME = vscode.l10n.t('10DLC Cross-Account');

/** AWS files larger than this are not scanned for secrets (no real one is near it; the loader refuses them). */
const MAX_SCAN_BYTES = 10 * 1024 * 1024;

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  readonly redactor = new Redactor();
  /** Size and mtime of each AWS file when it was last scanned for secrets. */
  private readonly scanned = new Map<string, string>();

  constructor() {
    this.channel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  }

  trace(m: string): void {
    this.channel.trace(this.redactor.redact(m));
  }
  debug(m: string): void {
    this.channel.debug(this.redactor.redact(m));
  }
  info(m: string): void {
    this.channel.info(this.redactor.redact(m));
  }
  warn(m: string): void {
    this.channel.warn(this.redactor.redact(m));
  }
  error(m: string): void {
    this.channel.error(this.redactor.redact(m));
  }
  /** Registers a secret value (credentials the AWS layer resolved, the external id…): no exit shows it from now on. */
  secret(value: string | undefined): void {
    this.redactor.addSecret(value);
  }
  /** The text with every known secret removed: for any exit other than the log (notifications, tooltips, stored history). */
  redact(text: string): string {
    return this.redactor.redact(text);
  }
  /**
   * Registers every secret value written in the AWS files (keys, secret keys, session tokens of every profile, and
   * passwords in endpoint URLs), whatever its shape. Read and scanned once per change of the files.
   */
  async addSecretsFromFiles(paths: readonly string[]): Promise<void> {
    await Promise.all(
      paths.map(async (p) => {
        try {
          const st = await fs.stat(p);
          const stamp = `${st.size}:${st.mtimeMs}`;
          if (!st.isFile() || st.size > MAX_SCAN_BYTES || this.scanned.get(p) === stamp) {
            return;
          }
          this.scanned.set(p, stamp);
          for (const s of secretsInAwsFile(await fs.readFile(p, 'utf8'))) {
            this.redactor.addSecret(s);
          }
        } catch {
          // a missing or unreadable file has no secrets to register; the loader reports it
        }
      }),
    );
  }
  show(): void {
    this.channel.show(true);
  }
  dispose(): void {
    this.channel.dispose();
  }
}
