/**
 * Account names from AWS Organizations against a loopback endpoint that answers ListAccounts in the
 * documented JSON 1.1 shape: only profiles that need no prompt are tried, a refusal
 * (AccessDeniedException, AWSOrganizationsNotInUseException) quietly means "no names", pages are
 * followed, and the number of profiles tried is bounded.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createAwsServices } from '../../src/aws';
import { MAX_PROFILES_TRIED } from '../../src/aws/orgNames';
import { parseAwsFiles } from '../../src/core/awsIni';
import { buildProfileSet, type AwsProfile, type ProfileSet } from '../../src/core/profiles';
import { generateAccessKeyId, generateSecret } from './faultServer';

const dir = mkdtempSync(join(tmpdir(), 'tendlc-org-'));
const configPath = join(dir, 'config');
const credentialsPath = join(dir, 'credentials');
process.env['AWS_CONFIG_FILE'] = configPath;
process.env['AWS_SHARED_CREDENTIALS_FILE'] = credentialsPath;

type Role = 'management' | 'member' | 'no-org';
const NAMES = ['management', 'member', 'no-org', ...Array.from({ length: 10 }, (_, i) => `member${i}`)];
const KEYS = Object.fromEntries(NAMES.map((n) => [n, { id: generateAccessKeyId('AKIA'), secret: generateSecret() }]));
const roleOf = (key: string): Role => {
  const name = NAMES.find((n) => KEYS[n].id === key) ?? '';
  return name === 'management' ? 'management' : name === 'no-org' ? 'no-org' : 'member';
};

let server: Server;
let endpoint = '';
const seen: { key: string; target: string; token?: string }[] = [];
const ACCOUNTS = [
  { Id: '111111111111', Name: 'sms-prod', Status: 'ACTIVE' },
  { Id: '222222222222', Name: 'team-a', Status: 'ACTIVE' },
  { Id: '333333333333', Name: 'team-b', Status: 'ACTIVE' },
];

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const key = /Credential=([^/]+)\//.exec(String(req.headers['authorization'] ?? ''))?.[1] ?? '';
      const target = String(req.headers['x-amz-target'] ?? '');
      const input = JSON.parse(body || '{}') as { NextToken?: string };
      seen.push({ key, target, token: input.NextToken });
      const json = (status: number, v: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${seen.length}` });
        res.end(JSON.stringify(v));
      };
      const role = roleOf(key);
      if (target !== 'AWSOrganizationsV20161128.ListAccounts') {
        json(400, { __type: 'UnknownOperationException', message: target });
      } else if (role === 'no-org') {
        json(400, { __type: 'AWSOrganizationsNotInUseException', Message: 'Your account is not a member of an organization.' });
      } else if (role === 'member') {
        json(400, { __type: 'AccessDeniedException', Message: 'You don\'t have permissions to access this resource.' });
      } else if (!input.NextToken) {
        json(200, { Accounts: ACCOUNTS.slice(0, 2), NextToken: 'page-2' });
      } else {
        json(200, { Accounts: ACCOUNTS.slice(2) });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function profiles(): ProfileSet {
  const config =
    NAMES.map((n) => `[profile ${n}]\nregion = us-east-1\nendpoint_url = ${endpoint}\n`).join('\n') +
    `\n[profile mfa]\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = management\nmfa_serial = arn:aws:iam::111111111111:mfa/me\nregion = us-east-1\nendpoint_url = ${endpoint}\n`;
  const credentials = NAMES.map((n) => `[${n}]\naws_access_key_id = ${KEYS[n].id}\naws_secret_access_key = ${KEYS[n].secret}\n`).join('\n');
  writeFileSync(configPath, config);
  writeFileSync(credentialsPath, credentials);
  return buildProfileSet(parseAwsFiles({ config: { path: configPath, text: config, kind: 'config' }, credentials: { path: credentialsPath, text: credentials, kind: 'credentials' } }));
}

function services() {
  const log: string[] = [];
  const logger = { debug: (m: string) => log.push(m), info: (m: string) => log.push(m), warn: (m: string) => log.push(m), error: (m: string) => log.push(m) };
  return { svc: createAwsServices({ logger, env: {}, defaultRegion: () => 'us-east-1' }), log };
}

const pick = (set: ProfileSet, ...names: string[]): AwsProfile[] => names.map((n) => set.byName.get(n) as AwsProfile);

test('names come from the first profile that may list the accounts; refusals are skipped quietly; pages are followed', async () => {
  seen.length = 0;
  const set = profiles();
  const { svc, log } = services();
  // The MFA profile comes first but is never tried: it would prompt.
  const state = await svc.orgNames.refresh(pick(set, 'mfa', 'member', 'no-org', 'management'));
  assert.deepEqual(state, { status: 'known', via: 'management', count: 3 });
  assert.deepEqual(svc.orgNames.known(), { '111111111111': 'sms-prod', '222222222222': 'team-a', '333333333333': 'team-b' });
  assert.deepEqual(seen.map((s) => roleOf(s.key)), ['member', 'no-org', 'management', 'management']);
  assert.equal(svc.orgNames.calls, 3, 'three profiles tried (not the MFA one)');
  assert.equal(seen[3].token, 'page-2');
  assert.ok(!seen.some((s) => s.key === ''), 'every call signed');
  // Known: a second refresh makes no call.
  await svc.orgNames.refresh(pick(set, 'management'));
  assert.equal(seen.length, 4);
  assert.ok(!log.some((l) => l.includes(KEYS['management'].secret)), 'no secret in the log');
});

test('when every profile is refused there are no names, no error, and refused profiles are not asked again until a refresh', async () => {
  seen.length = 0;
  const set = profiles();
  const { svc } = services();
  const state = await svc.orgNames.refresh(pick(set, 'member', 'no-org'));
  assert.equal(state.status, 'unavailable');
  assert.match(state.status === 'unavailable' ? state.reason : '', /AccessDeniedException.*AWSOrganizationsNotInUseException/);
  assert.deepEqual(svc.orgNames.known(), {});
  assert.equal(svc.orgNames.nameOf('222222222222'), undefined);
  await svc.orgNames.refresh(pick(set, 'member', 'no-org'));
  assert.equal(seen.length, 2, 'not asked again');
  svc.orgNames.clear();
  await svc.orgNames.refresh(pick(set, 'member'));
  assert.equal(seen.length, 3, 'asked again after clear()');
});

test(`at most ${MAX_PROFILES_TRIED} profiles are tried however many there are`, async () => {
  seen.length = 0;
  const set = profiles();
  const { svc } = services();
  const members = NAMES.filter((n) => n.startsWith('member'));
  assert.ok(members.length > MAX_PROFILES_TRIED);
  await svc.orgNames.refresh(pick(set, ...members));
  await svc.orgNames.refresh(pick(set, ...members, 'management'));
  assert.equal(seen.length, MAX_PROFILES_TRIED);
  assert.deepEqual(svc.orgNames.known(), {});
});
