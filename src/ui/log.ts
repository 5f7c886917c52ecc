/**
 * The "10DLC Cross-Account" LogOutputChannel, behind a logger that redacts every line: registered
 * secrets (keys and tokens the extension has seen), key- and token-shaped strings, and phone numbers
 * (all but the last four digits).
 */
import * as vscode from 'vscode';
import { Redactor } from '../core/redact';

export const OUTPUT_CHANNEL_NAME = '10DLC Cross-Account';

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  readonly redactor = new Redactor();

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
  show(): void {
    this.channel.show(true);
  }
  dispose(): void {
    this.channel.dispose();
  }
}
