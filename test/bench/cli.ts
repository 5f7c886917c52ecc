/**
 * The AWS CLI doing the user's task of the send benchmark: `aws sns publish` of the same SMS (same number, same
 * attributes) with a role profile (role_arn + source_profile with static keys), so the CLI assumes the role, then
 * publishes: the whole process, timed from spawn to exit, against the same loopback server.
 *
 * The Debian AWS CLI (2.9) ignores `endpoint_url` in a profile and `AWS_ENDPOINT_URL`: SNS gets `--endpoint-url`,
 * and the STS call of the role provider is pointed at the server with a copy of botocore's data for STS in
 * `AWS_DATA_PATH` whose endpoint rule set answers the loopback URL for every request. The CLI caches the role's
 * credentials in ~/.aws/cli/cache (HOME is a scratch folder here): "fresh" runs clear it, "cached" runs keep it.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

/** The Debian package's CLI v2 (a pyenv `aws` earlier on PATH may be v1). */
export const AWS_CLI_CANDIDATES = ['/usr/bin/aws', '/usr/local/bin/aws'];

export function findAwsCli(): { path: string; version: string } | undefined {
  for (const p of AWS_CLI_CANDIDATES) {
    if (!fs.existsSync(p)) continue;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const out = (require('node:child_process') as typeof import('node:child_process')).execFileSync(p, ['--version'], { encoding: 'utf8', timeout: 30_000 });
      if (/^aws-cli\/2\./.test(out)) return { path: p, version: out.trim().split(' ')[0] };
    } catch {
      // not a working CLI
    }
  }
  return undefined;
}

export interface CliSetup {
  readonly env: NodeJS.ProcessEnv;
  readonly args: string[];
  readonly home: string;
}

/** Files, data path and arguments for `aws sns publish` through the role, against `endpoint`. */
export function cliSetup(dir: string, endpoint: string, sms: { destination: string; originationNumber: string; message: string; region: string }, roleArn: string): CliSetup {
  const home = path.join(dir, 'home');
  const aws = path.join(home, '.aws');
  fs.mkdirSync(aws, { recursive: true });
  fs.writeFileSync(
    path.join(aws, 'config'),
    [`[profile cli-base]`, `region = ${sms.region}`, '', `[profile cli-role]`, `role_arn = ${roleArn}`, 'source_profile = cli-base', `region = ${sms.region}`, ''].join('\n'),
  );
  // Test keys made up here, of the shape the CLI expects (it does not check them).
  fs.writeFileSync(path.join(aws, 'credentials'), ['[cli-base]', `aws_access_key_id = AKIA${'CLIBENCH'.padEnd(16, 'X')}`, `aws_secret_access_key = ${'c'.repeat(40)}`, ''].join('\n'));
  const data = path.join(dir, 'data', 'sts', '2011-06-15');
  fs.mkdirSync(data, { recursive: true });
  fs.writeFileSync(
    path.join(data, 'endpoint-rule-set-1.json'),
    JSON.stringify({
      version: '1.0',
      parameters: {
        Region: { builtIn: 'AWS::Region', required: false, type: 'String' },
        UseDualStack: { builtIn: 'AWS::UseDualStack', required: true, default: false, type: 'Boolean' },
        UseFIPS: { builtIn: 'AWS::UseFIPS', required: true, default: false, type: 'Boolean' },
        Endpoint: { builtIn: 'SDK::Endpoint', required: false, type: 'String' },
        UseGlobalEndpoint: { builtIn: 'AWS::STS::UseGlobalEndpoint', required: true, default: false, type: 'Boolean' },
      },
      rules: [{ conditions: [], endpoint: { url: endpoint, properties: {}, headers: {} }, type: 'endpoint' }],
    }),
  );
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: home,
    LANG: 'C.UTF-8',
    AWS_DATA_PATH: path.join(dir, 'data'),
    AWS_CONFIG_FILE: path.join(aws, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(aws, 'credentials'),
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const attributes = {
    'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: sms.originationNumber },
    'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
  };
  const args = [
    'sns',
    'publish',
    '--profile',
    'cli-role',
    '--endpoint-url',
    endpoint,
    '--phone-number',
    sms.destination,
    '--message',
    sms.message,
    '--message-attributes',
    JSON.stringify(attributes),
    '--output',
    'json',
  ];
  return { env, args, home };
}

/** Clears the CLI's cache of assumed-role credentials. */
export function clearCliCache(setup: CliSetup): void {
  fs.rmSync(path.join(setup.home, '.aws', 'cli', 'cache'), { recursive: true, force: true });
}

/** Runs the CLI once; resolves with its wall time, ms (rejects when it fails or prints no MessageId). */
export function runCli(cli: string, setup: CliSetup): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cli, setup.args, { env: setup.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - t0;
      if (code !== 0 || !/"MessageId"/.test(out)) {
        reject(new Error(`aws ${setup.args.slice(0, 2).join(' ')} exited ${String(code)}: ${err.trim().split('\n').slice(-3).join(' ')}`));
      } else {
        resolve(ms);
      }
    });
  });
}
