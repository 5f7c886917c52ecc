/**
 * Runs the extension-host tier: moto on 127.0.0.1, seeded; then the mocha suite of test/host inside
 * VS Code's extension host, either in code-server driven by headless Chromium (default, works here)
 * or in desktop VS Code through @vscode/test-electron (`--electron`, where it can be downloaded).
 * Runs on the editor TENDLC_EDITOR selects (paths.ts; default the oldest) and prints
 * "host (VS Code X): N passed, N failed"; exits non-zero on any failure, or when the extension host reports
 * another VS Code than the one selected. In CI a missing tool fails; locally it skips with a loud message.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runExtensionHostTests } from './hostTests';
import { startMoto, type MotoServer } from './moto';
import { editorLabel, missingToolsMessage, repoRoot, selectedEditor, testResultsDir } from './paths';
import { seed } from './seed';
import { defaultStubState, startSnsStub, type SnsStub } from './snsStub';

/** "host (VS Code 1.139.1)": the label of every result line, so two editors' results never mix. */
let label = 'host';

async function main(): Promise<number> {
  const electron = process.argv.includes('--electron');
  const editor = selectedEditor();
  if (!electron) label = `host (${editorLabel(editor)})`;
  const missing = missingToolsMessage(electron ? ['moto'] : ['moto', 'codeServer', 'chromium']);
  if (missing) {
    if (process.env['CI']) {
      console.error(`${label}: cannot start: ${missing}`);
      console.log(`${label}: 0 passed, 1 failed`);
      return 1;
    }
    console.error(`\n*** ${label} tier SKIPPED: ${missing} ***\n`);
    console.log(`${label}: 0 passed, 0 failed (skipped)`);
    return 0;
  }
  const root = repoRoot();
  const runDir = path.join(testResultsDir(), `host-${Date.now()}`);
  fs.mkdirSync(runDir, { recursive: true });
  const awsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tendlc-aws-'));
  let moto: MotoServer | undefined;
  let stub: SnsStub | undefined;
  try {
    moto = await startMoto({ logDir: runDir, env: { MOTO_ENABLE_RECORDING: 'true', MOTO_RECORDER_FILEPATH: path.join(runDir, 'moto-recording.jsonl') } });
    const seeded = await seed({ endpoint: moto.endpoint, dir: awsDir });
    // SNS goes through a stub that answers what moto lacks (origination numbers, sandbox) and passes the rest on.
    stub = await startSnsStub(moto.endpoint, defaultStubState(seeded.originationNumber));
    const seedFile = path.join(awsDir, 'seed.json');
    const { secrets, ...publicSeed } = seeded;
    fs.writeFileSync(seedFile, JSON.stringify(publicSeed, null, 2));
    const env = {
      AWS_CONFIG_FILE: seeded.configPath,
      AWS_SHARED_CREDENTIALS_FILE: seeded.credentialsPath,
      TENDLC_TEST_SEED: seedFile,
      TENDLC_TEST_SECRETS: JSON.stringify(secrets),
      TENDLC_MOTO_ENDPOINT: moto.endpoint,
      TENDLC_SNS_STUB: stub.endpoint,
      TENDLC_TEST_FILE_HASHES: JSON.stringify(
        Object.fromEntries([seeded.configPath, seeded.credentialsPath].map((f) => [f, createHash('sha256').update(fs.readFileSync(f)).digest('hex')])),
      ),
      AWS_ENDPOINT_URL_SNS: stub.endpoint,
      AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: stub.endpoint,
      AWS_ENDPOINT_URL_ACCESSANALYZER: stub.endpoint,
      AWS_ENDPOINT_URL_RAM: stub.endpoint,
    };
    // A workspace that tries to redirect money and credentials, through every setting that directs them (machine- and
    // application-scoped alike): the extension must ignore it.
    fs.mkdirSync(path.join(awsDir, '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(awsDir, '.vscode', 'settings.json'),
      JSON.stringify(
        {
          'tendlc.originationNumber': '+12065559999',
          'tendlc.roleName': 'attacker-role',
          'tendlc.primaryProfile': 'secondary-a',
          'tendlc.secondaryProfiles': [],
          'tendlc.region': 'eu-west-1',
          'tendlc.externalId': 'attacker-external-id',
          'tendlc.requireMfa': true,
          'tendlc.testDestinationNumber': '+12065559998',
          'tendlc.smsType': 'Promotional',
          'tendlc.maxPrice': '9999',
        },
        null,
        2,
      ),
    );
    const testsPath = path.join(root, 'out', 'test', 'host', 'index.js');
    let passed: number;
    let failed: number;
    if (electron) {
      const { runTests } = await import('@vscode/test-electron');
      const settingsDir = path.join(runDir, 'user', 'User');
      fs.mkdirSync(settingsDir, { recursive: true });
      fs.writeFileSync(path.join(settingsDir, 'settings.json'), JSON.stringify(seeded.settings, null, 2));
      const resultFile = path.join(runDir, 'result.json');
      try {
        await runTests({
          extensionDevelopmentPath: root,
          extensionTestsPath: testsPath,
          extensionTestsEnv: { ...env, TENDLC_TEST_RESULT: resultFile },
          launchArgs: [awsDir, '--disable-extensions', `--user-data-dir=${path.join(runDir, 'user')}`, '--disable-workspace-trust'],
        });
      } catch {
        // the result file says what failed
      }
      const r = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { passed: number; failed: number; failures: { title: string; error: string }[] };
      ({ passed, failed } = r);
      r.failures.forEach((f) => console.error(`FAILED ${f.title}\n${f.error}\n`));
    } else {
      const r = await runExtensionHostTests({
        extensionPath: root,
        testsPath,
        workspaceFolder: awsDir,
        env,
        resultFile: path.join(runDir, 'result.json'),
        runDir,
        settings: seeded.settings,
        timeoutMs: 240_000,
      });
      ({ passed, failed } = r);
      r.failures.forEach((f) => console.error(`FAILED ${f.title}\n${f.error}\n`));
      console.log(`${label}: extension host VS Code ${r.vscodeVersion || '?'} on Node ${r.nodeVersion || '?'}`);
      if (r.vscodeVersion !== editor.vscode) {
        console.error(`${label}: FAILED: the suite ran in VS Code ${r.vscodeVersion || '(not reported)'}, not ${editor.vscode}`);
        failed++;
      }
      console.log(`${label}: code-server ready in ${r.codeServerReadyMs} ms, suite ${r.durationMs} ms, total ${r.totalMs} ms (logs in ${path.relative(root, r.runDir)})`);
    }
    console.log(`${label}: ${passed} passed, ${failed} failed`);
    return failed === 0 && passed > 0 ? 0 : 1;
  } finally {
    await stub?.stop();
    await moto?.stop();
    fs.rmSync(awsDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`${label}: harness failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    console.log(`${label}: 0 passed, 1 failed`);
    process.exit(1);
  },
);
