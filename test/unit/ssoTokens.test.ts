/**
 * The SSO tokens the SDK will read from its token cache are registered with the redactor first, so no message built
 * from an SSO error or a portal's answer can show one.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createAwsServices } from '../../src/aws';
import { profile, quietLogger, REGION, rig, settled, TEST_TIMEOUT_MS } from './faultRig';

const home = mkdtempSync(join(tmpdir(), 'tendlc-home-'));
after(() => rmSync(home, { recursive: true, force: true }));

test('the access token, refresh token and client secret of the SSO cache entry a profile uses are registered', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const r = await rig(t);
  const tokens = { accessToken: `aoa${randomBytes(24).toString('base64url')}`, refreshToken: `aor${randomBytes(24).toString('base64url')}`, clientSecret: `cs-${randomBytes(24).toString('base64url')}` };
  const cache = join(home, '.aws', 'sso', 'cache');
  mkdirSync(cache, { recursive: true });
  // The SDK names the entry after the sha1 of the sso-session name ("corp" in the rig's config).
  writeFileSync(join(cache, `${createHash('sha1').update('corp').digest('hex')}.json`), JSON.stringify({ ...tokens, clientId: 'c', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), region: REGION, startUrl: 'https://example.awsapps.com/start' }));
  const savedHome = process.env['HOME'];
  process.env['HOME'] = home;
  try {
    const registered: string[] = [];
    const aws = createAwsServices({ logger: { ...quietLogger, secret: (v) => v && registered.push(v) }, env: {}, defaultRegion: () => REGION, timeouts: { connectMs: 1_000, requestMs: 1_000, maxAttempts: 1 } });
    await settled(aws.accounts.resolve(profile(r.profiles, 'sso'), { interactive: true }));
    for (const [name, value] of Object.entries(tokens)) {
      assert.ok(registered.includes(value), `${name} registered`);
    }
    assert.ok(!registered.includes('c'), 'the client id is not a secret');
  } finally {
    process.env['HOME'] = savedHome;
  }
});
