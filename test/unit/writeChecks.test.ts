/**
 * Checks made before a policy write that need no AWS: the size of a document as the service counts it
 * (core/policyLimits.ts) and which declared account ids are claims to verify (core/accountClaims.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { claimCheck } from '../../src/core/accountClaims';
import { parseAwsFiles } from '../../src/core/awsIni';
import { eumResourcePolicyLimit, iamPolicyLength, trustPolicyLimit, TRUST_POLICY_LENGTH } from '../../src/core/policyLimits';
import { policyJson, trustPolicy } from '../../src/core/policies';
import { buildProfileSet } from '../../src/core/profiles';

test('IAM counts a policy without the white space between its tokens; white space inside a value counts', () => {
  assert.equal(iamPolicyLength('{ "a" : [ 1 , 2 ] }\n'), '{"a":[1,2]}'.length);
  assert.equal(iamPolicyLength('{"Sid": "a b\\" c"}'), '{"Sid":"a b\\" c"}'.length, 'an escaped quote does not end the string');
  assert.equal(iamPolicyLength('\ufeff{\n\t"x":\r\n"y"}'), '{"x":"y"}'.length);
  const doc = trustPolicy({ principals: ['222222222222', '333333333333'], requireMfa: true, externalId: 'ext id with spaces' });
  assert.equal(iamPolicyLength(policyJson(doc)), JSON.stringify(doc).length, 'the pretty document counts as its compact form');
});

/** A trust policy naming `n` accounts, pretty-printed as the extension proposes it. */
function trustOf(n: number): string {
  return policyJson(trustPolicy({ principals: Array.from({ length: n }, (_, i) => String(100000000000 + i)), requireMfa: false }));
}

test('the trust policy size: silent up to 2,048, a warning naming the quota above it, a problem above 8,192', () => {
  const sizes = [10, 55, 60, 200, 250].map((n) => ({ n, text: trustOf(n), length: iamPolicyLength(trustOf(n)) }));
  for (const { n, text, length } of sizes) {
    const v = trustPolicyLimit(text);
    if (length <= TRUST_POLICY_LENGTH.default) {
      assert.equal(v, undefined, `${n} accounts, ${length} characters`);
    } else if (length <= TRUST_POLICY_LENGTH.max) {
      assert.equal(v?.problem, undefined, `${n}`);
      assert.match(v?.warning ?? '', new RegExp(`^The trust policy is ${length.toLocaleString('en-US')} characters as IAM counts them \\(without white space\\), over IAM's default limit of 2,048 for a role trust policy: unless this account's quota "Role trust policy length" \\(L-C07B4B0D in Service Quotas\\) was raised \\(up to 8,192\\), IAM will refuse it with LimitExceeded\\.$`));
    } else {
      assert.match(v?.problem ?? '', /over IAM's maximum for a role trust policy, 8,192 even with a quota increase: IAM would refuse it/, `${n}`);
    }
  }
  // The boundaries are on the count IAM makes, not on the pretty text (several times longer here).
  const under = sizes.find((s) => s.length <= 2048 && s.text.length > 2048);
  assert.ok(under, 'a document under the limit as IAM counts it, over it with its indentation');
  assert.equal(trustPolicyLimit(under.text), undefined);
  assert.ok(sizes.some((s) => s.length > 2048 && s.length <= 8192) && sizes.some((s) => s.length > 8192), 'both sides of each limit are tried');
});

test("End User Messaging's resource policy: at most 10,000 characters as sent, white space included", () => {
  assert.equal(eumResourcePolicyLimit('x'.repeat(10_000), 'It'), undefined);
  assert.match(eumResourcePolicyLimit('x'.repeat(10_001), 'The resource policy of the number')?.problem ?? '', /^The resource policy of the number is 10,001 characters \(white space included\), over the 10,000 PutResourcePolicy accepts/);
  assert.match(eumResourcePolicyLimit('', 'It')?.problem ?? '', /empty/);
});

test('which declared account ids are claims to verify: aws_account_id only, and only where the credentials resolve without asking', () => {
  const config = [
    '[profile keys]', 'aws_account_id = 999999999999', '',
    '[profile keys-plain]', '',
    '[profile proc]', 'credential_process = /bin/true', 'aws_account_id = 888888888888', '',
    '[profile role]', 'role_arn = arn:aws:iam::222222222222:role/R', 'source_profile = keys', 'aws_account_id = 777777777777', '',
    '[profile sso]', 'sso_start_url = https://x.awsapps.com/start', 'sso_region = us-east-1', 'sso_account_id = 333333333333', 'sso_role_name = R', '',
    '[profile broken-chain]', 'role_arn = arn:aws:iam::444444444444:role/R', 'source_profile = missing', '',
    '[profile empty-claim]', 'aws_account_id = 555555555555', '',
  ].join('\n');
  const credentials = ['[keys]', 'aws_access_key_id = KEYID', 'aws_secret_access_key = secret', '', '[keys-plain]', 'aws_access_key_id = KEYID2', 'aws_secret_access_key = secret2', ''].join('\n');
  const set = buildProfileSet(parseAwsFiles({ config: { path: '/c', text: config, kind: 'config' }, credentials: { path: '/k', text: credentials, kind: 'credentials' } }));
  const of = (name: string) => {
    const p = set.byName.get(name);
    assert.ok(p, name);
    return claimCheck(p);
  };
  assert.deepEqual(of('keys'), { kind: 'verify', declared: '999999999999' });
  assert.deepEqual(of('keys-plain'), { kind: 'not-a-claim' });
  const proc = of('proc');
  assert.equal(proc.kind, 'unverifiable');
  assert.equal(proc.kind === 'unverifiable' ? proc.why : '', 'the profile runs credential_process, which this command does not start for another account');
  assert.deepEqual(of('role'), { kind: 'not-a-claim' }, 'role_arn decides the account of assumed credentials');
  assert.deepEqual(of('sso'), { kind: 'not-a-claim' }, 'sso_account_id decides the account of SSO credentials');
  assert.deepEqual(of('broken-chain'), { kind: 'not-a-claim' });
  const empty = of('empty-claim');
  assert.equal(empty.kind, 'unverifiable');
  assert.match(empty.kind === 'unverifiable' ? empty.why : '', /no credentials|cannot get its credentials/);
});
