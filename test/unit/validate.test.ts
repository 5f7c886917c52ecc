import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  maskPhoneNumber,
  parseArn,
  validateAccountId,
  validateExternalId,
  validateMaxPrice,
  validateMfaCode,
  validatePhoneNumber,
  validateRegion,
  validateRoleArn,
  validateRoleName,
  validateUsTenDlcNumber,
  Validation,
} from '../../src/core/validate';

/** Asserts success and returns the value and warnings. */
function expectOk<T>(result: Validation<T>, input: string): { value: T; warnings: string[] } {
  assert.ok(result.ok, `expected ${JSON.stringify(input)} to be accepted, got: ${result.ok ? '' : result.error}`);
  return { value: result.value, warnings: result.warnings };
}

/** Asserts failure and returns the error message. */
function expectError<T>(result: Validation<T>, input: string): string {
  assert.ok(!result.ok, `expected ${JSON.stringify(input)} to be refused, got ${JSON.stringify(result)}`);
  return result.error;
}

/** Each pattern must occur in the message (the rule it names, the specific problem, the example). */
function assertMentions(message: string, patterns: RegExp[], input: string): void {
  for (const p of patterns) {
    assert.match(message, p, `error for ${JSON.stringify(input)} should match ${p}: ${message}`);
  }
}

/** The E.164 rule with its example, as every refused destination names it. */
const E164 = [/E\.164/, /must start with \+ and the country code/, /8 to 15 digits/, /e\.g\. \+12065550123/];
const NANP = [/North American \(\+1\)/, /area code and a 3-digit exchange, each starting with 2 to 9/];

void describe('validatePhoneNumber', () => {
  // [input, normalised value, one pattern per expected warning ([] means none)]
  const valid: [string, string, RegExp[]][] = [
    ['+12025550173', '+12025550173', [/reserved for fiction/]],
    ['+12065550123', '+12065550123', [/555-0100 to 555-0199.*carriers will not deliver/]],
    ['  +12065550123  ', '+12065550123', [/reserved for fiction/]],
    ['+1 (206) 555-0123', '+12065550123', [/reserved for fiction/]],
    ['+1-206-555-0199', '+12065550199', [/reserved for fiction/]],
    ['+1.206.555.0100', '+12065550100', [/reserved for fiction/]],
    ['+1 206 555 1234', '+12065551234', []],
    ['+1\u00a0206\u00a0555\u00a01234', '+12065551234', []], // no-break spaces
    ['+1\u2011206\u2013555\u20141234', '+12065551234', []], // non-breaking hyphen, en and em dashes
    ['\u202a+1 206 555 1234\u202c', '+12065551234', []], // direction marks from a copied contact card
    ['\uff0b\uff11\uff12\uff10\uff16\uff15\uff15\uff15\uff11\uff12\uff13\uff14', '+12065551234', []], // full width
    ['+13125552368', '+13125552368', []],
    ['+19995551234', '+19995551234', []],
    ['+12125550200', '+12125550200', []], // 555-0200 is outside the fictional block
    ['+12125550099', '+12125550099', []],
    ['+18005551234', '+18005551234', [/toll-free/]],
    ['+1 (888) 555-1234', '+18885551234', [/toll-free/]],
    ['+18335551234', '+18335551234', [/toll-free/]],
    ['+19005551234', '+19005551234', [/premium-rate/]],
    ['+14165551234', '+14165551234', [/Canada.*10DLC numbers deliver only to US numbers/]],
    ['+18765551234', '+18765551234', [/Jamaica/]],
    ['+18005550123', '+18005550123', [/toll-free/, /reserved for fiction/]],
    ['+442079460958', '+442079460958', [/10DLC numbers deliver only to US numbers; a message to \+44… will not be sent/]],
    ['+44 20 7946 0958', '+442079460958', [/\+44…/]],
    ['+353 1 555 0123', '+35315550123', [/\+353…/]],
    ['+61 491 570 006', '+61491570006', [/\+61…/]],
    ['+7 495 555 0123', '+74955550123', [/\+7…/]],
    ['+2065550123', '+2065550123', [/\+20….*If you meant a US number, put \+1 before the ten digits\./]],
    ['+33123456', '+33123456', [/\+33…/]], // 8 digits: the shortest E.164 accepted
    ['+998901234567890', '+998901234567890', [/\+998…/]], // 15 digits: the longest
  ];

  for (const [input, value, warnings] of valid) {
    void test(`accepts ${JSON.stringify(input)}`, () => {
      const r = expectOk(validatePhoneNumber(input), input);
      assert.equal(r.value, value);
      assert.equal(r.warnings.length, warnings.length, `warnings for ${input}: ${JSON.stringify(r.warnings)}`);
      for (const w of warnings) {
        assert.ok(r.warnings.some((x) => w.test(x)), `a warning for ${input} should match ${w}: ${JSON.stringify(r.warnings)}`);
      }
    });
  }

  // [input, what the message must say besides the rule]
  const invalid: [string, RegExp[]][] = [
    ['12ab', [/^"12ab" is not a phone number in E\.164 format: it contains letters/]],
    ['+1-800-FLOWERS', [/contains letters/]],
    ['+1 206 555 0123 ext 5', [/contains letters/]],
    ['tel:+12065550123', [/contains letters/]],
    ['12065550123', [/the \+ in front is missing/, /Did you mean \+12065550123\?/]],
    ['1 (206) 555-0123', [/the \+ in front is missing/, /Did you mean \+12065550123\?/]],
    ['2065550123', [/the \+ and the country code are missing/, /\+12065550123 for a US number/]],
    ['442079460958', [/the \+ and the country code are missing/]],
    ['00442079460958', [/dialling prefix 00/, /Did you mean \+442079460958\?/]],
    ['+0123456789', [/\+0, and no country code starts with 0/]],
    ['+00442079460958', [/no country code starts with 0/]],
    ['+1234567', [/only 7 digits/]],
    ['+1', [/only 1 digit;/]],
    ['+', [/only 0 digits/]],
    ['+1234567890123456', [/it has 16 digits/]],
    ['+12065550123+', [/more than one \+/]],
    ['1+2065550123', [/the \+ must come first/]],
    ['+1206555#0123', [/"#", which is not a digit/]],
    ['+1206555*0123', [/"\*", which is not a digit/]],
    ['+1206555_0123', [/"_", which is not a digit/]],
    ['+1/206/555/0123', [/"\/", which is not a digit/]],
    ['206#5550123', [/does not start with \+ and it contains "#"/]],
  ];
  for (const [input, mentions] of invalid) {
    void test(`refuses ${JSON.stringify(input)}, naming the E.164 rule`, () => {
      assertMentions(expectError(validatePhoneNumber(input), input), [...E164, ...mentions], input);
    });
  }

  const invalidNanp: [string, RegExp][] = [
    ['+11065550123', /area code 106 starts with 1/],
    ['+10065550123', /area code 006 starts with 0/],
    ['+12111234567', /211 is a service code/],
    ['+19115550123', /911 is a service code/],
    ['+14115550123', /411 is a service code/],
    ['+12061550123', /exchange 155 starts with 1/],
    ['+12060550123', /exchange 055 starts with 0/],
    ['+1206555012', /9 digits after the \+1/],
    ['+120655501234', /11 digits after the \+1/],
    ['+1 206 555 01234', /11 digits after the \+1/],
    // E.164 allows 8 to 15 digits, but a +1 number has exactly 11.
    ['+12345678', /7 digits after the \+1/],
    ['+123456789012345', /14 digits after the \+1/],
  ];
  for (const [input, mention] of invalidNanp) {
    void test(`refuses ${JSON.stringify(input)}, naming the NANP rule`, () => {
      assertMentions(expectError(validatePhoneNumber(input), input), [...NANP, mention], input);
    });
  }

  void test('an empty input asks for a number and shows the format', () => {
    for (const input of ['', '   ']) {
      assertMentions(expectError(validatePhoneNumber(input), input), [/required/, /E\.164/, /\+12065550123/], input);
    }
  });

  void test('a very long input is quoted, cut short, in the message', () => {
    const input = `+1${'2'.repeat(500)}`;
    const error = expectError(validatePhoneNumber(input), input);
    assert.ok(error.length < 400, error);
    assert.match(error, /…"/);
  });

  void test('never throws, whatever the input', () => {
    const odd = ['\u0000', '\ud800', '+\n1', '++', '()', '-', '.', '+1 ()', '𝟏𝟐𝟎𝟔𝟓𝟓𝟓𝟏𝟐𝟑𝟒', '\u200b'.repeat(10)];
    for (const input of odd) {
      const r = validatePhoneNumber(input);
      assert.equal(typeof r.ok, 'boolean');
    }
  });
});

void describe('validateUsTenDlcNumber', () => {
  const valid: [string, string, RegExp[]][] = [
    ['+12065551234', '+12065551234', []],
    ['+1 (206) 555-1234', '+12065551234', []],
    ['  +1-312-555-2368 ', '+13125552368', []],
    ['+19175551234', '+19175551234', []],
    ['+17875551234', '+17875551234', []], // Puerto Rico: a US territory, no warning
    ['+12065550123', '+12065550123', [/reserved for fiction.*only an emulator/]],
    ['+1.425.555.0100', '+14255550100', [/reserved for fiction/]],
    ['+16045551234', '+16045551234', [/Canada.*10DLC numbers are US numbers/]],
    ['+18095551234', '+18095551234', [/Dominican Republic/]],
    ['+14165550150', '+14165550150', [/Canada/, /reserved for fiction/]],
  ];
  for (const [input, value, warnings] of valid) {
    void test(`accepts ${JSON.stringify(input)}`, () => {
      const r = expectOk(validateUsTenDlcNumber(input), input);
      assert.equal(r.value, value);
      assert.equal(r.warnings.length, warnings.length, JSON.stringify(r.warnings));
      for (const w of warnings) {
        assert.ok(r.warnings.some((x) => w.test(x)), `${w} in ${JSON.stringify(r.warnings)}`);
      }
    });
  }

  const TEN_DLC = [/10DLC/, /\+1 and 10 digits/, /e\.g\. \+12065550123/];
  const invalid: [string, RegExp[]][] = [
    ['', [/required/]],
    ['+442079460958', [/\+44 is not the US country code/]],
    ['+353 1 555 0123', [/\+353 is not the US country code/]],
    ['+2065550123', [/\+20 is not the US country code/]],
    ['12065551234', [/the \+ in front is missing/, /Did you mean \+12065551234\?/]],
    ['2065551234', [/\+12065551234 for a US number/]],
    ['+1-800-555-1234', [/toll-free number \(area code 800\), not a 10DLC number/]],
    ['+18335551234', [/toll-free number \(area code 833\)/]],
    ['+18445551234', [/toll-free number \(area code 844\)/]],
    ['+18555551234', [/toll-free number \(area code 855\)/]],
    ['+18665551234', [/toll-free number \(area code 866\)/]],
    ['+18775551234', [/toll-free number \(area code 877\)/]],
    ['+18885551234', [/toll-free number \(area code 888\)/]],
    ['+19005551234', [/premium-rate 900 number/]],
    ['+11065551234', [/area code 106 starts with 1/]],
    ['+19115551234', [/911 is a service code/]],
    ['+1206555123', [/9 digits after the \+1/]],
    ['+1206CALLNOW', [/contains letters/]],
  ];
  for (const [input, mentions] of invalid) {
    void test(`refuses ${JSON.stringify(input)}`, () => {
      const error = expectError(validateUsTenDlcNumber(input), input);
      // The NANP rule replaces the 10DLC rule for malformed +1 numbers; both give the example.
      const rule = /starts with|service code|digits after/.test(error) ? NANP.slice(1) : TEN_DLC;
      assertMentions(error, [...rule, ...mentions], input);
    });
  }
});

void describe('maskPhoneNumber', () => {
  const cases: [string, string][] = [
    ['+12065550123', '+*******0123'],
    ['+442079460958', '+********0958'],
    ['+1 (206) 555-0123', '+*******0123'],
    ['12065550123', '*******0123'],
    ['+12345678', '+****5678'],
    ['12345', '***45'],
    ['1234', '**34'],
    ['1', '*'],
    ['', ''],
    ['no digits', ''],
    ['+', '+'],
  ];
  for (const [input, masked] of cases) {
    void test(`${JSON.stringify(input)} → ${JSON.stringify(masked)}`, () => {
      assert.equal(maskPhoneNumber(input), masked);
    });
  }

  void test('never shows more than the last four digits of anything', () => {
    for (let n = 0; n < 40; n++) {
      const digits = Array.from({ length: n }, (_, i) => String((i * 7 + 3) % 10)).join('');
      for (const input of [digits, `+${digits}`, `tel:+${digits}`, `(${digits.slice(0, 3)}) ${digits.slice(3)}`, digits.split('').join(' ')]) {
        const masked = maskPhoneNumber(input);
        const shown = masked.replace(/[^0-9]/g, '');
        assert.ok(shown.length <= 4, `${input} → ${masked}`);
        assert.ok(digits.endsWith(shown), `${input} → ${masked}`);
        assert.match(masked, /^\+?\**\d{0,4}$/);
      }
    }
  });
});

void describe('validateAccountId', () => {
  const valid: [string, string][] = [
    ['123456789012', '123456789012'],
    ['000000000000', '000000000000'],
    ['012345678901', '012345678901'],
    [' 111111111111 ', '111111111111'],
    ['222222222222\n', '222222222222'],
    ['1234-5678-9012', '123456789012'], // how the console shows it
    ['1234 5678 9012', '123456789012'],
    ['999999999999', '999999999999'],
    ['\t123456789012', '123456789012'],
    ['1234-56789012', '123456789012'], // dashes and spaces are punctuation wherever they are
  ];
  for (const [input, value] of valid) {
    void test(`accepts ${JSON.stringify(input)}`, () => {
      assert.equal(expectOk(validateAccountId(input), input).value, value);
    });
  }

  const RULE = [/exactly 12 digits/, /e\.g\. 123456789012/];
  const invalid: [string, RegExp[]][] = [
    ['', [/required/]],
    ['   ', [/required/]],
    ['12345678901', [/it has 11 digits/, /leading zeros: did you mean 012345678901\?/]],
    ['1234567890123', [/it has 13 digits/]],
    ['1', [/it has 1 digit;/]],
    ['12345678901a', [/it contains "a"/]],
    ['１２３４５６７８９０１２', [/it contains "１"/]],
    ['1234_5678_9012', [/it contains "_"/]],
    ['arn:aws:iam::123456789012:role/X', [/is an ARN, not an account id/, /account id in this ARN is 123456789012/]],
    ['arn:aws:sts::210987654321:assumed-role/R/s', [/account id in this ARN is 210987654321/]],
    ['my-account', [/it contains "m"/]],
  ];
  for (const [input, mentions] of invalid) {
    void test(`refuses ${JSON.stringify(input)}`, () => {
      assertMentions(expectError(validateAccountId(input), input), [...RULE, ...mentions], input);
    });
  }
});

void describe('validateRoleName', () => {
  const valid = [
    'TenDlcSmsSender',
    'a',
    'x'.repeat(64),
    'role+=,.@_-name',
    'SNS_Publish-10DLC',
    'service-role.name@corp',
    '  TrimmedRole  ',
    'UPPER',
    '123',
    'a.b,c=d+e@f',
  ];
  for (const input of valid) {
    void test(`accepts ${JSON.stringify(input)}`, () => {
      assert.equal(expectOk(validateRoleName(input), input).value, input.trim());
    });
  }

  const RULE = [/1 to 64 characters/, /letters, digits and \+ = , \. @ _ -/, /e\.g\. TenDlcSmsSender/];
  const invalid: [string, RegExp[]][] = [
    ['', [/required/]],
    ['x'.repeat(65), [/it has 65 characters/]],
    ['my role', [/it contains a space/]],
    ['role#1', [/it contains "#"/]],
    ['rôle', [/it contains "ô"/]],
    ['role:name', [/it contains ":"/]],
    ['role*', [/it contains "\*"/]],
    ['team/sms/Sender', [/path is not part of its name/, /name here is "Sender"/]],
    ['arn:aws:iam::123456789012:role/Sender', [/is an ARN, not a role name/, /name in this ARN is "Sender"/]],
    ['"Sender"', [/it contains "\\""/]],
  ];
  for (const [input, mentions] of invalid) {
    void test(`refuses ${JSON.stringify(input.length > 30 ? `${input.slice(0, 30)}…` : input)}`, () => {
      assertMentions(expectError(validateRoleName(input), input), [...RULE, ...mentions], input);
    });
  }
});

void describe('parseArn', () => {
  void test('splits the six parts; the resource keeps its colons and slashes', () => {
    assert.deepEqual(parseArn('arn:aws:iam::123456789012:role/a/b/Name'), {
      partition: 'aws',
      service: 'iam',
      region: '',
      accountId: '123456789012',
      resource: 'role/a/b/Name',
    });
    assert.deepEqual(parseArn(' arn:aws:sns:us-east-1:123456789012:topic:with:colons '), {
      partition: 'aws',
      service: 'sns',
      region: 'us-east-1',
      accountId: '123456789012',
      resource: 'topic:with:colons',
    });
    assert.deepEqual(parseArn('arn:aws:s3:::bucket/key'), {
      partition: 'aws',
      service: 's3',
      region: '',
      accountId: '',
      resource: 'bucket/key',
    });
  });

  void test('returns undefined for text that is not shaped like an ARN', () => {
    for (const input of ['', 'arn', 'arn:aws', 'arn:aws:iam::123456789012', 'arn:aws:iam::123456789012:', 'ARN:aws:iam::1:x', 'urn:aws:iam::1:x', 'arn::iam::1:x', 'arn:aws:iam::123 456:role/x']) {
      assert.equal(parseArn(input), undefined, input);
    }
  });
});

void describe('validateRoleArn', () => {
  const valid: [string, { partition: string; accountId: string; path: string; roleName: string }][] = [
    ['arn:aws:iam::123456789012:role/TenDlcSmsSender', { partition: 'aws', accountId: '123456789012', path: '/', roleName: 'TenDlcSmsSender' }],
    ['  arn:aws:iam::111111111111:role/R  ', { partition: 'aws', accountId: '111111111111', path: '/', roleName: 'R' }],
    ['arn:aws:iam::123456789012:role/team/sms/Sender', { partition: 'aws', accountId: '123456789012', path: '/team/sms/', roleName: 'Sender' }],
    ['arn:aws-us-gov:iam::123456789012:role/GovSender', { partition: 'aws-us-gov', accountId: '123456789012', path: '/', roleName: 'GovSender' }],
    ['arn:aws-cn:iam::123456789012:role/CnSender', { partition: 'aws-cn', accountId: '123456789012', path: '/', roleName: 'CnSender' }],
    ['arn:aws-iso-b:iam::123456789012:role/X', { partition: 'aws-iso-b', accountId: '123456789012', path: '/', roleName: 'X' }],
    [`arn:aws:iam::123456789012:role/${'n'.repeat(64)}`, { partition: 'aws', accountId: '123456789012', path: '/', roleName: 'n'.repeat(64) }],
    ['arn:aws:iam::000000000001:role/service-role/my.role@x', { partition: 'aws', accountId: '000000000001', path: '/service-role/', roleName: 'my.role@x' }],
    ['arn:aws:iam::123456789012:role/aws-service-role/sns.amazonaws.com/AWSServiceRoleForSNS', { partition: 'aws', accountId: '123456789012', path: '/aws-service-role/sns.amazonaws.com/', roleName: 'AWSServiceRoleForSNS' }],
    ['arn:aws:iam::123456789012:role/p~!$/Name', { partition: 'aws', accountId: '123456789012', path: '/p~!$/', roleName: 'Name' }],
  ];
  for (const [input, parts] of valid) {
    void test(`accepts ${input.trim().slice(0, 60)}`, () => {
      const { value } = expectOk(validateRoleArn(input), input);
      assert.deepEqual(value, { ...parts, arn: input.trim() });
    });
  }

  const RULE = [/arn:PARTITION:iam::ACCOUNT:role\/NAME/, /e\.g\. arn:aws:iam::123456789012:role\/TenDlcSmsSender/];
  // A bad role name inside the ARN is explained with the role-name rule instead.
  const NAME_RULE = [/is not a role ARN/, /1 to 64 characters/, /e\.g\. TenDlcSmsSender/];
  const invalid: [string, RegExp[]][] = [
    ['', [/required/]],
    ['TenDlcSmsSender', [/is not an ARN/]],
    ['arn:aws:iam::123456789012', [/is not an ARN/]],
    ['arn:aws:sts::123456789012:assumed-role/Sender/session-1', [/assumed-role session/, /role here is arn:aws:iam::123456789012:role\/Sender/]],
    ['arn:aws:sns:us-east-1:123456789012:topic', [/ARN of the sns service/]],
    ['arn:aws:iam::123456789012:user/alice', [/names a "user", not a role/]],
    ['arn:aws:iam::123456789012:root', [/names a "root", not a role/]],
    ['arn:aws:iam:us-east-1:123456789012:role/R', [/IAM ARNs have no region/]],
    ['arn:aws:iam::12345678901:role/R', [/account "12345678901" is not 12 digits/]],
    ['arn:aws:iam::123456789012:role/', [/role name after role\/ is missing/]],
    ['arn:aws:iam::123456789012:role/team/', [/role name after role\/ is missing/]],
    ['arn:aws:iam::123456789012:role/bad#name', [...NAME_RULE, /role name "bad#name" is not valid: it contains "#"/]],
    [`arn:aws:iam::123456789012:role/${'n'.repeat(65)}`, [...NAME_RULE, /it has 65 characters/]],
    ['arn:AWS:iam::123456789012:role/R', [/"AWS" is not an AWS partition/]],
    [`arn:aws:iam::123456789012:role/${'p/'.repeat(300)}R`, [/path is not up to 512 printable ASCII characters/]],
  ];
  for (const [input, mentions] of invalid) {
    void test(`refuses ${JSON.stringify(input.slice(0, 60))}`, () => {
      const rule = mentions.includes(NAME_RULE[0]) ? [] : RULE;
      assertMentions(expectError(validateRoleArn(input), input), [...rule, ...mentions], input);
    });
  }
});

void describe('validateExternalId', () => {
  const valid = ['ab', 'tendlc-7f3a9c', 'A_b+c=d,e.f@g:h/i-j', 'x'.repeat(1224), '  spaced-outside  ', '12', 'urn:corp:sms/prod', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', 'Z9', '=+,.@:/_-'];
  for (const input of valid) {
    void test(`accepts ${JSON.stringify(input.slice(0, 30))} (${input.length} chars)`, () => {
      assert.equal(expectOk(validateExternalId(input), input).value, input.trim());
    });
  }

  const RULE = [/2 to 1224 characters/, /letters, digits and \+ = , \. @ : \/ _ -/, /e\.g\. tendlc-7f3a9c/];
  const invalid: [string, RegExp[]][] = [
    ['', [/required/]],
    ['a', [/only 1 character/]],
    ['x'.repeat(1225), [/it has 1225 characters/]],
    ['with space', [/it contains a space/]],
    ['hash#tag', [/it contains "#"/]],
    ['star*', [/it contains "\*"/]],
    ['quote"d', [/it contains "\\""/]],
    ['üml', [/it contains "ü"/]],
    ['semi;colon', [/it contains ";"/]],
    ['new\nline', [/it contains "\\n"/]],
  ];
  for (const [input, mentions] of invalid) {
    void test(`refuses ${JSON.stringify(input.slice(0, 30))}, without repeating it`, () => {
      const error = expectError(validateExternalId(input), input);
      assertMentions(error, [...RULE, ...mentions], input);
      if (input.length >= 4) {
        assert.ok(!error.includes(input), `the message repeats the external id: ${error}`);
      }
    });
  }
});

void describe('validateRegion', () => {
  const valid: [string, string][] = [
    ['us-east-1', 'us-east-1'],
    ['us-west-2', 'us-west-2'],
    ['us-gov-west-1', 'us-gov-west-1'],
    ['eu-central-2', 'eu-central-2'],
    ['ap-southeast-5', 'ap-southeast-5'],
    ['ca-west-1', 'ca-west-1'],
    ['il-central-1', 'il-central-1'],
    ['cn-northwest-1', 'cn-northwest-1'],
    ['us-isob-east-1', 'us-isob-east-1'],
    [' us-east-1 ', 'us-east-1'],
    ['US-East-1', 'us-east-1'], // decision: case is normalised, region names are all lower case
    ['US-EAST-1', 'us-east-1'],
  ];
  for (const [input, value] of valid) {
    void test(`accepts ${JSON.stringify(input)}`, () => {
      const r = expectOk(validateRegion(input), input);
      assert.equal(r.value, value);
      assert.deepEqual(r.warnings, []);
    });
  }

  const RULE = [/lower-case words joined by dashes, ending in a number/, /e\.g\. us-east-1/];
  const invalid: [string, RegExp[]][] = [
    ['', [/required/]],
    ['us_east_1', [/Did you mean us-east-1\?/]],
    ['US_EAST_1', [/Did you mean us-east-1\?/]],
    ['us east 1', [/Did you mean us-east-1\?/]],
    ['us-east-1a', [/availability zone; its region is us-east-1/]],
    ['useast1', []],
    ['us-east', []],
    ['us-east-123', []],
    ['virginia', []],
    ['use1-az1', []],
    ['us-west-2-lax-1', []],
    ['aws-global', []],
  ];
  for (const [input, mentions] of invalid) {
    void test(`refuses ${JSON.stringify(input)}`, () => {
      assertMentions(expectError(validateRegion(input), input), [...RULE, ...mentions], input);
    });
  }
});

void describe('validateMfaCode', () => {
  const valid: [string, string][] = [
    ['123456', '123456'],
    ['000000', '000000'],
    [' 987654 ', '987654'],
    ['123 456', '123456'],
    ['999999\n', '999999'],
    ['\t012345', '012345'],
    ['1 2 3 4 5 6', '123456'],
    ['654321', '654321'],
    ['100000', '100000'],
    ['000001', '000001'],
  ];
  for (const [input, value] of valid) {
    void test(`accepts ${JSON.stringify(input)}`, () => {
      assert.equal(expectOk(validateMfaCode(input), input).value, value);
    });
  }

  const RULE = [/6 digits your authenticator shows/, /e\.g\. 123456/];
  const invalid: [string, RegExp[]][] = [
    ['', [/required/]],
    ['98765', [/it has 5 digits/]],
    ['9876543', [/it has 7 digits/]],
    ['1', [/it has 1 digit;/]],
    ['98765a', [/it contains "a"/]],
    ['123-456', [/it contains "-"/]],
    ['abcdef', [/it contains "a"/]],
    ['12.3456', [/it contains "\."/]],
    ['１２３４５６', [/it contains "１"/]],
    ['+123456', [/it contains "\+"/]],
  ];
  for (const [input, mentions] of invalid) {
    void test(`refuses ${JSON.stringify(input)}, without repeating it`, () => {
      const error = expectError(validateMfaCode(input), input);
      assertMentions(error, [...RULE, ...mentions], input);
      if (input.length >= 5) {
        assert.ok(!error.includes(input), `the message repeats the code: ${error}`);
      }
    });
  }
});

void describe('validateMaxPrice', () => {
  const valid: [string, string, RegExp[]][] = [
    ['0.50', '0.50', []],
    ['0.05', '0.05', []],
    ['1', '1', []],
    ['1.00', '1.00', []],
    ['.5', '0.5', []],
    ['00.25', '0.25', []],
    ['$0.50', '0.50', []],
    ['$ 0.10', '0.10', []],
    ['0.75 USD', '0.75', []],
    ['  0.02  ', '0.02', []],
    ['2.', '2', [/more than any single US SMS costs/]],
    ['50', '50', [/check the decimal point/]],
    ['0.001', '0.001', [/less than one cent/]],
    ['0.00581', '0.00581', [/less than one cent/]],
  ];
  for (const [input, value, warnings] of valid) {
    void test(`accepts ${JSON.stringify(input)}`, () => {
      const r = expectOk(validateMaxPrice(input), input);
      assert.equal(r.value, value);
      assert.equal(r.warnings.length, warnings.length, JSON.stringify(r.warnings));
      warnings.forEach((w, i) => assert.match(r.warnings[i], w));
    });
  }

  const RULE = [/positive amount in US dollars, with a dot for decimals/, /e\.g\. 0\.50/];
  const invalid: [string, RegExp[]][] = [
    ['', [/required/]],
    ['0', [/more than 0/]],
    ['0.00', [/more than 0/]],
    ['-0.50', [/negative/]],
    ['0,50', [/decimal comma/]],
    ['1e-2', [/not a plain decimal number/]],
    ['abc', [/not a plain decimal number/]],
    ['NaN', [/not a plain decimal number/]],
    ['Infinity', [/not a plain decimal number/]],
    ['.', [/not a plain decimal number/]],
    ['1.2.3', [/not a plain decimal number/]],
    ['+0.5', [/not a plain decimal number/]],
    ['0x10', [/not a plain decimal number/]],
    ['1,000.00', [/not a plain decimal number/]],
  ];
  for (const [input, mentions] of invalid) {
    void test(`refuses ${JSON.stringify(input)}`, () => {
      assertMentions(expectError(validateMaxPrice(input), input), [...RULE, ...mentions], input);
    });
  }
});

void describe('every validator', () => {
  const validators: [string, (s: string) => Validation<unknown>][] = [
    ['validatePhoneNumber', validatePhoneNumber],
    ['validateUsTenDlcNumber', validateUsTenDlcNumber],
    ['validateAccountId', validateAccountId],
    ['validateRoleName', validateRoleName],
    ['validateRoleArn', validateRoleArn],
    ['validateExternalId', validateExternalId],
    ['validateRegion', validateRegion],
    ['validateMfaCode', validateMfaCode],
    ['validateMaxPrice', validateMaxPrice],
  ];

  void test('returns a result, never throws, and gives every error a sentence with an example', () => {
    const inputs = ['', ' ', '\u0000', '\ud800', 'arn:', '+', '-', '.', '$', '€', '\n', 'x'.repeat(100_000), '１', '🙂', '\\', '"', "'"];
    for (const [name, validate] of validators) {
      for (const input of inputs) {
        const r = validate(input);
        if (!r.ok) {
          assert.match(r.error, /\(e\.g\. [^)]+\)/, `${name}(${JSON.stringify(input.slice(0, 20))}): ${r.error}`);
          assert.ok(r.error.length < 600, `${name}: message too long (${r.error.length})`);
        } else {
          assert.ok(Array.isArray(r.warnings));
        }
      }
    }
  });

  void test('is idempotent: a normalised value validates to itself', () => {
    const samples: [(s: string) => Validation<unknown>, string][] = [
      [validatePhoneNumber, '+1 (206) 555-1234'],
      [validatePhoneNumber, '+44 20 7946 0958'],
      [validateUsTenDlcNumber, '+1.206.555.1234'],
      [validateAccountId, '1234-5678-9012'],
      [validateRoleName, ' R '],
      [validateExternalId, ' ext-id '],
      [validateRegion, 'US-EAST-1'],
      [validateMfaCode, '123 456'],
      [validateMaxPrice, '$.5 USD'],
    ];
    for (const [validate, input] of samples) {
      const first = validate(input);
      assert.ok(first.ok);
      const second = validate(String(first.value));
      assert.deepEqual(second, first);
    }
  });
});
