/**
 * The region, FIPS and dual-stack of a profile's calls, decided as the AWS SDKs and the AWS CLI document them
 * (core/endpoints.ts), and what the SDK then does with the decision: the endpoint a client of the extension's
 * factory really builds its request for (read off the request, which never leaves the process), and the refusal of
 * a configured endpoint combined with FIPS or dual-stack.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { PublishCommand } from '@aws-sdk/client-sns';
import { ClientFactory } from '../../src/aws/clients';
import { explainError } from '../../src/aws/errors';
import { endpointRefusal, endpointVariant, profileRegion, regionWords, variantWords } from '../../src/core/endpoints';
import { parseAwsFiles } from '../../src/core/awsIni';
import { buildProfileSet, type AwsProfile } from '../../src/core/profiles';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function profiles(config: string): Map<string, AwsProfile> {
  const set = buildProfileSet(parseAwsFiles({ config: { path: '/c', text: config, kind: 'config' }, credentials: { path: '/k', text: '', kind: 'credentials' } }));
  return new Map(set.profiles.map((p) => [p.name, p]));
}

const FILES = profiles(
  [
    '[profile plain]',
    'region = us-west-2',
    'aws_access_key_id = id',
    'aws_secret_access_key = secret',
    '[profile fips]',
    'region = us-east-1',
    'use_fips_endpoint = true',
    'aws_access_key_id = id',
    'aws_secret_access_key = secret',
    '[profile both]',
    'region = us-east-1',
    'use_fips_endpoint = TRUE',
    'use_dualstack_endpoint = true',
    'aws_access_key_id = id',
    'aws_secret_access_key = secret',
    '[profile gov]',
    'region = us-gov-west-1',
    'use_fips_endpoint = true',
    'aws_access_key_id = id',
    'aws_secret_access_key = secret',
    '[profile fips-off]',
    'use_fips_endpoint = false',
    'aws_access_key_id = id',
    'aws_secret_access_key = secret',
    '[profile fips-typo]',
    'use_fips_endpoint = yes',
    'aws_access_key_id = id',
    'aws_secret_access_key = secret',
    '[profile fips-emulator]',
    'region = us-east-1',
    'use_fips_endpoint = true',
    'endpoint_url = http://127.0.0.1:9',
    'aws_access_key_id = id',
    'aws_secret_access_key = secret',
    '[profile no-region]',
    'aws_access_key_id = id',
    'aws_secret_access_key = secret',
  ].join('\n'),
);

function p(name: string): AwsProfile {
  const x = FILES.get(name);
  assert.ok(x, name);
  return x;
}

test('the profile model keeps use_fips_endpoint and use_dualstack_endpoint as written', () => {
  assert.equal(p('fips').useFipsEndpoint, 'true');
  assert.equal(p('both').useFipsEndpoint, 'TRUE');
  assert.equal(p('both').useDualstackEndpoint, 'true');
  assert.equal(p('plain').useFipsEndpoint, undefined);
});

test('region: AWS_REGION, then AWS_DEFAULT_REGION, then the profile (the documented precedence)', () => {
  const cases: [string, Record<string, string>, ReturnType<typeof profileRegion>][] = [
    ['plain', {}, { region: 'us-west-2', source: 'region' }],
    ['plain', { AWS_DEFAULT_REGION: 'eu-west-1' }, { region: 'eu-west-1', source: 'AWS_DEFAULT_REGION', overridden: 'us-west-2' }],
    ['plain', { AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'eu-west-1' }, { region: 'eu-central-1', source: 'AWS_REGION', overridden: 'us-west-2' }],
    ['plain', { AWS_REGION: 'us-west-2' }, { region: 'us-west-2', source: 'AWS_REGION' }],
    ['plain', { AWS_REGION: '  ' }, { region: 'us-west-2', source: 'region' }],
    ['no-region', {}, {}],
    ['no-region', { AWS_DEFAULT_REGION: 'ap-southeast-2' }, { region: 'ap-southeast-2', source: 'AWS_DEFAULT_REGION' }],
  ];
  for (const [name, env, want] of cases) {
    assert.deepEqual(profileRegion(p(name), env), want, `${name} ${JSON.stringify(env)}`);
  }
  assert.deepEqual(profileRegion(undefined, { AWS_REGION: 'us-east-2' }), { region: 'us-east-2', source: 'AWS_REGION' });
});

test('FIPS and dual-stack: the environment variable over the profile, off by default, an invalid value never read as false', () => {
  assert.deepEqual(endpointVariant(p('plain'), {}), { fips: { on: false }, dualStack: { on: false } });
  assert.deepEqual(endpointVariant(p('fips'), {}).fips, { on: true, source: 'use_fips_endpoint' });
  assert.deepEqual(endpointVariant(p('both'), {}), { fips: { on: true, source: 'use_fips_endpoint' }, dualStack: { on: true, source: 'use_dualstack_endpoint' } });
  // The environment wins both ways.
  assert.deepEqual(endpointVariant(p('fips'), { AWS_USE_FIPS_ENDPOINT: 'false' }).fips, { on: false, source: 'AWS_USE_FIPS_ENDPOINT' });
  assert.deepEqual(endpointVariant(p('fips-off'), { AWS_USE_FIPS_ENDPOINT: 'True' }).fips, { on: true, source: 'AWS_USE_FIPS_ENDPOINT' });
  assert.deepEqual(endpointVariant(p('plain'), { AWS_USE_DUALSTACK_ENDPOINT: 'true' }).dualStack, { on: true, source: 'AWS_USE_DUALSTACK_ENDPOINT' });
  // An empty variable is unset; a typo is invalid, never "off".
  assert.deepEqual(endpointVariant(p('fips'), { AWS_USE_FIPS_ENDPOINT: '' }).fips, { on: true, source: 'use_fips_endpoint' });
  const typo = endpointVariant(p('fips-typo'), {}).fips;
  assert.equal(typo.on, false);
  assert.match(typo.invalid ?? '', /use_fips_endpoint in the profile is "yes", which is neither true nor false/);
  assert.match(endpointVariant(p('plain'), { AWS_USE_FIPS_ENDPOINT: '1' }).fips.invalid ?? '', /environment variable AWS_USE_FIPS_ENDPOINT is "1"/);
});

test('a configured endpoint with FIPS or dual-stack is refused, as the SDK refuses it; without either it is used as it is', () => {
  assert.equal(endpointRefusal(p('plain'), 'sts', { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }), undefined);
  assert.equal(endpointRefusal(p('fips'), 'sts', {}), undefined);
  assert.match(endpointRefusal(p('fips-emulator'), 'sns', {}) ?? '', /profile "fips-emulator" cannot be made: they ask for FIPS \(use_fips_endpoint\) endpoints and also set a custom endpoint/);
  assert.match(endpointRefusal(p('plain'), 'sns', { AWS_ENDPOINT_URL_SNS: 'http://127.0.0.1:9', AWS_USE_DUALSTACK_ENDPOINT: 'true' }) ?? '', /dual-stack \(AWS_USE_DUALSTACK_ENDPOINT\)/);
  // The SNS override does not touch STS.
  assert.equal(endpointRefusal(p('fips'), 'sts', { AWS_ENDPOINT_URL_SNS: 'http://127.0.0.1:9' }), undefined);
  // Turning FIPS off in the environment lifts the refusal; ignoring configured endpoints does too.
  assert.equal(endpointRefusal(p('fips-emulator'), 'sns', { AWS_USE_FIPS_ENDPOINT: 'false' }), undefined);
  assert.equal(endpointRefusal(p('fips-emulator'), 'sns', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }), undefined);
  assert.match(endpointRefusal(p('fips-typo'), 'sts', {}) ?? '', /Set it to true or false/);
});

/**
 * The host a client of the factory builds its request for: a middleware after endpoint resolution records the
 * request and stops it there, so nothing leaves the process.
 */
async function requestHost(factory: ClientFactory, profile: AwsProfile, service: 'sts' | 'sns'): Promise<string> {
  const ctx = { profile: profile.name, region: factory.regionOf(profile) ?? 'us-east-1' };
  const creds = { accessKeyId: 'id', secretAccessKey: 'secret' };
  const client = service === 'sts' ? factory.sts(profile, creds, ctx) : factory.sns(profile, creds, ctx);
  let host = '';
  const stop = new Error('stopped before sending');
  (client.middlewareStack as unknown as { add(mw: unknown, o: { step: string; name: string }): void }).add(
    () => async (args: { request: { protocol: string; hostname: string } }) => {
      host = `${args.request.protocol}//${args.request.hostname}`;
      throw stop;
    },
    { step: 'finalizeRequest', name: 'recordHost' },
  );
  try {
    await (service === 'sts'
      ? (client as ReturnType<ClientFactory['sts']>).send(new GetCallerIdentityCommand({}))
      : (client as ReturnType<ClientFactory['sns']>).send(new PublishCommand({ PhoneNumber: '+12065550123', Message: 'x' })));
  } catch (e) {
    if (e !== stop) throw e;
  } finally {
    client.destroy();
  }
  return host;
}

test('the factory sends a FIPS profile to the FIPS endpoint the SDK chooses; the environment and the region count', async () => {
  const factory = new ClientFactory({ logger: quiet, env: {} });
  assert.equal(await requestHost(factory, p('plain'), 'sts'), 'https://sts.us-west-2.amazonaws.com');
  assert.equal(await requestHost(factory, p('fips'), 'sts'), 'https://sts-fips.us-east-1.amazonaws.com');
  assert.equal(await requestHost(factory, p('fips'), 'sns'), 'https://sns-fips.us-east-1.amazonaws.com');
  assert.equal(await requestHost(factory, p('both'), 'sts'), 'https://sts-fips.us-east-1.api.aws');
  // GovCloud: STS's FIPS endpoint there is its regular name (the SDK's partition data says so).
  assert.equal(await requestHost(factory, p('gov'), 'sts'), 'https://sts.us-gov-west-1.amazonaws.com');
  const envFips = new ClientFactory({ logger: quiet, env: { AWS_USE_FIPS_ENDPOINT: 'true', AWS_REGION: 'us-east-2' } });
  assert.equal(await requestHost(envFips, p('plain'), 'sts'), 'https://sts-fips.us-east-2.amazonaws.com');
  const envOff = new ClientFactory({ logger: quiet, env: { AWS_USE_FIPS_ENDPOINT: 'false' } });
  assert.equal(await requestHost(envOff, p('fips'), 'sts'), 'https://sts.us-east-1.amazonaws.com');
});

test('the log line of a call names the endpoint the SDK chose for a FIPS profile', async () => {
  const lines: string[] = [];
  const record = (m: string): void => void lines.push(m);
  const factory = new ClientFactory({ logger: { debug: record, info: record, warn: record, error: record }, env: {} });
  await requestHost(factory, p('fips'), 'sts');
  assert.match(lines.join('\n'), /^STS GetCallerIdentity profile=fips account=\? region=us-east-1 via https:\/\/sts-fips\.us-east-1\.amazonaws\.com → /m);
});

test('the tooltip words: where the region comes from, which endpoint variants are on, what the SDK would refuse', () => {
  assert.equal(regionWords(profileRegion(p('plain'), { AWS_REGION: 'eu-west-1' })), 'eu-west-1 (AWS_REGION; the profile says us-west-2)');
  assert.equal(regionWords(profileRegion(p('plain'), {})), "us-west-2 (the profile's region)");
  assert.equal(regionWords({ region: 'us-east-1', source: 'tendlc.region' }), 'us-east-1 (the setting tendlc.region)');
  assert.equal(regionWords(profileRegion(p('no-region'), {})), 'none set');
  assert.deepEqual(variantWords(p('plain'), {}), []);
  assert.deepEqual(variantWords(p('both'), {}), ['Endpoints: FIPS (use_fips_endpoint), dual-stack (use_dualstack_endpoint)']);
  assert.deepEqual(variantWords(p('plain'), { AWS_USE_FIPS_ENDPOINT: 'true' }), ['Endpoints: FIPS (AWS_USE_FIPS_ENDPOINT)']);
  const conflict = variantWords(p('fips-emulator'), {});
  assert.equal(conflict[0], 'Endpoints: FIPS (use_fips_endpoint)');
  assert.equal(conflict.length, 2, 'one refusal line, however many services it stops');
  assert.match(conflict[1], /custom endpoint/);
});

test('the factory refuses FIPS with a configured endpoint, and an invalid value, with the reason and nothing sent', async () => {
  const factory = new ClientFactory({ logger: quiet, env: {} });
  for (const [name, want] of [
    ['fips-emulator', /FIPS \(use_fips_endpoint\) endpoints and also set a custom endpoint/],
    ['fips-typo', /use_fips_endpoint in the profile is "yes"/],
  ] as const) {
    await assert.rejects(requestHost(factory, p(name), 'sts'), (e: unknown) => {
      const x = explainError(e, { operation: 'GetCallerIdentity', profile: name });
      assert.equal(x.category, 'profile');
      assert.match(x.message, want);
      return true;
    });
  }
});

test('a reused client is never one built for the other endpoint variant: a profile whose FIPS setting changed gets a new client', async () => {
  const factory = new ClientFactory({ logger: quiet, env: {} });
  const creds = { accessKeyId: 'id', secretAccessKey: 'secret' };
  const before = profiles(['[profile edited]', 'region = us-east-1', 'aws_access_key_id = id', 'aws_secret_access_key = secret'].join('\n')).get('edited');
  const after = profiles(['[profile edited]', 'region = us-east-1', 'use_fips_endpoint = true', 'aws_access_key_id = id', 'aws_secret_access_key = secret'].join('\n')).get('edited');
  assert.ok(before && after);
  const ctx = { profile: 'edited', region: 'us-east-1' };
  const first = factory.sts(before, creds, ctx);
  assert.equal(factory.sts(before, creds, ctx), first, 'the same credentials, profile and endpoint: the same client');
  const fips = factory.sts(after, creds, ctx);
  assert.notEqual(fips, first, 'FIPS turned on in the file: another client');
  let host = '';
  const stop = new Error('stopped before sending');
  (fips.middlewareStack as unknown as { add(mw: unknown, o: { step: string; name: string }): void }).add(
    () => async (args: { request: { protocol: string; hostname: string } }) => {
      host = `${args.request.protocol}//${args.request.hostname}`;
      throw stop;
    },
    { step: 'finalizeRequest', name: 'recordHost' },
  );
  await assert.rejects(fips.send(new GetCallerIdentityCommand({})), (e) => e === stop);
  assert.equal(host, 'https://sts-fips.us-east-1.amazonaws.com');
});
