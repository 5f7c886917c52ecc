/**
 * The policy engine on hand-picked documents: the cases of issue 10 (each failed on the old merge),
 * the grammar, the "already allowed" rule, the words of every kind of risk, and what a hostile
 * reviewer tried. The generated cases are in policyEngine.property.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { locateInText, parseJson, positionAt } from '../../src/core/jsonText';
import { comparePolicies, mergeGrants, readPolicy, type Grant, type MergeResult } from '../../src/core/policyEngine';

const SID = 'AllowSecondaryAccountsToAssume';
const secondaries = (...ids: string[]): Grant => ({ sid: SID, principals: { AWS: ids }, actions: ['sts:AssumeRole'] });
const root = (id: string): string => `arn:aws:iam::${id}:root`;

function merged(current: string | undefined, grant: Grant | Grant[]): Extract<MergeResult, { ok: true }> {
  const r = mergeGrants(current, Array.isArray(grant) ? grant : [grant]);
  assert.ok(r.ok, `refused: ${r.ok ? '' : r.problems.join(' ')}`);
  return r;
}

function statements(doc: Record<string, unknown>): Record<string, unknown>[] {
  const s = doc['Statement'];
  return Array.isArray(s) ? (s as Record<string, unknown>[]) : [s as Record<string, unknown>];
}

function awsOf(s: Record<string, unknown>): string[] {
  const p = (s['Principal'] ?? {}) as Record<string, unknown>;
  const a = p['AWS'];
  return a === undefined ? [] : Array.isArray(a) ? (a as string[]) : [a as string];
}

/** IAM returns documents URL-encoded. */
const iam = (doc: unknown, lead = ''): string => encodeURIComponent(`${lead}${JSON.stringify(doc, null, 2)}`);

describe('issue 10: the cases found against moto', () => {
  const legacy = {
    Statement: [
      { Effect: 'Allow', Principal: { AWS: '333333333333' }, Action: 'sts:AssumeRole' },
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  };

  test('a trust policy with no Version is read, and 333333333333 and lambda.amazonaws.com stay', () => {
    const r = merged(iam(legacy), secondaries('222222222222', '333333333333'));
    assert.deepEqual(statements(r.document).slice(0, 2), legacy.Statement, 'both statements unchanged');
    assert.equal(r.document['Version'], '2012-10-17', 'IAM stores an update only with Version 2012-10-17 (found against moto); without policy variables it reads the same');
    assert.ok(r.changes.some((c) => c.subject === 'Version'), 'and the merge says so');
    const withVariables = merged(JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '333333333333' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:RoleSessionName': '${aws:username}' } } }] }), secondaries('222222222222'));
    assert.equal(withVariables.document['Version'], undefined, 'with a policy variable the version is left alone (it would change how the variable reads)');
    assert.deepEqual(awsOf(statements(r.document)[2]), [root('222222222222')]);
    assert.deepEqual(r.risks, []);
    assert.ok(r.changes.some((c) => c.kind === 'already' && c.subject === '333333333333'), '333 is already trusted');
  });

  test('a trust policy with a NotAction statement is read and kept', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: root('333333333333') }, NotAction: 'sts:TagSession' }, legacy.Statement[1]] };
    const r = merged(iam(doc), secondaries('222222222222', '333333333333'));
    assert.deepEqual(statements(r.document).slice(0, 2), doc.Statement);
    assert.ok(r.changes.some((c) => c.kind === 'already' && c.subject === '333333333333'), 'NotAction sts:TagSession allows sts:AssumeRole');
    assert.deepEqual(r.risks, []);
  });

  test('a trust policy that starts with a newline (URL-encoded, as IAM returns it) is read', () => {
    const text = iam({ Version: '2012-10-17', ...legacy }, '\n');
    assert.ok(text.startsWith('%0A'), 'the encoded text starts with a newline');
    const read = readPolicy(text);
    assert.ok(read.ok);
    assert.ok(read.text.startsWith('\n{'), 'the document is shown decoded, as it is');
    assert.deepEqual(statements(merged(text, secondaries('222222222222')).document).slice(0, 2), legacy.Statement);
  });

  test('our Sid as a Deny (444444444444, ec2, conditions) is left exactly as it is, and a new statement is added', () => {
    const ours = {
      Sid: SID,
      Effect: 'Deny',
      Principal: { AWS: root('444444444444'), Service: 'ec2.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'x-1' }, IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
    };
    const r = merged(iam({ Version: '2012-10-17', Statement: [ours] }), secondaries('222222222222', '444444444444'));
    const out = statements(r.document);
    assert.deepEqual(out[0], ours, 'the Deny, its principals and its conditions are unchanged');
    assert.equal(out[1]['Sid'], `${SID}2`, 'a new statement with a Sid of its own');
    assert.equal(out[1]['Effect'], 'Allow');
    assert.ok(r.notes.some((n) => n.includes('444444444444') && n.includes('Deny')), `the conditional Deny is named: ${r.notes.join(' | ')}`);
    assert.deepEqual(r.risks, []);
  });

  test('a principal an unconditional Deny refuses is not added, and the merge says the grant would not take effect', () => {
    const deny = { Sid: SID, Effect: 'Deny', Principal: { AWS: '444444444444' }, Action: 'sts:AssumeRole' };
    const r = merged(iam({ Version: '2012-10-17', Statement: [deny] }), secondaries('222222222222', '444444444444'));
    assert.deepEqual(statements(r.document)[0], deny);
    assert.deepEqual(awsOf(statements(r.document)[1]), [root('222222222222')], '444 is not added');
    const note = r.notes.find((n) => n.includes('444444444444'));
    assert.match(note ?? '', /would not take effect/);
  });

  test('"Principal": "*" (the string form) is read: the readers and the merge do not fail', () => {
    const doc = { Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } } };
    const r = merged(JSON.stringify(doc), secondaries('222222222222'));
    assert.deepEqual(statements(r.document)[0], doc.Statement, 'the single statement object is kept (in a list)');
    assert.equal(r.risks.length, 1, 'trusting 222 without the organisation condition is a widening');
    assert.match(r.risks[0].text, /account 222222222222 is allowed to call sts:AssumeRole today only when StringEquals aws:PrincipalOrgID "o-abc"/i);
  });
});

describe('reading', () => {
  test('whatever cannot be read completely is refused with the reason, never read as empty', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['   \n', /empty/],
      ['{}', /no "Statement"/],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sts:AssumeRole","Bogus":1}]}', /"Bogus"/],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}', /key "Effect" twice/],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}', /"Effect" must be "Allow" or "Deny"/],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole",}]}', /not valid JSON.*line 1/],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEqualz":{"a":"b"}}}]}', /operator "StringEqualz"/],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["sts:AssumeRole", 7]}]}', /string or a non-empty list/],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{},"Action":"sts:AssumeRole"}]}', /empty map/],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"sts:AssumeRole"}]}', /wildcard/],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"1"},"Principal":"*","Action":"sts:AssumeRole"}]}', /both "Principal" and "NotPrincipal"/],
      ['%7B%22Version%22%3A%ZZ', /not validly encoded/],
      ['{"Version":"2012-10-17","Statement":[]} trailing', /after the end/],
    ];
    for (const [text, why] of cases) {
      const r = readPolicy(text);
      assert.equal(r.ok, false, `read: ${text}`);
      if (!r.ok) {
        assert.match(r.problems.join(' '), why, text);
      }
      const m = mergeGrants(text, [secondaries('222222222222')]);
      assert.equal(m.ok, false, `merged: ${text}`);
      if (!m.ok) {
        assert.equal(m.current, r.text, 'the refusal shows the document as it is');
        assert.deepEqual(JSON.parse(m.statementText), { Sid: SID, Effect: 'Allow', Principal: { AWS: root('222222222222') }, Action: 'sts:AssumeRole' }, 'and the statement to add by hand');
      }
    }
  });

  test('the grammar: versions, a statement object, missing and repeated Sids, every principal form, conditions with numbers and booleans', () => {
    const doc = {
      Version: '2008-10-17',
      Id: 'x',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'sts:AssumeRole', Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 }, Bool: { 'aws:SecureTransport': true } } },
        { Sid: 'A', Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': ['authenticated'] } } },
        { Sid: 'A', Effect: 'Allow', Principal: { CanonicalUser: 'a'.repeat(64), AWS: 'AROAEXAMPLEUNIQUEID12' }, Action: ['sts:Assume*'], Condition: { StringEqualsIfExists: { 'sts:ExternalId': 'e' }, Null: { 'aws:TokenIssueTime': 'false' } } },
        { Effect: 'Deny', NotPrincipal: { AWS: ['222222222222', 'arn:aws:sts::222222222222:assumed-role/R/s'] }, NotAction: 'sts:TagSession', NotResource: 'arn:aws:s3:::b/*' },
      ],
    };
    const r = readPolicy(JSON.stringify(doc));
    assert.ok(r.ok, r.ok ? '' : r.problems.join(' '));
    assert.equal(r.policy.version, '2008-10-17');
    assert.equal(r.policy.statements[0].principal?.everyone, true, '{"AWS": ["*"]} is everyone');
    assert.deepEqual(r.policy.statements[0].conditions.map((c) => c.values), [['3600'], ['true']]);
    assert.deepEqual(r.policy.statements[2].principal?.AWS, ['AROAEXAMPLEUNIQUEID12'], 'a unique id is kept as it is');
    assert.ok(readPolicy(`\ufeff${JSON.stringify(doc)}`).ok, 'a byte-order mark is fine');
    assert.ok(readPolicy(JSON.stringify({ Statement: doc.Statement[0] })).ok, 'a statement object and no Version');
  });

  test('JSON numbers that would not survive being written again are refused (a hostile 2^53 + 1)', () => {
    const r = readPolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"NumericEquals":{"k":9007199254740993}}}]}');
    assert.equal(r.ok, false);
  });
});

describe('what "already allowed" means', () => {
  const existing = (condition?: object, principal: unknown = { AWS: root('222222222222') }) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Old', Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }] });
  const withExt = (ext: string, more: object = {}): Grant => ({ ...secondaries('222222222222'), conditions: { StringEquals: { 'sts:ExternalId': ext }, ...more } });

  test('an Allow whose conditions are a subset of ours already allows the principal whenever ours would', () => {
    const r = merged(existing({ StringEquals: { 'sts:ExternalId': 'e1' } }), withExt('e1', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }));
    assert.equal(r.changed, false);
    assert.ok(r.changes.some((c) => c.kind === 'already'));
  });

  test('an Allow without conditions, by bare account id, already allows ours', () => {
    assert.equal(merged(existing(undefined, { AWS: '222222222222' }), withExt('e1')).changed, false);
  });

  test('an Allow with a condition ours does not have: ours is added, and it is a widening', () => {
    const r = merged(existing({ StringEquals: { 'sts:ExternalId': 'old' } }), withExt('new'));
    assert.equal(r.changed, true);
    assert.equal(r.risks.length, 1);
    assert.match(r.risks[0].text, /account 222222222222 is allowed to call sts:AssumeRole today only when StringEquals sts:ExternalId "old"/i);
    assert.match(r.risks[0].text, /only when StringEquals sts:ExternalId "new"/);
  });

  test('an Allow with more conditions than ours (external id and MFA) does not allow ours: adding it is a widening', () => {
    const r = merged(existing({ StringEquals: { 'sts:ExternalId': 'e1' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } }), withExt('e1'));
    assert.equal(r.risks.length, 1);
    assert.match(r.risks[0].text, /Bool aws:MultiFactorAuthPresent "true"/);
  });

  test('BoolIfExists on an Allow is weaker than Bool: a grant with Bool is already allowed by it, not the other way round', () => {
    const ifExists = existing({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } });
    assert.equal(merged(ifExists, { ...secondaries('222222222222'), conditions: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }).changed, false);
    const strict = existing({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } });
    const r = merged(strict, { ...secondaries('222222222222'), conditions: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } } });
    assert.equal(r.changed, true);
    assert.equal(r.risks.length, 1, 'BoolIfExists lets a request without MFA context in: a widening');
  });

  test('an account root trusted under "*" without conditions already covers every account', () => {
    assert.equal(merged(existing(undefined, '*'), secondaries('333333333333')).changed, false);
  });

  test('a role of the account is narrower than the account: adding the root is a widening', () => {
    const r = merged(existing(undefined, { AWS: 'arn:aws:iam::222222222222:role/Sender' }), secondaries('222222222222'));
    assert.equal(r.risks.length, 1);
    assert.match(r.risks[0].text, /account 222222222222 \(every principal in it\) would be allowed.*today only arn:aws:iam::222222222222:role\/Sender of that account is/i);
  });

  test('a deleted principal (unique id) does not trust anyone and is kept as it is', () => {
    const r = merged(existing(undefined, { AWS: ['AROAEXAMPLEUNIQUEID12', root('333333333333')] }), secondaries('222222222222'));
    assert.deepEqual(awsOf(statements(r.document)[0]), ['AROAEXAMPLEUNIQUEID12', root('333333333333')]);
    assert.deepEqual(r.risks, []);
  });

  test('merging twice equals merging once, also when new accounts join our own statement', () => {
    const once = merged(undefined, secondaries('222222222222'));
    const twice = merged(once.text, secondaries('222222222222', '333333333333'));
    assert.equal(statements(twice.document).length, 1, 'the new account joins our statement');
    assert.deepEqual(awsOf(statements(twice.document)[0]), [root('222222222222'), root('333333333333')]);
    const thrice = merged(twice.text, secondaries('222222222222', '333333333333'));
    assert.equal(thrice.changed, false);
    assert.deepEqual(thrice.document, twice.document);
  });
});

describe('one engine for every kind of document', () => {
  test('a resource policy on a phone number: a service principal with aws:SourceAccount, on the number ARN', () => {
    const number = 'arn:aws:sms-voice:us-east-1:111111111111:phone-number/phone-1';
    const sns: Grant = { sid: 'SnsMaySendThroughThisNumber', principals: { Service: ['sns.amazonaws.com'] }, actions: ['sms-voice:SendTextMessage'], resources: [number], conditions: { StringEquals: { 'aws:SourceAccount': '111111111111' } } };
    const share: Grant = { sid: 'SharedWithAccounts', principals: { AWS: ['222222222222'] }, actions: ['sms-voice:SendTextMessage'], resources: [number] };
    const first = merged(undefined, [sns, share]);
    assert.deepEqual(statements(first.document).map((s) => s['Sid']), ['SnsMaySendThroughThisNumber', 'SharedWithAccounts']);
    assert.equal(statements(first.document)[0]['Resource'], number);
    const again = merged(first.text, [sns, { ...share, principals: { AWS: ['222222222222', '333333333333'] } }]);
    assert.deepEqual(awsOf(statements(again.document)[1]), [root('222222222222'), root('333333333333')]);
    assert.deepEqual(again.risks, []);
  });

  test('an identity policy (no principals): a Deny the user added to it stays, and present statements are not added twice', () => {
    const publish: Grant = { sid: 'PublishSmsThroughSharedNumber', actions: ['sns:Publish'], resources: ['*'] };
    const current = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoOtherTopics', Effect: 'Deny', Action: 'sns:Publish', Resource: 'arn:aws:sns:*:*:*' }, { Effect: 'Allow', Action: 'sns:*', Resource: '*' }] });
    const r = merged(current, publish);
    assert.equal(r.changed, false, 'sns:* on * already allows sns:Publish');
    assert.ok(r.notes.some((n) => n.includes('NoOtherTopics')), 'the Deny that narrows it is named');
  });
});

describe('the words of every risk', () => {
  const base = { Version: '2012-10-17', Statement: [{ Sid: 'Trust', Effect: 'Allow', Principal: { AWS: [root('222222222222'), root('333333333333')] }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'e1' } } }, { Sid: 'NoOps', Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::222222222222:role/Ops' }, Action: 'sts:AssumeRole' }] };
  const risksOf = (edit: (d: typeof base) => void): string[] => {
    const after = JSON.parse(JSON.stringify(base)) as typeof base;
    edit(after);
    const b = readPolicy(JSON.stringify(base));
    const a = readPolicy(JSON.stringify(after));
    assert.ok(b.ok && a.ok);
    return comparePolicies(b.policy, a.policy).risks.map((r) => r.text);
  };

  test('a principal no longer trusted', () => {
    assert.deepEqual(risksOf((d) => (d.Statement[0].Principal.AWS = [root('222222222222')])), ['Account 333333333333 would no longer be allowed to call sts:AssumeRole by statement "Trust".']);
  });
  test('a condition removed', () => {
    assert.deepEqual(risksOf((d) => delete (d.Statement[0] as { Condition?: unknown }).Condition), ['Statement "Trust" would no longer require StringEquals sts:ExternalId "e1": account 222222222222 and account 333333333333 could call sts:AssumeRole without it.']);
  });
  test('a Deny turned into an Allow, and a Deny dropped', () => {
    assert.match(risksOf((d) => (d.Statement[1].Effect = 'Allow')).join(' '), /Statement "NoOps" would turn from a Deny into an Allow: arn:aws:iam::222222222222:role\/Ops would no longer be denied sts:AssumeRole/);
    assert.deepEqual(risksOf((d) => d.Statement.splice(1, 1)), ['Statement "NoOps" (a Deny) would be removed: arn:aws:iam::222222222222:role/Ops would no longer be denied sts:AssumeRole by it.']);
  });
  test('"*" replacing the principals', () => {
    const risks = risksOf((d) => ((d.Statement[0] as { Principal: unknown }).Principal = '*'));
    assert.ok(risks.some((r) => /would allow every principal \("\*"\) to call sts:AssumeRole, only when StringEquals sts:ExternalId "e1"/.test(r)), risks.join('\n'));
    assert.ok(risks.some((r) => /Account 333333333333 would no longer be allowed/.test(r)) || risks.length >= 1);
  });
  test('an edit that only rewrites the same meaning is no risk', () => {
    assert.deepEqual(
      risksOf((d) => {
        d.Statement.reverse();
        (d.Statement[1] as { Principal: { AWS: string[] } }).Principal.AWS = ['333333333333', '222222222222'];
        (d.Statement[1] as { Action: unknown }).Action = ['STS:AssumeRole'];
      }),
      [],
    );
  });
  test('a statement for "*" that gains an action widens for everyone (found by the generator, seed 2 case 369)', () => {
    const star = { Version: '2012-10-17', Statement: [{ Sid: 'P', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:assumerole' }] };
    const b = readPolicy(JSON.stringify(star));
    const a = readPolicy(JSON.stringify({ ...star, Statement: [{ ...star.Statement[0], Action: ['sts:AssumeRole', 'sts:TagSession'] }] }));
    assert.ok(a.ok && b.ok);
    assert.match(comparePolicies(b.policy, a.policy).risks.map((r) => r.text).join(' '), /every principal \("\*"\) to call sts:TagSession/);
  });
});

describe('a hostile reviewer', () => {
  test('an ARN with a look-alike character (Cyrillic a, fullwidth digits, zero-width space) is refused, not read as another account', () => {
    for (const p of ['\u0430rn:aws:iam::222222222222:root', 'arn:aws:iam::\uff12\uff12\uff12222222222:root', 'arn:aws:iam::222222222222:root\u200b']) {
      const r = readPolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: p }, Action: 'sts:AssumeRole' }] }));
      assert.equal(r.ok, false, p);
      assert.match(r.ok ? '' : r.problems.join(' '), /U\+[0-9A-F]{4} at position \d+/);
    }
  });

  test('"Principal": {"AWS": ["*"]} is everyone, in the merge and in the comparison', () => {
    const r = merged(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'sts:AssumeRole' }] }), secondaries('222222222222'));
    assert.equal(r.changed, false);
  });

  test('a Deny with NotPrincipal denies everyone else: the grant for them is not added, and says so', () => {
    const r = merged(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: '222222222222' }, Action: 'sts:AssumeRole' }] }), secondaries('222222222222', '333333333333'));
    assert.deepEqual(awsOf(statements(r.document)[1]), [root('222222222222')]);
    assert.ok(r.notes.some((n) => n.includes('333333333333') && /would not take effect/.test(n)));
  });

  test('a huge document is refused at once; a large legal one merges in linear time', () => {
    const huge = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: Array.from({ length: 40_000 }, (_, i) => root(String(100000000000 + i))) }, Action: 'sts:AssumeRole' }] });
    let t = Date.now();
    assert.equal(mergeGrants(huge, [secondaries('222222222222')]).ok, false);
    assert.ok(Date.now() - t < 1000, 'refused quickly');
    const large = JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: 400 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Principal: { AWS: root(String(100000000000 + i)) }, Action: 'sts:AssumeRole' })) });
    t = Date.now();
    const r = merged(large, secondaries('222222222222'));
    assert.equal(statements(r.document).length, 401);
    assert.ok(Date.now() - t < 5000, `${Date.now() - t} ms`);
  });

  test('deep nesting fails with a message, not a stack overflow', () => {
    const r = readPolicy(`{"Version":${'['.repeat(5_000)}${']'.repeat(5_000)}}`);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.problems[0], /nest more than 64/);
  });

  test('a "__proto__" key is an unknown element, not a prototype', () => {
    const r = readPolicy('{"Version":"2012-10-17","__proto__":{"Statement":[]},"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}');
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.problems.join(' '), /"__proto__"/);
  });
});

describe('positions in the text (for Access Analyzer findings)', () => {
  const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Principal": { "AWS": ["arn:aws:iam::222222222222:root", "*"] },\n      "Action": "sts:AssumeRole"\n    }\n  ]\n}\n';
  const at = (offset: number) => positionAt(text, offset);

  test('a value path: Statement → 0 → Principal → AWS → 1', () => {
    const r = locateInText(text, [{ value: 'Statement' }, { index: 0 }, { value: 'Principal' }, { value: 'AWS' }, { index: 1 }]);
    assert.ok(r?.complete);
    assert.equal(text.slice(r.start, r.end), '"*"');
    assert.deepEqual(at(r.start), { line: 6, column: 63 });
  });

  test('a key, a substring, a single value read as a list, and a path that goes too far', () => {
    const k = locateInText(text, [{ value: 'Statement' }, { index: 0 }, { key: 'Effect' }]);
    assert.equal(k && text.slice(k.start, k.end), '"Effect"');
    const s = locateInText(text, [{ value: 'Statement' }, { index: 0 }, { value: 'Action' }, { substring: { start: 4, length: 10 } }]);
    assert.equal(s && text.slice(s.start, s.end), 'AssumeRole');
    const single = locateInText(text, [{ value: 'Statement' }, { index: 0 }, { value: 'Action' }, { index: 0 }]);
    assert.equal(single && text.slice(single.start, single.end), '"sts:AssumeRole"');
    const far = locateInText(text, [{ value: 'Statement' }, { index: 3 }]);
    assert.equal(far?.complete, false);
    assert.equal(far && text.slice(far.start, far.start + 1), '[', 'as far as it goes: the Statement list');
  });

  test('the reader keeps offsets through escapes', () => {
    const p = parseJson('{"a":"x\\u00e9y"}');
    assert.ok(p.ok && p.node.kind === 'object' && p.node.entries[0].value.kind === 'string' && p.node.entries[0].value.value === 'xéy');
    const r = locateInText('{"a":"x\\u00e9y"}', [{ value: 'a' }, { substring: { start: 2, length: 1 } }]);
    assert.equal(r && '{"a":"x\\u00e9y"}'.slice(r.start, r.end), 'y');
  });
});

describe('a hostile reviewer, second round (each failed first)', () => {
  const risksOf = (before: object, after: object, self = 'the role'): string[] => {
    const b = readPolicy(JSON.stringify(before));
    const a = readPolicy(JSON.stringify(after));
    assert.ok(b.ok && a.ok);
    return comparePolicies(b.policy, a.policy, { self }).risks.map((r) => r.text);
  };

  test('a permissions edit to "Action": "*" is a widening, not a removal of sns:Publish', () => {
    const before = { Version: '2012-10-17', Statement: [{ Sid: 'PublishSmsThroughSharedNumber', Effect: 'Allow', Action: ['sns:Publish', 'sns:CheckIfPhoneNumberIsOptedOut'], Resource: '*' }] };
    const after = { Version: '2012-10-17', Statement: [{ Sid: 'PublishSmsThroughSharedNumber', Effect: 'Allow', Action: '*', Resource: '*' }] };
    const risks = risksOf(before, after);
    assert.ok(risks.length > 0, 'it is risky');
    assert.ok(!risks.some((r) => /no longer allow sns:Publish/.test(r)), `the words say what happens: ${risks.join(' | ')}`);
    assert.ok(risks.some((r) => /the role .*\*/.test(r)), risks.join(' | '));
  });

  test('an edit replacing a role of an account by the account root says the account is trusted, not that the role is dropped', () => {
    const st = (aws: string) => ({ Version: '2012-10-17', Statement: [{ Sid: 'T', Effect: 'Allow', Principal: { AWS: aws }, Action: 'sts:AssumeRole' }] });
    const risks = risksOf(st('arn:aws:iam::222222222222:role/Sender'), st('arn:aws:iam::222222222222:root'));
    assert.equal(risks.length, 1, risks.join(' | '));
    assert.match(risks[0], /account 222222222222 \(every principal in it\) would be allowed to call sts:AssumeRole/i);
  });

  test('a look-alike character in a condition value shows in the words', () => {
    const st = (ext: string) => ({ Version: '2012-10-17', Statement: [{ Sid: 'T', Effect: 'Allow', Principal: { AWS: '222222222222' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': ext } } }] });
    const risks = risksOf(st('ext-1'), st('ext\u20101'));
    assert.ok(risks.some((r) => r.includes('"ext\\u20101"')), risks.join(' | '));
  });
});

describe('conditions across operators (found reviewing the merge)', () => {
  const existing = (condition: object) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Old', Effect: 'Allow', Principal: { AWS: root('222222222222') }, Action: 'sts:AssumeRole', Condition: condition }] });
  const grant: Grant = { ...secondaries('222222222222'), conditions: { StringEquals: { 'sts:ExternalId': 'ext-1' } } };

  test('StringLike "ext-*" already allows a grant that requires StringEquals "ext-1": no change, and no false widening', () => {
    const r = merged(existing({ StringLike: { 'sts:ExternalId': 'ext-*' } }), grant);
    assert.equal(r.changed, false);
    assert.deepEqual(r.risks, []);
  });

  test('StringNotEquals "old" already allows a grant that requires StringEquals "ext-1"', () => {
    assert.equal(merged(existing({ StringNotEquals: { 'sts:ExternalId': 'old' } }), grant).changed, false);
  });

  test('but StringLike "x-*" does not, and StringNotEquals "ext-1" does not', () => {
    assert.equal(merged(existing({ StringLike: { 'sts:ExternalId': 'x-*' } }), grant).changed, true);
    assert.equal(merged(existing({ StringNotEquals: { 'sts:ExternalId': 'ext-1' } }), grant).changed, true);
  });
});

describe('negated operators in an edited statement (a mutant of the implication survived every other test)', () => {
  const doc = (...Statement: object[]) => readPolicy(JSON.stringify({ Version: '2012-10-17', Statement }));
  const allow222 = (Sid: string, condition: object) => ({ Sid, Effect: 'Allow', Principal: { AWS: root('222222222222') }, Action: 'sts:AssumeRole', Condition: condition });

  test('a new statement with StringNotEquals "ext-1" widens one with StringNotEquals ["ext-1", "ext-2"]: external id ext-2 gets in', () => {
    const before = doc(allow222('Old', { StringNotEquals: { 'sts:ExternalId': ['ext-1', 'ext-2'] } }));
    const after = doc(allow222('Old', { StringNotEquals: { 'sts:ExternalId': ['ext-1', 'ext-2'] } }), allow222('New', { StringNotEquals: { 'sts:ExternalId': 'ext-1' } }));
    assert.ok(before.ok && after.ok);
    if (!before.ok || !after.ok) return;
    const cmp = comparePolicies(before.policy, after.policy);
    assert.ok(cmp.risks.length > 0, `no risk reported: ${JSON.stringify(cmp.changes)}`);
    assert.ok(!cmp.changes.some((c) => c.kind === 'already'), 'not "already allowed"');
  });

  test('the other way round it is already allowed: StringNotEquals ["ext-1", "ext-2"] allows less than what is there', () => {
    const before = doc(allow222('Old', { StringNotEquals: { 'sts:ExternalId': 'ext-1' } }));
    const after = doc(allow222('Old', { StringNotEquals: { 'sts:ExternalId': 'ext-1' } }), allow222('New', { StringNotEquals: { 'sts:ExternalId': ['ext-1', 'ext-2'] } }));
    assert.ok(before.ok && after.ok);
    if (!before.ok || !after.ok) return;
    const cmp = comparePolicies(before.policy, after.policy);
    assert.deepEqual(cmp.risks, []);
    assert.ok(cmp.changes.some((c) => c.kind === 'already'));
  });
});
