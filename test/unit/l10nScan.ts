/**
 * The localisation lint: finds user-facing text written as a literal instead of going through `l10n.t`
 * (`vscode.l10n.t` in src/ui and src/commands, `l10n.t` of `@vscode/l10n` in src/core and src/aws), and collects
 * every message passed to `l10n.t` so the bundle can be checked against it. Used by l10n.test.ts.
 *
 * "User-facing" is decided by where a value goes, with the TypeScript compiler API (no type checking, so it is
 * fast and needs no program):
 * - an argument of `vscode.window.show{Information,Warning,Error}Message`, `showQuickPick`, `showInputBox`,
 *   `withProgress`, and of the project's `Ui` methods (`ui.modal/choose/info/warn/error/progress/pick/input`,
 *   whatever the receiver is called, as long as it ends in `ui`), and a progress `report(...)`;
 * - an argument of `new UserError`, `new TenDlcError` (message and hint), `new vscode.TreeItem`,
 *   `new vscode.Diagnostic` (message), `new vscode.MarkdownString`, `appendMarkdown`, `appendText`;
 * - a property named `label`, `description`, `detail`, `tooltip`, `title`, `prompt`, `placeHolder`, `placeholder`,
 *   `message` or `hint` of an object literal given to one of those, and an assignment to such a property
 *   (`item.tooltip = …`, `quickPick.placeholder = …`);
 * - anywhere in src, a property `hint` or `reason` (the explained errors and check results of src/core and src/aws,
 *   which the UI shows as they are), and the `label`/`detail`/`summary` of a readiness check.
 *
 * A literal is text when it has a letter once codicons (`$(check)`) and substitutions are removed; a literal
 * without letters (`' · '`, `` `${a} (${b})` ``) is punctuation and is allowed. In a `? :` or `??` / `||` each
 * branch is looked at; an array's elements are looked at (the buttons of a message).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly why: string;
  /** Offsets of the node in the file. */
  readonly start: number;
  readonly end: number;
}

export interface ScanResult {
  readonly findings: Finding[];
  /** Every message given to `l10n.t`, as its bundle key. */
  readonly keys: Map<string, { file: string; line: number }>;
}

const SHOW_METHODS = new Set(['showInformationMessage', 'showWarningMessage', 'showErrorMessage', 'showQuickPick', 'showInputBox', 'withProgress', 'setStatusBarMessage']);
const UI_METHODS = new Set(['modal', 'choose', 'info', 'warn', 'error', 'progress', 'pick', 'input']);
const TEXT_PROPS = new Set(['label', 'description', 'detail', 'tooltip', 'title', 'prompt', 'placeHolder', 'placeholder', 'message', 'hint', 'validationMessage']);
/** Properties that hold user-facing text wherever they are written (see the file comment). */
const ALWAYS_TEXT_PROPS = new Set(['hint', 'reason', 'message', 'detail', 'title', 'why', 'problem', 'error']);
/** Text properties of the readiness checks' results (src/aws), shown in the Check Setup report as they are. */
const CHECK_TEXT_PROPS = new Set(['summary', 'detail', 'label']);
const ASSIGNED_TEXT_PROPS = new Set(['label', 'description', 'tooltip', 'title', 'prompt', 'placeholder', 'placeHolder', 'message', 'validationMessage', 'text']);
const NEW_SINKS: Record<string, (i: number) => boolean> = {
  UserError: () => true,
  TenDlcError: (i) => i > 0,
  TreeItem: (i) => i === 0,
  Diagnostic: (i) => i === 1,
  MarkdownString: (i) => i === 0,
};

/** True for `l10n.t(…)` and `vscode.l10n.t(…)`. */
export function isL10nCall(node: ts.Node): boolean {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression) || node.expression.name.text !== 't') {
    return false;
  }
  const recv = (node.expression as ts.PropertyAccessExpression).expression;
  return (ts.isIdentifier(recv) && recv.text === 'l10n') || (ts.isPropertyAccessExpression(recv) && recv.name.text === 'l10n');
}

/** The text of a literal that a translator would have to see, or undefined when the node is not literal text. */
function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    return node.text;
  }
  if (ts.isTemplateExpression(node)) {
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('\u0000');
  }
  return undefined;
}

function hasWords(text: string): boolean {
  if (/^[a-z0-9]+([.:_/-][a-z0-9]+)+$/i.test(text)) {
    return false; // an id or token: tendlc-problem, tendlc.setPrimary, sns:Publish
  }
  return /\p{L}/u.test(text.replace(/\$\([a-z0-9-~]+\)/g, ''));
}

/** The name of the last identifier of a receiver: `deps.ui` → ui, `this.ui()` → ui, `ui` → ui. */
function receiverName(e: ts.Expression): string | undefined {
  let x: ts.Expression = e;
  while (ts.isCallExpression(x) || ts.isParenthesizedExpression(x) || ts.isAwaitExpression(x) || ts.isNonNullExpression(x)) {
    x = ts.isCallExpression(x) ? x.expression : x.expression;
  }
  if (ts.isIdentifier(x)) {
    return x.text;
  }
  if (ts.isPropertyAccessExpression(x)) {
    return x.name.text;
  }
  return undefined;
}

function propName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/** Two words or more: `'Set Primary Profile'`, `` `No profile named ${n}` ``; not `'tendlc.setPrimary'` or `'vscode.open'`. */
export function isProse(text: string): boolean {
  return /\p{L}{2,}[,.:;!?"')]*\s+[("'`*]*\p{L}/u.test(text.replace(/\$\([a-z0-9-~]+\)/g, ''));
}

/** Properties that hold ids, not text: a tree item's contextValue (menus match it), ids, commands, when clauses. */
const NON_TEXT_PROPS = new Set(['contextValue', 'id', 'command', 'when', 'languageId', 'language', 'scheme']);

/** An AWS CLI command line (`aws iam create-role --role-name …`, `  --policy-document file://…`): code, not prose. */
function isCliLine(text: string): boolean {
  return /^\s*(aws [a-z0-9-]+ [a-z0-9-]+|--[a-z0-9-]+)(\s|$)/.test(text);
}

/** Receivers whose calls write to the log (English, for support and bug reports) rather than to the user. */
const LOG_RECEIVERS = new Set(['log', 'logger', 'channel']);

/**
 * Scans one file. With `prose`, every literal of two words or more must be an l10n.t message too, wherever it is
 * (the UI layers: a label kept in a constant or built by a helper reaches the user just the same), except what
 * goes to the log.
 */
export function scanSource(file: string, source: string, prose = false): ScanResult {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const findings: Finding[] = [];
  const keys = new Map<string, { file: string; line: number }>();
  const seen = new Set<ts.Node>();
  const lineOf = (n: ts.Node): number => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const report = (n: ts.Node, why: string): void => {
    if (!seen.has(n)) {
      seen.add(n);
      findings.push({ file, line: lineOf(n), text: n.getText(sf).slice(0, 120), why, start: n.getStart(sf), end: n.getEnd() });
    }
  };

  /** Looks at a value that ends up in front of the user. */
  const text = (n: ts.Expression | undefined, why: string, props = TEXT_PROPS): void => {
    if (!n) {
      return;
    }
    if (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n) || ts.isSatisfiesExpression(n) || ts.isAwaitExpression(n)) {
      text(n.expression, why, props);
      return;
    }
    if (ts.isConditionalExpression(n)) {
      text(n.whenTrue, why, props);
      text(n.whenFalse, why, props);
      return;
    }
    if (ts.isBinaryExpression(n)) {
      const op = n.operatorToken.kind;
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) {
        text(n.left, why, props);
        text(n.right, why, props);
        return;
      }
      if (op === ts.SyntaxKind.PlusToken) {
        const parts = flattenPlus(n);
        if (parts.some((p) => isL10nCall(p))) {
          report(n, `${why}: translated text concatenated with +; use one l10n.t message with {0} placeholders`);
        }
        for (const p of parts) {
          text(p, why, props);
        }
        return;
      }
    }
    if (ts.isArrayLiteralExpression(n)) {
      n.elements.forEach((e) => text(e, why, props));
      return;
    }
    if (ts.isObjectLiteralExpression(n)) {
      for (const p of n.properties) {
        if (ts.isPropertyAssignment(p) && props.has(propName(p.name) ?? '')) {
          text(p.initializer, `${why} (${propName(p.name)})`, props);
        }
      }
      return;
    }
    if (ts.isCallExpression(n) && !isL10nCall(n)) {
      // `[...].join(' ')` of literals, `items.map((x) => ({ label: 'literal' }))`
      for (const a of n.arguments) {
        if (ts.isArrowFunction(a) && !ts.isBlock(a.body)) {
          text(a.body, why, props);
        }
      }
      if (ts.isPropertyAccessExpression(n.expression) && ['join', 'concat'].includes(n.expression.name.text)) {
        text(n.expression.expression, why, props);
      }
      return;
    }
    const lit = literalText(n);
    if (lit !== undefined && hasWords(lit)) {
      report(n, `${why}: user-facing literal not passed through l10n.t`);
    }
    if (ts.isTemplateExpression(n)) {
      for (const s of n.templateSpans) {
        if (isL10nCall(s.expression)) {
          // `${l10n.t('a')} ${l10n.t('b')}` is fine when each piece is a whole sentence; nothing to report.
        }
      }
    }
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isLiteralTypeNode(node)) {
      return;
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && LOG_RECEIVERS.has(receiverName(node.expression.expression) ?? '')) {
      return;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken && !(ts.isBinaryExpression(node.parent) && node.parent.operatorToken.kind === ts.SyntaxKind.PlusToken)) {
      if (flattenPlus(node).some((p) => isL10nCall(p))) {
        report(node, 'translated text concatenated with +; use one l10n.t message with {0} placeholders');
      }
    }
    if (!prose && ts.isVariableStatement(node) && ts.isSourceFile(node.parent)) {
      // src/core and src/aws: a module constant is evaluated when the module loads, before activation configures
      // the bundle, so English text there would never be translated: it must be a function returning l10n.t.
      for (const d of node.declarationList.declarations) {
        const parts = d.initializer ? flattenPlus(d.initializer).map(literalText) : [];
        const lit = parts.some((x) => x !== undefined) ? parts.join(' ') : undefined;
        if (d.initializer && lit !== undefined && isProse(lit)) {
          report(d.initializer, 'module-level English text in src/core or src/aws: make it a function that returns l10n.t(...)');
        }
      }
    }
    if (prose && ts.isConditionalExpression(node)) {
      for (const b of [node.whenTrue, node.whenFalse]) {
        if ((ts.isStringLiteral(b) || ts.isNoSubstitutionTemplateLiteral(b)) && /^(s|es)$/.test(b.text)) {
          report(b, 'English plural by suffix: write the singular and the plural as two l10n.t messages');
        }
      }
    }
    if (prose && !seen.has(node)) {
      const lit = literalText(node);
      const words = lit !== undefined && (isProse(lit) || (ts.isTemplateExpression(node) && /(^|\s)\p{L}{2,}(\s|$)/u.test(lit.replace(/\u0000/g, ' '))));
      const parent = node.parent;
      const idProp =
        words &&
        ((ts.isPropertyAssignment(parent) && NON_TEXT_PROPS.has(propName(parent.name) ?? '')) ||
        (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(parent.left) && NON_TEXT_PROPS.has(parent.left.name.text)));
      if (words && !idProp && !isCliLine(lit ?? '') && !(ts.isPropertyAssignment(parent) && parent.name === node)) {
        report(node, 'user-facing text not passed through l10n.t');
      }
    }
    if (isL10nCall(node) && ts.isCallExpression(node)) {
      const first = node.arguments[0];
      if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
        keys.set(first.text, { file, line: lineOf(first) });
        for (const a of node.arguments.slice(1)) {
          const lit = literalText(a);
          if (lit !== undefined && hasWords(lit)) {
            report(a, 'English literal as an l10n.t argument: it stays untranslated inside the message; give each variant its own l10n.t message');
          }
          const branches = ts.isConditionalExpression(a)
            ? [a.whenTrue, a.whenFalse]
            : ts.isBinaryExpression(a) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(a.operatorToken.kind)
              ? [a.left, a.right]
              : [];
          {
            for (const b of branches) {
              const l = literalText(b);
              if (l !== undefined && hasWords(l)) {
                report(b, 'English literal as an l10n.t argument: it stays untranslated inside the message; give each variant its own l10n.t message');
              }
            }
          }
        }
      } else if (first && ts.isObjectLiteralExpression(first)) {
        const msg = first.properties.find((p) => ts.isPropertyAssignment(p) && propName(p.name) === 'message') as ts.PropertyAssignment | undefined;
        const comment = first.properties.find((p) => ts.isPropertyAssignment(p) && propName(p.name) === 'comment') as ts.PropertyAssignment | undefined;
        if (msg && (ts.isStringLiteral(msg.initializer) || ts.isNoSubstitutionTemplateLiteral(msg.initializer))) {
          const c = comment ? literalText(comment.initializer) : undefined;
          keys.set(c ? `${msg.initializer.text}/${c}` : msg.initializer.text, { file, line: lineOf(first) });
        } else {
          report(node, 'l10n.t needs a literal message (the bundle is extracted from the source)');
        }
      } else {
        report(node, 'l10n.t needs a literal message (the bundle is extracted from the source)');
      }
      node.arguments.slice(1).forEach(visit);
      return;
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const recv = receiverName(node.expression.expression);
      if (SHOW_METHODS.has(method) && recv === 'window') {
        node.arguments.forEach((a) => text(a, `vscode.window.${method}`));
      } else if (UI_METHODS.has(method) && recv !== undefined && /(^|[a-z])ui$/i.test(recv)) {
        node.arguments.forEach((a) => text(a, `ui.${method}`));
      } else if (method === 'report' && recv !== 'log') {
        // a progress report, or a problem of an AWS file (awsIni's report(line, 'error', message)): the lower-case
        // word is its severity, not text
        node.arguments.filter((a) => !(ts.isStringLiteral(a) && /^[a-z]+$/.test(a.text))).forEach((a) => text(a, 'report'));
      } else if ((method === 'appendMarkdown' || method === 'appendText') && node.arguments[0]) {
        text(node.arguments[0], method);
      }
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ['fail', 'problem'].includes(node.expression.text)) {
      // src/core: the message of a failed validation (validate.ts fail), shown under an input box or in an error,
      // and of a problem with an AWS file (profileLoader.ts problem), shown in the tree.
      node.arguments.filter((a) => !(ts.isStringLiteral(a) && /^[a-z]+$/.test(a.text))).forEach((a) => text(a, node.expression.getText(sf)));
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'report') {
      node.arguments.forEach((a) => text(a, 'progress report'));
    }
    if (ts.isNewExpression(node)) {
      const name = ts.isIdentifier(node.expression) ? node.expression.text : ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : '';
      const sink = NEW_SINKS[name];
      if (sink) {
        (node.arguments ?? []).forEach((a, i) => sink(i) && text(a, `new ${name}`));
      }
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)) {
      const p = node.left.name.text;
      if (ASSIGNED_TEXT_PROPS.has(p) && p !== 'text') {
        text(node.right, `.${p} =`);
      }
    }
    if (ts.isPropertyAssignment(node)) {
      const p = propName(node.name) ?? '';
      if (ALWAYS_TEXT_PROPS.has(p)) {
        text(node.initializer, p);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  void CHECK_TEXT_PROPS;
  return { findings, keys };
}

function flattenPlus(n: ts.Expression): ts.Expression[] {
  if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return [...flattenPlus(n.left), ...flattenPlus(n.right)];
  }
  if (ts.isParenthesizedExpression(n)) {
    return flattenPlus(n.expression);
  }
  return [n];
}

export function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []))
    .sort();
}

/** Scans `dirs` (files or folders under root); `proseDirs` are scanned with the prose rule as well. */
export function scanTree(root: string, dirs: readonly string[], proseDirs: readonly string[] = []): ScanResult {
  const findings: Finding[] = [];
  const keys = new Map<string, { file: string; line: number }>();
  for (const d of dirs) {
    const abs = path.join(root, d);
    for (const f of fs.statSync(abs).isDirectory() ? sourceFiles(abs) : [abs]) {
      const rel = path.relative(root, f);
      const r = scanSource(rel, fs.readFileSync(f, 'utf8'), proseDirs.some((p) => rel === p || rel.startsWith(`${p}/`)));
      findings.push(...r.findings);
      r.keys.forEach((v, k) => keys.has(k) || keys.set(k, v));
    }
  }
  return { findings, keys };
}
