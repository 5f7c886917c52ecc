/**
 * Profile names go into generated shell commands (Generate Policies, the export READMEs, the
 * resource-policy guide). A name comes from the user's AWS files and may hold `$(…)`, backticks,
 * quotes or `;`: pasted into a POSIX shell, the command must name that profile and run nothing.
 * Over generated names (seeded; the seed is printed), /bin/sh itself reads the quoted words back.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { test } from 'node:test';
import { profileWord, shellQuote } from '../../src/core/format';
import { cloudFormationGuide, terraformGuide } from '../../src/core/iacGuide';
import { resourcePolicyGuide } from '../../src/core/numberPolicy';
import { setupModel } from '../../src/core/setup';
import { Rng } from './hostileFiles';

const ALPHABET = ['a', 'Z', '0', '-', '_', '.', '@', ' ', '$', '(', ')', '`', "'", '"', ';', '&', '|', '\\', '*', '?', '!', '{', '}', '<', '>', '#', '~', '%', '=', '\t', 'é'];

/** What /bin/sh makes of each word: printf '%s\0' WORD… in one shell. */
function shellReads(words: readonly string[]): string[] {
  const out = spawnSync('sh', ['-c', `printf '%s\\0' ${words.join(' ')}`], { encoding: 'utf8', cwd: '/' });
  assert.equal(out.status, 0, out.stderr);
  return out.stdout.split('\0').slice(0, -1);
}

test('shellQuote: /bin/sh reads back exactly the name, whatever it holds, and runs nothing', () => {
  const seed = Number(process.env.TENDLC_SEED ?? randomInt(2 ** 31));
  console.log(`shellQuote seed: ${seed} (TENDLC_SEED=${seed} to repeat)`);
  const rng = new Rng(seed);
  const names = ['a$(id)', 'a`id`', "o'brien", 'x; rm -rf ~', '$HOME', 'plain-name_1.x', ...Array.from({ length: 400 }, () => Array.from({ length: rng.int(1, 12) }, () => ALPHABET[rng.int(0, ALPHABET.length - 1)]).join(''))];
  assert.deepEqual(shellReads(names.map(shellQuote)), names);
  assert.equal(shellQuote('plain-name_1.x'), 'plain-name_1.x', 'a plain name stays as it is');
  assert.equal(profileWord('account 222222222222'), 'SECONDARY_PROFILE');
});

test('the generated commands quote hostile profile names: the export READMEs and the resource-policy guide', () => {
  const primary = 'prod$(id)';
  const secondary = "team `whoami`'s";
  const m = setupModel({ primaryAccountId: '111111111111', region: 'us-east-1', roleName: 'tendlc-cross-account-sms', trusted: ['222222222222'], requireMfa: false });
  const guides = [
    cloudFormationGuide(m, { primaryProfile: primary, secondaries: [{ name: secondary, accountId: '222222222222' }] }),
    terraformGuide(m, { primaryProfile: primary, secondaries: [{ name: secondary, accountId: '222222222222' }] }),
    resourcePolicyGuide({ primaryProfile: primary, accountId: '111111111111', region: 'us-east-1', originationNumber: '+12065550100', resources: [{ kind: 'phone-number', arn: 'PHONE_NUMBER_ARN', placeholder: true, file: 'number-resource-policy.json' }] }).join('\n'),
  ];
  for (const text of guides) {
    const lines = text.split('\n').filter((l) => /--profile |AWS_PROFILE=/.test(l));
    assert.ok(lines.length > 0, 'the guide has commands naming a profile');
    for (const l of lines) {
      assert.ok(!l.includes('$(id)') || l.includes("'prod$(id)'"), `unquoted primary profile in: ${l}`);
      assert.ok(!l.includes('`whoami`') || l.includes(shellQuote(secondary)), `unquoted secondary profile in: ${l}`);
    }
  }
  assert.ok(guides[0].includes("--profile 'prod$(id)'"));
  assert.ok(guides[2].includes("--profile 'prod$(id)'"));
  assert.ok(guides[1].includes("AWS_PROFILE='prod$(id)' terraform apply"));
  assert.ok(guides[1].includes(`AWS_PROFILE=${shellQuote(secondary)} terraform apply`));
});
