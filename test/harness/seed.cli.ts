/**
 * Seeds a running moto server and writes the AWS files, for the demo script:
 *
 *   node out/test/harness/seed.cli.js --endpoint http://127.0.0.1:PORT --dir DIR
 *        [--no-enforce-auth] [--role-name NAME] [--region REGION] [--no-reset]
 *
 * Prints the seed result as JSON on stdout, without `secrets` (the keys stay in DIR/credentials).
 * Exit status: 0 seeded, 1 seeding failed, 2 bad arguments.
 */
import { parseArgs } from 'node:util';
import { seed } from './seed';

const USAGE =
  'usage: seed.cli.js --endpoint http://127.0.0.1:PORT --dir DIR [--no-enforce-auth] [--role-name NAME] [--region REGION] [--no-reset]';

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        endpoint: { type: 'string' },
        dir: { type: 'string' },
        'role-name': { type: 'string' },
        region: { type: 'string' },
        'no-enforce-auth': { type: 'boolean', default: false },
        'no-reset': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.endpoint || !values.dir) {
    process.stderr.write(`--endpoint and --dir are required\n${USAGE}\n`);
    return 2;
  }
  try {
    new URL(values.endpoint);
  } catch {
    process.stderr.write(`--endpoint is not a URL: ${values.endpoint}\n${USAGE}\n`);
    return 2;
  }
  try {
    const result = await seed({
      endpoint: values.endpoint,
      dir: values.dir,
      roleName: values['role-name'],
      region: values.region,
      enforceAuth: !values['no-enforce-auth'],
      reset: !values['no-reset'],
    });
    const printable: Partial<typeof result> = { ...result };
    delete printable.secrets;
    process.stdout.write(`${JSON.stringify(printable, null, 2)}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`seeding moto at ${values.endpoint} failed: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exitCode = 1;
  },
);
