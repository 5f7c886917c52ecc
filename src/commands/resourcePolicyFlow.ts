/**
 * Applies resource-based policies on AWS End User Messaging SMS resources (phone numbers, pools,
 * sender ids, opt-out lists) — ONE flow for every grant this extension makes on them, under the same
 * rules as the role's trust policy:
 *
 * 1. reads each resource's current policy (GetResourcePolicy) with the writing credentials;
 * 2. proposes, through the one policy engine (`mergeGrants`), the smallest change that makes every
 *    grant hold: it only adds; every existing statement keeps its meaning; a principal an
 *    unconditional Deny keeps out is named and not added; running it twice changes nothing;
 * 3. a current policy the engine cannot read completely is shown as it is, with the statement to add
 *    by hand, and nothing is written (not even to the other resources);
 * 4. shows current and proposed documents side by side (the right side editable), validated with
 *    IAM Access Analyzer as a RESOURCE_POLICY (no `validatePolicyResourceType` exists for End User
 *    Messaging resources, so Access Analyzer runs the checks for all resource policies; where it is
 *    not available the question says "not validated" and why), and checks PutResourcePolicy's size
 *    limit; asks, naming the account the credentials write to;
 * 5. on Apply compares what is on the right side with what is there (`comparePolicies`): each removal
 *    or widening gets its own confirmation in words, Access Analyzer's security warnings one more;
 * 6. reads every policy again and writes nothing if one changed meanwhile; then PutResourcePolicy for
 *    each document that changes, and says what was written (and, when a later write fails, which
 *    earlier ones went through); a write sent whose answer was lost (a timeout, a reset, a Cancel after it
 *    went out) is told as unknown, status `unknown`, and nothing after it is written.
 *
 * ## Calling it for another grant
 *
 * The caller resolves the resources and verifies the writer first (issue 10 point 5), then passes
 * engine grants; e.g. sharing the number with secondary accounts:
 *
 * ```ts
 * const svc = await services(deps);
 * const credentials = svc.clients.credentialsFor(primary.profile, region, sessionPrompts(deps).mfaCode);
 * const writer = await verifiedWriter(deps, primary.profile, credentials, region, `The resource policy of ${number}`);
 * const info = await svc.numbers.readWith(primary.profile, credentials, { accountId: writer.accountId, region, number });
 * const outcome = await applyResourcePolicies(deps, {
 *   operation: 'Share the Number',
 *   profile: primary.profile, credentials, region, writer,
 *   resources: [{
 *     arn: info.arn, label: `the number ${number}`, file: 'number-resource-policy.json',
 *     decides: `who may send SMS from the number ${number}, billed to account ${writer.accountId}`,
 *     grants: [{ sid: 'ShareNumberWithSecondaries', principals: { AWS: ['222222222222'] },
 *                actions: ['sms-voice:SendTextMessage'], resources: [info.arn] }],
 *   }],
 * });
 * ```
 *
 * Grants follow `Grant` in core/policyEngine.ts (literal actions and resources; principals by type;
 * conditions as written in a policy); several grants on one resource are merged into one proposal.
 * The function throws `Cancelled` when the user declines anything (nothing written), `UserError`
 * with what to do, or the AWS error of a failed read or of the first write: call it inside the
 * command's `try` and hand errors to `reportError`. It closes its editors and scratch files itself.
 */
import * as vscode from 'vscode';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { EumTarget, WriterIdentity } from '../aws/index';
import { documentText, mergeGrants, readPolicy, type Grant, type MergeResult } from '../core/policyEngine';
import { eumResourcePolicyLimit } from '../core/policyLimits';
import { partitionOfArn } from '../core/numberPolicy';
import type { AwsProfile } from '../core/profiles';
import { services, UserError, type Deps } from './common';
import { addedWords, confirmRisks, confirmSecurityWarnings, PolicyReview, showJson, type Final } from './policyReview';
import { mismatchLine } from './writeTarget';

/** One End User Messaging resource and what its policy must grant. */
export interface ResourceToGrant {
  readonly arn: string;
  /** In words, for every message: "the number +12065550100", "its opt-out list Default". */
  readonly label: string;
  /** File name of its documents in the editor, unique within one call: "number-resource-policy.json". */
  readonly file: string;
  readonly grants: readonly Grant[];
  /** What the policy decides, for the risk confirmations: "who may send SMS from the number …, billed to account …". */
  readonly decides: string;
}

export interface ResourcePolicyRequest {
  /** The command, in words and logs: "Grant SNS Use of the Number". */
  readonly operation: string;
  readonly profile: AwsProfile;
  /** The credentials that write (the ones `writer` was verified with). */
  readonly credentials: AwsCredentialIdentityProvider;
  readonly region: string;
  /** From `verifiedWriter`: the account the credentials act in, named in every question. */
  readonly writer: WriterIdentity;
  readonly resources: readonly ResourceToGrant[];
  /** Sentences for the Apply question about the resources (e.g. when the number was created). */
  readonly context?: readonly string[];
}

export interface ResourcePolicyOutcome {
  /**
   * updated: something was written; unchanged: nothing needed (or applied) a change; refused: a current policy could
   * not be read; unknown: a PutResourcePolicy was sent and its answer was lost (a timeout, a reset, a Cancel after it
   * went out), so AWS may have applied it.
   */
  readonly status: 'updated' | 'unchanged' | 'refused' | 'unknown';
  /** The ARNs written. */
  readonly written: readonly string[];
  /** What the merge noted, e.g. a Deny that keeps a principal out (its grant was not added). */
  readonly notes: readonly string[];
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** "a", "a and b", "a, b and c". */
function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : vscode.l10n.t('{0} and {1}', items.slice(0, -1).join(', '), items[items.length - 1]);
}

/** Applies the grants to the resources' policies; see the module comment. */
export async function applyResourcePolicies(deps: Deps, req: ResourcePolicyRequest): Promise<ResourcePolicyOutcome> {
  const svc = await services(deps);
  const accountId = req.writer.accountId;
  const target: EumTarget = { profile: req.profile, credentials: req.credentials, accountId, region: req.region };
  const op = req.operation;
  const labels = req.resources.map((r) => r.label);
  const before = await deps.ui.progress(vscode.l10n.t('Reading the resource policies of {0}…', list(labels)), (signal) =>
    svc.resourcePolicies.read(
      target,
      req.resources.map((r) => r.arn),
      signal,
    ),
  );
  const planned = req.resources.map((r, i) => ({ r, current: before[i], merge: mergeGrants(before[i].text, r.grants, { partition: partitionOfArn(r.arn) }) }));
  const folder = `${accountId}/resource-policies`;

  // A current document the engine cannot read completely: shown as it is, with what to add; nothing written.
  const refused = planned.filter((x): x is typeof x & { merge: Extract<MergeResult, { ok: false }> } => !x.merge.ok);
  if (refused.length) {
    for (const x of refused) {
      await showJson(deps.docs.set(`${folder}/current`, x.r.file, x.merge.current));
      await showJson(deps.docs.set(folder, `statement-to-add-to-${x.r.file}`, x.merge.statementText));
      deps.log.error(`${op}: the resource policy of ${x.r.arn} cannot be read completely: ${x.merge.problems.join(' ')}`);
    }
    const first = refused[0];
    void deps.ui.error(
      vscode.l10n.t('Nothing was changed: the resource policy of {0} in account {1} cannot be read completely ({2}). Its current text and the statement to add are open in the editor; add the statement yourself (aws pinpoint-sms-voice-v2 put-resource-policy replaces the whole document), or fix the document, then run this again.', first.r.label, accountId, first.merge.problems.join(' ')),
    );
    return { status: 'refused', written: [], notes: [] };
  }

  const ok = planned.map((x) => {
    if (!x.merge.ok) {
      throw new Error(vscode.l10n.t('unreachable: refused merges are handled above'));
    }
    return { ...x, merge: x.merge };
  });
  const notes = [...new Set(ok.flatMap((x) => x.merge.notes))];
  notes.forEach((n) => deps.log.warn(`${op}: ${n}`));
  const changing = ok.filter((x) => x.merge.changed);
  if (changing.length === 0) {
    const denied = ok.some((x) => x.merge.changes.some((c) => c.kind === 'denied'));
    deps.log.info(`${op}: the resource policies of ${list(labels)} in ${accountId} need nothing added; nothing changed.`);
    const text = vscode.l10n.t('{0}: nothing changed in account {1}. {2}', cap(op), accountId, notes.length ? notes.join(' ') : vscode.l10n.t('The resource policies of {0} already grant what is needed.', list(labels)));
    void (denied ? deps.ui.warn(text) : deps.ui.info(text));
    return { status: 'unchanged', written: [], notes };
  }

  const review = new PolicyReview(deps, {
    folder,
    title: vscode.l10n.t('Account {0}', accountId),
    engine: { partition: partitionOfArn(req.resources[0].arn) },
    operation: op,
    validate: (docs) => deps.ui.progress(vscode.l10n.t('Validating with IAM Access Analyzer…'), (signal) => svc.validator.validate(req.profile, req.credentials, { account: accountId, region: req.region }, docs, signal)),
  });
  try {
    // The first resource's diff last, so it is the one in front.
    for (const [rank, x] of [...changing.entries()].reverse()) {
      const current = x.current.text === undefined ? undefined : readPolicy(x.current.text);
      await review.show(
        {
          name: x.r.file,
          what: vscode.l10n.t('resource policy of {0}', x.r.label),
          kind: 'resource',
          current: current?.ok ? current.policy : undefined,
          rank,
          limit: (text) => eumResourcePolicyLimit(text, vscode.l10n.t('The resource policy of {0}', x.r.label)),
        },
        current === undefined ? undefined : current.ok ? documentText(current.policy.json) : current.text,
        x.merge.text,
      );
    }
    const byFile = new Map(changing.map((x) => [x.r.file, x]));
    /** "the resource policies of the number … (adds sns.amazonaws.com) and its opt-out list … (adds …)". */
    const whatEach = (finals: readonly Final[]): string => {
      const parts = finals.map((f) => {
        const words = addedWords(f.changes);
        return `${byFile.get(f.proposal.name)?.r.label ?? f.proposal.name}${words ? ` (${words})` : ''}`;
      });
      return parts.length === 1 ? vscode.l10n.t('the resource policy of {0}', list(parts)) : vscode.l10n.t('the resource policies of {0}', list(parts));
    };
    const mismatch = mismatchLine(req.profile, req.writer);
    const finals = await review.ask((now) => {
      if (now.problems.length) {
        return vscode.l10n.t('{0} in account {1}: not ready to apply. {2} Fix the right side of the diff, then validate again.', cap(op), accountId, now.problems.join(' '));
      }
      const riskCount = now.finals.reduce((n, f) => n + f.risks.length, 0);
      return [
        vscode.l10n.t('{0} in account {1}: this would update {2}.', cap(op), accountId, whatEach(now.finals)),
        riskCount ? (riskCount === 1 ? vscode.l10n.t('1 change removes or widens access and will need your confirmation.') : vscode.l10n.t('{0} changes remove or widen access and will each need your confirmation.', riskCount)) : '',
        ...(req.context ?? []),
        ...notes,
        now.validation,
        ...now.warnings,
        mismatch.trim(),
        vscode.l10n.t('Review the diff (you may edit the right side), then apply.'),
      ]
        .filter(Boolean)
        .join(' ');
    });

    await confirmSecurityWarnings(deps, vscode.l10n.t('the resource policies in account {0}', accountId), review.validated());
    await confirmRisks(
      deps,
      op,
      finals.flatMap((f) => f.risks.map((risk) => ({ doc: f.proposal.what, risk, decides: vscode.l10n.t('The {0} decides {1}.', f.proposal.what, byFile.get(f.proposal.name)?.r.decides ?? vscode.l10n.t('who may use it')) }))),
    );
    const toWrite = finals.filter((f) => f.changed).map((f) => ({ f, x: byFile.get(f.proposal.name) })).filter((w): w is typeof w & { x: NonNullable<typeof w.x> } => w.x !== undefined);
    if (toWrite.length === 0) {
      void deps.ui.info(vscode.l10n.t('{0}: nothing to change in account {1}: the documents you applied mean what is there.', cap(op), accountId));
      return { status: 'unchanged', written: [], notes };
    }

    // PutResourcePolicy replaces the whole document and has no conditional form: read every policy again,
    // so a change made meanwhile (in the console, by a colleague) is never overwritten by this proposal.
    const written: string[] = [];
    let unknown: { label: string; message: string } | undefined;
    await deps.ui.progress(toWrite.length === 1 ? vscode.l10n.t('Writing the resource policy of {0}…', list(toWrite.map((w) => w.x.r.label))) : vscode.l10n.t('Writing the resource policies of {0}…', list(toWrite.map((w) => w.x.r.label))), async (signal) => {
      const again = await svc.resourcePolicies.read(
        target,
        toWrite.map((w) => w.x.r.arn),
        signal,
      );
      const moved = toWrite.filter((w, i) => again[i].raw !== w.x.current.raw);
      if (moved.length) {
        throw new UserError(
          moved.length === 1 ? vscode.l10n.t('Nothing was written: the resource policy of {0} changed in End User Messaging while you were reviewing the proposal.', list(moved.map((w) => w.x.r.label))) : vscode.l10n.t('Nothing was written: the resource policies of {0} changed in End User Messaging while you were reviewing the proposal.', list(moved.map((w) => w.x.r.label))),
          vscode.l10n.t('Run {0} again to see the documents as they are now.', op),
        );
      }
      for (const w of toWrite) {
        try {
          await svc.resourcePolicies.write(target, w.x.r.arn, w.f.text, signal);
          written.push(w.x.r.arn);
          deps.log.info(`${op}: wrote the resource policy of ${w.x.r.arn} in ${accountId}.`);
        } catch (e) {
          const mod = await deps.aws.mod();
          if (mod.requestOutcome(e) === 'unknown') {
            // The request went out and its answer was lost: AWS may have applied it. Neither a failure nor a quiet
            // cancel: told as unknown, and nothing more is written.
            unknown = { label: w.x.r.label, message: mod.explainError(e, { operation: 'PutResourcePolicy', profile: req.profile.name }).message };
            return;
          }
          if (written.length === 0) {
            throw e;
          }
          const x = mod.explainError(e, { operation: 'PutResourcePolicy', profile: req.profile.name });
          const done = toWrite.filter((d) => written.includes(d.x.r.arn)).map((d) => d.x.r.label);
          throw new UserError(vscode.l10n.t('The resource policy of {0} was written, but writing the one of {1} failed: {2}', list(done), w.x.r.label, x.message), vscode.l10n.t('{0} Run {1} again: it adds only what is still missing.', x.hint, op));
        }
      }
    });
    if (unknown) {
      const done = toWrite.filter((d) => written.includes(d.x.r.arn)).map((d) => d.x.r.label);
      const rest = toWrite.filter((d) => !written.includes(d.x.r.arn) && d.x.r.label !== unknown?.label).map((d) => d.x.r.label);
      const text = [
        vscode.l10n.t('{0}: it is not known whether the resource policy of {1} was written in account {2}: the request was sent and its answer never came ({3}).', cap(op), unknown.label, accountId, unknown.message.replace(/\.$/, '')),
        done.length ? (done.length === 1 ? vscode.l10n.t('The resource policy of {0} was written.', list(done)) : vscode.l10n.t('The resource policies of {0} were written.', list(done))) : '',
        rest.length ? (rest.length === 1 ? vscode.l10n.t('The resource policy of {0} was not written.', list(rest)) : vscode.l10n.t('The resource policies of {0} were not written.', list(rest))) : '',
        vscode.l10n.t('Run {0} again (or Check Setup): it reads the policy as it is now and adds only what is still missing.', op),
      ]
        .filter(Boolean)
        .join(' ');
      deps.log.warn(text);
      void deps.ui.warn(text);
      return { status: 'unknown', written, notes };
    }
    const confirmed = finals.flatMap((f) => f.risks);
    const message = vscode.l10n.t('Updated {0} in account {1}{2}.', whatEach(toWrite.map((w) => w.f)), accountId, confirmed.length ? (confirmed.length === 1 ? vscode.l10n.t(', with 1 risky change you confirmed ({0})', confirmed.map((r) => r.text).join(' ')) : vscode.l10n.t(', with {0} risky changes you confirmed ({1})', confirmed.length, confirmed.map((r) => r.text).join(' '))) : '');
    deps.log.info(`${op}: ${message}`);
    void deps.ui.info(message);
    return { status: 'updated', written, notes };
  } finally {
    await review.dispose();
  }
}
