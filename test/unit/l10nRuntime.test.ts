/**
 * src/core and src/aws localise through @vscode/l10n, which activation configures with VS Code's bundle for the
 * display language (vscode.l10n.bundle). This file configures it (configureL10n, as activate() and createAwsServices do) with a made-up bundle (in its own process: node
 * --test runs each file apart) and checks that core messages are looked up by the same keys as l10n/bundle.l10n.json
 * and at call time, not when the module loaded.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { configureL10n } from '../../src/core/l10n';
import { validateMfaCode } from '../../src/core/validate';

const ROOT = path.resolve(__dirname, '../../..');

test('core messages follow the configured bundle, rules included', () => {
  const english = validateMfaCode('');
  assert.equal(english.ok, false);
  const bundle = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n/bundle.l10n.json'), 'utf8')) as Record<string, string>;
  const required = 'An MFA code is required: {0}.';
  const rule = 'an MFA code is the 6 digits your authenticator shows now (e.g. 123456)';
  assert.ok(required in bundle && rule in bundle, 'the messages are in the extracted bundle under these keys');
  configureL10n({ [required]: 'Ein MFA-Code ist nötig: {0}.', [rule]: 'die 6 Ziffern Ihres Authenticators' });
  try {
    const german = validateMfaCode('');
    assert.deepEqual(german, { ok: false, error: 'Ein MFA-Code ist nötig: die 6 Ziffern Ihres Authenticators.' });
  } finally {
    configureL10n({});
  }
  assert.deepEqual(validateMfaCode(''), english);
});
