/**
 * Runs after every other extension-host suite (files run in name order): everything the extension showed or wrote
 * during the whole run — the log, every notification, dialog, prompt and progress title, every tooltip of the tree,
 * the stored send history, every generated document and every diagnostic — is scanned for every seeded key, every session credential
 * and every secret the suites planted in hostile inputs (endpoint passwords, credential_process tokens, the external
 * id, a number without "+"), and the AWS files must be exactly as the seed wrote them.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Node } from '../../src/ui/profilesView';
import type { SeedResult } from '../harness/seed';
import { planted } from './helpers';
import { ScriptedUi } from './scriptedUi';

/** Every tooltip and description of the tree, as VS Code would show them on hover. */
async function treeTexts(api: TestApi): Promise<string> {
  const out: string[] = [];
  const visit = async (parent?: Node): Promise<void> => {
    for (const node of await api.deps.view.getChildren(parent)) {
      const item = await api.deps.view.resolveTreeItem(api.deps.view.getTreeItem(node), node);
      const tooltip = typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
      out.push(String(item.label ?? ''), String(item.description ?? ''), tooltip);
      if (item.collapsibleState !== vscode.TreeItemCollapsibleState.None) {
        await visit(node);
      }
    }
  };
  await visit();
  return out.join('\n');
}

describe('After every command (extension host)', () => {
  it('no seeded key, session credential or planted secret in any exit; AWS files untouched', async () => {
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
    for (const kind of ['endpoint URL password', 'Vault token in credential_process stderr', 'JWT in credential_process stderr', 'external id', 'destination without +']) {
      assert.ok(planted.some((p) => p.kind === kind), `a suite planted a ${kind}`);
    }
    const log = fs.readFileSync(api.logFile.fsPath, 'utf8');
    assert.ok(log.split('\n').length > 100, 'the log covers the whole run');
    const docs = api.deps.docs.texts().join('\n');
    const policies = api.deps.docs.documents().filter((d) => d.path.endsWith('.json'));
    const otherDocs = api.deps.docs.documents().filter((d) => !d.path.endsWith('.json'));
    assert.ok(docs.includes('sts:AssumeRole'), 'generated documents exist');
    const shown = ScriptedUi.everything.map((r) => r.text).join('\n');
    assert.ok(ScriptedUi.everything.some((r) => r.kind === 'error') && ScriptedUi.everything.some((r) => r.kind === 'modal'), 'notifications and dialogs were recorded');
    const tree = await treeTexts(api);
    assert.ok(tree.includes('Primary'), 'the tree was read');
    const history = JSON.stringify(api.deps.history.all());
    assert.ok(api.deps.history.all().length > 0, 'sends were stored');
    const exits = [
      ['the log', log],
      ['a notification, dialog, prompt or progress title', shown],
      ['a tooltip of the tree', tree],
      ['the stored send history', history],
      ['the generated policies', policies.map((d) => d.text).join('\n')],
      ['the generated reports and guides', otherDocs.map((d) => d.text).join('\n')],
      ['a diagnostic (the Problems panel)', vscode.languages.getDiagnostics().flatMap(([, ds]) => ds.map((d) => d.message)).join('\n')],
    ] as const;
    for (const [where, text] of exits) {
      for (const s of [...secrets, ...sessionSecrets]) {
        assert.ok(!text.includes(s), `${where} contains a secret (${s.slice(0, 4)}…)`);
      }
      for (const p of planted) {
        // A trust policy carries the external id it requires: policies, and nothing else, may show it.
        if (!(p.inTrustPolicy && where === 'the generated policies')) {
          assert.ok(!text.includes(p.value), `${where} contains a ${p.kind} (${p.value.slice(0, 4)}…)`);
        }
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
