/**
 * Localisation: no user-facing literal outside `l10n.t`, the bundle (l10n/bundle.l10n.json) holds exactly the
 * messages the source uses, and package.nls.json holds every %key% of package.json. The rule itself is in
 * l10nScan.ts; the first tests prove it fails on each kind of literal it is meant to catch.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { scanSource, scanTree, type Finding } from './l10nScan';

const ROOT = path.resolve(__dirname, '../../..');
/** The layers that import vscode: every literal of two words or more there is user-facing unless it is logged. */
const PROSE = ['src/ui', 'src/commands', 'src/extension.ts'];


const show = (fs: readonly Finding[]): string => fs.map((f) => `${f.file}:${f.line}: ${f.why}: ${f.text}`).join('\n');

describe('the localisation lint', () => {
  const ui = (body: string): Finding[] => scanSource('src/ui/x.ts', `import * as vscode from 'vscode';\n${body}`, true).findings;
  const core = (body: string): Finding[] => scanSource('src/core/x.ts', `import * as l10n from '@vscode/l10n';\n${body}`, false).findings;

  // Each literal below reaches the user; each must be reported. The same line through l10n.t must not be.
  const caught: readonly [string, string][] = [
    ['a notification', `void vscode.window.showInformationMessage('Role created');`],
    ['a notification button', `void vscode.window.showWarningMessage(vscode.l10n.t('Delete it?'), 'Delete');`],
    ['a modal detail', `void vscode.window.showWarningMessage(vscode.l10n.t('Delete?'), { modal: true, detail: 'It cannot be undone.' });`],
    ['a template in an error', 'void vscode.window.showErrorMessage(`Role ${name} failed`);'],
    ['a quick pick item', `void vscode.window.showQuickPick([{ label: 'Primary', description: vscode.l10n.t('owner') }]);`],
    ['a quick pick placeholder', `void vscode.window.showQuickPick([], { placeHolder: 'Choose' });`],
    ['an input box prompt', `void vscode.window.showInputBox({ prompt: 'Code', title: vscode.l10n.t('MFA') });`],
    ['a progress title', `void vscode.window.withProgress({ location: 1, title: 'Reading' }, async () => undefined);`],
    ['a progress message', `report({ message: 'Waiting' });`],
    ['the Ui wrapper', `void deps.ui.info('Done');`],
    ['the Ui wrapper buttons', `void deps.ui.modal(vscode.l10n.t('Send?'), vscode.l10n.t('It costs.'), ['Send']);`],
    ['the Ui wrapper pick', `void this.ui().pick(items, { title: vscode.l10n.t('Pick'), placeHolder: 'a profile' });`],
    ['a tree item label', `const i = new vscode.TreeItem('Primary');`],
    ['a tree item tooltip', `item.tooltip = 'Click to fix';`],
    ['a diagnostic', `const d = new vscode.Diagnostic(range, 'Bad policy');`],
    ['a markdown tooltip', `md.appendMarkdown('**Account**');`],
    ['a user error', `throw new UserError(vscode.l10n.t('No primary.'), 'Set one.');`],
    ['a conditional branch', `void deps.ui.info(ok ? vscode.l10n.t('Done') : 'Failed');`],
    ['a constant label', `export const SEND_BUTTON = 'Send SMS';`],
    ['a helper that returns text', 'function where(n: string): string { return `in profile ${n}`; }'],
    ['an English fragment inside a message', `void deps.ui.info(vscode.l10n.t('Found {0}', n === 1 ? 'an error' : 'errors'));`],
    ['a fragment after ??', `void deps.ui.info(vscode.l10n.t('Source: {0}', s ?? 'the profile'));`],
    ['translated pieces joined with +', `void deps.ui.info(vscode.l10n.t('Done.') + ' ' + vscode.l10n.t('Again?'));`],
    ['a plural made with an s', 'const w = `${n} warning${n > 1 ? \'s\' : \'\'}`;'],
    ['a translated piece joined with + inside a message', "const m = vscode.l10n.t('Number {0}{1}', arn, p ? vscode.l10n.t(' (a placeholder') + ')' : '');"],
    ['a computed message', `void deps.ui.info(vscode.l10n.t(message));`],
  ];
  for (const [what, line] of caught) {
    test(`reports ${what}`, () => {
      assert.ok(ui(line).length > 0, `not reported: ${line}`);
    });
  }

  test('reports explained errors and hints in src/core and src/aws', () => {
    assert.equal(core(`throw new TenDlcError('mfa', 'MFA code rejected.', l10n.t('Type a fresh code.'));`).length, 1);
    assert.equal(core(`return { reason: 'it timed out', hint: l10n.t('Try again.') };`).length, 1);
    assert.equal(core(`return { reason: l10n.t('it timed out'), hint: l10n.t('Try again.') };`).length, 0);
    assert.equal(core(`const RULE = 'an MFA code is 6 digits';`).length, 1, 'a module constant is read before the bundle is configured');
    assert.equal(core(`const RULE = (): string => l10n.t('an MFA code is 6 digits');`).length, 0);
  });

  test('accepts translated text, punctuation, log lines and identifiers', () => {
    const ok = [
      `void vscode.window.showInformationMessage(vscode.l10n.t('Role {0} created', name), vscode.l10n.t('Open'));`,
      'void deps.ui.info(`${vscode.l10n.t(\'Done.\')} ${hint}`);',
      `const label = [a, b].join(' · ');`,
      `deps.log.info('Sending a test SMS from profile ' + name);`,
      'deps.log.warn(`Account ${id} could not be looked up`);',
      `void vscode.commands.executeCommand('workbench.action.openSettings', 'tendlc.originationNumber');`,
      `const item = new vscode.TreeItem(profile.name); item.iconPath = new vscode.ThemeIcon('account');`,
      `void deps.ui.info(vscode.l10n.t({ message: 'Sent {0}', args: [id], comment: 'an SMS' }));`,
      `item.tooltip = new vscode.MarkdownString(vscode.l10n.t('**Account** {0}', id));`,
      'item.contextValue = `tendlc-check check-${status}${fix ? \' has-fix\' : \'\'}`;',
      `const item = { id: 'profile:a b', contextValue: 'tendlc-profile is-primary' };`,
      'lines.push(`aws iam create-role --profile ${p} --role-name ${r} --assume-role-policy-document file://trust.json`);',
    ];
    for (const line of ok) {
      assert.deepEqual(ui(line), [], line);
    }
  });

  test('collects the messages and their comments as bundle keys', () => {
    const r = scanSource('src/ui/x.ts', `vscode.l10n.t('A {0}', x); vscode.l10n.t({ message: 'B', comment: 'c' }); l10n.t('C');`, true);
    assert.deepEqual([...r.keys.keys()].sort(), ['A {0}', 'B/c', 'C']);
  });
});

// The fields of package.json that VS Code and the Marketplace show (and translate through package.nls.json).
interface Manifest {
  displayName?: string;
  description?: string;
  capabilities?: { untrustedWorkspaces?: { description?: string } };
  contributes?: {
    viewsContainers?: Record<string, { title?: string }[]>;
    views?: Record<string, { name?: string; contextualTitle?: string }[]>;
    viewsWelcome?: { contents?: string }[];
    commands?: { title?: string; shortTitle?: string; category?: string }[];
    submenus?: { label?: string }[];
    configuration?: Configuration | Configuration[];
    walkthroughs?: { title?: string; description?: string; steps?: { title?: string; description?: string; media?: { altText?: string } }[] }[];
  };
}
type Configuration = { title?: string; properties?: Record<string, Record<string, unknown>> };
const SETTING_TEXT = ['description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage', 'patternErrorMessage', 'errorMessage', 'enumDescriptions', 'markdownEnumDescriptions'];

/** [where, text] for every user-visible text of a manifest. */
export function manifestTexts(pkg: Manifest): [string, string][] {
  const out: [string, string][] = [];
  const add = (where: string, v: unknown): void => {
    if (typeof v === 'string') {
      out.push([where, v]);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => add(`${where}[${i}]`, x));
    }
  };
  add('displayName', pkg.displayName);
  add('description', pkg.description);
  add('capabilities.untrustedWorkspaces.description', pkg.capabilities?.untrustedWorkspaces?.description);
  const c = pkg.contributes ?? {};
  Object.values(c.viewsContainers ?? {}).flat().forEach((v, i) => add(`viewsContainers[${i}].title`, v.title));
  Object.values(c.views ?? {}).flat().forEach((v, i) => (add(`views[${i}].name`, v.name), add(`views[${i}].contextualTitle`, v.contextualTitle)));
  (c.viewsWelcome ?? []).forEach((v, i) => add(`viewsWelcome[${i}].contents`, v.contents));
  (c.commands ?? []).forEach((v, i) => (add(`commands[${i}].title`, v.title), add(`commands[${i}].shortTitle`, v.shortTitle), add(`commands[${i}].category`, v.category)));
  (c.submenus ?? []).forEach((v, i) => add(`submenus[${i}].label`, v.label));
  for (const conf of [c.configuration ?? []].flat()) {
    add('configuration.title', conf.title);
    for (const [name, prop] of Object.entries(conf.properties ?? {})) {
      SETTING_TEXT.forEach((f) => add(`${name}.${f}`, prop[f]));
      const items = prop.items as Record<string, unknown> | undefined;
      SETTING_TEXT.forEach((f) => add(`${name}.items.${f}`, items?.[f]));
    }
  }
  (c.walkthroughs ?? []).forEach((w, i) => {
    add(`walkthroughs[${i}].title`, w.title);
    add(`walkthroughs[${i}].description`, w.description);
    (w.steps ?? []).forEach((s, j) => (add(`walkthroughs[${i}].steps[${j}].title`, s.title), add(`walkthroughs[${i}].steps[${j}].description`, s.description), add(`walkthroughs[${i}].steps[${j}].altText`, s.media?.altText)));
  });
  return out;
}

describe('the package.json lint', () => {
  test('reports a literal command title, setting description and walkthrough step', () => {
    const pkg: Manifest = {
      displayName: '%displayName%',
      contributes: {
        commands: [{ title: 'Send Test SMS', category: '%command.category%' }],
        configuration: { properties: { 'tendlc.region': { markdownDescription: 'The region.', enumDescriptions: ['%a%', 'East'] } } },
        walkthroughs: [{ title: '%w%', steps: [{ title: 'Choose the primary', description: '%d%' }] }],
      },
    };
    const literal = manifestTexts(pkg).filter(([, v]) => !/^%[^%]+%$/.test(v)).map(([w]) => w);
    assert.deepEqual(literal, ['commands[0].title', 'tendlc.region.markdownDescription', 'tendlc.region.enumDescriptions[1]', 'walkthroughs[0].steps[0].title']);
  });
});

describe('localisation of the source', () => {
  const scan = scanTree(ROOT, ['src'], PROSE);

  test('no user-facing literal outside l10n.t', () => {
    const left = scan.findings;
    assert.equal(left.length, 0, `User-facing text must go through vscode.l10n.t (src/ui, src/commands) or l10n.t of @vscode/l10n (src/core, src/aws), with {0} placeholders:\n${show(left)}`);
  });


  test('l10n/bundle.l10n.json holds exactly the messages the source uses (npm run l10n regenerates it)', () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n/bundle.l10n.json'), 'utf8')) as Record<string, string | { message: string }>;
    const used = [...scan.keys.keys()];
    const missing = used.filter((k) => !(k in bundle));
    const stale = Object.keys(bundle).filter((k) => !scan.keys.has(k));
    assert.deepEqual(missing, [], 'messages used in the source but missing from the bundle: run npm run l10n');
    assert.deepEqual(stale, [], 'messages in the bundle that the source no longer uses: run npm run l10n');
    for (const [k, v] of Object.entries(bundle)) {
      // The default bundle is the English source text: a key is its message (with "/comment" when it has one).
      assert.ok(typeof v === 'string' ? v === k : k === v.message || k.startsWith(`${v.message}/`), `not the English text: ${k}`);
    }
  });

  test('package.json shows no English of its own: every title, name, description and welcome text is a %key%', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
    const texts = manifestTexts(pkg);
    assert.ok(texts.length > 50, `only ${texts.length} texts found: the walk of package.json is broken`);
    const literal = texts.filter(([, v]) => !/^%[^%]+%$/.test(v));
    assert.deepEqual(literal, [], 'move these to package.nls.json and put "%key%" in package.json');
  });

  test('package.json names l10n/ and every %key% it uses is in package.nls.json', () => {
    const pkgText = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const pkg = JSON.parse(pkgText) as { l10n?: string };
    assert.equal(pkg.l10n, './l10n');
    const used = [...new Set([...pkgText.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]))];
    const nlsPath = path.join(ROOT, 'package.nls.json');
    const nls = fs.existsSync(nlsPath) ? (JSON.parse(fs.readFileSync(nlsPath, 'utf8')) as Record<string, string>) : {};
    assert.deepEqual(used.filter((k) => !(k in nls)), [], 'keys used in package.json but missing from package.nls.json');
    assert.deepEqual(Object.keys(nls).filter((k) => !used.includes(k)), [], 'keys in package.nls.json that package.json does not use');
  });
});
