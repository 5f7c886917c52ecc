/**
 * The cross-account role's documents through the policy engine (policyEngine.ts): the grants this
 * extension needs in the role's trust policy and permissions, and the readers Check Setup uses to
 * decide whether the role trusts a secondary and may publish. Pure: no `vscode`, no AWS SDK.
 */
import { decide, mergeGrants, readPolicy, readPolicyJson, type Grant, type MergeResult, type Policy } from './policyEngine';
import { DRY_RUN_SID, partitionOf, permissionsPolicy, type PermissionsInput, type TrustPolicyInput } from './policies';
import { accountOf, awsCovers, normalizeAws } from './policyGrammar';

/** The Sid of the statement this extension owns in a trust policy. */
export const TRUST_SID = 'AllowSecondaryAccountsToAssume';

/** A document as IAM returns it (text, possibly URL-encoded) or already parsed. */
export type PolicyInput = string | object;

function read(doc: PolicyInput): Policy | undefined {
  const r = typeof doc === 'string' ? readPolicy(doc) : readPolicyJson(doc);
  return r.ok ? r.policy : undefined;
}

/** Why a document cannot be read, or undefined when it can. */
export function unreadable(doc: PolicyInput): string | undefined {
  const r = typeof doc === 'string' ? readPolicy(doc) : readPolicyJson(doc);
  return r.ok ? undefined : r.problems.join(' ');
}

/** What the trust policy must allow: each secondary may call sts:AssumeRole, with the configured conditions. */
export function trustGrant(input: TrustPolicyInput): Grant {
  const conditions: Record<string, Record<string, string>> = {};
  if (input.externalId) {
    conditions['StringEquals'] = { 'sts:ExternalId': input.externalId };
  }
  if (input.requireMfa) {
    // Bool, never BoolIfExists: a request without MFA context must be refused, not let through.
    conditions['Bool'] = { 'aws:MultiFactorAuthPresent': 'true' };
  }
  const principals = [...new Set(input.principals.map((p) => normalizeAws(p, partitionOf(input.region))))].sort();
  return { sid: TRUST_SID, principals: { AWS: principals }, actions: ['sts:AssumeRole'], ...(Object.keys(conditions).length ? { conditions } : {}) };
}

/** What the role's inline permissions policy must allow: each statement of the generated policy. */
export function permissionGrants(input: PermissionsInput): Grant[] {
  return permissionsPolicy(input).Statement.map((s) => ({
    sid: s.Sid,
    actions: Array.isArray(s.Action) ? s.Action : [s.Action],
    resources: s.Resource === undefined ? undefined : Array.isArray(s.Resource) ? s.Resource : [s.Resource],
    ...(s.Condition ? { conditions: s.Condition } : {}),
  }));
}

/** The trust policy to propose for a role whose current trust policy is `current` (its text as IAM returns it). */
export function mergeTrust(current: string | undefined, input: TrustPolicyInput): MergeResult {
  return mergeGrants(current, [trustGrant(input)], { partition: partitionOf(input.region) });
}

/** The inline permissions policy to propose, given the current one (undefined when the role has none of ours). */
export function mergePermissions(current: string | undefined, input: PermissionsInput & { readonly withDirectSend?: boolean }): MergeResult {
  // The optional Dry Run statement widens what the role may do (a real SendTextMessage, billed to the primary): an
  // update never proposes it on its own; it is written only where the user asked for it (at creation, or by an edit).
  const grants = permissionGrants(input).filter((g) => input.withDirectSend === true || g.sid !== DRY_RUN_SID);
  return mergeGrants(current, grants, { partition: partitionOf(input.region), self: 'the role' });
}

/** What this extension's AssumeRole carries: the external id and MFA when the settings ask for them. */
export interface TrustContext {
  readonly externalId?: string;
  readonly mfa?: boolean;
}

function assumeContext(accountId: string | undefined, ctx: TrustContext): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (ctx.externalId) {
    out['sts:externalid'] = [ctx.externalId];
  }
  if (ctx.mfa) {
    out['aws:multifactorauthpresent'] = ['true'];
  }
  if (accountId) {
    out['aws:principalaccount'] = [accountId];
  }
  return out;
}

/**
 * Whether a trust policy lets principals of `accountId` assume the role for a request such as this
 * extension makes (with the configured external id, with MFA only when it is required). Every form of
 * "*", Deny, NotPrincipal, NotAction and conditions count: a statement that needs another external id,
 * MFA the request does not carry, or a condition on a key it does not send does not trust the account
 * for us. The account's root is tried, and each principal of that account the policy names.
 */
export function trustsAccount(doc: PolicyInput, accountId: string, ctx: TrustContext = {}): boolean {
  const policy = read(doc);
  if (!policy) {
    return false;
  }
  const named = policy.statements.flatMap((s) => [...(s.principal?.AWS ?? []), ...(s.notPrincipal?.AWS ?? [])]).filter((p) => accountOf(p) === accountId && !awsCovers(p, `arn:aws:iam::${accountId}:root`));
  const candidates = [`arn:aws:iam::${accountId}:root`, ...new Set(named)];
  const context = assumeContext(accountId, ctx);
  return candidates.some((id) => decide(policy, { principal: { type: 'AWS', id }, action: 'sts:AssumeRole', context }) === 'allow');
}

/**
 * The AWS principals a trust policy lets call sts:AssumeRole for such a request: each one it names in
 * an Allow (account ids as root ARNs), and "*" when everyone may. Principals a Deny refuses are left out.
 */
export function trustedPrincipals(doc: PolicyInput, ctx: TrustContext = {}): string[] {
  const policy = read(doc);
  if (!policy) {
    return [];
  }
  const out = new Set<string>();
  for (const s of policy.statements) {
    if (s.effect !== 'Allow') {
      continue;
    }
    if (s.principal?.everyone && decide(policy, { principal: { type: 'AWS', id: 'arn:aws:iam::000000000000:root' }, action: 'sts:AssumeRole', context: assumeContext('000000000000', ctx) }) === 'allow') {
      out.add('*');
    }
    for (const p of s.principal?.AWS ?? []) {
      const id = normalizeAws(p);
      if (decide(policy, { principal: { type: 'AWS', id }, action: 'sts:AssumeRole', context: assumeContext(accountOf(id), ctx) }) === 'allow') {
        out.add(id);
      }
    }
  }
  return [...out].sort();
}

/** Whether an identity policy allows an action on every resource ("*"), with no Deny in the way. */
export function allowsAction(doc: PolicyInput, action: string): boolean {
  const policy = read(doc);
  return policy !== undefined && decide(policy, { principal: 'self', action, resource: '*', context: {} }) === 'allow';
}

/**
 * Whether an identity policy lets its holder call End User Messaging's SendTextMessage itself (not
 * only through SNS, which sends `aws:CalledViaLast`) on a phone number of `accountId` in `region`:
 * a real send billed to that account. The role's optional Dry Run statement does this (no IAM
 * condition key limits SendTextMessage to DryRun), so adding it widens what the role may do.
 */
export function allowsDirectTextSend(doc: PolicyInput, accountId: string, region: string): boolean {
  const policy = read(doc);
  const resource = `arn:${partitionOf(region)}:sms-voice:${region}:${accountId}:phone-number/phone-00000000000000000000000000000000`;
  return policy !== undefined && decide(policy, { principal: 'self', action: 'sms-voice:SendTextMessage', resource, context: {} }) === 'allow';
}
