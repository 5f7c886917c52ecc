/**
 * The rig the AWS-layer fault tests share: a scripted loopback AWS endpoint (./faultServer) per test, AWS files
 * that point every profile at it, one services object as the extension creates it, and bounded waits.
 *
 * The SDK's `fromIni` reads AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE from the environment: importing this
 * module (each test file runs in its own process under `node --test`) points them at temporary files. The
 * product code never touches process.env.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, type TestContext } from 'node:test';
import { createAwsServices, runTestSend } from '../../src/aws';
import type { AssumeRequest, AwsServices, SessionPrompts, SmsRequest, TestSendPrompts, Timeouts } from '../../src/aws';
import { parseAwsFiles } from '../../src/core/awsIni';
import { buildProfileSet, type AwsProfile, type ProfileSet } from '../../src/core/profiles';
import { startFaultServer, generateAccessKeyId, generateSecret, type FaultServer, type Reply, type StaticKeys } from './faultServer';

export const PRIMARY = '111111111111';
export const SECONDARY = '222222222222';
export const ELSEWHERE = '333333333333';
export const ROLE = 'tendlc-cross-account-sms';
export const ROLE_ARN = `arn:aws:iam::${PRIMARY}:role/${ROLE}`;
export const REGION = 'us-east-1';
/** "Never hangs" means: settles well inside this (a bound, not a performance target). */
export const NEVER_HANGS_MS = 10_000;
/** A per-test limit, so a hang fails the test instead of stalling the run. */
export const TEST_TIMEOUT_MS = 30_000;

/** Short waits so timeouts are measurable in a unit test; three attempts like the product default. */
export const FAST: Timeouts = { connectMs: 2_000, requestMs: 400, maxAttempts: 3 };
export const FAST_CHECK: Timeouts = { connectMs: 2_000, requestMs: 400, maxAttempts: 1 };
/** Long waits: only a cancellation can end a hung call quickly. */
export const SLOW: Timeouts = { connectMs: 2_000, requestMs: 60_000, maxAttempts: 3 };

export const dir = mkdtempSync(join(tmpdir(), 'tendlc-faults-'));
export const configPath = join(dir, 'config');
export const credentialsPath = join(dir, 'credentials');
export const processMarker = join(dir, 'credential-process-ran');
export const processScript = join(dir, 'credential-process.sh');
process.env['AWS_CONFIG_FILE'] = configPath;
process.env['AWS_SHARED_CREDENTIALS_FILE'] = credentialsPath;

/** Static keys of the users the tests act as, generated for this run. */
export const USERS: Record<string, { account: string; keys: StaticKeys }> = {};
for (const [name, account] of [
  ['secondary', SECONDARY],
  ['primary', PRIMARY],
  ['u1', SECONDARY],
  ['u2', SECONDARY],
  ['u3', SECONDARY],
  ['u4', SECONDARY],
  ['u5', SECONDARY],
] as const) {
  USERS[name] = { account, keys: { accessKeyId: generateAccessKeyId('AKIA'), secretAccessKey: generateSecret() } };
}

export function credentialsText(): string {
  return Object.entries(USERS)
    .map(([name, u]) => `[${name}]\naws_access_key_id = ${u.keys.accessKeyId}\naws_secret_access_key = ${u.keys.secretAccessKey}\n`)
    .join('\n');
}

export function configText(endpoint: string, extra = ''): string {
  const staticProfiles = Object.keys(USERS)
    .map((name) => `[profile ${name}]\nregion = ${REGION}\nendpoint_url = ${endpoint}\n`)
    .join('\n');
  return (
    staticProfiles +
    // A secondary that is itself a role: its credentials come from an inner STS AssumeRole (fromIni).
    `\n[profile chained]\nrole_arn = arn:aws:iam::${SECONDARY}:role/sender\nsource_profile = secondary\nregion = ${REGION}\nendpoint_url = ${endpoint}\n` +
    // Interactive profiles: never resolved by a background lookup.
    `\n[profile mfa]\nrole_arn = arn:aws:iam::${SECONDARY}:role/mfa-role\nsource_profile = secondary\nmfa_serial = arn:aws:iam::${SECONDARY}:mfa/dev\nregion = ${REGION}\nendpoint_url = ${endpoint}\n` +
    `\n[profile mfa-source]\nrole_arn = arn:aws:iam::${SECONDARY}:role/mfa-role\nsource_profile = mfa\nregion = ${REGION}\n` +
    `\n[sso-session corp]\nsso_start_url = ${endpoint}/start\nsso_region = ${REGION}\n` +
    `\n[profile sso]\nsso_session = corp\nsso_role_name = Dev\nregion = ${REGION}\nendpoint_url = ${endpoint}\n` +
    `\n[profile process]\ncredential_process = /bin/sh ${processScript}\nregion = ${REGION}\nendpoint_url = ${endpoint}\n` +
    extra
  );
}

/** Writes the two AWS files for an endpoint and builds the profile model from the same text. */
export function profilesFor(endpoint: string, extra = ''): ProfileSet {
  const config = configText(endpoint, extra);
  const credentials = credentialsText();
  writeFileSync(configPath, config);
  writeFileSync(credentialsPath, credentials);
  return buildProfileSet(
    parseAwsFiles({ config: { path: configPath, text: config, kind: 'config' }, credentials: { path: credentialsPath, text: credentials, kind: 'credentials' } }),
  );
}

export function profile(set: ProfileSet, name: string): AwsProfile {
  const p = set.byName.get(name);
  assert.ok(p, `profile ${name} exists`);
  return p;
}

export interface Rig {
  readonly server: FaultServer;
  readonly profiles: ProfileSet;
  readonly aws: AwsServices;
  readonly log: string[];
  assumeRequest(from?: string): AssumeRequest;
}

writeFileSync(processScript, `touch '${processMarker}'\necho '{"Version": 1}'\n`);

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A fresh server per test (so a request a test leaves hanging can never be counted by the next one),
 * the AWS files pointing at it, and one services object as the extension creates it.
 */
export interface RigOptions {
  readonly timeouts?: Timeouts;
  readonly checkTimeouts?: Timeouts;
  readonly concurrency?: number;
  /** More config sections, given the server's URL. */
  readonly extraConfig?: (endpoint: string) => string;
}

export async function rig(t: TestContext, opts: RigOptions = {}): Promise<Rig> {
  const server = await startFaultServer();
  t.after(() => server.close());
  for (const [name, u] of Object.entries(USERS)) {
    server.addUser(u.account, name, u.keys);
  }
  const log: string[] = [];
  const line = (level: string) => (m: string) => void log.push(`[${level}] ${m}`);
  const aws = createAwsServices({
    logger: { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') },
    env: {},
    timeouts: opts.timeouts ?? FAST,
    checkTimeouts: 'checkTimeouts' in opts ? opts.checkTimeouts : FAST_CHECK,
    defaultRegion: () => REGION,
    lookupConcurrency: opts.concurrency,
  });
  const profiles = profilesFor(server.url, opts.extraConfig?.(server.url));
  return {
    server,
    profiles,
    aws,
    log,
    assumeRequest: (from = 'secondary') => ({
      profile: profile(profiles, from),
      primaryAccountId: PRIMARY,
      roleArn: ROLE_ARN,
      roleName: ROLE,
      requireMfa: false,
      region: REGION,
    }),
  };
}

export const NO_PROMPTS: SessionPrompts = {
  mfaCode: async () => {
    throw new Error('no MFA code in this test');
  },
  mfaSerial: async () => undefined,
};

export const SMS: SmsRequest = { destination: '+12065550123', message: 'fault test', originationNumber: '+12065550100', smsType: 'Transactional', region: REGION };

export function sendPrompts(confirmations: { count: number } = { count: 0 }): TestSendPrompts {
  return {
    ...NO_PROMPTS,
    confirm: async () => {
      confirmations.count++;
      return true;
    },
  };
}

/** Awaits a promise that must reject, bounded by NEVER_HANGS_MS; returns the error and how long it took. */
export async function rejection(p: Promise<unknown>, bound = NEVER_HANGS_MS): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    p.then(
      () => ({ settled: 'resolved' as const }),
      (error: unknown) => ({ settled: 'rejected' as const, error }),
    ),
    new Promise<{ settled: 'hung' }>((resolve) => {
      timer = setTimeout(() => resolve({ settled: 'hung' }), bound);
    }),
  ]);
  clearTimeout(timer);
  assert.notEqual(outcome.settled, 'hung', `the call did not settle within ${bound} ms`);
  assert.equal(outcome.settled, 'rejected', 'the call was expected to fail');
  return { error: (outcome as { error: unknown }).error, ms: Date.now() - started };
}

/** Awaits a promise bounded by NEVER_HANGS_MS; returns its value and how long it took. */
export async function settled<T>(p: Promise<T>, bound = NEVER_HANGS_MS): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const value = await Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the call did not settle within ${bound} ms`)), bound);
    }),
  ]).finally(() => clearTimeout(timer));
  return { value, ms: Date.now() - started };
}

/** The normal path still works on the same services object: assume, check, publish. */
export async function assertHealthy(r: Rig, what: string): Promise<void> {
  r.server.reset();
  r.aws.sessions.forget();
  const { value } = await settled(runTestSend({ sessions: r.aws.sessions, sms: r.aws.sms, logger: quietLogger }, r.assumeRequest(), SMS, profile(r.profiles, 'secondary'), sendPrompts()));
  assert.equal(value.outcome, 'sent', `after ${what}, a normal test send works`);
  assert.equal(r.server.count('Publish'), 1, `after ${what}, one Publish`);
}

export const quietLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export const hang: Reply = { kind: 'hang' };
export const html500: Reply = { kind: 'html', status: 500 };
export const throttled: Reply = { kind: 'error', status: 400, code: 'Throttling', message: 'Rate exceeded' };
export const expired: Reply = { kind: 'error', status: 403, code: 'ExpiredToken', message: 'The security token included in the request is expired' };
