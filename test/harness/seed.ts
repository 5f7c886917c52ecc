/**
 * Builds the multi-account 10DLC world in a moto server and writes the AWS `config` and
 * `credentials` files that the extension under test reads.
 *
 * In moto: one IAM user with an access key in each of four accounts (primary, two secondaries, and
 * one account that is not trusted and may not call AssumeRole), the cross-account role in the
 * primary (trust: both secondary accounts; permissions: `sns:Publish` on `*`), and two roles in
 * secondary A for the role-chaining and MFA profiles. Then moto's permission checks are switched on,
 * so identity policies are really enforced (moto never checks cross-account trust policies).
 *
 * Plain Node: no `vscode` import. The bootstrapping calls act in an account through moto's
 * `x-moto-account-id` request header, with placeholder credentials; every key written to the files is
 * one moto issued at run time (nothing key-shaped lives in this source).
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';

/** The accounts of the seeded world. */
export const ACCOUNTS = {
  primary: '111111111111',
  secondaryA: '222222222222',
  secondaryB: '333333333333',
  denied: '444444444444',
} as const;

export type AccountKey = keyof typeof ACCOUNTS;

export interface SeedOptions {
  /** The moto server, e.g. `http://127.0.0.1:5000`. Written as `endpoint_url` into every profile. */
  endpoint: string;
  /** Directory for `config`, `credentials` and the web-identity token file (created, mode 0700). */
  dir: string;
  /** Name of the cross-account role in the primary. Default `tendlc-cross-account-sms`. */
  roleName?: string;
  /** Default `us-east-1`. */
  region?: string;
  /** Switch moto's permission checks on once seeded. Default true. */
  enforceAuth?: boolean;
  /**
   * Clear moto (`POST /moto-api/reset`) before seeding, so seeding twice works. Default true; pass
   * false only for a server nothing else has touched.
   */
  reset?: boolean;
}

export interface SeededProfile {
  name: string;
  expectedGroup: 'primary' | 'secondary' | 'other';
  /** The account the profile's credentials act in (shown without calling AWS when the profile declares it). */
  expectedAccountId?: string;
  /** What the tree shows when it differs from expectedAccountId: a declared (stale) account, until a write checks it. */
  shownAccountId?: string;
  /** How the profile gets credentials, in the words of `src/core/profiles.ts` (`ProfileKind`). */
  kind: 'static' | 'assume-role' | 'web-identity' | 'sso' | 'legacy-sso' | 'process';
}

export interface SeedResult {
  configPath: string;
  credentialsPath: string;
  roleName: string;
  roleArn: string;
  region: string;
  /** The primary's 10DLC number: `+12065550100`. */
  originationNumber: string;
  /** Where test messages go: `+12065550123`. */
  destinationNumber: string;
  /** Every valid profile in the files (not the broken one), with what the extension should make of it. */
  profiles: SeededProfile[];
  /** VS Code user settings for the extension (flat keys, e.g. `tendlc.primaryProfile`). */
  settings: Record<string, unknown>;
  /** Every access key id, secret key and token written to disk: logs must contain none of them. */
  secrets: string[];
  /** Where the deliberately malformed section header is (1-based line). */
  brokenLine: { file: string; line: number };
  /** IAM user names per account, and the ARNs of the extra roles in secondary A. */
  users: Record<AccountKey, string>;
  chainRoleArn: string;
  mfaRoleArn: string;
  mfaSerial: string;
}

export const DEFAULT_ROLE_NAME = 'tendlc-cross-account-sms';
export const ORIGINATION_NUMBER = '+12065550100';
export const DESTINATION_NUMBER = '+12065550123';

const USERS: Record<AccountKey, string> = {
  primary: 'tendlc-admin',
  secondaryA: 'sender-a',
  secondaryB: 'sender-b',
  denied: 'not-trusted',
};
const CHAIN_ROLE = 'tendlc-dev-chain';
const MFA_ROLE = 'tendlc-mfa-sender';
const SSO_ACCOUNT = '555555555555';
const LEGACY_SSO_ACCOUNT = '666666666666';
const WEB_IDENTITY_ACCOUNT = '777777777777';
/** What profile primary-stale declares; its keys belong to the primary. */
export const STALE_ACCOUNT = '999999999999';

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
}

const policy = (statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** An IAM client that acts in `account` through moto's `x-moto-account-id` header. */
function iamIn(account: string, endpoint: string, region: string): IAMClient {
  const client = new IAMClient({
    endpoint,
    region,
    maxAttempts: 2,
    // Placeholders: moto picks the account from the header while permission checks are off.
    credentials: { accessKeyId: 'seed-bootstrap', secretAccessKey: 'seed-bootstrap' },
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const req = args.request as { headers?: Record<string, string> };
      if (req.headers) {
        req.headers['x-moto-account-id'] = account;
      }
      return next(args);
    },
    { step: 'build', name: 'motoAccountHeader' },
  );
  return client;
}

async function motoApi(endpoint: string, apiPath: string, body?: string): Promise<string> {
  const url = new URL(apiPath, endpoint.endsWith('/') ? endpoint : `${endpoint}/`);
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : String(e);
    throw new Error(`cannot reach moto at ${url.origin} (${cause}); is moto_server running there?`);
  }
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`moto ${apiPath} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
  }
  return text;
}

/**
 * Sets how many requests moto serves before it checks permissions: `0` switches checks on now,
 * `Infinity` off. (`POST /moto-api/reset-auth` with the count as body; the same setting as the
 * `INITIAL_NO_AUTH_ACTION_COUNT` environment variable, and it also restarts moto's request counter.)
 */
export async function setMotoAuth(endpoint: string, enforce: boolean): Promise<void> {
  await motoApi(endpoint, 'moto-api/reset-auth', enforce ? '0' : 'inf');
}

async function createUser(iam: IAMClient, userName: string, policyDoc: string, keyCount: number): Promise<Keys[]> {
  await iam.send(new CreateUserCommand({ UserName: userName, Tags: [{ Key: 'purpose', Value: 'tendlc-test' }] }));
  await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'tendlc-test', PolicyDocument: policyDoc }));
  const keys: Keys[] = [];
  for (let i = 0; i < keyCount; i++) {
    const out = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    const k = out.AccessKey;
    if (!k?.AccessKeyId || !k.SecretAccessKey) {
      throw new Error(`moto returned no access key for ${userName}`);
    }
    keys.push({ accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey });
  }
  return keys;
}

async function createRole(
  iam: IAMClient,
  roleName: string,
  description: string,
  trust: string,
  permissions: string,
): Promise<void> {
  await iam.send(
    new CreateRoleCommand({ RoleName: roleName, Description: description, AssumeRolePolicyDocument: trust, MaxSessionDuration: 3600 }),
  );
  await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: `${roleName}-permissions`, PolicyDocument: permissions }));
}

/** Seeds moto and writes the AWS files. Fast: about two dozen local requests, no verification. */
export async function seed(opts: SeedOptions): Promise<SeedResult> {
  const endpoint = opts.endpoint.replace(/\/+$/, '');
  const region = opts.region ?? 'us-east-1';
  const roleName = opts.roleName ?? DEFAULT_ROLE_NAME;
  const dir = path.resolve(opts.dir);
  const roleArn = `arn:aws:iam::${ACCOUNTS.primary}:role/${roleName}`;
  const chainRoleArn = `arn:aws:iam::${ACCOUNTS.secondaryA}:role/${CHAIN_ROLE}`;
  const mfaRoleArn = `arn:aws:iam::${ACCOUNTS.secondaryA}:role/${MFA_ROLE}`;
  const mfaSerial = `arn:aws:iam::${ACCOUNTS.secondaryA}:mfa/alice`;
  const userArn = (acct: AccountKey): string => `arn:aws:iam::${ACCOUNTS[acct]}:user/${USERS[acct]}`;

  // Checks off while bootstrapping (a previous seed may have left them on), then a clean slate.
  await setMotoAuth(endpoint, false);
  if (opts.reset ?? true) {
    await motoApi(endpoint, 'moto-api/reset');
  }

  const iam = {
    primary: iamIn(ACCOUNTS.primary, endpoint, region),
    secondaryA: iamIn(ACCOUNTS.secondaryA, endpoint, region),
    secondaryB: iamIn(ACCOUNTS.secondaryB, endpoint, region),
    denied: iamIn(ACCOUNTS.denied, endpoint, region),
  };

  const assume = (resources: string[]): object => ({ Sid: 'AssumeSmsRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: resources });
  const publishOnly = policy([{ Sid: 'PublishSms', Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }]);
  // moto compares a trust principal with the caller's exact ARN (an account root does not match a
  // user), and checks trust only within one account: the same-account roles trust the user itself.
  const trustUserA = (condition?: object): string =>
    policy([
      {
        Effect: 'Allow',
        Principal: { AWS: userArn('secondaryA') },
        Action: 'sts:AssumeRole',
        ...(condition ? { Condition: condition } : {}),
      },
    ]);

  const [primaryKeys, aKeys, bKeys, deniedKeys] = await Promise.all([
    (async () => {
      const keys = await createUser(
        iam.primary,
        USERS.primary,
        policy([{ Sid: 'AdminForTheSmsSetup', Effect: 'Allow', Action: ['iam:*', 'sns:*', 'sts:*', 'sms-voice:*', 'logs:*'], Resource: '*' }]),
        2, // the second key is the `default` profile's own
      );
      await createRole(
        iam.primary,
        roleName,
        'Lets the secondary accounts send SMS through the 10DLC number of this account',
        policy([
          {
            Sid: 'SecondaryAccounts',
            Effect: 'Allow',
            Principal: { AWS: [`arn:aws:iam::${ACCOUNTS.secondaryA}:root`, `arn:aws:iam::${ACCOUNTS.secondaryB}:root`] },
            Action: 'sts:AssumeRole',
          },
        ]),
        publishOnly,
      );
      return keys;
    })(),
    (async () => {
      const keys = await createUser(iam.secondaryA, USERS.secondaryA, policy([assume([roleArn, chainRoleArn, mfaRoleArn])]), 1);
      await Promise.all([
        createRole(iam.secondaryA, CHAIN_ROLE, 'Developer role of account A (role-chaining profile)', trustUserA(), policy([assume([roleArn])])),
        createRole(
          iam.secondaryA,
          MFA_ROLE,
          'Role of account A that needs an MFA code',
          trustUserA({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
          policy([assume([roleArn])]),
        ),
      ]);
      return keys;
    })(),
    createUser(iam.secondaryB, USERS.secondaryB, policy([assume([roleArn])]), 1),
    createUser(
      iam.denied,
      USERS.denied,
      policy([{ Sid: 'WhoAmIOnly', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }]),
      1,
    ),
  ]);
  for (const c of Object.values(iam)) {
    c.destroy();
  }

  // Values for the profiles that never reach moto, made here so nothing key-shaped is in the source.
  const nonce = (): string => randomBytes(8).toString('hex');
  const processKeyId = `fake-process-key-${nonce()}`;
  const processSecret = `fake-process-secret-${nonce()}`;
  const webIdentityToken = `fake-web-identity-token-${nonce()}`;
  const tokenPath = path.join(dir, 'web-identity-token');

  const common = [`region = ${region}`, `endpoint_url = ${endpoint}`];
  const processJson = JSON.stringify({ Version: 1, AccessKeyId: processKeyId, SecretAccessKey: processSecret });
  // Single quotes: works both when run by a shell (the JS SDK) and when split shlex-style (the CLI).
  const processCommand = `printf '%s' '${processJson}'`;

  const config: string[] = [
    '# AWS config for the 10DLC cross-account tests: every profile points at the moto server.',
    '# Written by test/harness/seed.ts; rewritten on every run.',
    '',
    '[default]',
    ...common,
    '',
    '[profile primary]',
    ...common,
    '',
    '[profile secondary-a]',
    ...common,
    '',
    '[profile secondary-b]',
    ...common,
    '',
    // The primary's keys with a stale account id: writes must go to (and name) the keys' account.
    '[profile primary-stale]',
    `aws_account_id = ${STALE_ACCOUNT}`,
    ...common,
    '',
    '[profile chained-role]',
    `role_arn = ${chainRoleArn}`,
    'source_profile = secondary-a',
    'role_session_name = chained',
    ...common,
    '',
    '[profile mfa-role]',
    `role_arn = ${mfaRoleArn}`,
    'source_profile = secondary-a',
    `mfa_serial = ${mfaSerial}`,
    ...common,
    '',
  ];
  // The malformed header: a good reader names this line and still reads every profile around it.
  const brokenIndex = config.length;
  config.push('[profile broken', 'output = json', '');
  config.push(
    '[profile secondary-denied]',
    ...common,
    '',
    '[profile sso-dev]',
    'sso_session = corp',
    `sso_account_id = ${SSO_ACCOUNT}`,
    'sso_role_name = SmsDeveloper',
    ...common,
    '',
    '[sso-session corp]',
    'sso_start_url = https://example.awsapps.com/start',
    `sso_region = ${region}`,
    'sso_registration_scopes = sso:account:access',
    '',
    '[profile legacy-sso]',
    'sso_start_url = https://example.awsapps.com/start',
    `sso_region = ${region}`,
    `sso_account_id = ${LEGACY_SSO_ACCOUNT}`,
    'sso_role_name = ReadOnly',
    ...common,
    '',
    '[profile process-creds]',
    `credential_process = ${processCommand}`,
    ...common,
    '',
    '[profile web-identity]',
    `role_arn = arn:aws:iam::${WEB_IDENTITY_ACCOUNT}:role/ci-deployer`,
    `web_identity_token_file = ${tokenPath}`,
    ...common,
  );

  const keySection = (name: string, k: Keys): string[] => [
    `[${name}]`,
    `aws_access_key_id = ${k.accessKeyId}`,
    `aws_secret_access_key = ${k.secretAccessKey}`,
    '',
  ];
  const defaultKeys = primaryKeys[1];
  if (!primaryKeys[0] || !defaultKeys || !aKeys[0] || !bKeys[0] || !deniedKeys[0]) {
    throw new Error('moto returned fewer access keys than asked for');
  }
  const credentials: string[] = [
    '# AWS credentials for the 10DLC cross-account tests: keys issued by the moto server, not by AWS.',
    '',
    ...keySection('default', defaultKeys),
    ...keySection('primary', primaryKeys[0]),
    ...keySection('primary-stale', primaryKeys[0]),
    ...keySection('secondary-a', aKeys[0]),
    ...keySection('secondary-b', bKeys[0]),
    ...keySection('secondary-denied', deniedKeys[0]),
  ];

  await mkdir(dir, { recursive: true, mode: 0o700 });
  const configPath = path.join(dir, 'config');
  const credentialsPath = path.join(dir, 'credentials');
  const writePrivate = async (file: string, text: string): Promise<void> => {
    await writeFile(file, text, { mode: 0o600 });
    await chmod(file, 0o600); // writeFile's mode applies only to a new file
  };
  await Promise.all([
    writePrivate(configPath, `${config.join('\n')}\n`),
    writePrivate(credentialsPath, `${credentials.join('\n')}\n`),
    writePrivate(tokenPath, webIdentityToken),
  ]);

  if (opts.enforceAuth ?? true) {
    await setMotoAuth(endpoint, true);
  }

  const secrets = [
    ...[...primaryKeys, ...aKeys, ...bKeys, ...deniedKeys].flatMap((k) => [k.accessKeyId, k.secretAccessKey]),
    processKeyId,
    processSecret,
    webIdentityToken,
  ];

  return {
    configPath,
    credentialsPath,
    roleName,
    roleArn,
    region,
    originationNumber: ORIGINATION_NUMBER,
    destinationNumber: DESTINATION_NUMBER,
    profiles: [
      { name: 'default', expectedGroup: 'other', expectedAccountId: ACCOUNTS.primary, kind: 'static' },
      { name: 'primary', expectedGroup: 'primary', expectedAccountId: ACCOUNTS.primary, kind: 'static' },
      { name: 'secondary-a', expectedGroup: 'secondary', expectedAccountId: ACCOUNTS.secondaryA, kind: 'static' },
      { name: 'secondary-b', expectedGroup: 'secondary', expectedAccountId: ACCOUNTS.secondaryB, kind: 'static' },
      // Its keys are the primary's; it is shown with the account it declares until a write checks it.
      { name: 'primary-stale', expectedGroup: 'other', expectedAccountId: ACCOUNTS.primary, shownAccountId: STALE_ACCOUNT, kind: 'static' },
      { name: 'chained-role', expectedGroup: 'other', expectedAccountId: ACCOUNTS.secondaryA, kind: 'assume-role' },
      { name: 'mfa-role', expectedGroup: 'other', expectedAccountId: ACCOUNTS.secondaryA, kind: 'assume-role' },
      { name: 'secondary-denied', expectedGroup: 'secondary', expectedAccountId: ACCOUNTS.denied, kind: 'static' },
      { name: 'sso-dev', expectedGroup: 'other', expectedAccountId: SSO_ACCOUNT, kind: 'sso' },
      { name: 'legacy-sso', expectedGroup: 'other', expectedAccountId: LEGACY_SSO_ACCOUNT, kind: 'legacy-sso' },
      // Its account is only known by running the program; a background lookup must not run it.
      { name: 'process-creds', expectedGroup: 'other', kind: 'process' },
      { name: 'web-identity', expectedGroup: 'other', expectedAccountId: WEB_IDENTITY_ACCOUNT, kind: 'web-identity' },
    ],
    settings: {
      'tendlc.primaryProfile': 'primary',
      'tendlc.secondaryProfiles': ['secondary-a', 'secondary-b', 'secondary-denied'],
      'tendlc.originationNumber': ORIGINATION_NUMBER,
      'tendlc.region': region,
      'tendlc.roleName': roleName,
      'tendlc.testDestinationNumber': DESTINATION_NUMBER,
    },
    secrets,
    brokenLine: { file: configPath, line: brokenIndex + 1 },
    users: { ...USERS },
    chainRoleArn,
    mfaRoleArn,
    mfaSerial,
  };
}
