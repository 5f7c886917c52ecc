/**
 * The CloudFormation and Terraform exports: every generated template passes cfn-lint; read back and
 * evaluated, every policy in it equals the JSON document Generate Policies writes for the same setup;
 * the HCL parses (python-hcl2), is `terraform fmt` clean, and names only resource types and arguments
 * of the AWS provider. Over generated setups (seeded; the seed is printed).
 *
 * cfn-lint and python-hcl2 come from the repo's .venv (scripts/setup.sh): in CI a missing one fails the
 * test; locally it is skipped with a loud message. terraform (for `fmt -check`) is the machine image's
 * /usr/local/bin/terraform, which no registry serves: without it only that check is skipped, loudly.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { CFN, primaryTemplate, secondaryTemplate } from '../../src/core/cloudformation';
import { snsResourcePolicy } from '../../src/core/numberPolicy';
import type { PolicyDocument } from '../../src/core/policies';
import { resolveDocument, resolvedDocuments, setupModel, type SetupInput, type SetupModel } from '../../src/core/setup';
import { primaryTerraform, secondaryTerraform, TF } from '../../src/core/terraform';
import { Tag, toYaml, yamlString } from '../../src/core/yaml';

const ROOT = path.resolve(__dirname, '../../..');
const PYTHON = path.join(ROOT, '.venv/bin/python');
const CFN_LINT = path.join(ROOT, '.venv/bin/cfn-lint');
const CHECK = path.join(ROOT, 'test/unit/iac_check.py');
const TERRAFORM = ['/usr/local/bin/terraform', '/usr/bin/terraform'].find((p) => existsSync(p));

/**
 * Resource types and arguments the AWS provider documents (hashicorp/terraform-provider-aws,
 * website/docs/r/*.html.markdown, "Argument Reference"), for the ones the exporter may write; plus
 * Terraform's meta-arguments. Data sources: website/docs/d/caller_identity (no arguments).
 */
const META_ARGUMENTS = ['count', 'for_each', 'depends_on', 'provider', 'lifecycle'];
const PROVIDER_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  aws_iam_role: ['assume_role_policy', 'description', 'force_detach_policies', 'inline_policy', 'managed_policy_arns', 'max_session_duration', 'name', 'name_prefix', 'path', 'permissions_boundary', 'tags'],
  aws_iam_role_policy: ['name', 'name_prefix', 'policy', 'role'],
  aws_iam_policy: ['description', 'name', 'name_prefix', 'path', 'policy', 'tags'],
  aws_iam_role_policy_attachment: ['role', 'policy_arn'],
  aws_pinpointsmsvoicev2_resource_policy: ['policy', 'resource_arn', 'region'],
};
const PROVIDER_DATA_SOURCES: Readonly<Record<string, readonly string[]>> = { aws_caller_identity: [] };

function tools(t: TestContext, need: ('python' | 'cfn-lint')[]): boolean {
  const missing = need.filter((n) => (n === 'python' ? !existsSync(PYTHON) : !existsSync(CFN_LINT)));
  if (missing.length === 0 && need.includes('python') && spawnSync(PYTHON, ['-c', 'import hcl2, yaml']).status !== 0) {
    missing.push('python');
  }
  if (missing.length === 0) {
    return true;
  }
  const msg = `${missing.join(', ')} not available (run bash scripts/setup.sh)`;
  if (process.env['CI']) {
    assert.fail(`CI must run every IaC check: ${msg}`);
  }
  console.warn(`\n!!! SKIPPING an IaC check: ${msg}\n`);
  t.skip(msg);
  return false;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

const SEED = Number(process.env['TENDLC_PROPERTY_SEED'] ?? Date.now() % 2 ** 31);

/** A spread of setups: 1–4 secondaries, external id or not, MFA or not, every state of the number. */
function setups(count: number): SetupInput[] {
  const r = rng(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const out: SetupInput[] = [];
  for (let i = 0; i < count; i++) {
    const region = i === 0 ? 'us-east-1' : pick(['us-east-1', 'us-west-2', 'us-gov-west-1']);
    const partition = region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
    const primary = String(100000000000 + Math.floor(r() * 8e11));
    const trusted = Array.from({ length: 1 + Math.floor(r() * 4) }, () => String(100000000000 + Math.floor(r() * 8e11)));
    const numberArn = `arn:${partition}:sms-voice:${region}:${primary}:phone-number/phone-${i}abc`;
    const listArn = `arn:${partition}:sms-voice:${region}:${primary}:opt-out-list/Default`;
    const current = pick<{ text?: string } | { unreadable: string } | undefined>([{}, undefined, { unreadable: 'AccessDenied' }, { text: JSON.stringify(snsResourcePolicy('phone-number', numberArn, primary)) }]);
    out.push({
      primaryAccountId: primary,
      region,
      roleName: pick(['tendlc-cross-account-sms', 'sms.sender@team', 'x']),
      trusted,
      externalId: i === 0 || r() < 0.5 ? `ext-${i}-${Math.floor(r() * 1e6)}` : undefined,
      requireMfa: i === 0 || r() < 0.5,
      number:
        i === 1 || r() < 0.2
          ? undefined
          : { e164: '+12065550100', createdAt: pick([undefined, new Date('2023-01-01'), new Date('2025-06-01')]), phone: pick([{ arn: numberArn, current }, {}]), optOutList: { arn: listArn, current: {} } },
      accountNames: r() < 0.5 ? { [primary]: "Prod: SMS 'primary'", [trusted[0]]: 'team #a' } : undefined,
    });
  }
  return out;
}

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'tendlc-iac-'));
}

/** The template read back by PyYAML and evaluated as CloudFormation would, with parameter values. */
function evaluateCfn(file: string, params: Record<string, string>): { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>; Conditions: Record<string, boolean> } {
  return JSON.parse(execFileSync(PYTHON, [CHECK, 'cfn', file, JSON.stringify(params)], { encoding: 'utf8' }));
}

/** Every value a deployer passes: the sensitive parameters (no default) and the pseudo parameters. */
function deployValues(m: SetupModel, which: 'primary' | 'secondary'): Record<string, string> {
  const params = which === 'primary' ? m.primaryParams : m.secondaryParams;
  const out: Record<string, string> = { 'AWS::AccountId': which === 'primary' ? m.primaryAccountId : '999999999999', 'AWS::Region': m.region };
  for (const p of params) {
    if (p.sensitive) {
      out[p.key] = p.value as string;
    }
  }
  return out;
}

/** Every policy document of a template, evaluated, by the place it sits in. */
function cfnPolicies(m: SetupModel, ev: ReturnType<typeof evaluateCfn>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, r] of Object.entries(ev.Resources)) {
    const p = r.Properties;
    if (r.Type === 'AWS::IAM::Role') {
      out[`${id}.trust`] = p['AssumeRolePolicyDocument'];
      for (const inline of p['Policies'] as { PolicyName: string; PolicyDocument: unknown }[]) {
        out[`${id}.${inline.PolicyName}`] = inline.PolicyDocument;
      }
    } else {
      out[id] = p['PolicyDocument'];
    }
  }
  void m;
  return out;
}

/** The same documents as Generate Policies writes them (JSON), by the same places. */
function jsonPolicies(m: SetupModel, withDelivery: boolean): Record<string, unknown> {
  const docs = resolvedDocuments(m);
  const out: Record<string, unknown> = {
    [`${CFN.role}.trust`]: docs.trust,
    [`${CFN.role}.${m.role.inlinePolicyName}`]: docs.permissions,
  };
  for (const [i, r] of m.resourcePolicies.entries()) {
    const arn = m.primaryParams.find((p) => p.key === r.arnParam)?.value;
    if (r.needed && arn) {
      out[r.logicalId] = docs.resourcePolicies[i].document;
    }
  }
  if (withDelivery) {
    out[`${CFN.deliveryRole}.trust`] = m.deliveryRole.trust;
    out[`${CFN.deliveryRole}.${m.deliveryRole.inlinePolicyName}`] = m.deliveryRole.permissions;
  }
  return out;
}

/** IAM reads a one-item list and a string alike; compare documents in that normal form. */
function normal(v: unknown): unknown {
  if (Array.isArray(v)) {
    return v.length === 1 ? normal(v[0]) : v.map(normal);
  }
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normal(x)]));
  }
  return v;
}

test('YAML scalars read back as the same strings (quoting of reserved words, numbers, colons, quotes)', (t) => {
  if (!tools(t, ['python'])) {
    return;
  }
  const values = ['true', 'No', '2012-10-17', '0123', '1e3', 'a: b', 'x #y', "it's", 'sts:AssumeRole', 'AWS::IAM::Role', '*', '', ' lead', 'tab\there', 'ünï', 'a"b\\c', '- dash', '{x}', 'null', '~', '@at', '%pct', '!bang', '&amp', 'ok-name_1.2'];
  const dir = tempDir();
  try {
    const file = path.join(dir, 't.yaml');
    writeFileSync(file, toYaml({ Values: values, Nested: { 'sts:ExternalId': new Tag('!Ref', 'X'), List: [{ A: 'b', C: ['d'] }], Empty: [] } }));
    const back = JSON.parse(execFileSync(PYTHON, ['-c', 'import sys,json,yaml; print(json.dumps(yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)))', file], { encoding: 'utf8' })) as { Values: string[] };
    assert.deepEqual(back.Values, values);
    assert.equal(yamlString('plain text'), 'plain text');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every generated CloudFormation template passes cfn-lint, and its policies are the JSON documents', (t) => {
  if (!tools(t, ['python', 'cfn-lint'])) {
    return;
  }
  const dir = tempDir();
  try {
    const cases = setups(12).map((input, i) => {
      const m = setupModel(input);
      const primary = path.join(dir, `primary-${i}.yaml`);
      const secondary = path.join(dir, `secondary-${i}.yaml`);
      writeFileSync(primary, primaryTemplate(m));
      writeFileSync(secondary, secondaryTemplate(m));
      return { m, primary, secondary };
    });
    // One cfn-lint run over all of them (it starts slowly). Exit code bits: 2 error, 4 warning.
    const lint = spawnSync(CFN_LINT, ['--format', 'parseable', ...cases.flatMap((c) => [c.primary, c.secondary])], { encoding: 'utf8' });
    assert.equal(lint.status, 0, `cfn-lint (seed ${SEED}) found:\n${lint.stdout}${lint.stderr}`);
    for (const { m, primary, secondary } of cases) {
      for (const withDelivery of [false, true]) {
        const ev = evaluateCfn(primary, { ...deployValues(m, 'primary'), CreateDeliveryStatusRole: String(withDelivery) });
        assert.deepEqual(normal(cfnPolicies(m, ev)), normal(jsonPolicies(m, withDelivery)), `seed ${SEED}`);
        assert.deepEqual(ev.Resources[CFN.role].Properties['Tags'], [{ Key: 'managed-by', Value: 'tendlc-cross-account' }]);
        assert.equal(ev.Resources[CFN.role].Properties['RoleName'], m.primaryParams.find((p) => p.key === 'RoleName')?.value);
      }
      const sec = evaluateCfn(secondary, deployValues(m, 'secondary'));
      assert.deepEqual(normal(sec.Resources[CFN.secondaryPolicy].Properties['PolicyDocument']), normal(resolvedDocuments(m).secondary), `seed ${SEED}`);
      assert.equal(sec.Resources[CFN.secondaryPolicy].Properties['Roles'], undefined, 'nothing attached unless asked');
      const attached = evaluateCfn(secondary, { ...deployValues(m, 'secondary'), AttachToUsers: 'sender', QualifyNameWithRegion: 'true' });
      assert.deepEqual(attached.Resources[CFN.secondaryPolicy].Properties['Users'], ['sender']);
      assert.equal(attached.Resources[CFN.secondaryPolicy].Properties['ManagedPolicyName'], `tendlc-assume-sms-role-${m.region}`);
    }
    console.log(`iac: ${cases.length * 2} templates linted and evaluated, seed ${SEED}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cfn-lint is not a rubber stamp: a broken template fails it', (t) => {
  if (!tools(t, ['cfn-lint'])) {
    return;
  }
  const dir = tempDir();
  try {
    const m = setupModel(setups(1)[0]);
    const bad = primaryTemplate(m).replace('Type: AWS::IAM::Role', 'Type: AWS::IAM::Rol').replace('!GetAtt CrossAccountSmsRole.Arn', '!GetAtt CrossAccountSmsRole.Nope');
    writeFileSync(path.join(dir, 'bad.yaml'), bad);
    const lint = spawnSync(CFN_LINT, [path.join(dir, 'bad.yaml')], { encoding: 'utf8' });
    assert.ok((lint.status ?? 0) & 2, `cfn-lint should report errors:\n${lint.stdout}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

interface HclFile {
  resource?: Record<string, Record<string, Record<string, unknown>>>[];
  data?: Record<string, Record<string, Record<string, unknown>>>[];
  variable?: Record<string, Record<string, unknown>>[];
}

const unquote = (s: string): string => s.replace(/^"|"$/g, '');

test('the Terraform parses and names only AWS provider resource types and arguments; terraform fmt finds nothing to change', (t) => {
  if (!tools(t, ['python'])) {
    return;
  }
  const dir = tempDir();
  try {
    const files: string[] = [];
    for (const [i, input] of setups(12).entries()) {
      const m = setupModel(input);
      for (const [name, text] of [['primary', primaryTerraform(m)], ['secondary', secondaryTerraform(m)]] as const) {
        const d = path.join(dir, `${i}`, name);
        mkdirSync(d, { recursive: true });
        writeFileSync(path.join(d, 'main.tf'), text);
        files.push(path.join(d, 'main.tf'));
      }
    }
    // terraform fmt needs no provider, so it runs offline. The binary is part of this machine image, not
    // something setup.sh can install (no registry serves it): without it this one check is skipped,
    // loudly, even in CI.
    if (TERRAFORM) {
      const fmt = spawnSync(TERRAFORM, ['fmt', '-check', '-diff', '-recursive', dir], { encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } });
      assert.equal(fmt.status, 0, `terraform fmt -check (seed ${SEED}):\n${fmt.stdout}${fmt.stderr}`);
    } else {
      console.warn('\n!!! terraform not found: terraform fmt -check skipped (the HCL is still parsed and checked)\n');
    }
    const parsed = JSON.parse(execFileSync(PYTHON, [CHECK, 'hcl', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as HclFile[];
    const seen = new Set<string>();
    for (const file of parsed) {
      for (const [kind, allowed] of [['resource', PROVIDER_RESOURCES], ['data', PROVIDER_DATA_SOURCES]] as const) {
        for (const group of file[kind] ?? []) {
          for (const [type, byName] of Object.entries(group)) {
            const args = allowed[unquote(type)];
            assert.ok(args, `${kind} type ${type} is not one the AWS provider documents (allowed: ${Object.keys(allowed).join(', ')})`);
            seen.add(unquote(type));
            for (const body of Object.values(byName)) {
              for (const arg of Object.keys(body).filter((k) => k !== '__is_block__')) {
                assert.ok(args.includes(arg) || META_ARGUMENTS.includes(arg), `${type}.${arg} is not an argument of ${type}`);
              }
            }
          }
        }
      }
    }
    // The issue's four resource types, and the data source, all appear.
    for (const type of ['aws_iam_role', 'aws_iam_role_policy', 'aws_iam_policy', 'aws_pinpointsmsvoicev2_resource_policy', 'aws_caller_identity']) {
      assert.ok(seen.has(type), `${type} was never generated`);
    }
    const external = parsed.flatMap((f) => f.variable ?? []).find((v) => '"external_id"' in v)?.['"external_id"'] as Record<string, unknown> | undefined;
    assert.equal(external?.['sensitive'], true);
    assert.equal(external?.['default'], undefined, 'the external id is never written into the file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('one source of truth: a change to the model shows in the JSON, the CloudFormation and the Terraform at once', (t) => {
  if (!tools(t, ['python'])) {
    return;
  }
  const base = setupModel(setups(1)[0]);
  // The change: one more action in the role's permissions policy, one more principal kind in the trust.
  const permissions: PolicyDocument = {
    ...base.role.permissions,
    Statement: [...base.role.permissions.Statement, { Sid: 'ChangedInTheModel', Effect: 'Allow', Action: 'sns:GetSMSAttributes', Resource: 'arn:aws:sns:*:${AWS::AccountId}:*' }],
  };
  const changed: SetupModel = { ...base, role: { ...base.role, permissions } };
  const json = resolveDocument(changed.role.permissions, changed.primaryParams, { 'AWS::AccountId': changed.primaryAccountId });
  assert.ok(JSON.stringify(json).includes(`arn:aws:sns:*:${changed.primaryAccountId}:*`));
  const dir = tempDir();
  try {
    const file = path.join(dir, 'primary.yaml');
    writeFileSync(file, primaryTemplate(changed));
    const ev = evaluateCfn(file, deployValues(changed, 'primary'));
    const inline = (ev.Resources[CFN.role].Properties['Policies'] as { PolicyDocument: unknown }[])[0].PolicyDocument;
    assert.deepEqual(normal(inline), normal(json));
    // And the unchanged model does not have it: the test can fail.
    writeFileSync(file, primaryTemplate(base));
    const before = evaluateCfn(file, deployValues(base, 'primary'));
    assert.notDeepEqual(normal((before.Resources[CFN.role].Properties['Policies'] as { PolicyDocument: unknown }[])[0].PolicyDocument), normal(json));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const tf = primaryTerraform(changed);
  const rolePolicy = tf.slice(tf.indexOf(`resource "aws_iam_role_policy" "${TF.rolePolicy}"`));
  assert.match(rolePolicy.slice(0, rolePolicy.indexOf('\n}\n')), /Sid += "ChangedInTheModel"[\s\S]*Resource += "arn:aws:sns:\*:\$\{data\.aws_caller_identity\.current\.account_id\}:\*"/);
  assert.doesNotMatch(primaryTerraform(base), /ChangedInTheModel/);
});

test('an account name with line breaks (Organizations allows any character) cannot add lines to an exported template', (t) => {
  // Each of these ends a comment line in YAML (PyYAML reads NEL, LS and PS as line breaks) or in HCL.
  const breaks = ['\n', '\r', '\r\n', '\u0085', '\u2028', '\u2029'];
  for (const br of breaks) {
    const payload = `Partner${br}Evil: injected${br}resource "aws_iam_user" "evil" {}${br}`;
    const m = setupModel({ ...setups(1)[0], accountNames: { '222222222222': payload }, trusted: ['222222222222'] });
    for (const [name, text] of [
      ['primary.yaml', primaryTemplate(m)],
      ['secondary.yaml', secondaryTemplate(m)],
      ['primary.tf', primaryTerraform(m)],
      ['secondary.tf', secondaryTerraform(m)],
    ] as const) {
      const lines = text.split(/\r\n|[\n\r\u0085\u2028\u2029]/);
      const injected = lines.filter((l) => /^(Evil:|resource "aws_iam_user")/.test(l.trimStart()));
      assert.deepEqual(injected, [], `${name} (break ${JSON.stringify(br)}): the name added lines`);
      assert.ok(
        lines.filter((l) => l.includes('Partner')).every((l) => l.startsWith('#') || /"[^"]*Partner/.test(l) || /Partner.*'/.test(l)),
        `${name}: the name appears only in comments and quoted strings`,
      );
    }
  }
  if (!tools(t, ['python'])) {
    return;
  }
  const dir = tempDir();
  try {
    for (const br of breaks) {
      const m = setupModel({ ...setups(1)[0], accountNames: { '222222222222': `Partner${br}Evil: injected` }, trusted: ['222222222222'] });
      const file = path.join(dir, 'p.yaml');
      writeFileSync(file, primaryTemplate(m));
      const keys = JSON.parse(execFileSync(PYTHON, ['-c', 'import sys,json,yaml; print(json.dumps(list(yaml.load(open(sys.argv[1], encoding="utf-8"), Loader=yaml.BaseLoader))))', file], { encoding: 'utf8' })) as string[];
      assert.ok(!keys.includes('Evil'), `PyYAML reads a top-level key Evil (break ${JSON.stringify(br)}): ${keys.join(', ')}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
