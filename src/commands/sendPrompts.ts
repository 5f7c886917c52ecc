/**
 * The prompts and labels both kinds of test send share (Send Test SMS in either mode, Dry Run Send):
 * the numbers, the message, the price setting, the confirmation's buttons and finding marks.
 */
import * as vscode from 'vscode';
import type { CheckStatus } from '../aws/index';
import type { SendOutcome } from '../core/sendGuard';
import { validateMaxPrice, validatePhoneNumber, validateUsTenDlcNumber } from '../core/validate';
import { askValid, Cancelled, UserError, type Deps } from './common';

export const SEND_BUTTON = vscode.l10n.t('Send SMS');
export const SEND_AGAIN_BUTTON = vscode.l10n.t('Send Again');
export const SEND_ANYWAY_BUTTON = vscode.l10n.t('Send Anyway');

export interface SentSms {
  /** The message id AWS answered; for an unknown outcome, the local id of the send in the history. */
  readonly messageId: string;
  readonly destination: string;
  readonly primaryAccountId: string;
  /** The account billed: the primary in role mode, the sending secondary in resourceShare mode. */
  readonly billedAccountId: string;
  /** `unknown`: the request reached the endpoint and its answer was lost; it may have been sent and billed. */
  readonly outcome: SendOutcome;
}

/** The send confirmation's view of a readiness result: a failed check blocks the message. */
export const FINDING_MARK: Record<CheckStatus, string> = { fail: '⛔', warn: '⚠', unknown: '?', pass: '✓' };

export async function askNumber(deps: Deps, kind: 'origination' | 'destination', initial: string | undefined, command = vscode.l10n.t('Send Test SMS')): Promise<{ value: string; warnings: string[] }> {
  const validate = kind === 'origination' ? validateUsTenDlcNumber : validatePhoneNumber;
  if (initial) {
    const r = validate(initial);
    if (!r.ok) {
      const key = kind === 'origination' ? 'tendlc.originationNumber' : 'tendlc.testDestinationNumber';
      throw new UserError(vscode.l10n.t('The setting {0} is not valid: {1}', key, r.error), vscode.l10n.t('Fix the setting, then try again.'), [{ label: vscode.l10n.t('Open Settings'), command: `workbench.action.openSettings?${key}` }]);
    }
    if (kind === 'origination') {
      return { value: r.value, warnings: r.warnings };
    }
  }
  return askValid(
    deps,
    kind === 'origination'
      ? {
          title: vscode.l10n.t('{0} (1/3): the shared 10DLC number', command),
          prompt: vscode.l10n.t('The primary account\'s 10DLC origination number, in E.164 (set tendlc.originationNumber to skip this).'),
          placeHolder: '+12065550100',
        }
      : {
          title: vscode.l10n.t('{0} (2/3): destination', command),
          prompt: vscode.l10n.t('The phone number to send the test message to, in E.164. 10DLC numbers deliver to US numbers (+1) only.'),
          value: initial,
          placeHolder: '+12065550123',
        },
    validate,
    vscode.l10n.t('Enter the number in E.164 format, e.g. +12065550123.'),
  );
}

/** tendlc.maxPrice, validated (undefined when empty). */
export function readMaxPrice(deps: Deps): string | undefined {
  const s = deps.state.settings;
  if (!s.maxPrice) {
    return undefined;
  }
  const m = validateMaxPrice(s.maxPrice);
  if (!m.ok) {
    throw new UserError(vscode.l10n.t('The setting tendlc.maxPrice is not valid: {0}', m.error), vscode.l10n.t('Fix the setting, then try again.'), [{ label: vscode.l10n.t('Open Settings'), command: 'workbench.action.openSettings?tendlc.maxPrice' }]);
  }
  return m.value;
}

/** The text of a test message; Escape cancels. */
export async function askMessage(deps: Deps, title: string, value: string): Promise<string> {
  const message = await deps.ui.input({
    title,
    prompt: vscode.l10n.t('The text to send (one SMS segment is 160 GSM-7 characters).'),
    value,
    validate: (v) => (v.trim() === '' ? vscode.l10n.t('The message cannot be empty.') : v.length > 1600 ? vscode.l10n.t('AWS accepts at most 1,600 characters for an SMS.') : undefined),
  });
  if (message === undefined || message.trim() === '') {
    throw new Cancelled();
  }
  return message;
}

