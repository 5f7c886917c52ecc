/**
 * Share the Number through AWS RAM (resourceShare mode, the alternative to the resource policy): with
 * the primary profile, creates a resource share holding the number for the secondary accounts
 * (CreateResourceShare), or adds the missing accounts to a share that already holds it
 * (AssociateResourceShare). It only adds: nothing is disassociated. Each account outside the
 * primary's organization gets an invitation it must accept (Accept Resource Share Invitation).
 */
import type { NumberShareState } from '../aws/index';
import { ramShareName } from '../core/sharing';
import { Cancelled, reportError, services, sessionPrompts, UserError, waitOnAws, type Deps } from './common';
import { sharePlan } from './sharePlan';
import { mismatchLine, verifiedWriter } from './writeTarget';

export const RAM_SHARE_BUTTON = 'Share Number';
const OPERATION = 'Share the Number through AWS RAM';

/** Each account's state on the shares, in words. */
export function principalWords(state: NumberShareState, accounts: readonly string[]): string {
  return accounts
    .map((a) => {
      const p = state.principals.get(a);
      return `${a}: ${p ? (p.status === 'ASSOCIATING' ? 'invited, not accepted yet' : p.status === 'ASSOCIATED' ? 'shared (accepted)' : p.status) : 'not shared'}`;
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
    const writer = await verifiedWriter(deps, primary.profile, credentials, primary.region, `A RAM resource share of ${number}`);
    const caller = { profile: primary.profile, credentials, accountId: writer.accountId, region: primary.region };
    const accounts = plan.accounts.filter((a) => a !== writer.accountId);
    const info = await waitOnAws(deps, `Reading ${number} in ${primary.region}…`, (signal) =>
      svc.numbers.readWith(primary.profile, credentials, { accountId: writer.accountId, region: primary.region, number }, signal),
    );
    if (!info?.arn) {
      throw new UserError(`${number} is not a phone number of account ${writer.accountId} in ${primary.region}: only its owner can share it, in its own Region.`, 'Check the number and tendlc.region.');
    }
    const state = await waitOnAws(deps, 'Reading the RAM resource shares of the number…', (signal) => svc.sharing.numberShares(caller, info.arn, signal));
    const missing = accounts.filter((a) => {
      const st = state.principals.get(a)?.status;
      return st !== 'ASSOCIATED' && st !== 'ASSOCIATING';
    });
    if (missing.length === 0) {
      const text = `${number} is already in a RAM resource share with every secondary account (${principalWords(state, accounts)}). Nothing changed.`;
      deps.log.info(`${OPERATION}: ${text}`);
      void deps.ui.info(text);
      return { status: 'unchanged', shareArn: state.shares[0]?.arn, invited: [] };
    }
    const name = ramShareName(number);
    // Only the share this command made (its name): another share holding the number may hold other resources (adding
    // the secondaries would give them those too), and one created from a resource policy cannot be changed in RAM.
    const existing = state.shares.find((s) => s.name === name);
    if (existing) {
      const held = await waitOnAws(deps, 'Reading what the resource share holds…', (signal) => svc.sharing.resourcesOf(caller, existing.arn, signal));
      const others = held.filter((r) => r !== info.arn);
      if (others.length) {
        throw new UserError(
          `Nothing was shared: the RAM resource share ${name} (${existing.arn}) holds ${number} and also ${others.join(', ')}; adding accounts ${missing.join(', ')} to it would share those with them too.`,
          'Remove the other resources from that share in the AWS RAM console, or rename the share so that a new one holding only the number is created.',
        );
      }
    }
    const answer = await deps.ui.modal(
      existing
        ? `Add accounts ${missing.join(', ')} to the RAM resource share ${existing.name ?? existing.arn} of ${number}, in primary account ${writer.accountId}?`
        : `Share ${number} through AWS RAM from primary account ${writer.accountId} with accounts ${missing.join(', ')}?`,
      [
        existing
          ? `The resource share already holds the number (${principalWords(state, accounts)}); this adds the accounts above and removes nothing.`
          : `This creates the resource share ${name} holding ${info.arn}, tagged managed-by=tendlc-cross-account, allowing principals outside your organization.`,
        `An account outside the primary's organization gets an invitation and can use the number only after it accepts (right-click that secondary → Accept Resource Share Invitation).`,
        `Then each account sends with its own credentials (SendTextMessage with the number's ARN), billed to itself and counted against its own spend limit. Sharing works in ${primary.region} only.${mismatchLine(primary.profile, writer)}`,
      ].join('\n\n'),
      [RAM_SHARE_BUTTON],
    );
    if (answer !== RAM_SHARE_BUTTON) {
      throw new Cancelled();
    }
    const out = await deps.ui.progress(existing ? 'Adding the accounts to the resource share…' : 'Creating the resource share…', (signal) =>
      svc.sharing.share(caller, { numberArn: info.arn, name, accounts: missing, existing: existing?.arn }, signal),
    );
    const text = `${out.created ? `Created the RAM resource share ${name}` : `Added accounts ${missing.join(', ')} to the RAM resource share ${existing?.name ?? out.shareArn}`} in account ${writer.accountId}: ${number} is offered to ${missing.join(', ')}. Each must accept the invitation (Accept Resource Share Invitation on that secondary).`;
    deps.log.info(`${OPERATION}: ${text} (${out.shareArn})`);
    void deps.ui.info(text);
    return { status: out.created ? 'created' : 'extended', shareArn: out.shareArn, invited: missing };
  } catch (e) {
    await reportError(deps, e, OPERATION);
    return undefined;
  }
}
