import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAwsFiles } from '../../src/core/awsIni';
import { accountIdFromArn, buildProfileSet, describeChain, groupOf, groupProfiles, withoutProfile, withPrimary, withSecondary } from '../../src/core/profiles';

const CONFIG = `
[default]
region = us-west-2

[profile primary]
region = us-east-1
endpoint_url = http://127.0.0.1:5000

[profile secondary-a]
region = us-east-1

[profile chained]
role_arn = arn:aws:iam::222222222222:role/Admin
source_profile = secondary-a

[profile mfa-role]
role_arn = arn:aws:iam::333333333333:role/Admin
source_profile = secondary-a
mfa_serial = arn:aws:iam::222222222222:mfa/alice

[profile via-mfa]
role_arn = arn:aws:iam::444444444444:role/Reader
source_profile = mfa-role

[profile sso-dev]
sso_session = corp
sso_account_id = 555555555555
sso_role_name = Dev
region = eu-west-1

[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[profile legacy-sso]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_account_id = 666666666666
sso_role_name = Dev

[profile proc]
credential_process = /usr/local/bin/get-creds --profile x

[profile web]
role_arn = arn:aws:iam::777777777777:role/Web
web_identity_token_file = /var/run/token

[profile ec2]
role_arn = arn:aws:iam::888888888888:role/Ec2
credential_source = Ec2InstanceMetadata

[profile loop-a]
role_arn = arn:aws:iam::111111111111:role/A
source_profile = loop-b

[profile loop-b]
role_arn = arn:aws:iam::111111111111:role/B
source_profile = loop-a

[profile orphan]
role_arn = arn:aws:iam::111111111111:role/A
source_profile = nowhere

[profile svc]
services = emu
[services emu]
sns =
  endpoint_url = http://127.0.0.1:6000
`;

const CREDENTIALS = `
[default]
aws_access_key_id = DEFAULTKEYID
aws_secret_access_key = defaultsecret

[primary]
aws_access_key_id = PRIMARYKEYID
aws_secret_access_key = primarysecret

[secondary-a]
aws_access_key_id = SECONDARYKEYID
aws_secret_access_key = secondarysecret

[only-in-credentials]
aws_access_key_id = ONLYKEYID
aws_secret_access_key = onlysecret
aws_session_token = token
`;

function load() {
  return buildProfileSet(
    parseAwsFiles({
      config: { path: '/home/u/.aws/config', text: CONFIG, kind: 'config' },
      credentials: { path: '/home/u/.aws/credentials', text: CREDENTIALS, kind: 'credentials' },
    }),
  );
}

test('every profile from both files appears once, default first', () => {
  const set = load();
  const names = set.profiles.map((p) => p.name);
  assert.equal(names[0], 'default');
  for (const n of ['primary', 'secondary-a', 'chained', 'mfa-role', 'via-mfa', 'sso-dev', 'legacy-sso', 'proc', 'web', 'ec2', 'only-in-credentials', 'svc']) {
    assert.ok(names.includes(n), `missing ${n}`);
  }
  assert.equal(new Set(names).size, names.length);
});

test('kinds follow the credential chain precedence', () => {
  const set = load();
  const kind = (n: string) => set.byName.get(n)?.kind;
  assert.equal(kind('primary'), 'static');
  assert.equal(kind('chained'), 'assume-role');
  assert.equal(kind('ec2'), 'assume-role');
  assert.equal(kind('sso-dev'), 'sso');
  assert.equal(kind('legacy-sso'), 'legacy-sso');
  assert.equal(kind('proc'), 'process');
  assert.equal(kind('web'), 'web-identity');
  assert.equal(kind('svc'), 'none');
  assert.equal(set.byName.get('only-in-credentials')?.kindLabel, 'session keys');
  assert.equal(set.byName.get('chained')?.kindLabel, 'role via secondary-a');
});

test('account ids are read from the profile where it states one', () => {
  const set = load();
  assert.equal(set.byName.get('chained')?.declaredAccountId, '222222222222');
  assert.equal(set.byName.get('chained')?.declaredAccountSource, 'role_arn');
  assert.equal(set.byName.get('sso-dev')?.declaredAccountId, '555555555555');
  assert.equal(set.byName.get('legacy-sso')?.declaredAccountId, '666666666666');
  assert.equal(set.byName.get('web')?.declaredAccountId, '777777777777');
  assert.equal(set.byName.get('primary')?.declaredAccountId, undefined);
});

test('profiles that would prompt or run a program are marked interactive, through the chain too', () => {
  const set = load();
  const i = (n: string) => set.byName.get(n)?.interactive;
  assert.equal(i('primary'), false);
  assert.equal(i('chained'), false);
  assert.equal(i('mfa-role'), true);
  assert.equal(i('via-mfa'), true, 'a role whose source needs MFA needs MFA too');
  assert.match(set.byName.get('via-mfa')?.interactiveReason ?? '', /MFA/);
  assert.equal(i('sso-dev'), true);
  assert.equal(i('legacy-sso'), true);
  assert.equal(i('proc'), true);
  assert.equal(i('web'), false);
});

test('source_profile cycles and missing sources are reported on the profile', () => {
  const set = load();
  assert.match(set.byName.get('loop-a')?.problems.join() ?? '', /cycle: "loop-a" → "loop-b" → "loop-a"/);
  assert.match(set.byName.get('orphan')?.problems.join() ?? '', /"nowhere" is not defined/);
  assert.deepEqual(set.byName.get('via-mfa')?.chain, ['via-mfa', 'mfa-role', 'secondary-a']);
});

test('endpoint_url and the services section are kept per profile; secrets are not', () => {
  const set = load();
  assert.equal(set.byName.get('primary')?.endpointUrl, 'http://127.0.0.1:5000');
  assert.deepEqual(set.byName.get('svc')?.serviceEndpoints, { sns: 'http://127.0.0.1:6000' });
  const dump = JSON.stringify(set.profiles);
  assert.ok(!dump.includes('primarysecret') && !dump.includes('PRIMARYKEYID'), 'no key material in the model');
});

test('the fingerprint changes when the access key changes', () => {
  const a = load().byName.get('primary')?.fingerprint;
  const other = buildProfileSet(parseAwsFiles({ credentials: { path: 'c', kind: 'credentials', text: '[primary]\naws_access_key_id = OTHER\naws_secret_access_key = x' } }));
  assert.ok(a);
  assert.notEqual(other.byName.get('primary')?.fingerprint, a);
});

test('grouping: one primary, listed secondaries, the rest other, missing names kept', () => {
  const set = load();
  const settings = { primaryProfile: 'primary', secondaryProfiles: ['secondary-a', 'gone', 'primary'] };
  const g = groupProfiles(set, settings);
  assert.equal(g.primary?.name, 'primary');
  assert.deepEqual(g.secondary.map((p) => p.name), ['secondary-a']);
  assert.ok(g.other.every((p) => p.name !== 'primary' && p.name !== 'secondary-a'));
  assert.equal(g.other.length, set.profiles.length - 2);
  assert.deepEqual(g.missing, [{ name: 'gone', group: 'secondary' }]);
  assert.equal(groupOf('primary', settings), 'primary', 'primary wins over the secondary list');
});

test('group edits move a profile between groups without duplicates', () => {
  const s = { primaryProfile: 'p', secondaryProfiles: ['a', 'b'] };
  assert.deepEqual(withPrimary(s, 'a'), { primaryProfile: 'a', secondaryProfiles: ['b'] });
  assert.deepEqual(withSecondary(s, 'p'), { primaryProfile: undefined, secondaryProfiles: ['a', 'b', 'p'] });
  assert.deepEqual(withSecondary(s, 'a'), { primaryProfile: 'p', secondaryProfiles: ['a', 'b'] });
  assert.deepEqual(withoutProfile(s, 'b'), { primaryProfile: 'p', secondaryProfiles: ['a'] });
  assert.deepEqual(withoutProfile(s, 'p'), { primaryProfile: undefined, secondaryProfiles: ['a', 'b'] });
});

test('accountIdFromArn reads IAM ARNs only', () => {
  assert.equal(accountIdFromArn('arn:aws:iam::123456789012:role/x'), '123456789012');
  assert.equal(accountIdFromArn('arn:aws-us-gov:iam::123456789012:role/x'), '123456789012');
  assert.equal(accountIdFromArn('arn:aws:sts::123456789012:assumed-role/x/y'), undefined);
  assert.equal(accountIdFromArn('not an arn'), undefined);
});

function parse(config: string, credentials = '') {
  return buildProfileSet(
    parseAwsFiles({ config: { path: '/home/u/.aws/config', text: config, kind: 'config' }, credentials: { path: '/home/u/.aws/credentials', text: credentials, kind: 'credentials' } }),
  );
}

test('a source profile with static keys and a role of its own: its keys are used, nothing past it counts (as the SDKs do)', () => {
  const set = parse(
    [
      '[profile app]',
      'role_arn = arn:aws:iam::111111111111:role/App',
      'source_profile = hub',
      '[profile hub]',
      'role_arn = arn:aws:iam::222222222222:role/Hub',
      'source_profile = nowhere', // never reached: hub's keys are used
      'mfa_serial = arn:aws:iam::222222222222:mfa/hub', // never asked: hub's role is not assumed
    ].join('\n'),
    '[hub]\naws_access_key_id = HUBKEYID\naws_secret_access_key = hubsecret\n',
  );
  const app = set.byName.get('app')!;
  assert.deepEqual(app.problems, []);
  assert.equal(app.interactive, false, 'the MFA of a role that is not assumed is not asked for');
  assert.deepEqual(app.chain, ['app', 'hub']);
  assert.deepEqual(app.credentials?.base, { kind: 'static', profile: 'hub' });
  assert.deepEqual(app.credentials?.hops.map((h) => h.roleArn), ['arn:aws:iam::111111111111:role/App']);
  // Selected itself, hub assumes its own role, so the missing source and the MFA both count.
  const hub = set.byName.get('hub')!;
  assert.equal(hub.interactive, true);
  assert.match(hub.problems.join(), /source_profile "nowhere" is not defined/);
});

test('a selected profile tries static keys before web identity, credential_process and SSO, as the JavaScript SDK does', () => {
  const set = parse(
    [
      '[sso-session corp]',
      'sso_start_url = https://example.awsapps.com/start',
      'sso_region = us-east-1',
      '[profile keys-and-sso]',
      'sso_session = corp',
      'sso_account_id = 111111111111',
      'sso_role_name = Dev',
      '[profile process-and-sso]',
      'credential_process = /bin/true',
      'sso_session = corp',
      '[profile web-and-cs]',
      'role_arn = arn:aws:iam::333333333333:role/W',
      'web_identity_token_file = /tmp/t',
      'credential_source = Environment',
    ].join('\n'),
    '[keys-and-sso]\naws_access_key_id = K\naws_secret_access_key = S\n',
  );
  assert.equal(set.byName.get('keys-and-sso')?.kind, 'static');
  assert.equal(set.byName.get('keys-and-sso')?.interactive, false, 'the SDK uses the keys, no SSO login');
  assert.equal(set.byName.get('process-and-sso')?.kind, 'process');
  assert.equal(set.byName.get('web-and-cs')?.kind, 'assume-role', 'role_arn with credential_source is a role, even beside a token file');
  assert.deepEqual(set.byName.get('web-and-cs')?.credentials?.base, { kind: 'credential-source', profile: 'web-and-cs', source: 'Environment' });
});

test('problems anywhere down a chain reach the selected profile, naming where and what to do', () => {
  const set = parse(
    [
      '[profile top]',
      'role_arn = arn:aws:iam::111111111111:role/Top',
      'source_profile = middle',
      '[profile middle]',
      'role_arn = arn:aws:iam::12345:role/Middle',
      'source_profile = base',
      '[profile base]',
      'aws_access_key_id = BASEKEYID',
      'aws_secret_access_key = basesecret',
      '[profile odd-source]',
      'role_arn = arn:aws:iam::111111111111:role/Odd',
      'credential_source = Ec2Instance',
      '[profile via-odd]',
      'role_arn = arn:aws:iam::111111111111:role/ViaOdd',
      'source_profile = odd-source',
      '[profile settings-only]',
      'region = eu-west-1',
      '[profile via-settings]',
      'role_arn = arn:aws:iam::111111111111:role/V',
      'source_profile = settings-only',
    ].join('\n'),
  );
  const problem = (name: string) => set.byName.get(name)!.problems.join(' | ');
  assert.equal(problem('top'), 'source profile "middle": role_arn "arn:aws:iam::12345:role/Middle" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME). Correct it.');
  assert.equal(problem('middle'), 'role_arn "arn:aws:iam::12345:role/Middle" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME). Correct it.');
  assert.equal(problem('odd-source'), 'credential_source "Ec2Instance" is not one the AWS SDK knows. Use Environment, Ec2InstanceMetadata or EcsContainer.');
  assert.match(problem('via-odd'), /^source profile "odd-source": credential_source "Ec2Instance" is not one/);
  assert.equal(problem('settings-only'), '', 'a profile of settings only is not a problem in itself');
  assert.match(problem('via-settings'), /^source profile "settings-only" has no credentials\. Add aws_access_key_id and aws_secret_access_key to it/);
  for (const name of ['top', 'middle', 'via-odd', 'via-settings']) assert.equal(set.byName.get(name)!.credentials, undefined, name);
  assert.deepEqual(set.byName.get('top')!.chain, ['top', 'middle', 'base'], 'the chain still shows how far the SDK would get');
});

test('the chain in the tooltip: the base, then each role; a long one shortened', () => {
  const short = parse(
    '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/A\nsource_profile = b\nmfa_serial = arn:aws:iam::1:mfa/x\n[profile b]\nrole_arn = arn:aws:iam::111111111111:role/path/B\nsource_profile = c\n',
    '[c]\naws_access_key_id = K\naws_secret_access_key = S\n',
  );
  assert.equal(describeChain(short.byName.get('a')!.credentials!), 'static keys of "c" → role B (profile "b") → role A (profile "a", MFA); 2 roles');
  let text = '';
  for (let i = 0; i < 40; i++) text += `[profile p${i}]\nrole_arn = arn:aws:iam::111111111111:role/R${i}\nsource_profile = p${i + 1}\n`;
  const long = parse(text, '[p40]\naws_access_key_id = K\naws_secret_access_key = S\n');
  assert.equal(
    describeChain(long.byName.get('p0')!.credentials!),
    'static keys of "p40" → role R39 (profile "p39") → role R38 (profile "p38") → … 36 more roles … → role R1 (profile "p1") → role R0 (profile "p0"); 40 roles',
  );
  const web = parse('[profile w]\nrole_arn = arn:aws:iam::111111111111:role/Ci\nweb_identity_token_file = /t\n[profile x]\nrole_arn = arn:aws:iam::111111111111:role/X\nsource_profile = w\n');
  assert.equal(describeChain(web.byName.get('x')!.credentials!), 'web identity token for role Ci (profile "w") → role X (profile "x"); 1 role');
  assert.equal(web.byName.get('w')!.credentials!.hopCount, 0);
});
