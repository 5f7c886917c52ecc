/**
 * The AWS layer's part of safe writes: GetCallerIdentity with the credentials that will write (and a
 * declared account that disagrees), and IAM Access Analyzer's ValidatePolicy through the loopback stub
 * (test/harness/accessAnalyzerStub.ts, served by the SNS stub in front of a scripted AWS endpoint that
 * answers everything else like moto: an HTML 500 for what it does not implement).
 *
 * The SDK's `fromIni` reads AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE: this file (its own process
 * under `node --test`) points them at temporary files. Keys are generated at run time.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createAwsServices, type AwsServices } from '../../src/aws';
import { findingRanges, findingWords, validationSummary, type PolicyFinding } from '../../src/core/analyzerFindings';
import { parseAwsFiles } from '../../src/core/awsIni';
import { buildProfileSet, type AwsProfile, type ProfileSet } from '../../src/core/profiles';
import { policyJson, trustPolicy } from '../../src/core/policies';
import { startSnsStub, defaultStubState, type SnsStub } from '../harness/snsStub';
import { generateAccessKeyId, generateSecret, startFaultServer, type FaultServer } from './faultServer';

const PRIMARY = '111111111111';
const STALE = '999999999999';
const REGION = 'us-east-1';
const dir = mkdtempSync(join(tmpdir(), 'tendlc-writes-'));
const configPath = join(dir, 'config');
const credentialsPath = join(dir, 'credentials');
process.env['AWS_CONFIG_FILE'] = configPath;
process.env['AWS_SHARED_CREDENTIALS_FILE'] = credentialsPath;
const keys = { accessKeyId: generateAccessKeyId('AKIA'), secretAccessKey: generateSecret() };

let server: FaultServer;
let stub: SnsStub;
let aws: AwsServices;
let profiles: ProfileSet;
const log: string[] = [];

function profile(name: string): AwsProfile {
  const p = profiles.byName.get(name);
  assert.ok(p, name);
  return p;
}

const trustText = policyJson(trustPolicy({ principals: ['222222222222', '333333333333'], requireMfa: false }));

before(async () => {
  server = await startFaultServer();
  server.addUser(PRIMARY, 'admin', keys);
  stub = await startSnsStub(server.url, defaultStubState('+12065550100'));
  const config = `[profile primary]\nregion = ${REGION}\nendpoint_url = ${stub.endpoint}\n\n[profile stale]\nregion = ${REGION}\naws_account_id = ${STALE}\nendpoint_url = ${stub.endpoint}\n`;
  const credentials = ['primary', 'stale'].map((n) => `[${n}]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`).join('\n');
  writeFileSync(configPath, config);
  writeFileSync(credentialsPath, credentials);
  profiles = buildProfileSet(parseAwsFiles({ config: { path: configPath, text: config, kind: 'config' }, credentials: { path: credentialsPath, text: credentials, kind: 'credentials' } }));
  const line = (m: string): void => void log.push(m);
  aws = createAwsServices({ logger: { debug: line, info: line, warn: line, error: line }, env: {}, defaultRegion: () => REGION, checkTimeouts: { connectMs: 2_000, requestMs: 2_000, maxAttempts: 1 } });
});

after(async () => {
  await stub.stop();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const creds = (name: string) => aws.clients.credentialsFor(profile(name), REGION, async () => '000000');

describe('the account a write goes to', () => {
  test('GetCallerIdentity with the writing credentials: a declared account that disagrees is a mismatch, kept for the tree', async () => {
    const stale = profile('stale');
    assert.equal(stale.declaredAccountId, STALE);
    const w = await aws.accounts.verifyWriter(stale, creds('stale'), REGION);
    assert.equal(w.accountId, PRIMARY);
    assert.equal(w.declared, STALE);
    assert.equal(w.mismatch, true);
    assert.deepEqual(aws.accounts.mismatchOf(stale), { declared: STALE, declaredSource: 'aws_account_id', actual: PRIMARY });
    const ok = await aws.accounts.verifyWriter(profile('primary'), creds('primary'), REGION);
    assert.deepEqual([ok.accountId, ok.mismatch], [PRIMARY, false]);
    assert.equal(aws.accounts.mismatchOf(profile('primary')), undefined);
  });
});

describe('IAM Access Analyzer ValidatePolicy (through the stub)', () => {
  const validate = (text = trustText, kind: 'trust' | 'identity' | 'resource' = 'trust') => aws.validator.validate(profile('primary'), creds('primary'), { account: PRIMARY, region: REGION }, [{ kind, text }]);

  test('the trust policy goes as a RESOURCE_POLICY of type AWS::IAM::AssumeRolePolicyDocument, a permissions policy as an IDENTITY_POLICY', async () => {
    stub.analyzer.requests.length = 0;
    assert.deepEqual(await validate(), [{ status: 'validated', findings: [] }]);
    await validate('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"*"}]}', 'identity');
    assert.deepEqual(
      stub.analyzer.requests.map((r) => [r.policyType, r.validatePolicyResourceType]),
      [
        ['RESOURCE_POLICY', 'AWS::IAM::AssumeRolePolicyDocument'],
        ['IDENTITY_POLICY', undefined],
      ],
    );
  });

  test("an End User Messaging resource policy goes as a RESOURCE_POLICY without a resource type (none exists for it), and its findings come back", async () => {
    stub.analyzer.requests.length = 0;
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sms-voice:SendTextMessage","Resource":"arn:aws:sms-voice:us-east-1:111111111111:phone-number/phone-1"}]\n}\n';
    stub.analyzer.findings = [{ on: 'resource', findingType: 'ERROR', issueCode: 'INVALID_ACTION', findingDetails: 'The action is not valid.', path: [{ value: 'Statement' }, { index: 0 }, { value: 'Action' }] }];
    try {
      const [v] = await validate(text, 'resource');
      assert.deepEqual(stub.analyzer.requests.map((r) => [r.policyType, r.validatePolicyResourceType]), [['RESOURCE_POLICY', undefined]]);
      assert.equal(v.status === 'validated' ? v.findings.map((f) => f.issueCode).join() : v.reason, 'INVALID_ACTION');
    } finally {
      stub.analyzer.findings = [];
    }
  });

  test('a finding comes back with its path, and maps to the line of the principal it names', async () => {
    stub.analyzer.findings = [{ on: 'trust', findingType: 'SECURITY_WARNING', issueCode: 'EXTERNAL_PRINCIPAL', findingDetails: 'An external principal.', path: [{ value: 'Statement' }, { index: 0 }, { value: 'Principal' }, { value: 'AWS' }, { index: 1 }] }];
    try {
      const [v] = await validate();
      assert.equal(v.status, 'validated');
      if (v.status !== 'validated') return;
      const f = v.findings[0];
      assert.equal(f.findingType, 'SECURITY_WARNING');
      const [r] = findingRanges(trustText, f);
      assert.equal(trustText.split('\n')[r.startLine].trim(), '"arn:aws:iam::333333333333:root"');
      assert.match(findingWords(trustText, f), /^security warning EXTERNAL_PRINCIPAL at line \d+: An external principal\.$/);
    } finally {
      stub.analyzer.findings = [];
    }
  });

  test('a flood of findings (a broken or hostile endpoint) is cut to what a person can read, keeping every ERROR, and says how many were left out', async () => {
    // Found by hostile review: every finding became a diagnostic and a line of the dialog, and each was located by
    // parsing the whole document again — a 16 MB answer (some 117,000 findings) held the extension host for ~18 s per page.
    const path = [{ value: 'Statement' }, { index: 0 }, { value: 'Principal' }];
    const warning = { on: 'trust' as const, findingType: 'WARNING' as const, issueCode: 'NOISE', findingDetails: 'Noise.', path };
    stub.analyzer.findings = [...Array.from({ length: 3000 }, () => warning), { on: 'trust', findingType: 'ERROR', issueCode: 'LAST_ONE_COUNTS', findingDetails: 'The last finding is an error.', path }];
    try {
      const [v] = await validate();
      assert.equal(v.status, 'validated');
      if (v.status !== 'validated') return;
      assert.ok(v.findings.length <= 101, `${v.findings.length} findings kept`);
      assert.ok(v.findings.some((f) => f.findingType === 'ERROR' && f.issueCode === 'LAST_ONE_COUNTS'), 'the ERROR (the last of 3,001) is kept: it still blocks Apply');
      assert.ok(v.findings.some((f) => /2,90\d more findings .* not shown/.test(f.findingDetails)), 'one finding says how many were left out');
    } finally {
      stub.analyzer.findings = [];
    }
  });

  test('an endpoint that does not implement it (an HTML 500, as moto answers) is "not validated", saying why', async () => {
    stub.analyzer.mode = 'absent';
    try {
      const [v] = await validate();
      assert.equal(v.status, 'not-validated');
      assert.match(v.status === 'not-validated' ? v.reason : '', /does not implement IAM Access Analyzer's ValidatePolicy/);
      assert.match(validationSummary('trust-policy.json', trustText, v), /^trust-policy\.json: not validated by IAM Access Analyzer — /);
    } finally {
      stub.analyzer.mode = 'answer';
    }
  });

  test('a caller that may not call it is "not validated", saying which permission', async () => {
    stub.analyzer.mode = 'denied';
    try {
      const [v] = await validate();
      assert.match(v.status === 'not-validated' ? v.reason : '', /may not call access-analyzer:ValidatePolicy/);
    } finally {
      stub.analyzer.mode = 'answer';
    }
  });

  test('the stub refuses what AWS refuses, and reports a document that is not JSON as an ERROR finding', async () => {
    const post = async (body: unknown): Promise<{ status: number; type: string | null; json: Record<string, unknown> }> => {
      const auth = `AWS4-HMAC-SHA256 Credential=${keys.accessKeyId}/20260101/${REGION}/access-analyzer/aws4_request, SignedHeaders=host, Signature=0`;
      const res = await fetch(`${stub.endpoint}/policy/validation`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, type: res.headers.get('x-amzn-errortype'), json: (await res.json()) as Record<string, unknown> };
    };
    assert.deepEqual((await post({ policyType: 'IDENTITY_POLICY' })).type, 'ValidationException');
    assert.deepEqual((await post({ policyDocument: '{}', policyType: 'TRUST_POLICY' })).type, 'ValidationException');
    assert.deepEqual((await post({ policyDocument: '{}', policyType: 'IDENTITY_POLICY', validatePolicyResourceType: 'AWS::IAM::AssumeRolePolicyDocument' })).type, 'ValidationException');
    const bad = await post({ policyDocument: '{"Version": ', policyType: 'IDENTITY_POLICY' });
    assert.equal(bad.status, 200);
    assert.equal((bad.json['findings'] as PolicyFinding[])[0].issueCode, 'JSON_SYNTAX_ERROR');
  });
});

describe('where a finding points', () => {
  const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", "Action": "sns:Publish", "Resource": "*" }\n  ]\n}\n';
  const finding = (locations: PolicyFinding['locations']): PolicyFinding => ({ findingType: 'ERROR', issueCode: 'X', findingDetails: 'd', locations });

  test('from the path, resolved in the text the user sees', () => {
    const [r] = findingRanges(text, finding([{ path: [{ value: 'Statement' }, { index: 0 }, { value: 'Resource' }] }]));
    assert.deepEqual(r, { startLine: 3, startCharacter: 62, endLine: 3, endCharacter: 65 });
  });

  test('from the span when the path does not resolve, and at the start without a location', () => {
    const [r] = findingRanges(text, finding([{ path: [{ value: 'Nope' }], span: { start: { line: 2, column: 2, offset: 4 }, end: { line: 2, column: 11, offset: 13 } } }]));
    assert.deepEqual(r, { startLine: 1, startCharacter: 2, endLine: 1, endCharacter: 11 });
    assert.deepEqual(findingRanges(text, finding([])), [{ startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 }]);
  });
});
