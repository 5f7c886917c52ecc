import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { getErrorMessage, REDACTED, redactText, Redactor, secretsInAwsFile, withoutUserInfo } from '../../src/core/redact';
import { maskPhoneNumber } from '../../src/core/validate';

// Nothing shaped like a real AWS credential is written in this file: every key, secret, token and signature is
// generated at run time from a seeded generator (the seed is in every failure message, to replay a failure).

const SEED = Number(process.env.REDACT_TEST_SEED ?? Date.now() % 2 ** 31);

/** mulberry32: a small, seedable PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const random = prng(SEED);
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'; // the base32 alphabet access key ids use
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const HEX = '0123456789abcdef';

function pick(alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    s += alphabet[Math.floor(random() * alphabet.length)];
  }
  return s;
}

/** An access key id: a 4-letter prefix and 16 characters, like `AKIA…`/`ASIA…`. */
function keyId(prefix: 'AKIA' | 'ASIA' | 'ABIA' | 'ACCA' | 'AROA' | 'AIDA' = 'AKIA'): string {
  return prefix + pick(UPPER_ALNUM, 16);
}

/** A secret access key: 40 base64 characters, with an upper-case letter, a lower-case letter and a digit. */
function secretKey(): string {
  for (;;) {
    const s = pick(BASE64, 40);
    if (/[A-Z]/.test(s) && /[a-z]/.test(s) && /\d/.test(s)) {
      return s;
    }
  }
}

/** An STS session token: a known prefix and a long base64 body (or no known prefix, for the keyword rules). */
function sessionToken(knownPrefix = true): string {
  return (knownPrefix ? 'IQoJb3JpZ2luX2Vj' : 'Zm9v') + pick(BASE64, 600) + '==';
}

function signature(): string {
  return pick(HEX, 64);
}

function masked(id: string): string {
  return `${id.slice(0, 4)}${'*'.repeat(12)}${id.slice(-4)}`;
}

/** Asserts that none of the secrets is left in the text, naming the seed. */
function assertGone(text: string, secrets: string[]): void {
  for (const s of secrets) {
    assert.ok(!text.includes(s), `seed ${SEED}: ${JSON.stringify(s.slice(0, 12))}… is still in:\n${text}`);
  }
}

function assertIdempotent(redact: (s: string) => string, text: string): string {
  const once = redact(text);
  assert.equal(redact(once), once, `seed ${SEED}: redacting twice changed the text`);
  return once;
}

void describe('redactText: access key ids', () => {
  void test('AKIA and ASIA (and ABIA, ACCA) keys keep their prefix and last four characters', () => {
    for (const prefix of ['AKIA', 'ASIA', 'ABIA', 'ACCA'] as const) {
      const id = keyId(prefix);
      const out = assertIdempotent(redactText, `using key ${id} for profile dev`);
      assert.equal(out, `using key ${masked(id)} for profile dev`);
    }
  });

  void test('role and user unique ids (AROA, AIDA) stay visible: they are identifiers, not secrets', () => {
    const role = keyId('AROA');
    const user = keyId('AIDA');
    const text = `"AssumedRoleId": "${role}:tendlc-dev", "UserId": "${user}"`;
    assert.equal(redactText(text), text);
  });

  void test('only whole tokens: a longer upper-case run is not a key id', () => {
    const text = `ID ${keyId()}XYZ and X${keyId()}`;
    assert.equal(redactText(text), text);
  });

  void test('key ids in quotes, brackets, URLs and after other punctuation', () => {
    const id = keyId('ASIA');
    for (const text of [`'${id}'`, `"${id}"`, `(${id})`, `[${id}]`, `key=${id}&x`, `${id}/20261123`, `lower${id}`]) {
      const out = redactText(text);
      assertGone(out, [id]);
      assert.ok(out.includes(masked(id)), out);
    }
  });
});

void describe('redactText: secret access keys and session tokens', () => {
  void test('a credentials file', () => {
    const [id, secret, token] = [keyId(), secretKey(), sessionToken()];
    const ini = [
      '[default]',
      `aws_access_key_id = ${id}`,
      `aws_secret_access_key = ${secret}`,
      `aws_session_token = ${token}`,
      'region = us-east-1',
      '',
      '[secondary-a]',
      `aws_access_key_id=${id}`,
      `aws_secret_access_key=${secret}`,
    ].join('\n');
    const out = assertIdempotent(redactText, ini);
    assertGone(out, [id, secret, token]);
    assert.equal(
      out,
      [
        '[default]',
        `aws_access_key_id = ${masked(id)}`,
        `aws_secret_access_key = ${REDACTED}`,
        `aws_session_token = ${REDACTED}`,
        'region = us-east-1',
        '',
        '[secondary-a]',
        `aws_access_key_id=${masked(id)}`,
        `aws_secret_access_key=${REDACTED}`,
      ].join('\n'),
    );
  });

  void test('the JSON of `aws sts assume-role`, compact and pretty-printed', () => {
    const [id, secret, token, roleId] = [keyId('ASIA'), secretKey(), sessionToken(), keyId('AROA')];
    const response = {
      Credentials: { AccessKeyId: id, SecretAccessKey: secret, SessionToken: token, Expiration: '2026-11-23T21:05:24Z' },
      AssumedRoleUser: {
        AssumedRoleId: `${roleId}:tendlc-dev-20261123T200524`,
        Arn: 'arn:aws:sts::111111111111:assumed-role/TenDlcSmsSender/tendlc-dev-20261123T200524',
      },
    };
    for (const text of [JSON.stringify(response), JSON.stringify(response, null, 2), JSON.stringify(JSON.stringify(response))]) {
      const out = assertIdempotent(redactText, text);
      assertGone(out, [id, secret, token]);
      assert.ok(out.includes(masked(id)), out);
      assert.ok(out.includes(`${roleId}:tendlc-dev-20261123T200524`), 'the role id and session stay');
      assert.ok(out.includes('arn:aws:sts::111111111111:assumed-role/TenDlcSmsSender/'), 'the ARN stays');
      assert.ok(out.includes('2026-11-23T21:05:24Z'), 'the expiration stays');
    }
    assert.equal(
      redactText(JSON.stringify(response.Credentials)),
      `{"AccessKeyId":"${masked(id)}","SecretAccessKey":"${REDACTED}","SessionToken":"${REDACTED}","Expiration":"2026-11-23T21:05:24Z"}`,
    );
  });

  void test('credential_process output and session tokens without a known prefix', () => {
    const [id, secret, token] = [keyId('ASIA'), secretKey(), sessionToken(false)];
    const text = JSON.stringify({ Version: 1, AccessKeyId: id, SecretAccessKey: secret, SessionToken: token, Expiration: 'x' });
    assertGone(assertIdempotent(redactText, text), [id, secret, token]);
  });

  void test('the SDK credentials object as util.inspect prints it', () => {
    const [id, secret, token] = [keyId('ASIA'), secretKey(), sessionToken(false)];
    const creds = { accessKeyId: id, secretAccessKey: secret, sessionToken: token, expiration: new Date(0), accountId: '111111111111' };
    for (const text of [inspect(creds), inspect({ credentials: creds }, { breakLength: Infinity }), `${inspect(creds)}\n${inspect(creds)}`]) {
      const out = assertIdempotent(redactText, text);
      assertGone(out, [id, secret, token]);
      assert.ok(out.includes("accountId: '111111111111'"), out);
    }
    assert.equal(redactText("{ sessionToken: undefined, secretAccessKey: null }"), "{ sessionToken: undefined, secretAccessKey: null }");
  });

  void test('environment variables, shell exports, YAML and XML', () => {
    const [id, secret, token] = [keyId('ASIA'), secretKey(), sessionToken(false)];
    const texts = [
      `AWS_ACCESS_KEY_ID=${id} AWS_SECRET_ACCESS_KEY=${secret} AWS_SESSION_TOKEN=${token} node x.js`,
      `export AWS_SECRET_ACCESS_KEY="${secret}"\nexport AWS_SESSION_TOKEN='${token}'`,
      `credentials:\n  secretAccessKey: ${secret}\n  sessionToken: ${token}\n`,
      `<Credentials>\n  <AccessKeyId>${id}</AccessKeyId>\n  <SecretAccessKey>${secret}</SecretAccessKey>\n  <SessionToken>${token}</SessionToken>\n</Credentials>`,
      `{"SecretAccessKey" => "${secret}", "aws_security_token" => "${token}"}`,
      `{\\"SecretAccessKey\\":\\"${secret}\\"}`,
      `"SecretAccessKey":"${secret.slice(0, 20)}\\/${secret.slice(21)}"`,
      `secret_key: ${secret}`,
    ];
    for (const text of texts) {
      const out = assertIdempotent(redactText, text);
      assertGone(out, [id, secret, token, secret.slice(0, 20), secret.slice(21)]);
    }
    assert.equal(
      redactText(`<SecretAccessKey>${secret}</SecretAccessKey>`),
      `<SecretAccessKey>${REDACTED}</SecretAccessKey>`,
    );
  });

  void test('a 40-character base64 value after = or : is a secret key wherever it is', () => {
    const secret = secretKey();
    for (const text of [`key=${secret}`, `"k": "${secret}"`, `password:${secret}`, `x = '${secret}',`]) {
      const out = assertIdempotent(redactText, text);
      assertGone(out, [secret]);
    }
  });

  void test('…but not hex digests, ARNs or values of another length', () => {
    const texts = [
      `commit: ${pick(HEX, 40)}`,
      `sha1=${pick(HEX, 40).toUpperCase()}`,
      'arn:aws:iam::123456789012:role/TenDlcCrossAccountSmsSenderRole2026', // 40 characters after the colon
      `value: ${pick(BASE64.slice(0, 62), 39)} and value: ${pick(BASE64.slice(0, 62), 41)}`,
      'path: /home/dev/projects/tendlc/src/core/redactTests',
      'ok: AllLettersNoDigitsAtAllInThisFortyCharsX',
    ];
    for (const text of texts) {
      assert.equal(redactText(text), text);
    }
  });

  void test('session tokens anywhere by their known prefixes', () => {
    const token = sessionToken();
    const out = redactText(`token in a stack trace: ${token} at line 3`);
    assert.equal(out, `token in a stack trace: ${REDACTED} at line 3`);
  });

  void test('an MFA TokenCode in a logged AssumeRole input', () => {
    const text = "AssumeRole input: { RoleArn: 'arn:aws:iam::111111111111:role/R', SerialNumber: 'arn:aws:iam::222222222222:mfa/dev', TokenCode: '123456', ExternalId: 'tendlc-ext' }";
    const out = assertIdempotent(redactText, text);
    assert.ok(out.includes(`TokenCode: '${REDACTED}'`), out);
    assert.ok(out.includes("SerialNumber: 'arn:aws:iam::222222222222:mfa/dev'"), out);
  });
});

void describe('redactText: SigV4', () => {
  void test('an Authorization header keeps its shape; key and signature are replaced', () => {
    const [id, sig] = [keyId('ASIA'), signature()];
    const header =
      `Authorization: AWS4-HMAC-SHA256 Credential=${id}/20261123/us-east-1/sns/aws4_request, ` +
      `SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=${sig}`;
    const out = assertIdempotent(redactText, header);
    assert.equal(
      out,
      `Authorization: AWS4-HMAC-SHA256 Credential=${masked(id)}/20261123/us-east-1/sns/aws4_request, ` +
        `SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=${REDACTED}`,
    );
  });

  void test('a credential that is not key-shaped (an emulator key) is replaced whole', () => {
    const out = redactText(`Credential=testing/20261123/us-east-1/sts/aws4_request, Signature=${signature()}`);
    assert.equal(out, `Credential=${REDACTED}/20261123/us-east-1/sts/aws4_request, Signature=${REDACTED}`);
  });

  void test('a presigned URL', () => {
    const [id, sig, token] = [keyId('ASIA'), signature(), sessionToken()];
    const url =
      'https://sns.us-east-1.amazonaws.com/?Action=Publish&PhoneNumber=%2B12065550123&Message=hi' +
      `&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${id}%2F20261123%2Fus-east-1%2Fsns%2Faws4_request` +
      `&X-Amz-Date=20261123T200524Z&X-Amz-Security-Token=${encodeURIComponent(token)}` +
      `&X-Amz-Signature=${sig}&X-Amz-SignedHeaders=host`;
    const out = assertIdempotent(redactText, url);
    assertGone(out, [id, sig, token, encodeURIComponent(token), '12065550123']);
    assert.equal(
      out,
      'https://sns.us-east-1.amazonaws.com/?Action=Publish&PhoneNumber=%2B*******0123&Message=hi' +
        `&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${masked(id)}%2F20261123%2Fus-east-1%2Fsns%2Faws4_request` +
        `&X-Amz-Date=20261123T200524Z&X-Amz-Security-Token=${REDACTED}` +
        `&X-Amz-Signature=${REDACTED}&X-Amz-SignedHeaders=host`,
    );
  });

  void test('a SignatureDoesNotMatch message with the canonical request in it', () => {
    const token = sessionToken(false);
    const message =
      'SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. ' +
      'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n' +
      "The Canonical String for this request should have been\n'POST\n/\n\ncontent-type:application/x-www-form-urlencoded\n" +
      `host:sns.us-east-1.amazonaws.com\nx-amz-date:20261123T200524Z\nx-amz-security-token:${token}\n\n` +
      `content-type;host;x-amz-date;x-amz-security-token\n${pick(HEX, 64)}'`;
    const out = assertIdempotent(redactText, message);
    assertGone(out, [token]);
    assert.ok(out.startsWith('SignatureDoesNotMatch: The request signature we calculated'), out);
  });

  void test('SDK request headers as util.inspect prints them', () => {
    const [id, sig, token] = [keyId('ASIA'), signature(), sessionToken()];
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-amz-security-token': token,
      'x-amz-date': '20261123T200524Z',
      authorization: `AWS4-HMAC-SHA256 Credential=${id}/20261123/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=${sig}`,
    };
    const out = assertIdempotent(redactText, inspect({ headers }, { breakLength: Infinity }));
    assertGone(out, [id, sig, token]);
  });
});

void describe('redactText: phone numbers', () => {
  const cases: [string, string][] = [
    ['Publish to +12065550123 failed', 'Publish to +*******0123 failed'],
    ['"phone_number": "+442079460958"', '"phone_number": "+********0958"'],
    ['to +1 (206) 555-0123 from +1-425-555-0100', 'to +* (***) ***-0123 from +*-***-***-0100'],
    ['+1 206 555 0123.', '+* *** *** 0123.'],
    ['+1.206.555.0123', '+*.***.***.0123'],
    ['PhoneNumber=%2B12065550123&', 'PhoneNumber=%2B*******0123&'],
    ['Invalid parameter: PhoneNumber Reason: +12065550123 is not valid to publish', 'Invalid parameter: PhoneNumber Reason: +*******0123 is not valid to publish'],
    ['numbers +12065550123,+12065550124', 'numbers +*******0123,+*******0124'],
  ];
  for (const [text, expected] of cases) {
    void test(JSON.stringify(text), () => {
      assert.equal(assertIdempotent(redactText, text), expected);
    });
  }

  void test('E.164 numbers are masked exactly as maskPhoneNumber masks them', () => {
    for (let i = 0; i < 100; i++) {
      const e164 = `+${1 + Math.floor(random() * 9)}${pick('0123456789', 7 + Math.floor(random() * 8))}`;
      assert.equal(redactText(`to ${e164}.`), `to ${maskPhoneNumber(e164)}.`);
    }
  });

  void test('account ids, timestamps, ports and short +numbers are not phone numbers', () => {
    const texts = [
      'account 123456789012 in us-east-1',
      '2026-11-23T20:05:24.347+01:00',
      'connect ECONNREFUSED 127.0.0.1:5000',
      'retry +1 of 3, +20 ms',
      'offset +0000123456789',
      '+1234567890123456 (16 digits)',
    ];
    for (const text of texts) {
      assert.equal(redactText(text), text);
    }
  });
});

void describe('redactText: ordinary messages stay as they are', () => {
  const messages = [
    'AccessDenied: User: arn:aws:sts::222222222222:assumed-role/TenDlcSmsSender/tendlc-dev-20261123T200524 is not authorized to perform: sns:Publish on resource: * because no identity-based policy allows the sns:Publish action',
    'AccessDenied: User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/TenDlcSmsSender',
    'InvalidClientTokenId: The security token included in the request is invalid.',
    'ExpiredToken: The security token included in the request is expired',
    'InvalidParameterException: Invalid parameter: PhoneNumber Reason: Phone number does not meet the E164 format',
    'ThrottlingException: Rate exceeded',
    'Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
    'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.',
    'Could not load credentials from any providers',
    'Profile secondary-a could not be found (source_profile of dev)',
    'Message published: MessageId 1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7a8b, RequestId 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
    '2026-11-23 20:05:24.347 [info] Assumed arn:aws:iam::111111111111:role/TenDlcSmsSender as 222222222222, 54 min left',
    'Missing aws_session_token in profile dev; SessionToken is required',
  ];
  for (const message of messages) {
    void test(message.slice(0, 60), () => {
      assert.equal(redactText(message), message);
    });
  }
});

void describe('Redactor', () => {
  void test('registered values are replaced wherever they appear, then the patterns apply', () => {
    const r = new Redactor();
    const external = 'tendlc-ext-' + pick(HEX, 12);
    r.addSecret(external);
    const out = r.redact(`ExternalId: '${external}', inside${external}word, to +12065550123`);
    assert.equal(out, `ExternalId: '${REDACTED}', inside${REDACTED}word, to +*******0123`);
  });

  void test('undefined, empty and very short values are ignored; so is anything inside "[REDACTED]"', () => {
    const r = new Redactor();
    for (const v of [undefined, '', '  ', 'ab', 'abc', 'REDACTED', 'REDA', '[REDACTED]']) {
      r.addSecret(v);
    }
    const text = 'abc ab [REDACTED] REDACTED stays';
    assert.equal(r.redact(text), text);
  });

  void test('overlapping secrets become one [REDACTED]: no tail of either is left', () => {
    const r = new Redactor();
    r.addSecret('abcdefgh');
    r.addSecret('efghijkl');
    r.addSecret('ijklmnop');
    assert.equal(r.redact('xx abcdefghijklmnop yy'), `xx ${REDACTED} yy`);
    assert.equal(r.redact('efghij'), 'efghij');
    assert.equal(r.redact('abcdefghijkl abcdefgh'), `${REDACTED} ${REDACTED}`);
  });

  void test('the longest secret wins over one it contains', () => {
    const r = new Redactor();
    r.addSecret('secret');
    r.addSecret('secret-and-more');
    assert.equal(r.redact('a secret-and-more b secret c'), `a ${REDACTED} b ${REDACTED} c`);
  });

  void test('self-overlapping secrets are covered in full', () => {
    const r = new Redactor();
    r.addSecret('abab');
    assert.equal(r.redact('xababababx'), `x${REDACTED}x`);
    assert.equal(r.redact('xabax'), 'xabax');
  });

  void test('URL-encoded and JSON-escaped forms of a value are caught too', () => {
    const r = new Redactor();
    const token = sessionToken(false); // has + / = in it
    const quoted = 'with"quote\\and-back';
    r.addSecret(`  ${token}\n`);
    r.addSecret(quoted);
    const text = `q=${encodeURIComponent(token)}&j=${JSON.stringify({ v: quoted })}&raw=${token}`;
    const out = assertIdempotent((s) => r.redact(s), text);
    assertGone(out, [token, encodeURIComponent(token), quoted, JSON.stringify(quoted).slice(1, -1)]);
  });

  void test('the keys of an assumed session, registered, are gone from any text', () => {
    const r = new Redactor();
    const [id, secret, token] = [keyId('ASIA'), secretKey(), sessionToken(false)];
    [id, secret, token].forEach((s) => r.addSecret(s));
    const text = `odd place: ${secret.split('').join('')}|${token}|${id}`;
    const out = assertIdempotent((s) => r.redact(s), text);
    assert.equal(out, `odd place: ${REDACTED}|${REDACTED}|${REDACTED}`);
  });
});

/** A Vault service token, generated now: `hvs.` and base64url. */
function vaultToken(): string {
  return `hvs.${pick(BASE64.replace('+', '-').replace('/', '_'), 90)}`;
}

/** A JSON Web Token, generated now (header and payload are base64url JSON, so they start `eyJ`). */
function jwt(): string {
  const b64url = (s: string): string => Buffer.from(s).toString('base64url');
  return `${b64url(JSON.stringify({ alg: 'RS256', kid: pick(HEX, 8) }))}.${b64url(JSON.stringify({ sub: pick(HEX, 12), exp: 1 }))}.${pick(BASE64.replace('+', '-').replace('/', '_'), 86)}`;
}

void describe('redactText: URL user information', () => {
  void test('a password (and the user name) in an endpoint URL', () => {
    // A '/' in a password must be percent-encoded in a URL, so none is generated here.
    const pw = pick(BASE64.replace('/', '%'), 16);
    const cases: [string, string][] = [
      [`STS GetCallerIdentity via http://admin:${pw}@127.0.0.1:4566 → ok`, 'STS GetCallerIdentity via http://[REDACTED]@127.0.0.1:4566 → ok'],
      [`endpoint_url = https://svc-user:${pw}@vpce-1.sts.us-east-1.vpce.amazonaws.com/`, 'endpoint_url = https://[REDACTED]@vpce-1.sts.us-east-1.vpce.amazonaws.com/'],
      [`could not reach the AWS endpoint at http://${pw}@proxy.local:8080 (ECONNREFUSED)`, 'could not reach the AWS endpoint at http://[REDACTED]@proxy.local:8080 (ECONNREFUSED)'],
      [`"endpoint": "http://u:${pw}@h"`, '"endpoint": "http://[REDACTED]@h"'],
    ];
    for (const [text, expected] of cases) {
      assert.equal(assertIdempotent(redactText, text), expected);
    }
    assert.equal(withoutUserInfo(`http://a:${pw}@h:1/x`), 'http://[REDACTED]@h:1/x');
  });

  void test('a password with an unencoded "@" is removed whole (URL parsers, the SDK\'s too, split user information at the last "@")', () => {
    // Before: "http://[REDACTED]@<rest of the password>@host" — everything after the password's first "@" was shown.
    const pw = `${pick(BASE64.replace(/[+/]/g, ''), 6)}@${pick(BASE64.replace(/[+/]/g, ''), 10)}`;
    const url = `http://admin:${pw}@127.0.0.1:4566/`;
    assert.equal(new URL(url).host, '127.0.0.1:4566', 'such a URL is valid, and its host is after the last "@"');
    const out = assertIdempotent(redactText, `STS GetCallerIdentity via ${url} → ok`);
    assert.equal(out, 'STS GetCallerIdentity via http://[REDACTED]@127.0.0.1:4566/ → ok');
    assert.equal(withoutUserInfo(url), 'http://[REDACTED]@127.0.0.1:4566/');
    const found = secretsInAwsFile(`[profile emu]\nendpoint_url = ${url}\n`);
    assert.ok(found.includes(`admin:${pw}`) && found.includes(pw), 'the whole user information and the whole password are registered');
    assert.equal(redactText('mail alice@example.com or http://host/a@b'), 'mail alice@example.com or http://host/a@b', 'an "@" after the host is not user information');
  });

  void test('URLs without user information, e-mail addresses and IPv6 hosts stay', () => {
    for (const text of ['via http://127.0.0.1:4566', 'https://sts.us-east-1.amazonaws.com/?Action=x', 'mail alice@example.com', 'http://[::1]:4566/', 'arn:aws:iam::111111111111:role/r']) {
      assert.equal(redactText(text), text);
    }
  });
});

void describe('redactText: tokens of other tools (credential_process stderr)', () => {
  void test('Vault tokens (hvs., hvb., legacy s.) are removed', () => {
    for (let i = 0; i < 50; i++) {
      const token = vaultToken();
      const batch = `hvb.${pick(BASE64.replace(/[+/]/g, ''), 120)}`;
      const legacy = `s.${pick(BASE64.replace(/[+/]/g, ''), 24)}`;
      const text = `vault: permission denied (token ${token}); batch ${batch}, legacy ${legacy}.`;
      const out = assertIdempotent(redactText, text);
      assertGone(out, [token, batch, legacy, token.slice(4, 30)]);
      assert.match(out, /^vault: permission denied \(token \[REDACTED\]\); batch \[REDACTED\], legacy \[REDACTED\]\.$/);
    }
  });

  void test('JSON Web Tokens are removed wherever they are', () => {
    for (let i = 0; i < 50; i++) {
      const t = jwt();
      for (const text of [`oidc: refresh failed: ${t}`, `{"id_token":"${t}"}`, `Authorization: Bearer ${t}`, `token=${t}&x=1`]) {
        const out = assertIdempotent(redactText, text);
        assertGone(out, [t, t.split('.')[1], t.split('.')[2]]);
      }
    }
  });

  void test('values after password, secret, token, api_key and friends', () => {
    const v = pick(BASE64.replace(/[+/=]/g, ''), 24);
    const cases: [string, string][] = [
      [`login failed: password=${v}`, 'login failed: password=[REDACTED]'],
      [`{"client_secret": "${v}"}`, '{"client_secret": "[REDACTED]"}'],
      [`api_key: ${v}`, 'api_key: [REDACTED]'],
      [`refresh_token=${v}&grant_type=x`, 'refresh_token=[REDACTED]&grant_type=x'],
      [`Authorization: Basic ${Buffer.from(`u:${v}`).toString('base64')}`, 'Authorization: Basic [REDACTED]'],
    ];
    for (const [text, expected] of cases) {
      assert.equal(assertIdempotent(redactText, text), expected);
    }
  });

  void test('command-line flags a secret follows (a credential helper echoing its usage)', () => {
    const v = pick(BASE64.replace(/[+/=]/g, ''), 24);
    const cases: [string, string][] = [
      [`usage error: vault-helper --token ${v} --role dev`, 'usage error: vault-helper --token [REDACTED] --role dev'],
      [`exec: helper --password=${v}`, 'exec: helper --password=[REDACTED]'],
      [`helper -secret ${v}`, 'helper -secret [REDACTED]'],
      [`helper --client-secret ${v} --verbose`, 'helper --client-secret [REDACTED] --verbose'],
      ['helper --token --verbose', 'helper --token --verbose'],
    ];
    for (const [text, expected] of cases) {
      assert.equal(assertIdempotent(redactText, text), expected);
    }
  });

  void test('AWS error names that end in "Token" are not keywords', () => {
    for (const text of ['ExpiredToken: The security token included in the request is expired', 'InvalidClientTokenId: The security token included in the request is invalid.', 'NextToken: 2', 'ExpiredTokenException: x']) {
      assert.equal(redactText(text), text);
    }
  });
});

void describe('redactText: North American numbers without +', () => {
  const cases: [string, string][] = [
    ['"2065550123" is not a phone number in E.164 format', '"******0123" is not a phone number in E.164 format'],
    ['destination 12065550123.', 'destination *******0123.'],
    ['call (206) 555-0123 or 206-555-0124 or 206.555.0125', 'call (***) ***-0123 or ***-***-0124 or ***.***.0125'],
    ['PhoneNumber=2065550123&', 'PhoneNumber=******0123&'],
    ['1 206 555 0123', '* *** *** 0123'],
  ];
  for (const [text, expected] of cases) {
    void test(JSON.stringify(text), () => {
      assert.equal(assertIdempotent(redactText, text), expected);
    });
  }

  void test('account ids, epoch times, request ids, ports, dates and durations stay', () => {
    const texts = [
      'account 111111111111 and 123456789012',
      'expires 1764547200 (epoch seconds), 1764547200123 ms',
      'request 0f1e2d3c-4b5a-6978-8a9b-020655501230',
      'MessageId 1b2c3d4e-5f60-4718-9a2b-2065550123ab',
      '127.0.0.1:45666 after 2065 ms',
      '2026-11-30 14:05:24, 1206-555-012',
      'version 3.1169.0, bundle 430.3 KB',
      'id a2065550123b',
      '0123456789 and 1123456789',
    ];
    for (const text of texts) {
      assert.equal(redactText(text), text);
    }
  });
});

void describe('secretsInAwsFile', () => {
  void test('every key, secret key and session token of every profile, and endpoint URL passwords', () => {
    const [id1, id2, secret1, secret2, token] = [keyId(), `emulator-key-${pick(HEX, 8)}`, secretKey(), pick(HEX, 24), sessionToken(false)];
    const pw = pick(BASE64.replace(/[+/]/g, ''), 12);
    const text =
      `[default]\naws_access_key_id = ${id1}\naws_secret_access_key=${secret1}\n\n[profile emu]\n  AWS_ACCESS_KEY_ID = ${id2}  \n` +
      `aws_secret_access_key = ${secret2}\naws_session_token = ${token}\nendpoint_url = http://admin:${pw}@127.0.0.1:4566\n` +
      `[services s]\nsts =\n  endpoint_url = https://tok${pw}@sts.local\n[profile test]\naws_access_key_id = test\naws_secret_access_key = test\nregion = us-east-1\n`;
    const found = secretsInAwsFile(text);
    for (const s of [id1, id2, secret1, secret2, token, `admin:${pw}`, pw, `tok${pw}`]) {
      assert.ok(found.includes(s), `${s.slice(0, 6)}… found`);
    }
    assert.ok(!found.includes('test'), 'placeholders under 8 characters are not registered');
    assert.ok(!found.includes('us-east-1'));
    const r = new Redactor();
    found.forEach((s) => r.addSecret(s));
    assertGone(r.redact(`error with ${id2} and ${secret2} and ${encodeURIComponent(`admin:${pw}`)}`), [id2, secret2, pw]);
  });
});

void describe('redaction is linear and idempotent', () => {
  const MB = 1_000_000;

  function timed(label: string, f: () => void, budgetMs: number): void {
    const start = process.hrtime.bigint();
    f();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.ok(ms < budgetMs, `${label} took ${ms.toFixed(0)} ms (budget ${budgetMs} ms): catastrophic backtracking?`);
  }

  // Each input is built to make a backtracking expression do the most work it can.
  const adversarial: [string, () => string][] = [
    ['one long word', () => 'A'.repeat(MB)],
    ['one long base64 token', () => pick(BASE64, MB)],
    ['digits', () => '9'.repeat(MB)],
    ['plus signs and digits', () => '+1'.repeat(MB / 2)],
    ['colons and spaces', () => ': '.repeat(MB / 2)],
    ['a colon and a million spaces', () => `:${' '.repeat(MB)}`],
    ['equals signs', () => '='.repeat(MB)],
    ['keyword then spaces', () => `aws_secret_access_key${' '.repeat(MB)}`],
    ['repeated keywords', () => 'SessionToken='.repeat(MB / 13)],
    ['repeated keywords without a value', () => 'secretAccessKey: ['.repeat(MB / 18)],
    ['Credential= with no slash', () => 'Credential='.repeat(MB / 11)],
    ['Credential= and a long key with no slash', () => `Credential=${'x'.repeat(MB)}`],
    ['Signature= repeated', () => 'Signature='.repeat(MB / 10)],
    ['token prefixes', () => 'IQoJb3JpZ2lu'.repeat(MB / 12)],
    ['near-key ids', () => 'AKIA'.repeat(MB / 4)],
    ['near-phone numbers', () => '+1 (206) 555-012 '.repeat(MB / 18)],
    ['%2B prefixes', () => '%2B1'.repeat(MB / 4)],
    ['scheme separators', () => '://'.repeat(MB / 3)],
    ['a scheme and a long user name with no @', () => `http://${'u'.repeat(MB)}`],
    ['JWT prefixes', () => 'eyJ'.repeat(MB / 3)],
    ['a JWT header with no second part', () => `eyJ${'a'.repeat(MB)}`],
    ['Vault prefixes', () => 'hvs.'.repeat(MB / 4)],
    ['keywords with separators', () => 'token='.repeat(MB / 6)],
    ['near North American numbers', () => '206-555-'.repeat(MB / 8)],
    ['Bearer repeated', () => 'Bearer '.repeat(MB / 7)],
    ['flags repeated', () => '--token '.repeat(MB / 8)],
    ['a dash and a long word', () => `-${'a'.repeat(MB)}`],
  ];
  for (const [label, make] of adversarial) {
    void test(`redactText on 1 MB of ${label}`, () => {
      const text = make();
      let once = '';
      timed(label, () => {
        once = redactText(text);
      }, 3000);
      assert.equal(redactText(once), once);
    });
  }

  void test('Redactor on 1 MB of a repeated character with a long near-match secret', () => {
    const r = new Redactor();
    r.addSecret(`${'a'.repeat(999)}b`);
    r.addSecret('a'.repeat(1000));
    const text = 'a'.repeat(MB);
    let out = '';
    timed('redactor', () => {
      out = r.redact(text);
    }, 3000);
    assert.equal(out, REDACTED);
  });

  void test('random mixtures of secrets, phone numbers, keywords and punctuation', () => {
    const r = new Redactor();
    const registered = [sessionToken(false), secretKey(), 'ext-' + pick(HEX, 10)];
    registered.forEach((s) => r.addSecret(s));
    const fragments: (() => string)[] = [
      () => keyId(['AKIA', 'ASIA', 'AROA', 'AIDA'][Math.floor(random() * 4)] as 'AKIA'),
      () => secretKey(),
      () => sessionToken(random() < 0.5),
      () => signature(),
      () => registered[Math.floor(random() * registered.length)],
      () => `+1${2 + Math.floor(random() * 8)}${pick('0123456789', 9)}`,
      () => `+44${pick('0123456789', 10)}`,
      () => '+1 (206) 555-0123',
      () => '%2B12065550123',
      () => pick('0123456789', 1 + Math.floor(random() * 14)),
      () => ['aws_secret_access_key', 'SecretAccessKey', 'sessionToken', 'X-Amz-Security-Token', 'AccessKeyId', 'TokenCode', 'Credential', 'Signature'][Math.floor(random() * 8)],
      () => [' = ', '=', ': ', ':', '": "', "': '", '>', '</', '/', '%2F', '&', ', ', '\n', ' ', '"', "'", '[', ']', '*', '+', '\\'][Math.floor(random() * 21)],
      () => pick(BASE64, 1 + Math.floor(random() * 50)),
      () => REDACTED,
      () => '****0123',
      () => `http://u:${pick(BASE64, 8)}@h`,
      () => vaultToken(),
      () => jwt(),
      () => ['password=', 'token: ', 'Bearer ', 'api_key=', 'id_token=', '--token ', '-password=', ' --secret '][Math.floor(random() * 8)],
      () => ['2065550123', '(206) 555-0123', '1-206-555-0123'][Math.floor(random() * 3)],
    ];
    for (let i = 0; i < 500; i++) {
      const parts: string[] = [];
      const n = 1 + Math.floor(random() * 25);
      for (let j = 0; j < n; j++) {
        parts.push(fragments[Math.floor(random() * fragments.length)]());
      }
      const text = parts.join('');
      const once = assertIdempotent(redactText, text);
      assert.equal(redactText(once), once);
      const onceR = assertIdempotent((s) => r.redact(s), text);
      assertGone(onceR, registered);
    }
  });

  void test('generated credentials in realistic contexts never survive', () => {
    const contexts: ((id: string, secret: string, token: string) => string)[] = [
      (id, secret, token) => JSON.stringify({ AccessKeyId: id, SecretAccessKey: secret, SessionToken: token }),
      (id, secret, token) => `[p]\naws_access_key_id=${id}\naws_secret_access_key = ${secret}\naws_session_token = ${token}\n`,
      (id, secret, token) => inspect({ accessKeyId: id, secretAccessKey: secret, sessionToken: token }),
      (id, secret, token) => `Credential=${id}/20261123/us-east-1/sns/aws4_request X-Amz-Security-Token=${encodeURIComponent(token)} key: ${secret}`,
      (id, secret, token) => `<AccessKeyId>${id}</AccessKeyId><SecretAccessKey>${secret}</SecretAccessKey><SessionToken>${token}</SessionToken>`,
    ];
    for (let i = 0; i < 200; i++) {
      const [id, secret, token] = [keyId(random() < 0.5 ? 'AKIA' : 'ASIA'), secretKey(), sessionToken(random() < 0.5)];
      for (const context of contexts) {
        const out = assertIdempotent(redactText, context(id, secret, token));
        assertGone(out, [id, id.slice(0, 16), secret, token, encodeURIComponent(token)]);
      }
    }
  });
});

void describe('getErrorMessage', () => {
  void test('an Error gives its message', () => {
    assert.equal(getErrorMessage(new Error('boom')), 'boom');
    assert.equal(getErrorMessage(new TypeError('bad type')), 'bad type');
  });

  void test('an AWS SDK-style error gives its message, not its name or metadata', () => {
    const e = Object.assign(new Error('User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole'), {
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403, requestId: 'r-1', attempts: 1 },
    });
    assert.equal(getErrorMessage(e), e.message);
  });

  void test('an Error with an empty message falls back to its code, inner errors, or name', () => {
    const withCode = Object.assign(new Error(''), { code: 'ECONNREFUSED' });
    assert.equal(getErrorMessage(withCode), 'ECONNREFUSED');
    const aggregate = new AggregateError([new Error('connect ECONNREFUSED ::1:5000'), new Error('connect ECONNREFUSED 127.0.0.1:5000')], '');
    assert.equal(getErrorMessage(aggregate), 'connect ECONNREFUSED ::1:5000; connect ECONNREFUSED 127.0.0.1:5000');
    const named = new Error('');
    named.name = 'TimeoutError';
    assert.equal(getErrorMessage(named), 'TimeoutError');
  });

  void test('causes are appended, up to three deep, without repeating', () => {
    const inner = new Error('connect ECONNREFUSED 127.0.0.1:5000');
    const e = new TypeError('fetch failed', { cause: inner });
    assert.equal(getErrorMessage(e), 'fetch failed: connect ECONNREFUSED 127.0.0.1:5000');
    const same = new Error('disk full', { cause: new Error('disk full') });
    assert.equal(getErrorMessage(same), 'disk full');
    const cyclic = new Error('outer') as Error & { cause?: unknown };
    cyclic.cause = cyclic;
    assert.equal(getErrorMessage(cyclic), 'outer');
    let deep: Error = new Error('level 0');
    for (let i = 1; i <= 6; i++) {
      deep = new Error(`level ${i}`, { cause: deep });
    }
    assert.equal(getErrorMessage(deep), 'level 6: level 5: level 4: level 3');
  });

  void test('strings, numbers and other primitives', () => {
    assert.equal(getErrorMessage('plain text'), 'plain text');
    assert.equal(getErrorMessage('  padded  '), 'padded');
    assert.equal(getErrorMessage(''), 'Unknown error');
    assert.equal(getErrorMessage(42), '42');
    assert.equal(getErrorMessage(false), 'false');
    assert.equal(getErrorMessage(10n), '10');
    assert.equal(getErrorMessage(Symbol('s')), 'Symbol(s)');
    assert.equal(getErrorMessage(undefined), 'Unknown error');
    assert.equal(getErrorMessage(null), 'Unknown error');
  });

  void test('objects: message, own toString, JSON, never [object Object]', () => {
    assert.equal(getErrorMessage({ message: 'from a worker' }), 'from a worker');
    assert.equal(getErrorMessage({ toString: () => 'custom text' }), 'custom text');
    assert.equal(getErrorMessage({ code: 'ENOENT' }), 'ENOENT');
    assert.equal(getErrorMessage({ status: 500, detail: 'x' }), '{"status":500,"detail":"x"}');
    assert.equal(getErrorMessage({}), 'Unknown error');
    assert.equal(getErrorMessage([]), 'Unknown error (Array)');
    class HttpFailure {
      readonly self = this;
    }
    assert.equal(getErrorMessage(new HttpFailure()), 'Unknown error (HttpFailure)'); // circular: no JSON
    const throwing = {
      get boom(): string {
        throw new Error('getter');
      },
    };
    assert.equal(getErrorMessage(throwing), 'Unknown error');
    assert.ok(getErrorMessage({ big: 'x'.repeat(5000) }).length <= 1000);
    assert.equal(getErrorMessage(() => 0), 'Unknown error (Function)');
    for (const v of [{}, [], Object.create(null), new (class X {})(), { toString: () => '[object Object]' }]) {
      assert.ok(!getErrorMessage(v).includes('[object'), getErrorMessage(v));
    }
  });
});
