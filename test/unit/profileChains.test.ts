import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AccountResolver } from '../../src/aws/accounts';
import type { ClientFactory } from '../../src/aws/clients';
import { parseAwsFiles } from '../../src/core/awsIni';
import { buildProfileSet, type BuildStats } from '../../src/core/profiles';
import { Rng } from './hostileFiles';
import { modelSteps, resolveWithSdk, type ChainStep } from './jsSdkChain';

/**
 * The profile model's credential chains against the AWS SDK for JavaScript's own `fromIni` (what the extension runs)
 * on generated profile graphs: role_arn with source_profile (to any profile, itself, or one that does not exist),
 * credential_source, both, static keys (both, one, none) beside a role, mfa_serial, web identity and
 * credential_process. For every profile of every graph: the model gives credentials exactly when the SDK does, with
 * the same chain (base, then each AssumeRole with its session name and external id), and says it would prompt or run
 * a program exactly when the SDK asked for an MFA code or ran the process. STS is a recorder (test/unit/jsSdkChain.ts).
 *
 * Replay: every failure names its seed and case. TENDLC_CHAIN_SEED=<seed> TENDLC_CHAIN_CASE=<index> runs one case;
 * TENDLC_CHAIN_CASES=<n> changes the number of cases (default 150).
 */

const SEED = Number(process.env.TENDLC_CHAIN_SEED ?? 0x5eed17) >>> 0;
const ONLY = process.env.TENDLC_CHAIN_CASE !== undefined ? Number(process.env.TENDLC_CHAIN_CASE) : undefined;
const CASES = Math.max(1, Number(process.env.TENDLC_CHAIN_CASES ?? 150) || 150);

const NAMES = ['a', 'b', 'c', 'd', 'e', 'f'];
/** Keys made at run time: nothing key-shaped is committed. */
const ENV_KEY = `env-${process.pid}`;

let tmp = '';
const savedEnv = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, token: process.env.AWS_SESSION_TOKEN };

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tendlc-chains-'));
  // credential_source = Environment reads these (the SDK's fromEnv).
  process.env.AWS_ACCESS_KEY_ID = ENV_KEY;
  process.env.AWS_SECRET_ACCESS_KEY = 'env-secret';
  delete process.env.AWS_SESSION_TOKEN;
});

after(() => {
  for (const [k, v] of [['AWS_ACCESS_KEY_ID', savedEnv.id], ['AWS_SECRET_ACCESS_KEY', savedEnv.secret], ['AWS_SESSION_TOKEN', savedEnv.token]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Graph {
  readonly config: string;
  readonly names: string[];
  readonly keyOwners: Map<string, ChainStep>;
}

/** A random graph of up to six profiles, written as a config file (keys in it too, which is allowed). */
function graph(seed: number, index: number, dir: string): Graph {
  const r = new Rng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const names = NAMES.slice(0, r.int(1, NAMES.length));
  const targets = [...names, 'ghost'];
  const token = path.join(dir, 'token.jwt');
  fs.writeFileSync(token, 'header.payload.signature');
  const keyOwners = new Map<string, ChainStep>([[ENV_KEY, { base: 'credential-source', source: 'Environment' }]]);
  let config = '';
  for (const name of names) {
    const lines: string[] = [];
    const keys = r.pick(['none', 'none', 'both', 'both', 'id', 'secret'] as const);
    if (keys === 'both' || keys === 'id') lines.push(`aws_access_key_id = key-${name}-${index}`);
    if (keys === 'both' || keys === 'secret') lines.push(`aws_secret_access_key = secret-${name}`);
    if (keys === 'both') keyOwners.set(`key-${name}-${index}`, { base: 'static', profile: name });
    if (r.chance(0.7)) lines.push(`role_arn = arn:aws:iam::${String(100000000000 + r.int(0, 899999999999))}:role/R-${name}`);
    const source = r.chance(0.65);
    if (source) lines.push(`source_profile = ${r.pick(targets)}`);
    if (r.chance(source ? 0.08 : 0.2)) lines.push(`credential_source = ${r.chance(0.9) ? 'Environment' : 'Somewhere'}`);
    if (r.chance(0.2)) lines.push(`mfa_serial = arn:aws:iam::111111111111:mfa/${name}`);
    if (r.chance(0.2)) lines.push(`external_id = ext-${name}`);
    if (r.chance(0.2)) lines.push(`role_session_name = session-${name}`);
    if (r.chance(0.1)) lines.push(`web_identity_token_file = ${token}`);
    if (r.chance(0.08)) {
      const json = JSON.stringify({ Version: 1, AccessKeyId: `proc-${name}-${index}`, SecretAccessKey: 'proc-secret' });
      lines.push(`credential_process = printf '%s' '${json}'`);
      keyOwners.set(`proc-${name}-${index}`, { base: 'process', profile: name });
    }
    config += `[profile ${name}]\n${r.shuffle(lines).join('\n')}\n`;
  }
  return { config, names, keyOwners };
}

async function checkCase(seed: number, index: number): Promise<number> {
  const dir = path.join(tmp, `case-${index}`);
  fs.mkdirSync(dir);
  const g = graph(seed, index, dir);
  const configPath = path.join(dir, 'config');
  const credentialsPath = path.join(dir, 'credentials');
  fs.writeFileSync(configPath, g.config);
  fs.writeFileSync(credentialsPath, '');
  const set = buildProfileSet(parseAwsFiles({ config: { path: configPath, text: g.config, kind: 'config' } }));
  let checked = 0;
  for (const name of g.names) {
    const p = set.byName.get(name)!;
    const js = await resolveWithSdk({ configPath, credentialsPath, profile: name, keyOwners: g.keyOwners });
    const where = `profile ${name} of case ${index} (replay: TENDLC_CHAIN_SEED=${seed} TENDLC_CHAIN_CASE=${index})\n${g.config}\nJS SDK: ${JSON.stringify(js)}\nmodel: ${JSON.stringify({ kind: p.kind, problems: p.problems, credentials: p.credentials, chain: p.chain })}`;
    if (js.error === undefined) {
      const both = /sets both source_profile and credential_source/.test(p.problems.join());
      if (both) {
        // Deliberately stricter: the SDKs disagree on such a profile (the JavaScript one uses source_profile, or the
        // profile's own keys; the others refuse it or use credential_source), so the model asks for one of the two.
        checked++;
        continue;
      }
      assert.deepEqual(p.problems, [], `the SDK resolves it, the model reports a problem: ${where}`);
      assert.deepEqual(modelSteps(p), js.steps, `chain: ${where}`);
      const ranProcess = js.steps.some((s) => 'base' in s && s.base === 'process');
      assert.equal(p.interactive, js.mfaAsked.length > 0 || ranProcess, `interactive: ${where}`);
      assert.equal(/MFA/.test(p.interactiveReason ?? ''), js.mfaAsked.length > 0, `MFA: ${where}`);
    } else {
      assert.equal(p.credentials, undefined, `the SDK refuses it (${js.error}), the model shows a chain: ${where}`);
      if (p.kind !== 'none' || p.problems.length > 0) {
        assert.equal(p.problems.length, 1, `a profile the SDK refuses has one problem: ${where}`);
      }
    }
    checked++;
  }
  return checked;
}

void test(`credential chains match the JavaScript SDK's fromIni on generated profile graphs: ${ONLY !== undefined ? `case ${ONLY}` : `${CASES} cases`}, seed ${SEED}`, async () => {
  const indices = ONLY !== undefined ? [ONLY] : Array.from({ length: CASES }, (_, i) => i);
  let profiles = 0;
  for (const index of indices) profiles += await checkCase(SEED, index);
  console.log(`chains against the JavaScript SDK: ${indices.length} graphs, ${profiles} profiles, seed ${SEED}`);
});

/** A config of `n` role profiles, each the source of the one before: p0 → p1 → … → p(n-1) → keys (or back to p0). */
function chainConfig(n: number, end: 'keys' | 'cycle'): string {
  let text = '';
  for (let i = 0; i < n; i++) {
    text += `[profile p${i}]\nrole_arn = arn:aws:iam::123456789012:role/R${i}\nsource_profile = p${i + 1 < n || end === 'keys' ? i + 1 : 0}\n`;
  }
  if (end === 'keys') text += `[profile p${n}]\naws_access_key_id = k\naws_secret_access_key = s\n`;
  return text;
}

void test('chain resolution is linear in the number of profiles: work counted, not timed', () => {
  const work = (n: number, end: 'keys' | 'cycle'): number => {
    const stats: BuildStats = { chainSteps: 0 };
    const set = buildProfileSet(parseAwsFiles({ config: { path: 'config', text: chainConfig(n, end), kind: 'config' } }), stats);
    const first = set.byName.get('p0')!;
    if (end === 'keys') {
      assert.equal(first.credentials?.hopCount, n, 'p0 assumes every role down the chain');
      assert.equal(first.credentials?.hops.length, n);
      assert.deepEqual(first.credentials?.base, { kind: 'static', profile: `p${n}` });
    } else {
      assert.match(first.problems[0], /source_profile forms a cycle: "p0" → "p1" → .* → … \(\d+ profiles\) → "p0"/);
      assert.ok(first.problems[0].length < 1000, 'a long cycle is named by its first profiles, not all of them');
    }
    return stats.chainSteps;
  };
  for (const end of ['keys', 'cycle'] as const) {
    const small = work(1000, end);
    const big = work(8000, end);
    // Every profile's chain is its first step plus a shared one: a few steps per profile, whatever the length.
    assert.ok(small <= 4 * 1001, `${end}: ${small} steps for 1,000 profiles`);
    assert.ok(big <= 4 * 8001, `${end}: ${big} steps for 8,000 profiles`);
    assert.ok(big / small < 8.5, `${end}: 8 times the profiles took ${(big / small).toFixed(1)} times the steps`);
  }
});

void test('a profile whose chain has a problem is never looked up in the background; asked for, it still is', async () => {
  const set = buildProfileSet(
    parseAwsFiles({
      config: {
        path: 'config',
        kind: 'config',
        // role_arn with a 5-digit account: no account is declared, so only a lookup could find one.
        text: '[profile half]\naws_access_key_id = id-only\n[profile bad-arn]\nrole_arn = arn:aws:iam::12345:role/x\nsource_profile = half\n',
      },
    }),
  );
  const badArn = set.byName.get('bad-arn')!;
  assert.equal(badArn.declaredAccountId, undefined);
  assert.equal(badArn.problems.length, 1);
  // A client factory that counts what the resolver asks of it (nothing here reaches a network).
  let calls = 0;
  const clients = {
    checkTimeouts: { connectMs: 1, requestMs: 1, maxAttempts: 1 },
    endpointFor: () => undefined,
    regionOf: () => undefined,
    redact: (text: string) => text,
    credentialsFor: () => {
      calls++;
      return async () => {
        throw new Error('no credentials in this test');
      };
    },
    sts: () => ({ send: async () => Promise.reject(new Error('no credentials in this test')), destroy: () => undefined }),
  } as unknown as ClientFactory;
  const resolver = new AccountResolver(clients, () => 'us-east-1');
  const background = await resolver.resolve(badArn, { interactive: false });
  assert.equal(background.status, 'error');
  assert.match(background.status === 'error' ? background.reason : '', /^not looked up: role_arn "arn:aws:iam::12345:role\/x" is not an IAM role ARN/);
  assert.equal(calls, 0, 'no credentials were resolved and no call was made');
  assert.equal(resolver.lookups, 0);
  assert.equal(resolver.peek(badArn), undefined, 'nothing is cached or pending');
  // The user asked (Look Up Account Id): the SDK is tried, and its answer shown.
  assert.equal((await resolver.resolve(badArn, { interactive: true })).status, 'error');
  assert.equal(calls, 1);
});
