/**
 * The tree at scale (issue 13): a group bigger than a page shows a page and a "Show more" node, and only the
 * profiles of the pages shown are looked up (VS Code asks for a tree item of every child a provider returns, so
 * returning all of them looked every one up). The seeded config gets PAGE_SIZE + 40 static-key profiles for the
 * test (keys made up now; moto answers GetCallerIdentity for any key) and is restored byte for byte after it.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { PAGE_SIZE, type Node } from '../../src/ui/profilesView';
import type { SeedResult } from '../harness/seed';
import { env, waitFor } from './helpers';

const EXTENSION_ID = 'tendlc.tendlc-cross-account';
const EXTRA = PAGE_SIZE + 40;

function madeUpKey(prefix: string, length: number, alphabet: string): string {
  let s = prefix;
  while (s.length < length) s += alphabet[randomInt(alphabet.length)];
  return s;
}

describe('The tree at scale', function () {
  this.timeout(120_000);
  let api: TestApi;
  let configPath: string;
  let original: Buffer;

  before(async () => {
    const seed = JSON.parse(fs.readFileSync(env('TENDLC_TEST_SEED'), 'utf8')) as SeedResult;
    configPath = seed.configPath;
    original = fs.readFileSync(configPath);
    const ext = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
    assert.ok(ext);
    api = (await ext.activate()) as TestApi;
  });

  after(async () => {
    fs.writeFileSync(configPath, original);
    await waitFor('the config file as seeded again', async () => (await api.deps.state.reload()) && api.deps.state.profile('page-000') === undefined);
  });

  it('shows a big group a page at a time, and looks up the accounts of the pages shown only', async () => {
    const moto = env('TENDLC_MOTO_ENDPOINT');
    const sections: string[] = [];
    for (let i = 0; i < EXTRA; i++) {
      const name = `page-${String(i).padStart(3, '0')}`;
      sections.push(
        `[profile ${name}]`,
        'region = us-east-1',
        `endpoint_url = ${moto}`,
        `aws_access_key_id = ${madeUpKey('AKIA', 20, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
        `aws_secret_access_key = ${madeUpKey('', 40, 'abcdefghijklmnopqrstuvwxyz0123456789')}`,
        '',
      );
    }
    fs.writeFileSync(configPath, Buffer.concat([original, Buffer.from(`\n${sections.join('\n')}\n`)]));
    await waitFor('the new profiles in the tree', async () => (await api.deps.state.reload()) && api.deps.state.profile(`page-${String(EXTRA - 1).padStart(3, '0')}`));
    const services = await api.deps.aws.get();
    const roots = await api.deps.view.getChildren();
    const other = roots.find((n) => n.kind === 'group' && n.group === 'other');
    assert.ok(other);
    const all = api.deps.state.grouped()?.other ?? [];
    assert.ok(all.length > PAGE_SIZE, `Other has ${all.length} profiles`);

    const first = await api.deps.view.getChildren(other);
    const shown = first.filter((n): n is Extract<Node, { kind: 'profile' }> => n.kind === 'profile').map((n) => n.name);
    assert.equal(shown.length, PAGE_SIZE, 'one page of profiles');
    const more = first[first.length - 1];
    assert.equal(more.kind, 'more', 'then a "Show more" node');
    const moreItem = api.deps.view.getTreeItem(more);
    assert.equal(moreItem.label, `Show ${Math.min(PAGE_SIZE, all.length - PAGE_SIZE)} more`);
    assert.equal(moreItem.description, `${PAGE_SIZE} of ${all.length.toLocaleString('en-US')} shown`);

    const pageProfiles = all.filter((p) => p.name.startsWith('page-'));
    const shownPage = pageProfiles.filter((p) => shown.includes(p.name));
    const hidden = pageProfiles.filter((p) => !shown.includes(p.name));
    assert.ok(shownPage.length > 0 && hidden.length > 0);
    await waitFor('the accounts of the shown page', () => shownPage.every((p) => services.accounts.peek(p)?.status === 'known' || services.accounts.peek(p)?.status === 'error'));
    assert.deepEqual(
      hidden.filter((p) => services.accounts.peek(p) !== undefined).map((p) => p.name),
      [],
      'no profile of a page not shown was looked up',
    );

    assert.ok(moreItem.command);
    await vscode.commands.executeCommand(moreItem.command.command, ...(moreItem.command.arguments ?? []));
    const second = await api.deps.view.getChildren(other);
    const shownNow = second.filter((n) => n.kind === 'profile').length;
    assert.equal(shownNow, Math.min(all.length, 2 * PAGE_SIZE), 'the next page is shown');
    assert.equal(second.some((n) => n.kind === 'more'), all.length > 2 * PAGE_SIZE);
    await waitFor('the accounts of the next page', () => hidden.every((p) => services.accounts.peek(p) !== undefined && services.accounts.peek(p)?.status !== 'pending'));
  });
});
