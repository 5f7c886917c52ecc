import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as path from 'path';
import { MAX_PROBLEMS_PER_FILE, parseAwsFile, parseAwsFiles, ParsedAwsFiles } from '../../src/core/awsIni';
import { resolveAwsFilePaths } from '../../src/core/awsFilePaths';

/** Key-shaped test values, built at run time so no key-shaped string is committed. */
const fakeKeyId = (seed: string): string => `AKIA${seed.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(16, 'X').slice(0, 16)}`;
const fakeSecret = (seed: string): string => `${seed}`.padEnd(40, 'x').slice(0, 40);
const KEY_ID_1 = fakeKeyId('example1');
const KEY_ID_2 = fakeKeyId('example2');
const SECRET_1 = fakeSecret('examplesecret1/');
const SECRET_2 = fakeSecret('examplesecret2/');

const CONFIG = '/home/dev/.aws/config';
const CREDENTIALS = '/home/dev/.aws/credentials';

function parseConfig(text: string): ParsedAwsFiles {
  return parseAwsFiles({ config: { path: CONFIG, text, kind: 'config' } });
}

function parseBoth(config: string, credentials: string): ParsedAwsFiles {
  return parseAwsFiles({
    config: { path: CONFIG, text: config, kind: 'config' },
    credentials: { path: CREDENTIALS, text: credentials, kind: 'credentials' },
  });
}

function errors(parsed: ParsedAwsFiles) {
  return parsed.problems.filter((p) => p.severity === 'error');
}

const REAL_CONFIG = `# Managed by hand
[default]
region = us-east-1
output = json

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile dev-sso]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
region = us-west-2

[profile primary]   ; the account that owns the 10DLC number
role_arn = arn:aws:iam::111111111111:role/TenDlcSender
source_profile = base
mfa_serial = arn:aws:iam::222222222222:mfa/alice
external_id = tendlc-2024
duration_seconds = 3600

[profile proc]
credential_process = /usr/local/bin/get-creds --account 333333333333 # fetched from the vault
region = eu-west-1

[profile emulator]
endpoint_url = http://127.0.0.1:5000
services = local
s3 =
  max_concurrent_requests = 20
  addressing_style = path

[services local]
sns =
  endpoint_url = http://127.0.0.1:5001
`;

const REAL_CREDENTIALS = `[default]
aws_access_key_id = ${KEY_ID_2}
aws_secret_access_key = ${SECRET_2}

[base]
aws_access_key_id = ${KEY_ID_1}
aws_secret_access_key = ${SECRET_1}

[secondary]
aws_access_key_id = ASIAEXAMPLE
aws_secret_access_key = secret
aws_session_token = IQoJb3JpZ2luX2VjEXAMPLE==
`;

void test('a realistic config + credentials pair', () => {
  const parsed = parseBoth(REAL_CONFIG, REAL_CREDENTIALS);

  assert.deepEqual(parsed.problems, []);
  assert.deepEqual([...parsed.profiles.keys()], ['default', 'dev-sso', 'primary', 'proc', 'emulator', 'base', 'secondary']);

  const def = parsed.profiles.get('default')!;
  assert.deepEqual(def.properties, {
    region: 'us-east-1',
    output: 'json',
    aws_access_key_id: KEY_ID_2,
    aws_secret_access_key: SECRET_2,
  });
  assert.deepEqual(def.locations, [
    { file: CONFIG, line: 2 },
    { file: CREDENTIALS, line: 1 },
  ]);

  assert.deepEqual(parsed.profiles.get('dev-sso')!.properties, {
    sso_session: 'corp',
    sso_account_id: '111111111111',
    sso_role_name: 'Developer',
    region: 'us-west-2',
  });
  assert.deepEqual(parsed.ssoSessions.get('corp')!.properties, {
    sso_start_url: 'https://corp.awsapps.com/start',
    sso_region: 'us-east-1',
    sso_registration_scopes: 'sso:account:access',
  });

  const primary = parsed.profiles.get('primary')!;
  assert.equal(primary.properties.role_arn, 'arn:aws:iam::111111111111:role/TenDlcSender');
  assert.equal(primary.properties.source_profile, 'base');
  assert.equal(primary.properties.mfa_serial, 'arn:aws:iam::222222222222:mfa/alice');
  assert.equal(primary.properties.external_id, 'tendlc-2024');
  assert.deepEqual(primary.locations, [{ file: CONFIG, line: 17 }]);

  assert.equal(
    parsed.profiles.get('proc')!.properties.credential_process,
    '/usr/local/bin/get-creds --account 333333333333',
    'an inline comment after whitespace is not part of the value',
  );

  const emulator = parsed.profiles.get('emulator')!;
  assert.deepEqual(emulator.properties, { endpoint_url: 'http://127.0.0.1:5000', services: 'local' });
  assert.deepEqual(emulator.subProperties, { s3: { max_concurrent_requests: '20', addressing_style: 'path' } });
  assert.deepEqual(parsed.services.get('local')!.subProperties, { sns: { endpoint_url: 'http://127.0.0.1:5001' } });

  assert.deepEqual(parsed.profiles.get('secondary')!.properties.aws_session_token, 'IQoJb3JpZ2luX2VjEXAMPLE==');
  assert.deepEqual(parsed.profiles.get('base')!.locations, [{ file: CREDENTIALS, line: 5 }]);
});

void test('the credentials file wins over the config file, key by key', () => {
  const parsed = parseBoth('[profile a]\nregion = us-east-1\ns3 =\n  x = 1\nkeep = yes\n', '[a]\nregion = eu-west-1\ns3 = flat\n');
  const a = parsed.profiles.get('a')!;
  assert.deepEqual(a.properties, { region: 'eu-west-1', keep: 'yes', s3: 'flat' });
  assert.deepEqual(a.subProperties, {});
});

void test('problems name the file and the 1-based line', () => {
  const parsed = parseBoth(
    '[profile ok]\nregion = us-east-1\n\n# comment\nregion : us-west-2\n',
    '[good]\naws_access_key_id = A\n[profile bad]\n',
  );
  assert.deepEqual(
    parsed.problems.map((p) => [p.file, p.line, p.severity]),
    [
      [CONFIG, 5, 'error'],
      [CREDENTIALS, 3, 'warning'],
    ],
  );
  assert.match(parsed.problems[0].message, /no "="/);
  assert.match(parsed.problems[1].message, /Write \[bad\]/);
});

void test('a malformed header in the middle keeps the profiles before and after it', () => {
  const parsed = parseConfig(
    ['[profile before]', 'region = us-east-1', '[profile broken', 'region = eu-west-1', 'role_arn = x', '[profile after]', 'region = ap-south-1'].join('\n'),
  );
  assert.deepEqual([...parsed.profiles.keys()], ['before', 'after']);
  assert.deepEqual(parsed.profiles.get('before')!.properties, { region: 'us-east-1' }, 'lines under the bad header do not leak into the profile above');
  assert.deepEqual(parsed.profiles.get('after')!.properties, { region: 'ap-south-1' });
  assert.equal(errors(parsed).length, 1, 'one error for the header, none for the lines under it');
  assert.equal(errors(parsed)[0].line, 3);
  assert.match(errors(parsed)[0].message, /no closing "\]"/);
});

void test('every bad line is reported and the rest is kept', () => {
  const parsed = parseConfig(
    ['orphan = 1', '[profile a]', '  -dangling', 'x = 1', ' -continued', '= nameless', 'y = 2', '[profile b] trailing', 'z = 3', '[profile c]', 'w = 4'].join('\n'),
  );
  assert.deepEqual(
    errors(parsed).map((p) => p.line),
    [1, 3, 6, 8],
  );
  assert.deepEqual(parsed.profiles.get('a')!.properties, { x: '1\n-continued', y: '2' });
  assert.deepEqual([...parsed.profiles.keys()], ['a', 'c']);
  for (const p of errors(parsed)) assert.ok(p.message.startsWith('Encountered unexpected token: '), p.message);
});

void test('[default] is ignored, with a warning at its line, when [profile default] exists', () => {
  const parsed = parseConfig('[default]\nregion = a\n[profile default]\noutput = json\n');
  assert.deepEqual(parsed.profiles.get('default')!.properties, { output: 'json' });
  assert.deepEqual(parsed.profiles.get('default')!.locations, [{ file: CONFIG, line: 3 }]);
  assert.equal(parsed.problems.length, 1);
  assert.equal(parsed.problems[0].line, 1);
  assert.match(parsed.problems[0].message, /\[profile default\] \(line 3\)/);
});

void test('likely typos and JS SDK incompatibilities are warned about', () => {
  const parsed = parseConfig('[prfile typo]\n[profile a];adjacent comment\nregion = x\n[ profile spaced ]\n');
  const warnings = parsed.problems.filter((p) => p.severity === 'warning');
  assert.deepEqual(
    warnings.map((p) => p.line),
    [1, 2, 4],
  );
  assert.match(warnings[0].message, /Did you mean \[profile typo\]/);
  assert.match(warnings[1].message, /whitespace before "#" or ";"/);
  assert.match(warnings[2].message, /\[profile spaced\]/);
  assert.deepEqual([...parsed.profiles.keys()], ['a', 'spaced'], 'they are still profiles by the specification');
});

void test('quoted names, unknown section types and CLI sections', () => {
  const parsed = parseConfig('[profile "quoted"]\nregion = a\n[plugins]\ncli_legacy_plugin_path = /opt\n[foobar custom]\nk =\n  x = y\n');
  assert.deepEqual(parsed.problems, [], 'quotes are dropped as the AWS CLI and the JS SDK do; [plugins] is the CLI\'s own');
  assert.deepEqual([...parsed.profiles.keys()], ['quoted']);
  const custom = parsed.otherSections!.get('foobar custom')!;
  assert.equal(custom.name, 'custom');
  assert.deepEqual(custom.subProperties, { k: { x: 'y' } });
});

void test('a UTF-8 byte order mark at the start is ignored', () => {
  const parsed = parseConfig('\ufeff[profile bom]\nregion = us-east-1\n');
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.profiles.get('bom')!.properties, { region: 'us-east-1' });
  assert.deepEqual(parsed.profiles.get('bom')!.locations, [{ file: CONFIG, line: 1 }]);
});

void test('CRLF, lone CR and tabs', () => {
  const parsed = parseConfig('[profile win]\r\nregion\t=\tus-east-1\r\ns3 =\r\n\tmax_concurrent_requests = 5\r\n\r\n[profile mac]\rregion = x\r');
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.profiles.get('win')!.properties, { region: 'us-east-1' });
  assert.deepEqual(parsed.profiles.get('win')!.subProperties, { s3: { max_concurrent_requests: '5' } });
  assert.deepEqual(parsed.profiles.get('mac')!.locations, [{ file: CONFIG, line: 6 }]);

  const bad = parseConfig('[profile a]\r\nx = 1\r\nbroken\r\n');
  assert.equal(errors(bad)[0].line, 3);
  assert.ok(!errors(bad)[0].message.includes('\r'));
});

void test('100 KB lines are handled quickly, and messages quote only a short excerpt', () => {
  const big = 'x'.repeat(100 * 1024);
  const started = Date.now();
  const parsed = parseConfig(
    [`[profile long]`, `value = ${big}`, big, `[profile ${big}`, `[profile ${'a '.repeat(50 * 1024)}]`, `k = ${' #'.repeat(50 * 1024)}`, '[profile after]'].join('\n'),
  );
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 2000, `took ${elapsed} ms`);
  assert.equal(parsed.profiles.get('long')!.properties.value, big);
  assert.ok(parsed.profiles.has('after'));
  assert.deepEqual(
    parsed.problems.map((p) => [p.line, p.severity]),
    [
      [3, 'error'],
      [4, 'error'],
      [5, 'warning'],
    ],
  );
  for (const p of parsed.problems) assert.ok(p.message.length < 600, `message of ${p.message.length} characters`);
});

void test('many lines parse in linear time', () => {
  const lines: string[] = [];
  for (let i = 0; i < 20000; i++) lines.push(`[profile p${i}]`, `region = us-east-1`, `s3 =`, `  a = ${i}`, ` b = c`);
  const started = Date.now();
  const parsed = parseConfig(lines.join('\n'));
  const elapsed = Date.now() - started;
  assert.equal(parsed.profiles.size, 20000);
  // About 0.2 s here; anything quadratic would take minutes. The margin absorbs a loaded CI machine.
  assert.ok(elapsed < 5000, `took ${elapsed} ms`);
});

void test('the number of problems per file is capped', () => {
  const parsed = parseConfig('bad line\n'.repeat(500));
  assert.equal(parsed.problems.length, MAX_PROBLEMS_PER_FILE + 1);
  assert.match(parsed.problems[MAX_PROBLEMS_PER_FILE].message, /400 more problem/);
});

void test('names like __proto__ are ordinary keys and pollute nothing', () => {
  const parsed = parseBoth('[profile __proto__]\n__proto__ = x\nconstructor = y\ns3 =\n  __proto__ = z\n', '[constructor]\ntoString = t\n');
  const p = parsed.profiles.get('__proto__')!;
  assert.equal(Object.getPrototypeOf(p.properties), Object.prototype);
  assert.deepEqual(Object.keys(p.properties), ['__proto__', 'constructor']);
  assert.equal(Object.getOwnPropertyDescriptor(p.properties, '__proto__')!.value, 'x');
  assert.equal(Object.getOwnPropertyDescriptor(p.subProperties.s3, '__proto__')!.value, 'z');
  assert.deepEqual(Object.keys(parsed.profiles.get('constructor')!.properties), ['toString']);
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

void test('never throws, and every problem points at a real line (fuzz)', () => {
  const alphabet = ['[', ']', '=', '#', ';', ' ', '\t', '\r', '\n', '\n', 'a', 'b', 'profile ', 'sso-session ', 'default', '\ufeff'];
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let round = 0; round < 3000; round++) {
    let text = '';
    const length = Math.floor(random() * 60);
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
    const lineCount = text.split(/\r\n|\r|\n/).length;
    for (const kind of ['config', 'credentials'] as const) {
      const parsed = parseAwsFile({ path: 'f', text, kind });
      for (const p of parsed.problems) {
        assert.ok(p.line >= 1 && p.line <= lineCount, `line ${p.line} of ${lineCount} for ${JSON.stringify(text)}`);
      }
    }
  }
});

void test('parseAwsFile on its own honours the file kind', () => {
  const asCredentials = parseAwsFile({ path: CREDENTIALS, text: '[foo]\nx = 1\n', kind: 'credentials' });
  const asConfig = parseAwsFile({ path: CONFIG, text: '[foo]\nx = 1\n', kind: 'config' });
  assert.deepEqual([...asCredentials.profiles.keys()], ['foo']);
  assert.deepEqual([...asConfig.profiles.keys()], []);
});

void test('resolveAwsFilePaths: defaults under HOME', () => {
  assert.deepEqual(resolveAwsFilePaths({ HOME: '/home/dev' }, '/fallback'), {
    config: path.join('/home/dev', '.aws', 'config'),
    credentials: path.join('/home/dev', '.aws', 'credentials'),
  });
});

void test('resolveAwsFilePaths: home from USERPROFILE, HOMEDRIVE+HOMEPATH, then the argument', () => {
  assert.equal(resolveAwsFilePaths({ USERPROFILE: 'C:\\Users\\dev' }, '/fallback').config, path.join('C:\\Users\\dev', '.aws', 'config'));
  assert.equal(
    resolveAwsFilePaths({ HOMEDRIVE: 'D:', HOMEPATH: '\\Users\\dev' }, '/fallback').credentials,
    path.join('D:\\Users\\dev', '.aws', 'credentials'),
  );
  assert.equal(resolveAwsFilePaths({ HOME: '', USERPROFILE: '' }, '/fallback').config, path.join('/fallback', '.aws', 'config'));
  assert.equal(resolveAwsFilePaths({ HOME: '/h', USERPROFILE: '/u' }, '/fallback').config, path.join('/h', '.aws', 'config'));
});

void test('resolveAwsFilePaths: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, with ~ expansion', () => {
  assert.deepEqual(
    resolveAwsFilePaths({ HOME: '/home/dev', AWS_CONFIG_FILE: '/etc/aws/config', AWS_SHARED_CREDENTIALS_FILE: '/etc/aws/creds' }, '/x'),
    { config: '/etc/aws/config', credentials: '/etc/aws/creds' },
  );
  assert.deepEqual(
    resolveAwsFilePaths({ HOME: '/home/dev', AWS_CONFIG_FILE: '~/tests/config', AWS_SHARED_CREDENTIALS_FILE: '~' }, '/x'),
    { config: path.join('/home/dev', 'tests/config'), credentials: '/home/dev' },
  );
  assert.equal(resolveAwsFilePaths({ USERPROFILE: '/u', AWS_CONFIG_FILE: '~\\cfg' }, '/x').config, path.join('/u', 'cfg'));
  assert.equal(resolveAwsFilePaths({ HOME: '/h', AWS_CONFIG_FILE: '~other/cfg' }, '/x').config, '~other/cfg', 'only the current user');
  assert.equal(resolveAwsFilePaths({ HOME: '/h', AWS_CONFIG_FILE: 'relative/cfg' }, '/x').config, 'relative/cfg');
  assert.equal(resolveAwsFilePaths({ HOME: '/h', AWS_CONFIG_FILE: '' }, '/x').config, path.join('/h', '.aws', 'config'), 'empty means unset');
});

void test('a malformed section header is located by line and column, never quoted: it may be a key pasted in the wrong place', () => {
  // Random each run, so nothing key-shaped is committed and no fixed string could pass by luck.
  const key = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secret = randomBytes(30).toString('base64');
  const config = [
    `[default] ${secret}`, // 1: text after "]", from column 11
    `[${key}`, // 2: no closing "]"
    `[profile a#${secret}]`, // 3: a comment character inside the header, at column 11
    `[default]${key}`, // 4: text after "]", from column 10
    `[default ${secret}]`, // 5: a header that is ignored (warning): its text is masked
    '[profile ok]',
    'region = us-east-1',
  ].join('\n');
  const credentials = [`[${secret}`, `[ok] ${key}`, '[fine]', 'region = x'].join('\n');
  const parsed = parseBoth(config, credentials);
  assert.deepEqual(
    parsed.problems.map((p) => [p.file, p.line, p.column, p.severity]),
    [
      [CONFIG, 1, 11, 'error'],
      [CONFIG, 2, 1, 'error'],
      [CONFIG, 3, 11, 'error'],
      [CONFIG, 4, 10, 'error'],
      [CONFIG, 5, undefined, 'warning'],
      [CREDENTIALS, 1, 1, 'error'],
      [CREDENTIALS, 2, 6, 'error'],
    ],
  );
  assert.match(parsed.problems[0].message, /this section header has text after its "\]", from column 11\. Remove it, .* \(the text is not shown here: it may hold a key\)/);
  assert.match(parsed.problems[1].message, /this section header has no closing "\]"\. Add "\]" at its end \(its text is not shown here: it may hold a key\)/);
  assert.match(parsed.problems[2].message, /this section header has "#" at column 11, which starts a comment/);
  for (const p of parsed.problems) {
    for (const value of [key, secret]) {
      for (let i = 0; i + 6 <= value.length; i++) assert.ok(!p.message.includes(value.slice(i, i + 6)), `line ${p.line}: ${p.message}`);
    }
  }
  assert.deepEqual([...parsed.profiles.keys()], ['ok', 'fine']);
});
