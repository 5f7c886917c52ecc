import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAwsFiles } from '../../src/core/awsIni';
import { buildProfileSet, groupProfiles, type ProfileSet } from '../../src/core/profiles';
import { clean, modelSteps, resolveWithSdk, startLoopbackImds, type ChainStep } from './jsSdkChain';

/**
 * The AWS SDK for Rust's assume-role chain suite (test/fixtures/assume-role-chain-tests.json, 21 cases), one subtest
 * per case, judged on the selected profile's outcome (credentials, or a problem on that profile naming the key and
 * what to do) and on the chain the model shows (base credentials from which profile, then each role assumed).
 *
 * Each case also runs through the AWS SDK for JavaScript's own `fromIni` (what the extension runs), with STS
 * replaced by recorders (test/unit/jsSdkChain.ts). Where the JavaScript SDK does something other than the Rust
 * suite expects, the model must show what the JavaScript SDK does; those cases are listed in JS_SDK_DIFFERS, and the
 * test checks that the SDK still differs (so the list cannot go stale).
 */

interface Case {
  docs: string;
  input: { profile: Record<string, Record<string, string>>; selected_profile: string };
  output: { ProfileChain?: SuiteStep[]; Error?: string };
}
type SuiteStep =
  | { AccessKey: { access_key_id: string; secret_access_key: string } }
  | { NamedSource: string }
  | { WebIdentityToken: { role_arn: string; web_identity_token_file: string; role_session_name?: string } }
  | { AssumeRole: { role_arn: string; role_session_name?: string; external_id?: string } };

const repoRoot = path.resolve(__dirname, '../../..');
// A copy kept in the repo (test/fixtures/README.md says where it comes from), so a fresh clone runs it.
const suite = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/fixtures/assume-role-chain-tests.json'), 'utf8')) as Case[];

/**
 * The suite's role ARNs carry 9-digit account ids and one `arn:foo` placeholder; AWS (and this model) accept only
 * 12-digit ids, so they are made valid first (test/fixtures/README.md), and only the chain logic is judged.
 */
function validArn(arn: string): string {
  if (arn === 'arn:foo') return 'arn:aws:iam::123456789012:role/foo';
  return arn.replace(/^arn:aws:iam::123456789:/, 'arn:aws:iam::123456789012:');
}

function fixArns<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (k: string, v: unknown) => (k === 'role_arn' && typeof v === 'string' ? validArn(v) : v)) as T;
}

/**
 * Where the JavaScript SDK differs from the suite, measured by running it (below, on every run): what it does, and
 * why. The model follows the JavaScript SDK here, since that is what resolves the profile when the extension uses it.
 */
const JS_SDK_DIFFERS: Record<string, string> = {
  'infinite loop with static credentials':
    'The JavaScript SDK does not count the selected profile as visited, so when B leads back to A, A is a source ' +
    'profile with static keys and its keys are used: A\'s keys → RoleB → RoleA. The AWS SDK for Rust (and the AWS CLI, ' +
    'whose visited set starts with the selected profile) stop with "profile formed an infinite loop".',
};

/** What the problem on the selected profile must say for each error case: the key, and what to do. */
const PROBLEM_SAYS: Record<string, RegExp> = {
  'role_arn without source source_profile': /^has role_arn but neither source_profile nor credential_source\. Add source_profile = PROFILE .* or credential_source = Environment, Ec2InstanceMetadata or EcsContainer\.$/,
  'source profile and credential source both present': /^sets both source_profile and credential_source; the AWS SDKs accept only one\. Remove credential_source to assume the role with the credentials of profile "B", or remove source_profile to use Environment\.$/,
  'partial credentials error (missing secret)': /^source profile "B" has aws_access_key_id but no aws_secret_access_key\. Add aws_secret_access_key to it, or set source_profile to a profile with both keys\.$/,
  'partial credentials error (missing access key)': /^source profile "B" has aws_secret_access_key but no aws_access_key_id\. Add aws_access_key_id to it, or set source_profile to a profile with both keys\.$/,
  'missing credentials error (empty source profile)': /^source profile "B" has no credentials\. Add aws_access_key_id and aws_secret_access_key to it .*, or set source_profile to a profile that has them\.$/,
  'missing source profile': /^source_profile "B" is not defined in the config or credentials file\. Add a \[profile B\] section, or correct the source_profile that names it\.$/,
  'assume role profile infinite loop': /^source_profile forms a cycle: "A" → "B" → "A"\. Point one of these source_profile settings at a profile with credentials/,
  'web identity role (no role_arn)': /^has web_identity_token_file but no role_arn\. Add role_arn = arn:aws:iam::ACCOUNT:role\/NAME/,
};

const CONFIG = 'config';
const IMDS_KEY = 'loopback-imds-key';
let tmp = '';
let imds: { stop(): Promise<void> } | undefined;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tendlc-chain-suite-'));
  imds = await startLoopbackImds(IMDS_KEY);
});

after(async () => {
  await imds?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function configText(profiles: Case['input']['profile'], tokenFile?: (original: string) => string): string {
  let text = '';
  for (const [name, props] of Object.entries(profiles)) {
    text += `[profile ${name}]\n`;
    for (const [k, v] of Object.entries(props)) text += `${k} = ${k === 'web_identity_token_file' && tokenFile ? tokenFile(v) : v}\n`;
  }
  return text;
}

function model(c: Case): ProfileSet {
  return buildProfileSet(parseAwsFiles({ config: { path: CONFIG, text: configText(c.input.profile), kind: 'config' } }));
}

/** The suite's chain in the common shape: an access key names the one profile that holds it. */
function suiteSteps(c: Case): ChainStep[] {
  return c.output.ProfileChain!.map((step): ChainStep => {
    if ('AccessKey' in step) {
      const owners = Object.entries(c.input.profile).filter(
        ([, p]) => p.aws_access_key_id === step.AccessKey.access_key_id && p.aws_secret_access_key === step.AccessKey.secret_access_key,
      );
      assert.equal(owners.length, 1, 'the suite names the keys of exactly one profile');
      return { base: 'static', profile: owners[0][0] };
    }
    if ('NamedSource' in step) return { base: 'credential-source', source: step.NamedSource };
    if ('WebIdentityToken' in step) return clean({ base: 'web-identity', roleArn: step.WebIdentityToken.role_arn, roleSessionName: step.WebIdentityToken.role_session_name });
    return clean({ hop: step.AssumeRole.role_arn, roleSessionName: step.AssumeRole.role_session_name, externalId: step.AssumeRole.external_id });
  });
}

/** The JavaScript SDK on the same case, from files on disk (token files made real, so it can read them). */
async function sdk(c: Case, index: number): Promise<Awaited<ReturnType<typeof resolveWithSdk>>> {
  const dir = path.join(tmp, `case-${index}`);
  fs.mkdirSync(dir);
  const token = path.join(dir, 'token.jwt');
  fs.writeFileSync(token, 'header.payload.signature');
  const configPath = path.join(dir, 'config');
  const credentialsPath = path.join(dir, 'credentials');
  fs.writeFileSync(configPath, configText(c.input.profile, () => token));
  fs.writeFileSync(credentialsPath, '');
  const keyOwners = new Map<string, ChainStep>([[IMDS_KEY, { base: 'credential-source', source: 'Ec2InstanceMetadata' }]]);
  for (const [name, p] of Object.entries(c.input.profile)) {
    if (p.aws_access_key_id && p.aws_secret_access_key && !keyOwners.has(p.aws_access_key_id)) keyOwners.set(p.aws_access_key_id, { base: 'static', profile: name });
  }
  return resolveWithSdk({ configPath, credentialsPath, profile: c.input.selected_profile, keyOwners });
}

void test('AWS SDK for Rust assume-role chain suite, on the selected profile and the chain shown', async (t) => {
  assert.equal(suite.length, 21, 'the suite has 21 cases');
  let passed = 0;
  const differs: string[] = [];
  let index = 0;
  for (const raw of suite) {
    const c = fixArns(raw);
    const i = index++;
    await t.test(c.docs, async () => {
      const set = model(c);
      const name = c.input.selected_profile;
      const profile = set.byName.get(name);
      const js = await sdk(c, i);
      const jsDiffers = JS_SDK_DIFFERS[c.docs];

      // What the JavaScript SDK does, measured now; where it is not what the suite expects, the case is listed.
      const rustSteps = c.output.ProfileChain ? suiteSteps(c) : undefined;
      const jsAgreesWithSuite = rustSteps ? js.error === undefined && JSON.stringify(js.steps) === JSON.stringify(rustSteps) : js.error !== undefined;
      assert.equal(
        !jsAgreesWithSuite,
        jsDiffers !== undefined,
        jsDiffers
          ? `JS_SDK_DIFFERS says the JavaScript SDK differs here, but it now does what the suite expects (${JSON.stringify(js)}); drop the entry`
          : `the JavaScript SDK does not do what the suite expects: ${JSON.stringify(js)}; list the case in JS_SDK_DIFFERS and follow the SDK`,
      );
      if (jsDiffers) {
        differs.push(c.docs);
        t.diagnostic(`the JavaScript SDK differs from the suite: ${jsDiffers}`);
      }

      const expected: ChainStep[] | undefined = jsDiffers ? (js.error ? undefined : js.steps) : rustSteps;
      if (expected) {
        // Usable: no problem, and the chain the SDK walks, step by step.
        assert.ok(profile, `profile ${name} is in the model`);
        assert.deepEqual(profile.problems, [], 'no problem on a profile the SDK resolves');
        assert.deepEqual(modelSteps(profile), expected, 'the chain: base credentials from which profile, then each role assumed');
        assert.deepEqual(modelSteps(profile), js.steps, 'the same chain as the JavaScript SDK walked');
        const web = c.output.ProfileChain?.find((s) => 'WebIdentityToken' in s);
        if (web && 'WebIdentityToken' in web && profile.credentials?.base.kind === 'web-identity') {
          assert.equal(profile.credentials.base.tokenFile, web.WebIdentityToken.web_identity_token_file);
        }
      } else if (!profile) {
        // "No profiles were defined": the selected profile is not in the files. The tree lists it, under its group,
        // as "not in your AWS files" (groupProfiles' `missing`), and nothing is looked up for it.
        assert.ok(js.error, 'the JavaScript SDK refuses it too');
        assert.deepEqual(groupProfiles(set, { primaryProfile: name, secondaryProfiles: [] }).missing, [{ name, group: 'primary' }]);
      } else {
        // A problem on the selected profile (the tree shows it as `profile "A": ...`) naming the key and what to do.
        assert.ok(js.error, `the JavaScript SDK refuses it too (it gave ${JSON.stringify(js.steps)})`);
        assert.equal(profile.problems.length, 1, `one problem on ${name}: ${JSON.stringify(profile.problems)}`);
        assert.match(profile.problems[0], PROBLEM_SAYS[c.docs], 'the problem names the key and what to do');
        assert.equal(profile.credentials, undefined, 'no chain is shown for a profile with a problem');
      }
      passed++;
    });
  }
  console.log(`assume-role chain conformance: ${passed}/${suite.length} (judged against the JavaScript SDK where it differs from the suite: ${differs.join('; ') || 'none'})`);
  assert.equal(passed, suite.length);
});
