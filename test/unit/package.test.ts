/**
 * What the Marketplace package ships: `vsce ls` (the file list `vsce package` puts in the .vsix, from .vscodeignore)
 * must be exactly PACKAGED, and every link of the packaged README.md and CHANGELOG.md must resolve inside the
 * package (a packaged file, or a heading of the file it names) or be an absolute URL. A file added to or dropped
 * from the package, or a link to something the package does not carry (BENCHMARKS.md, CONTRIBUTING.md, the
 * sources), fails here.
 *
 * `vsce ls` lists dist/extension.js and dist/aws.js only once they are built: scripts/test.sh builds and packages
 * before the unit tier; alone, run `npm run build` first.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../harness/paths';

/** Everything the .vsix carries. Change this list, .vscodeignore and README/CHANGELOG together. */
const PACKAGED = [
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  'dist/aws.js',
  'dist/extension.js',
  'l10n/bundle.l10n.json',
  'media/icon.png',
  'media/screenshot-check.png',
  'media/screenshot-send.png',
  'media/screenshot-tree.png',
  'media/tendlc.svg',
  'media/walkthrough/assume.md',
  'media/walkthrough/check.md',
  'media/walkthrough/number.md',
  'media/walkthrough/primary.md',
  'media/walkthrough/role.md',
  'media/walkthrough/secondaries.md',
  'media/walkthrough/send.md',
  'package.json',
  'package.nls.json',
];

/** The documents the Marketplace and VS Code's extension page show from the package. */
const SHOWN = ['README.md', 'CHANGELOG.md'];

const ROOT = repoRoot();

function vsceLs(): string[] {
  const bin = path.join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
  const out = execFileSync(bin, ['ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return out.split('\n').map((l) => l.trim()).filter((l) => l.length > 0).map((l) => l.replace(/\\/g, '/'));
}

/** Links and images of a Markdown document (inline, reference definitions, autolinks), outside code. */
export function markdownLinks(text: string): string[] {
  const prose = text
    .replace(/^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, '') // fenced code blocks
    .replace(/(`+)[\s\S]*?\1/g, ''); // code spans
  const links: string[] = [];
  for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push(m[1]!);
  for (const m of prose.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) links.push(m[1]!);
  for (const m of prose.matchAll(/<((?:https?|mailto):[^>\s]+)>/g)) links.push(m[1]!);
  return links;
}

/** The anchors GitHub and VS Code's Markdown preview give a document's headings ("## Quick start" → quick-start). */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const prose = text.replace(/^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, '');
  for (const m of prose.matchAll(/^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .trim()
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Why `link` in `doc` does not resolve inside `packaged`, or undefined when it does. */
export function unresolved(doc: string, link: string, packaged: ReadonlySet<string>, readDoc: (p: string) => string): string | undefined {
  if (/^(https?|mailto):/i.test(link)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(link)) return `${link}: only https, http and mailto URLs are absolute links the Marketplace shows`;
  const hash = link.indexOf('#');
  const target = hash < 0 ? link : link.slice(0, hash);
  const fragment = hash < 0 ? undefined : decodeURIComponent(link.slice(hash + 1));
  const file = target === '' ? doc : path.posix.normalize(path.posix.join(path.posix.dirname(doc), decodeURIComponent(target)));
  if (!packaged.has(file)) return `${link}: ${file} is not in the package`;
  if (fragment !== undefined && file.endsWith('.md') && !headingAnchors(readDoc(file)).has(fragment)) {
    return `${link}: ${file} has no heading with the anchor #${fragment}`;
  }
  return undefined;
}

test('vsce ls: the package holds exactly the listed files', () => {
  const missingBuild = ['dist/extension.js', 'dist/aws.js'].filter((f) => !fs.existsSync(path.join(ROOT, f)));
  assert.deepEqual(missingBuild, [], 'the bundles are not built: run `npm run build` (scripts/test.sh does) before this test');
  const listed = vsceLs().sort();
  const expected = [...PACKAGED].sort();
  const added = listed.filter((f) => !expected.includes(f));
  const dropped = expected.filter((f) => !listed.includes(f));
  assert.deepEqual({ added, dropped }, { added: [], dropped: [] }, 'vsce ls differs from PACKAGED (update .vscodeignore or the list)');
  assert.deepEqual(listed, expected);
});

test('the source of the icon (media/icon.svg) exists but is not shipped; the icon it renders is', () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'media', 'icon.svg')));
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { icon: string };
  assert.ok(PACKAGED.includes(manifest.icon), `the manifest's icon ${manifest.icon} is packaged`);
  assert.ok(!PACKAGED.includes('media/icon.svg'));
});

test('every link of the packaged README.md and CHANGELOG.md resolves inside the package or is an absolute URL', () => {
  const packaged = new Set(PACKAGED);
  const readDoc = (p: string): string => fs.readFileSync(path.join(ROOT, p), 'utf8');
  let checked = 0;
  const problems: string[] = [];
  for (const doc of SHOWN) {
    assert.ok(packaged.has(doc), `${doc} is packaged`);
    for (const link of markdownLinks(readDoc(doc))) {
      checked++;
      const why = unresolved(doc, link, packaged, readDoc);
      if (why) problems.push(`${doc}: ${why}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(checked >= 4, `the README's screenshots and links were found (${checked} links)`);
});

test('the link check itself: relative files outside the package, unknown anchors and other schemes are refused', () => {
  const packaged = new Set(['README.md', 'CHANGELOG.md', 'media/a.png']);
  const docs: Record<string, string> = { 'README.md': '# Title\n\n## Quick start\n\n## Quick start\n', 'CHANGELOG.md': '# Changelog\n' };
  const readDoc = (p: string): string => docs[p] ?? '';
  const text = [
    '![shot](media/a.png) [bench](BENCHMARKS.md) [c](./CONTRIBUTING.md#tiers) [qs](#quick-start) [qs2](#quick-start-1)',
    '[gone](#nowhere) <https://docs.aws.amazon.com/x> [f](file:///etc/passwd) `[code](nope.md)`',
    '```', '[fenced](nope.md)', '```', '[ref]: media/b.png',
  ].join('\n');
  const links = markdownLinks(text);
  assert.deepEqual(links, ['media/a.png', 'BENCHMARKS.md', './CONTRIBUTING.md#tiers', '#quick-start', '#quick-start-1', '#nowhere', 'file:///etc/passwd', 'media/b.png', 'https://docs.aws.amazon.com/x']);
  const bad = links.filter((l) => unresolved('README.md', l, packaged, readDoc) !== undefined);
  assert.deepEqual(bad, ['BENCHMARKS.md', './CONTRIBUTING.md#tiers', '#nowhere', 'file:///etc/passwd', 'media/b.png']);
  assert.ok(headingAnchors('## Choosing a sharing mode\n## `tendlc.region` & more').has('choosing-a-sharing-mode'));
  assert.ok(headingAnchors('## `tendlc.region` & more').has('tendlcregion--more'));
});
