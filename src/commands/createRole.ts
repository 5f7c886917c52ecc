/**
 * Create or Update Cross-Account Role, with the primary profile.
 *
 * First it learns which account the primary's credentials really write to (GetCallerIdentity with
 * them) and names that account everywhere; a profile that declares another account waits for the
 * user. A missing role is created after a confirmation. An existing one gets a proposal from the
 * policy engine, which only adds: the current and proposed documents side by side (the right side
 * editable), validated by IAM Access Analyzer, with every finding on the document. A current document
 * the engine cannot read completely is shown as it is, with the statement to add by hand, and nothing
 * is written. On Apply, what will be written is compared with what is there by the same engine, and
 * every removal or widening — the merge's own or the user's edit — gets its own confirmation, in words.
 * Running it again changes nothing.
 */
import * as vscode from 'vscode';
import type { PolicyKind, RoleTarget } from '../aws/index';
import { errorsOf, findingWords, validationSummary, type PolicyValidation } from '../core/analyzerFindings';
import { documentText, readPolicy, type MergeResult } from '../core/policyEngine';
import { allowsDirectTextSend, mergePermissions, mergeTrust } from '../core/policyMerge';
import { DRY_RUN_SID, permissionsPolicy, policyJson, roleArn, trustPolicy } from '../core/policies';
import { trustPolicyLimit } from '../core/policyLimits';
import { Cancelled, reportError, services, sessionPrompts, trustPlan, UserError, type Deps } from './common';
import { addedWords, confirmRisks, confirmSecurityWarnings, PolicyReview, showFindings, showJson, type Final } from './policyReview';
import { mismatchLine, verifiedTrustees, verifiedWriter } from './writeTarget';

export { APPLY_BUTTON, VALIDATE_AGAIN_BUTTON, CONFIRM_RISK_BUTTON, ACCEPT_WARNINGS_BUTTON } from './policyReview';

export type CreateRoleOutcome = 'created' | 'updated' | 'unchanged' | 'refused' | 'blocked';

export const CREATE_BUTTON = vscode.l10n.t('Create Role');
/** The separate question for the role's direct SendTextMessage (the optional Dry Run statement): a real send, billed to the primary. */
export const ALLOW_DIRECT_SEND_BUTTON = vscode.l10n.t('Allow SendTextMessage');
export const LEAVE_OUT_DIRECT_SEND_BUTTON = vscode.l10n.t('Leave It Out');

/** In words: what the role's own SendTextMessage lets whoever assumes it do. */
export function directSendWords(roleName: string, accountId: string, trusted: readonly string[]): string {
  return trusted.length
    ? vscode.l10n.t("The permissions let role {0} call End User Messaging's sms-voice:SendTextMessage itself (statement {1}, for Dry Run Send), not only through SNS. No IAM condition limits it to dry runs: whoever assumes the role (accounts {2}) could also send real SMS through End User Messaging from the primary's numbers, billed to account {3}, outside SNS's settings and spend limit.", roleName, DRY_RUN_SID, trusted.join(', '), accountId)
    : vscode.l10n.t("The permissions let role {0} call End User Messaging's sms-voice:SendTextMessage itself (statement {1}, for Dry Run Send), not only through SNS. No IAM condition limits it to dry runs: whoever assumes the role could also send real SMS through End User Messaging from the primary's numbers, billed to account {2}, outside SNS's settings and spend limit.", roleName, DRY_RUN_SID, accountId);
}

const TRUST_NAME = 'trust-policy.json';
const PERMISSIONS_NAME = 'permissions-policy.json';
const INLINE_POLICY = 'tendlc-sms-publish';

/** What each proposal adds, per document. */
function addedPerDocument(finals: readonly Final[]): string {
  return finals
    .map((f) => ({ f, words: addedWords(f.changes) }))
    .filter((x) => x.words)
    .map((x) => (x.f.proposal.kind === 'trust' ? vscode.l10n.t('the trust policy {0}', x.words) : vscode.l10n.t('the permissions {0}', x.words)))
    .join('; ');
}

export async function createRole(deps: Deps): Promise<CreateRoleOutcome | undefined> {
  let review: PolicyReview | undefined;
  try {
    const s = deps.state.settings;
    const plan = await trustPlan(deps);
    const { primary } = plan;
    const svc = await services(deps);
    const credentials = svc.clients.credentialsFor(primary.profile, primary.region, sessionPrompts(deps).mfaCode);
    const writer = await verifiedWriter(deps, primary.profile, credentials, primary.region, vscode.l10n.t('Role {0}', s.roleName));
    const accountId = writer.accountId;
    const arn = roleArn(accountId, s.roleName, primary.region);
    // The secondaries' declared aws_account_id checked with their own credentials, before it decides the trust.
    const trustees = await verifiedTrustees(deps, plan, accountId, s.roleName);
    const trusted = trustees.trusted.filter((a) => a !== accountId);
    const trusteeWords = trustees.lines.length ? ` ${trustees.lines.join(' ')}` : '';
    if (trusted.length === 0) {
      throw new UserError(vscode.l10n.t('Every secondary is in account {0}, where the role would be, so there is nothing to trust.', accountId), vscode.l10n.t('Add profiles of other accounts as secondaries.'));
    }
    const target: RoleTarget = { profile: primary.profile, credentials, accountId, region: primary.region, roleName: s.roleName };
    const state = await deps.ui.progress(vscode.l10n.t('Reading role {0} in {1}…', s.roleName, accountId), (signal) => svc.roles.read(target, signal));
    const wanted = { principals: trusted, externalId: plan.externalId, requireMfa: s.requireMfa, region: primary.region };
    const folder = `${accountId}/${s.roleName}`;
    const mismatch = mismatchLine(primary.profile, writer);
    const validate = (docs: { kind: PolicyKind; text: string }[]): Promise<PolicyValidation[]> =>
      deps.ui.progress(vscode.l10n.t('Validating with IAM Access Analyzer…'), (signal) => svc.validator.validate(primary.profile, credentials, { account: accountId, region: primary.region }, docs, signal));

    if (!state.exists) {
      const trustText = policyJson(trustPolicy(wanted));
      // The optional Dry Run statement lets the role send for real through End User Messaging: asked on its own, in words.
      const full = permissionsPolicy({ accountId, region: primary.region });
      const direct = await deps.ui.modal(
        vscode.l10n.t("Let role {0} in primary account {1} also call End User Messaging's SendTextMessage, for Dry Run Send?", s.roleName, accountId),
        vscode.l10n.t('{0}\n\nLeave it out and Dry Run Send in role mode is refused by AWS; sending through SNS Publish works either way.', directSendWords(s.roleName, accountId, trusted)),
        [ALLOW_DIRECT_SEND_BUTTON, LEAVE_OUT_DIRECT_SEND_BUTTON],
      );
      if (direct !== ALLOW_DIRECT_SEND_BUTTON && direct !== LEAVE_OUT_DIRECT_SEND_BUTTON) {
        throw new Cancelled();
      }
      const permText = policyJson(direct === ALLOW_DIRECT_SEND_BUTTON ? full : { ...full, Statement: full.Statement.filter((st) => st.Sid !== DRY_RUN_SID) });
      const trustUri = deps.docs.set(folder, TRUST_NAME, trustText);
      const permUri = deps.docs.set(folder, PERMISSIONS_NAME, permText);
      await showJson(permUri);
      await showJson(trustUri);
      const [vt, vp] = await validate([{ kind: 'trust', text: trustText }, { kind: 'identity', text: permText }]);
      showFindings(deps, trustUri, trustText, vt);
      showFindings(deps, permUri, permText, vp);
      const docs = [{ name: TRUST_NAME, text: trustText, v: vt }, { name: PERMISSIONS_NAME, text: permText, v: vp }];
      const summaries = docs.map((d) => validationSummary(d.name, d.text, d.v));
      summaries.forEach((m) => deps.log.info(`Create Role: ${m}`));
      const errors = docs.flatMap((d) => errorsOf(d.v).map((f) => `${d.name}: ${findingWords(d.text, f)}`));
      const size = trustPolicyLimit(trustText, vscode.l10n.t('The trust policy ({0})', TRUST_NAME));
      if (size?.problem) {
        deps.log.error(`Create Role: ${size.problem}`);
        void deps.ui.error(vscode.l10n.t('Role {0} was not created: {1}', s.roleName, size.problem));
        return 'blocked';
      }
      if (errors.length) {
        deps.log.error(`Create Role: blocked by IAM Access Analyzer: ${errors.join(' | ')}`);
        void deps.ui.error(vscode.l10n.t('Role {0} was not created: IAM Access Analyzer found {1} in the documents ({2}).', s.roleName, errors.length === 1 ? vscode.l10n.t('an error') : vscode.l10n.t('{0} errors', errors.length), errors.join('; ')));
        return 'blocked';
      }
      const answer = await deps.ui.modal(
        vscode.l10n.t('Create role {0} in primary account {1}?', s.roleName, accountId),
        vscode.l10n.t('It will trust {0}{1}{2}, may call sns:Publish, and is tagged managed-by=tendlc-cross-account. The documents are open in the editor.{3}{4}{5}\n\n{6}', trusted.join(', '), plan.externalId ? vscode.l10n.t(' (with the external id)') : '', s.requireMfa ? vscode.l10n.t(' (with MFA)') : '', trusteeWords, mismatch, size?.warning ? `\n\n${size.warning}` : '', summaries.join('\n')),
        [CREATE_BUTTON],
      );
      if (answer !== CREATE_BUTTON) {
        throw new Cancelled();
      }
      await confirmSecurityWarnings(deps, vscode.l10n.t('role {0}', s.roleName), docs);
      const created = await deps.ui.progress(vscode.l10n.t('Creating role {0}…', s.roleName), (signal) => svc.roles.create(target, trustText, permText, signal));
      deps.log.info(`Created role ${created ?? arn} in ${accountId}, trusting ${trusted.join(', ')}.`);
      void deps.ui.info(vscode.l10n.t('Created role {0} in primary account {1}, trusting {2}.', s.roleName, accountId, trusted.join(', ')));
      return 'created';
    }

    // An existing role: proposals from the engine, which only adds.
    const trustMerge = mergeTrust(state.trust ?? '', wanted);
    const permMerge = mergePermissions(state.permissions, { accountId, region: primary.region });
    const refused = [
      { name: TRUST_NAME, what: vscode.l10n.t('trust policy'), merge: trustMerge },
      { name: PERMISSIONS_NAME, what: vscode.l10n.t('inline policy {0}', INLINE_POLICY), merge: permMerge },
    ].filter((x): x is typeof x & { merge: Extract<MergeResult, { ok: false }> } => !x.merge.ok);
    if (refused.length) {
      for (const r of refused) {
        const cur = deps.docs.set(`${folder}/current`, r.name, r.merge.current);
        const add = deps.docs.set(folder, `statement-to-add-to-${r.name}`, r.merge.statementText);
        await showJson(cur);
        await showJson(add);
        deps.log.error(`Create or Update Role: the ${r.what} of ${arn} cannot be read completely: ${r.merge.problems.join(' ')}`);
      }
      const first = refused[0];
      void deps.ui.error(
        vscode.l10n.t('Nothing was changed: the {0} of role {1} cannot be read completely ({2}). Its current text and the statement to add are open in the editor; add the statement yourself, or fix the document in IAM, then run this again.', first.what, s.roleName, first.merge.problems.join(' ')),
      );
      return 'refused';
    }
    if (!trustMerge.ok || !permMerge.ok) {
      throw new Error(vscode.l10n.t('unreachable: refused merges are handled above'));
    }
    const notes = [...trustMerge.notes, ...permMerge.notes];
    notes.forEach((n) => deps.log.warn(`Create or Update Role: ${n}`));
    if (!trustMerge.changed && !permMerge.changed && state.tagged) {
      deps.log.info(`Role ${arn} is up to date; nothing changed.`);
      void deps.ui.info(
        notes.length
          ? vscode.l10n.t('Role {0} needs nothing added; nothing changed. {1}', s.roleName, notes.join(' '))
          : vscode.l10n.t('Role {0} is up to date: it trusts every secondary and allows sns:Publish. Nothing changed.', s.roleName),
      );
      return 'unchanged';
    }

    // Editable proposals beside the current documents, validated and compared by the shared review.
    review = new PolicyReview(deps, { folder, title: s.roleName, engine: { self: vscode.l10n.t('the role') }, validate, operation: vscode.l10n.t('Create or Update Role') });
    const currentTrust = readPolicy(state.trust ?? '');
    const currentPerm = state.permissions === undefined ? undefined : readPolicy(state.permissions);
    // The current side: the document as IAM holds it, laid out like the proposal so the diff shows only what changes.
    const laidOut = (r: ReturnType<typeof readPolicy> | undefined): string | undefined => (r === undefined ? undefined : r.ok ? documentText(r.policy.json) : r.text);
    // The trust policy last, so it is the diff in front: it decides who may send billed to the primary.
    if (permMerge.changed) {
      await review.show({ name: PERMISSIONS_NAME, what: vscode.l10n.t('inline policy {0}', INLINE_POLICY), kind: 'identity', current: currentPerm?.ok ? currentPerm.policy : undefined, rank: 1 }, laidOut(currentPerm), permMerge.text);
    }
    if (trustMerge.changed) {
      await review.show(
        { name: TRUST_NAME, what: vscode.l10n.t('trust policy'), kind: 'trust', current: currentTrust.ok ? currentTrust.policy : undefined, rank: 0, limit: (text) => trustPolicyLimit(text, vscode.l10n.t('The proposed trust policy ({0})', TRUST_NAME)) },
        laidOut(currentTrust),
        trustMerge.text,
      );
    }
    const what = [trustMerge.changed && vscode.l10n.t('its trust policy'), permMerge.changed && vscode.l10n.t('its inline policy {0}', INLINE_POLICY), !state.tagged && vscode.l10n.t('its tag')].filter(Boolean).join(', ');

    // Validate what is on the right side and ask; on Apply it is read again (the user may have edited it).
    const finals = await review.ask((now) => {
      const riskCount = now.finals.reduce((n, f) => n + f.risks.length, 0);
      const summary = [
        addedPerDocument(now.finals),
        riskCount ? (riskCount === 1 ? vscode.l10n.t('1 change removes or widens access and will need your confirmation') : vscode.l10n.t('{0} changes remove or widen access and will each need your confirmation', riskCount)) : '',
      ]
        .filter(Boolean)
        .join('; ');
      return now.problems.length
        ? vscode.l10n.t('Role {0} in account {1}: not ready to apply. {2} Fix the right side of the diff, then validate again.', s.roleName, accountId, now.problems.join(' '))
        : vscode.l10n.t('Role {0} in primary account {1} exists; this would update {2}{3}.{4} {5}{6}{7}{8} Review the diff (you may edit the right side), then apply.', s.roleName, accountId, what, summary ? ` (${summary})` : '', notes.length ? ` ${notes.join(' ')}` : '', now.validation, now.warnings.length ? ` ${now.warnings.join(' ')}` : '', trusteeWords, mismatch);
    });

    await confirmSecurityWarnings(deps, vscode.l10n.t('role {0}', s.roleName), review.validated());
    // Gaining sms-voice:SendTextMessage outside SNS (the optional Dry Run statement, or the user's edit) widens what the
    // role may do: a real send billed to the primary. The engine counts an added Allow as an addition, so it is asked here.
    const permProposed = finals.find((f) => f.proposal.kind === 'identity' && f.changed);
    const directSend =
      permProposed && allowsDirectTextSend(permProposed.text, accountId, primary.region) && !(state.permissions !== undefined && allowsDirectTextSend(state.permissions, accountId, primary.region))
        ? [
            {
              doc: vscode.l10n.t('inline policy {0} of role {1}', INLINE_POLICY, s.roleName),
              risk: { kind: 'widened' as const, text: directSendWords(s.roleName, accountId, trusted) },
              decides: vscode.l10n.t('The inline policy decides what the role may do once assumed. To leave it out, cancel, run Create or Update Role again and remove statement {0} from the right side of the diff before applying.', DRY_RUN_SID),
            },
          ]
        : [];
    await confirmRisks(deps, vscode.l10n.t('Create or Update Role'), [
      ...finals.flatMap((f) => f.risks.map((risk) => ({ doc: vscode.l10n.t('{0} of role {1}', f.proposal.what, s.roleName), risk, decides: vscode.l10n.t('The {0} decides who may send SMS billed to account {1}.', f.proposal.what, accountId) }))),
      ...directSend,
    ]);
    const trustFinal = finals.find((f) => f.proposal.kind === 'trust' && f.changed);
    const permFinal = finals.find((f) => f.proposal.kind === 'identity' && f.changed);
    if (!trustFinal && !permFinal && state.tagged) {
      void deps.ui.info(vscode.l10n.t('Nothing to change in role {0}: the documents you applied mean what is there.', s.roleName));
      return 'unchanged';
    }
    // IAM has no conditional update: read the role again, so a change made meanwhile (in the console, by a
    // colleague) is never overwritten by a proposal built on the old documents.
    await deps.ui.progress(vscode.l10n.t('Updating role {0}…', s.roleName), async (signal) => {
      const again = await svc.roles.read(target, signal);
      const moved = [trustFinal && again.trust !== state.trust && vscode.l10n.t('trust policy'), permFinal && again.permissions !== state.permissions && vscode.l10n.t('inline policy {0}', INLINE_POLICY)].filter(Boolean);
      if (!again.exists || moved.length) {
        throw new UserError(
          moved.length === 0
            ? vscode.l10n.t('Nothing was written: role {0} changed in IAM while you were reviewing the proposal.', s.roleName)
            : vscode.l10n.t('Nothing was written: the {0} of role {1} changed in IAM while you were reviewing the proposal.', moved.length === 2 ? vscode.l10n.t('{0} and {1}', String(moved[0]), String(moved[1])) : String(moved[0]), s.roleName),
          vscode.l10n.t('Run Create or Update Role again to see the documents as they are now.'),
        );
      }
      await svc.roles.update(target, { trust: trustFinal?.text, permissions: permFinal?.text, tag: !state.tagged }, signal);
    });
    const confirmed = finals.flatMap((f) => f.risks);
    const parts = [
      trustFinal ? vscode.l10n.t('trust policy updated{0}', addedWords(trustFinal.changes) ? ` (${addedWords(trustFinal.changes)})` : '') : '',
      confirmed.length ? confirmed.length === 1 ? vscode.l10n.t('1 risky change you confirmed ({0})', confirmed.map((r) => r.text).join(' ')) : vscode.l10n.t('{0} risky changes you confirmed ({1})', confirmed.length, confirmed.map((r) => r.text).join(' ')) : '',
      permFinal ? vscode.l10n.t('inline policy {0} updated', INLINE_POLICY) : '',
      state.tagged ? '' : vscode.l10n.t('tagged managed-by=tendlc-cross-account'),
    ].filter(Boolean);
    deps.log.info(`Updated role ${arn}: ${parts.join('; ')}.`);
    void deps.ui.info(vscode.l10n.t('Updated role {0} in account {1}: {2}.', s.roleName, accountId, parts.join('; ')));
    return 'updated';
  } catch (e) {
    await reportError(deps, e, vscode.l10n.t('Create or Update Cross-Account Role'));
    return undefined;
  } finally {
    await review?.dispose();
  }
}
