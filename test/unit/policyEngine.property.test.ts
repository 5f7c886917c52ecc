/**
 * Property tests of the policy engine against an independent model of IAM's decision (iamModel.ts),
 * over policies from a seeded generator (policyGen.ts).
 *
 * Replay: every failure names its seed and case index. Run one case with
 *   TENDLC_FUZZ_SEED=<seed> TENDLC_FUZZ_CASE=<index> node --test out/test/unit/policyEngine.property.test.js
 * (TENDLC_FUZZ_CASES=<n> changes the number of cases per property; the default is 2,000.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparePolicies, mergeGrants, readPolicy, type Grant, type MergeResult } from '../../src/core/policyEngine';
import { accountOfPrincipal, iamDecision, type ModelRequest } from './iamModel';
import { PolicyGen, STRANGER } from './policyGen';

const DEFAULT_SEED = 0x5eed10;
const SEED = parseSeed(process.env.TENDLC_FUZZ_SEED) ?? DEFAULT_SEED;
const ONLY = process.env.TENDLC_FUZZ_CASE ? Number(process.env.TENDLC_FUZZ_CASE) : undefined;
const CASES = Math.max(1, Number(process.env.TENDLC_FUZZ_CASES ?? 2000) || 2000);

function parseSeed(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const n = Number(text.trim());
  if (!Number.isFinite(n)) throw new Error(`TENDLC_FUZZ_SEED must be a number (decimal or 0x hex), not ${JSON.stringify(text)}`);
  return n >>> 0;
}

function indices(): number[] {
  return ONLY !== undefined ? [ONLY] : Array.from({ length: CASES }, (_, i) => i);
}

function replay(index: number): string {
  return `(replay: TENDLC_FUZZ_SEED=${SEED} TENDLC_FUZZ_CASE=${index})`;
}

function show(r: ModelRequest): string {
  return `${r.principal.type} ${r.principal.id} ${r.action} ${JSON.stringify(r.context)}`;
}

/** The grant as a one-statement policy, decided by the model: does the grant itself allow this request? */
function grantAllows(g: Grant, r: ModelRequest): boolean {
  const principal: Record<string, unknown> = {};
  for (const [t, ids] of Object.entries(g.principals ?? {})) principal[t] = ids;
  return iamDecision({ Statement: [{ Effect: 'Allow', Principal: principal, Action: g.actions, ...(g.conditions ? { Condition: g.conditions } : {}) }] }, r) === 'Allow';
}

/** A context that satisfies the grant's conditions and nothing else. */
function grantContext(g: Grant): Record<string, string> {
  const out: Record<string, string> = {};
  for (const block of Object.values(g.conditions ?? {})) {
    for (const [k, v] of Object.entries(block)) out[k.toLowerCase()] = typeof v === 'string' ? v : v[0];
  }
  return out;
}

/** Principals of the model that a grant names: each listed ARN, and every principal of a listed account. */
function namedByGrant(g: Grant, r: ModelRequest): boolean {
  return grantAllows({ ...g, conditions: undefined }, { ...r, action: g.actions[0], context: {} });
}

void test(`merge: ${ONLY !== undefined ? `case ${ONLY}` : `${CASES} generated policies`} (seed ${SEED}): only adds, grants take effect, widening is told, twice = once`, () => {
  let merged = 0;
  let refused = 0;
  let widenings = 0;
  let evaluations = 0;
  const started = Date.now();
  for (const index of indices()) {
    const gen = new PolicyGen(SEED, index);
    const grant = gen.grant();
    const unreadable = gen.r.chance(0.12);
    if (unreadable) {
      const bad = gen.unreadable();
      const result = mergeGrants(bad.text, [grant]);
      assert.equal(result.ok, false, `case ${index}: a policy with ${bad.why} was merged instead of refused ${replay(index)}\n${bad.text}`);
      if (result.ok) continue;
      assert.ok(result.problems.length > 0, `case ${index}: refused without saying why ${replay(index)}`);
      assert.ok(result.current.length >= Math.min(bad.text.length, 1) - 1 || bad.text === '', `case ${index}: the refusal does not show the document ${replay(index)}`);
      assert.doesNotThrow(() => JSON.parse(result.statementText), `case ${index}: the statement to add by hand is not JSON`);
      // A refused input stays refused, however often it is tried.
      assert.equal(mergeGrants(bad.text, [grant]).ok, false, `case ${index}: a second try merged a refused policy ${replay(index)}`);
      refused++;
      continue;
    }
    const doc = gen.policy();
    const text = gen.text(doc);
    const read = readPolicy(text);
    assert.ok(read.ok, `case ${index}: a valid policy was refused ${replay(index)}: ${read.ok ? '' : read.problems.join(' ')}\n${text}`);
    const result: MergeResult = mergeGrants(text, [grant]);
    assert.ok(result.ok, `case ${index}: the merge refused a readable policy ${replay(index)}`);
    if (!result.ok) continue;
    merged++;
    const after = result.document;
    const requests = gen.requests([grantContext(grant)]);
    const decisions = requests.map((r) => {
      evaluations += 2;
      return { r, before: iamDecision(doc, r), now: iamDecision(after, r) };
    });
    const why = (): string => `${replay(index)}\nbefore: ${JSON.stringify(doc)}\ngrant: ${JSON.stringify(grant)}\nafter: ${JSON.stringify(after)}\nrisks: ${JSON.stringify(result.risks)}\nnotes: ${JSON.stringify(result.notes)}`;
    for (const { r, before, now } of decisions) {
      // Only adds: whatever was allowed stays allowed; whatever was denied stays denied.
      if (before === 'Allow') assert.equal(now, 'Allow', `case ${index}: the merge took away ${show(r)} ${why()}`);
      if (before === 'Deny') assert.equal(now, 'Deny', `case ${index}: the merge weakened a Deny for ${show(r)} ${why()}`);
      if (now === 'Allow' && before !== 'Allow') {
        // Anything newly allowed is what the grant asked for…
        assert.ok(grantAllows(grant, r), `case ${index}: the merge allows ${show(r)}, which the grant does not ask for ${why()}`);
        // …and when that principal was allowed before in any form, the widening is told.
        const sameBefore = decisions.some((d) => d.before === 'Allow' && d.r.principal.id === r.principal.id && d.r.action === r.action);
        const acct = accountOfPrincipal(r.principal);
        const exactInGrant = (grant.principals?.AWS ?? []).includes(r.principal.id) && !/:root$/.test(r.principal.id);
        const accountBefore = !exactInGrant && acct !== undefined && decisions.some((d) => d.before === 'Allow' && d.r.action === r.action && accountOfPrincipal(d.r.principal) === acct);
        if (sameBefore || accountBefore) {
          assert.ok(result.risks.length > 0, `case ${index}: ${show(r)} is newly allowed though ${sameBefore ? 'that principal' : 'its account'} was allowed before under other limits, and no risk was reported ${why()}`);
          widenings++;
        }
      }
    }
    if (decisions.some((d) => d.now !== d.before)) {
      assert.equal(result.changed, true, `case ${index}: the merge changed what is allowed but says it changed nothing ${why()}`);
    }
    // The new secondaries are allowed (unless a Deny keeps them out, which the merge says).
    for (const { r, now, before } of decisions) {
      const ctx = grantContext(grant);
      const exact = JSON.stringify(r.context) === JSON.stringify(ctx);
      if (exact && r.action === grant.actions[0] && namedByGrant(grant, r) && now !== 'Allow') {
        const acct = accountOfPrincipal(r.principal) ?? r.principal.id;
        assert.equal(before, 'Deny', `case ${index}: ${show(r)} is not allowed after the merge ${why()}`);
        assert.ok(result.notes.some((n) => n.includes(acct)), `case ${index}: ${show(r)} stays denied and no note says so ${why()}`);
      }
    }
    // Merging twice equals merging once.
    const again = mergeGrants(result.text, [grant]);
    assert.ok(again.ok, `case ${index}: the merge's own output was refused ${replay(index)}`);
    if (again.ok) {
      assert.deepEqual(again.document, after, `case ${index}: a second merge changed the document ${why()}`);
      assert.equal(again.changed, false, `case ${index}: a second merge reports a change ${why()}`);
    }
  }
  const ms = Date.now() - started;
  console.log(`policy merge: ${merged} merged, ${refused} refused, ${widenings} widenings told, ${evaluations} model decisions, seed ${SEED}, ${ms} ms`);
  assert.ok(ONLY !== undefined || (merged > CASES * 0.7 && refused > CASES * 0.05), 'the generator covers both readable and unreadable policies');
});

void test(`compare: ${ONLY !== undefined ? `case ${ONLY}` : `${CASES} generated edits`} (seed ${SEED}): every removal and widening is a risk; rewrites are none`, () => {
  let risky = 0;
  let quiet = 0;
  let rewrites = 0;
  for (const index of indices()) {
    const gen = new PolicyGen(SEED ^ 0xc0ffee, index);
    const doc = gen.policy();
    const edit = gen.edit(doc);
    const before = readPolicy(JSON.stringify(doc));
    const after = readPolicy(JSON.stringify(edit.doc));
    assert.ok(before.ok && after.ok, `case ${index}: generated documents must be readable ${replay(index)}`);
    if (!before.ok || !after.ok) continue;
    const cmp = comparePolicies(before.policy, after.policy);
    const why = (): string => `${replay(index)} [${edit.what}]\nbefore: ${JSON.stringify(doc)}\nafter: ${JSON.stringify(edit.doc)}\nrisks: ${JSON.stringify(cmp.risks)}\nchanges: ${JSON.stringify(cmp.changes)}`;
    for (const risk of cmp.risks) {
      assert.ok(risk.text.length > 20 && !/undefined|\[object/.test(risk.text), `case ${index}: a risk is not said in words: ${JSON.stringify(risk)} ${why()}`);
    }
    if (edit.sameMeaning) {
      assert.deepEqual(cmp.risks, [], `case ${index}: a rewrite with the same meaning was reported as risky ${why()}`);
      rewrites++;
    }
    const requests = gen.requests([]);
    const decisions = requests.map((r) => ({ r, old: iamDecision(doc, r), now: iamDecision(edit.doc, r) }));
    for (const { r, old, now } of decisions) {
      if (old === 'Allow' && now !== 'Allow') assert.ok(cmp.risks.length > 0, `case ${index}: ${show(r)} is no longer allowed and no risk says so ${why()}`);
      if (old === 'Deny' && now !== 'Deny') assert.ok(cmp.risks.length > 0, `case ${index}: ${show(r)} is no longer denied and no risk says so ${why()}`);
      if (now === 'Allow' && old !== 'Allow') {
        const acct = accountOfPrincipal(r.principal);
        const samePrincipal = decisions.some((d) => d.old === 'Allow' && d.r.principal.id === r.principal.id && d.r.action === r.action);
        const stranger = acct === STRANGER;
        const namedExactly = (edit.doc['Statement'] instanceof Array ? (edit.doc['Statement'] as Record<string, unknown>[]) : [edit.doc['Statement'] as Record<string, unknown>]).some(
          (s) => s['Effect'] === 'Allow' && JSON.stringify(s['Principal'] ?? null).includes(`"${r.principal.id}"`) && !/:root$/.test(r.principal.id),
        );
        const accountWide = !namedExactly && acct !== undefined && decisions.some((d) => d.old === 'Allow' && d.r.action === r.action && accountOfPrincipal(d.r.principal) === acct);
        if (samePrincipal || stranger || accountWide) {
          assert.ok(cmp.risks.length > 0, `case ${index}: ${show(r)} is newly allowed (${samePrincipal ? 'allowed before under other limits' : stranger ? 'a stranger' : 'through an account-wide entry'}) and no risk says so ${why()}`);
        }
      }
    }
    if (cmp.risks.length) risky++;
    else quiet++;
  }
  console.log(`policy compare: ${risky} edits with risks, ${quiet} without, ${rewrites} same-meaning rewrites, seed ${SEED}`);
  assert.ok(ONLY !== undefined || (risky > CASES * 0.3 && rewrites > CASES * 0.05), 'the generator covers risky edits and rewrites');
});
