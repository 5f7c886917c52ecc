/**
 * Share the Number through AWS RAM (resourceShare mode, the alternative to the resource policy): with
 * the primary profile, creates a resource share holding the number for the secondary accounts
 * (CreateResourceShare), or adds the missing accounts to a share that already holds it
 * (AssociateResourceShare). It only adds: nothing is disassociated. Each account outside the
 * primary's organization gets an invitation it must accept (Accept Resource Share Invitation).
 */
import * as vscode from 'vscode';
import type { NumberShareState } from '../aws/index';
import { ramShareName } from '../core/sharing';
import { Cancelled, reportError, services, sessionPrompts, UserError, waitOnAws, type Deps } from './common';
import { sharePlan } from './sharePlan';
import { mismatchLine, verifiedWriter } from './writeTarget';

export const RAM_SHARE_BUTTON = vscode.l10n.t('Share Number');
const OPERATION = vscode.l10n.t('Share the Number through AWS RAM');

/** Each account's state on the shares, in words. */
export function principalWords(state: NumberShareState, accounts: readonly string[]): string {
  return accounts
    .map((a) => {
      const p = state.principals.get(a);
      return `${a}: ${p ? (p.status === 'ASSOCIATING' ? vscode.l10n.t('invited, not accepted yet') : p.status === 'ASSOCIATED' ? vscode.l10n.t('shared (accepted)') : p.status) : vscode.l10n.t('not shared')}`;
    })
    .join('; ');
}

export interface RamShareOutcome {
  readonly status: 'created' | 'extended' | 'unchanged';
  readonly shareArn?: string;
  readonly invited: readonly string[];
}

export async function shareThroughRam(deps: Deps): Promise<RamShareOutcome | undefined> {
  try {
    const plan = await sharePlan(deps);
    const { primary, number } = plan;
    const svc = await services(deps);
    const credentials = svc.clients.credentialsFor(primary.profile, primary.region, sessionPrompts(deps).mfaCode);
    const writer = await verifiedWriter(deps, primary.profile, credentials, primary.region, vscode.l10n.t('A RAM resource share of {0}', number));
    const caller = { profile: primary.profile, credentials, accountId: writer.accountId, region: primary.region };
    const accounts = plan.accounts.filter((a) => a !== writer.accountId);
    const info = await waitOnAws(deps, vscode.l10n.t('Reading {0} in {1}…', number, primary.region), (signal) =>
      svc.numbers.readWith(primary.profile, credentials, { accountId: writer.accountId, region: primary.region, number }, signal),
    );
    if (!info?.arn) {
      throw new UserError(vscode.l10n.t('{0} is not a phone number of account {1} in {2}: only its owner can share it, in its own Region.', number, writer.accountId, primary.region), vscode.l10n.t('Check the number and tendlc.region.'));
    }
    const state = await waitOnAws(deps, vscode.l10n.t('Reading the RAM resource shares of the number…'), (signal) => svc.sharing.numberShares(caller, info.arn, signal));
    const missing = accounts.filter((a) => {
      const st = state.principals.get(a)?.status;
      return st !== 'ASSOCIATED' && st !== 'ASSOCIATING';
    });
    if (missing.length === 0) {
      const text = vscode.l10n.t('{0} is already in a RAM resource share with every secondary account ({1}). Nothing changed.', number, principalWords(state, accounts));
      deps.log.info(`${OPERATION}: ${text}`);
      void deps.ui.info(text);
      return { status: 'unchanged', shareArn: state.shares[0]?.arn, invited: [] };
    }
    const name = ramShareName(number);
    // Only the share this command made (its name): another share holding the number may hold other resources (adding
    // the secondaries would give them those too), and one created from a resource policy cannot be changed in RAM.
    const existing = state.shares.find((s) => s.name === name);
    if (existing) {
      const held = await waitOnAws(deps, vscode.l10n.t('Reading what the resource share holds…'), (signal) => svc.sharing.resourcesOf(caller, existing.arn, signal));
      const others = held.filter((r) => r !== info.arn);
      if (others.length) {
        throw new UserError(
          vscode.l10n.t('Nothing was shared: the RAM resource share {0} ({1}) holds {2} and also {3}; adding accounts {4} to it would share those with them too.', name, existing.arn, number, others.join(', '), missing.join(', ')),
          vscode.l10n.t('Remove the other resources from that share in the AWS RAM console, or rename the share so that a new one holding only the number is created.'),
        );
      }
    }
    const answer = await deps.ui.modal(
      existing
        ? vscode.l10n.t('Add accounts {0} to the RAM resource share {1} of {2}, in primary account {3}?', missing.join(', '), existing.name ?? existing.arn, number, writer.accountId)
        : vscode.l10n.t('Share {0} through AWS RAM from primary account {1} with accounts {2}?', number, writer.accountId, missing.join(', ')),
      [
        existing
          ? vscode.l10n.t('The resource share already holds the number ({0}); this adds the accounts above and removes nothing.', principalWords(state, accounts))
          : vscode.l10n.t('This creates the resource share {0} holding {1}, tagged managed-by=tendlc-cross-account, allowing principals outside your organization.', name, info.arn),
        vscode.l10n.t('An account outside the primary\'s organization gets an invitation and can use the number only after it accepts (right-click that secondary → Accept Resource Share Invitation).'),
        vscode.l10n.t('Then each account sends with its own credentials (SendTextMessage with the number\'s ARN), billed to itself and counted against its own spend limit. Sharing works in {0} only.{1}', primary.region, mismatchLine(primary.profile, writer)),
      ].join('\n\n'),
      [RAM_SHARE_BUTTON],
    );
    if (answer !== RAM_SHARE_BUTTON) {
      throw new Cancelled();
    }
    const out = await deps.ui.progress(existing ? vscode.l10n.t('Adding the accounts to the resource share…') : vscode.l10n.t('Creating the resource share…'), (signal) =>
      svc.sharing.share(caller, { numberArn: info.arn, name, accounts: missing, existing: existing?.arn }, signal),
    );
    const text = vscode.l10n.t('{0} in account {1}: {2} is offered to {3}. Each must accept the invitation (Accept Resource Share Invitation on that secondary).', out.created ? vscode.l10n.t('Created the RAM resource share {0}', name) : vscode.l10n.t('Added accounts {0} to the RAM resource share {1}', missing.join(', '), existing?.name ?? out.shareArn), writer.accountId, number, missing.join(', '));
    deps.log.info(`${OPERATION}: ${text} (${out.shareArn})`);
    void deps.ui.info(text);
    return { status: out.created ? 'created' : 'extended', shareArn: out.shareArn, invited: missing };
  } catch (e) {
    await reportError(deps, e, OPERATION);
    return undefined;
  }
}
