/**
 * The product demo: moto on 127.0.0.1 seeded with a primary and three secondary accounts, and
 * code-server with the packaged extension installed, reading AWS files that point at moto. Prints the
 * URL and keeps running until Ctrl-C; then stops everything it started. Nothing touches ~/.aws and
 * no real SMS is sent: every AWS call goes to the emulator.
 *
 *   node out/test/harness/demo.js [--preset]   (scripts/demo.sh builds and runs this)
 *
 * Without --preset the 10DLC number and test destination are set but the groups are empty, so the
 * Get Started view leads through the setup; with --preset the primary and secondaries are set too.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installVsix, startCodeServer } from './codeServer';
import { startMoto } from './moto';
import { cacheDir, repoRoot, requireTools } from './paths';
import { seed } from './seed';
import { defaultStubState, startSnsStub } from './snsStub';

async function main(): Promise<void> {
  requireTools('moto', 'codeServer');
  const preset = process.argv.includes('--preset');
  const root = repoRoot();
  const vsix = path.join(root, 'dist', 'tendlc-cross-account.vsix');
  if (!fs.existsSync(vsix)) {
    throw new Error(`${vsix} is missing: run "npm run package" first (scripts/demo.sh does).`);
  }
  const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tendlc-demo-'));
  const moto = await startMoto({ logDir: demoDir });
  const seeded = await seed({ endpoint: moto.endpoint, dir: path.join(demoDir, 'aws') });
  // moto has no origination numbers, SMS sandbox or End User Messaging: our stub stands in for those
  // calls (an ACTIVE 10DLC number with a COMPLETE registration) and passes every other SNS call to moto.
  const stub = await startSnsStub(moto.endpoint, defaultStubState(seeded.originationNumber));
  const extensionsDir = path.join(cacheDir(), 'demo-extensions');
  fs.rmSync(extensionsDir, { recursive: true, force: true });
  await installVsix(vsix, extensionsDir);
  const workspace = path.join(demoDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const settings: Record<string, unknown> = { ...seeded.settings };
  if (!preset) {
    delete settings['tendlc.primaryProfile'];
    delete settings['tendlc.secondaryProfiles'];
  }
  const server = await startCodeServer({
    folder: workspace,
    extensionsDir,
    userDataDir: path.join(demoDir, 'user'),
    env: {
      AWS_CONFIG_FILE: seeded.configPath,
      AWS_SHARED_CREDENTIALS_FILE: seeded.credentialsPath,
      AWS_ENDPOINT_URL_SNS: stub.endpoint,
      AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: stub.endpoint,
      AWS_ENDPOINT_URL_ACCESSANALYZER: stub.endpoint,
      AWS_ENDPOINT_URL_RAM: stub.endpoint,
    },
    logFile: path.join(demoDir, 'code-server.log'),
    settings,
  });
  const stop = async (): Promise<void> => {
    console.log('\nStopping the demo…');
    await server.stop();
    await stub.stop();
    await moto.stop();
    fs.rmSync(demoDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  console.log(`
10DLC Cross-Account Access demo is running.

  Open   ${server.url}/?folder=${encodeURIComponent(workspace)}
  stub   ${stub.endpoint} (answers what moto lacks: origination numbers, SMS sandbox, End User Messaging)
  moto   ${moto.endpoint} (AWS emulator; accounts 111111111111 primary, 222222222222 / 333333333333 secondaries,
         444444444444 not allowed to assume the role)
  AWS files  ${seeded.configPath}
             ${seeded.credentialsPath}

Click the 10DLC icon in the activity bar.${preset ? '' : ' Get Started: set "primary" as the primary profile and "secondary-a" as a secondary.'}
Right-click a secondary profile → Send Test SMS; sent messages land in ${moto.endpoint}/moto-api/data.json (sns → SMS).
Press Ctrl-C to stop.`);
}

main().catch((e: unknown) => {
  console.error(`demo: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
