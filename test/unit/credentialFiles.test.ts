/**
 * One parse of the AWS files per change for all credential resolution (issue 13): static keys, and roles whose
 * chain ends at static keys, are resolved from the parse the extension's profile loader made (the tree's), not by
 * the SDK reading and parsing both files again on every call; the loader parses again only after a file changed;
 * and a client never looks for an endpoint in the files itself (the client factory decided it).
 */
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { test } from 'node:test';
import { createAwsServices } from '../../src/aws';
import { parseAwsFiles, type IniSection } from '../../src/core/awsIni';
import { ProfileLoader } from '../../src/core/profileLoader';
import { generateAccessKeyId, generateSecret } from './faultServer';
import { configPath, credentialsPath, FAST, FAST_CHECK, NO_PROMPTS, PRIMARY, profile, quietLogger, REGION, rig, ROLE, ROLE_ARN, settled, TEST_TIMEOUT_MS, USERS } from './faultRig';

const ELSEWHERE = '444444444444';

/** A parse whose keys differ from the files on disk: whatever is resolved from it was not read from disk. */
function parsedWithOtherKeys(endpoint: string): { sections: () => Promise<ReadonlyMap<string, IniSection>>; keys: { accessKeyId: string; secretAccessKey: string }; calls: () => number } {
  const keys = { accessKeyId: generateAccessKeyId('AKIA'), secretAccessKey: generateSecret() };
  const text = [
    `[secondary]`,
    `aws_access_key_id = ${keys.accessKeyId}`,
    `aws_secret_access_key = ${keys.secretAccessKey}`,
    '',
    `[u1]`,
    `aws_access_key_id = ${keys.accessKeyId}`,
    `aws_secret_access_key = ${keys.secretAccessKey}`,
    '',
  ].join('\n');
  const config = `[profile secondary]\nregion = ${REGION}\nendpoint_url = ${endpoint}\n\n[profile u1]\nregion = ${REGION}\nendpoint_url = ${endpoint}\n\n[profile chained]\nrole_arn = arn:aws:iam::${ELSEWHERE}:role/sender\nsource_profile = secondary\nregion = ${REGION}\nendpoint_url = ${endpoint}\n`;
  const parsed = parseAwsFiles({ config: { path: configPath, kind: 'config', text: config }, credentials: { path: credentialsPath, kind: 'credentials', text } });
  let calls = 0;
  return {
    keys,
    calls: () => calls,
    sections: () => {
      calls++;
      return Promise.resolve(parsed.profiles);
    },
  };
}

test('static keys are resolved from the profile loader\'s parse, not read again from disk by the SDK', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  const files = parsedWithOtherKeys(r.server.url);
  r.server.addUser(ELSEWHERE, 'from-the-parse', files.keys);
  const aws = createAwsServices({ logger: quietLogger, env: {}, timeouts: FAST, checkTimeouts: FAST_CHECK, defaultRegion: () => REGION, profileFiles: files });
  const state = await aws.accounts.resolve(profile(r.profiles, 'u1'), { interactive: false });
  assert.equal(state.status === 'known' ? state.accountId : state.status, ELSEWHERE, 'the keys of the parse signed the call');
  assert.equal(r.server.seen[0]?.accessKeyId, files.keys.accessKeyId);
  assert.ok(files.calls() >= 1);
});

test('a role whose source profile has static keys is assumed with the keys of the parse (no SDK read of the files)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  const files = parsedWithOtherKeys(r.server.url);
  r.server.addUser(ELSEWHERE, 'from-the-parse', files.keys);
  const aws = createAwsServices({ logger: quietLogger, env: {}, timeouts: FAST, checkTimeouts: FAST_CHECK, defaultRegion: () => REGION, profileFiles: files });
  // `chained` (role_arn + source_profile = secondary) assumes its role, then the primary's role.
  const session = await aws.sessions.assume({ ...r.assumeRequest('chained') }, NO_PROMPTS);
  assert.equal(session.accountId, PRIMARY);
  const assumes = r.server.seen.filter((q) => q.action === 'AssumeRole');
  assert.equal(assumes.length, 2, 'the chain\'s role, then the primary\'s');
  assert.equal(assumes[0].accessKeyId, files.keys.accessKeyId, 'the chain started from the keys of the parse');
  assert.equal(assumes[0].params.get('RoleArn'), `arn:aws:iam::${ELSEWHERE}:role/sender`);
  assert.match(assumes[0].params.get('RoleSessionName') ?? '', /^aws-sdk-js-\d+$/, 'the SDK\'s default session name');
  assert.equal(assumes[0].params.get('DurationSeconds'), '3600');
  assert.equal(assumes[1].params.get('RoleArn'), ROLE_ARN);
  assert.notEqual(assumes[1].accessKeyId, files.keys.accessKeyId, 'the second hop used the first hop\'s session');
  assert.ok(ROLE);
});

test('the profile loader parses the files once per change, for the tree and for credentials alike', async () => {
  writeFileSync(configPath, `[profile a]\nregion = ${REGION}\n`);
  writeFileSync(credentialsPath, `[a]\naws_access_key_id = ${USERS['u1'].keys.accessKeyId}\naws_secret_access_key = ${USERS['u1'].keys.secretAccessKey}\n`);
  const loader = new ProfileLoader({ AWS_CONFIG_FILE: configPath, AWS_SHARED_CREDENTIALS_FILE: credentialsPath }, homedir());
  const loaded = await loader.load();
  const first = await loader.sections();
  assert.equal(first.get('a')?.properties['aws_access_key_id'], USERS['u1'].keys.accessKeyId);
  assert.equal(await loader.sections(), first, 'unchanged files: the same parse');
  assert.equal(await loader.load(), loaded, 'and the same profiles');
  appendFileSync(configPath, `\n[profile b]\nregion = ${REGION}\n`);
  const second = await loader.sections();
  assert.notEqual(second, first, 'a changed file is parsed again');
  assert.ok(second.has('b'));
  const reloaded = await loader.load();
  assert.notEqual(reloaded, loaded);
  assert.equal(await loader.sections(), second, 'by one parse for both');
});

test('a client never takes an endpoint from the AWS files itself: a profile without one does not go to [default]\'s', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const keys = { accessKeyId: generateAccessKeyId('AKIA'), secretAccessKey: generateSecret() };
  // [default] points at the server; `plain` says no endpoint (so: AWS itself, unreachable here).
  const r = await rig(t, {
    extraConfig: (endpoint) =>
      `\n[default]\nregion = ${REGION}\nendpoint_url = ${endpoint}\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n` +
      `\n[profile plain]\nregion = ${REGION}\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`,
  });
  const { value } = await settled(r.aws.accounts.resolve(profile(r.profiles, 'plain'), { interactive: false }));
  assert.equal(value.status, 'error', 'AWS is not reachable from the test');
  assert.equal(r.server.count('GetCallerIdentity'), 0, 'the call did not go to the endpoint of another profile');
});
