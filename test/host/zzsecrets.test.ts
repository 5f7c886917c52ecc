/**
 * Runs after every other extension-host suite (files run in name order): everything the extension
 * showed or wrote during the whole run is scanned for every seeded key and every session credential,
 * and the AWS files must be exactly as the seed wrote them.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { SeedResult } from '../harness/seed';

describe('After every command (extension host)', () => {
  it('no seeded key, secret, token or session credential in the log or any generated document; AWS files untouched', async () => {
    const seed = JSON.parse(fs.readFileSync(process.env['TENDLC_TEST_SEED'] ?? '', 'utf8')) as SeedResult & { fileHashes?: Record<string, string> };
    const secrets = JSON.parse(process.env['TENDLC_TEST_SECRETS'] ?? '[]') as string[];
    assert.ok(secrets.length >= 10, 'the harness passed the seeded secrets');
    const ext = vscode.extensions.getExtension<TestApi>('tendlc.tendlc-cross-account');
    assert.ok(ext);
    const api = (await ext.activate()) as TestApi;
    const services = await api.deps.aws.get();
    const sessionSecrets = ['secondary-a', 'secondary-b', 'mfa-role']
      .map((p) => services.sessions.liveSessionOf(p))
      .flatMap((s) => (s ? [s.credentials.accessKeyId, s.credentials.secretAccessKey, s.credentials.sessionToken ?? ''] : []))
      .filter((x) => x.length > 0);
    assert.ok(sessionSecrets.length >= 3, 'sessions were assumed during the run');
    const log = fs.readFileSync(api.logFile.fsPath, 'utf8');
    assert.ok(log.split('\n').length > 100, 'the log covers the whole run');
    const docs = api.deps.docs.texts().join('\n');
    assert.ok(docs.includes('sts:AssumeRole'), 'generated documents exist');
    for (const [where, text] of [['the log', log], ['the generated documents', docs]] as const) {
      for (const s of [...secrets, ...sessionSecrets]) {
        assert.ok(!text.includes(s), `${where} contains a secret (${s.slice(0, 4)}…)`);
      }
      assert.ok(!text.includes(seed.destinationNumber), `${where} shows the full destination number`);
    }
    // The harness recorded the files' hashes before code-server started.
    const expected = JSON.parse(process.env['TENDLC_TEST_FILE_HASHES'] ?? '{}') as Record<string, string>;
    assert.ok(Object.keys(expected).length === 2, 'the harness passed the file hashes');
    for (const [file, hash] of Object.entries(expected)) {
      assert.equal(createHash('sha256').update(fs.readFileSync(file)).digest('hex'), hash, `${file} changed`);
    }
  });
});
