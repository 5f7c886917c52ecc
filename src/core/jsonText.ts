/**
 * A strict JSON reader that remembers where every value stands in the text. Two jobs need it and
 * `JSON.parse` does neither: refusing a policy with a repeated key (`{"Effect":"Deny","Effect":"Allow"}`
 * — `JSON.parse` silently keeps the last one, so the reader and IAM might not agree on what it says),
 * and turning a location that IAM Access Analyzer reports as a path (`Statement` → 0 → `Principal`)
 * into a line and column of the text the user is editing.
 *
 * Pure and linear in the size of the text; nesting is bounded (policies nest a few levels deep), so
 * a hostile `[[[[…` fails with a message instead of overflowing the stack.
 */

export type JsonNode =
  | { readonly kind: 'object'; readonly start: number; readonly end: number; readonly entries: readonly JsonEntry[] }
  | { readonly kind: 'array'; readonly start: number; readonly end: number; readonly items: readonly JsonNode[] }
  | { readonly kind: 'string'; readonly start: number; readonly end: number; readonly value: string }
  | { readonly kind: 'number'; readonly start: number; readonly end: number; readonly value: number; readonly raw: string }
  | { readonly kind: 'boolean'; readonly start: number; readonly end: number; readonly value: boolean }
  | { readonly kind: 'null'; readonly start: number; readonly end: number };

export interface JsonEntry {
  readonly key: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly value: JsonNode;
}

export type JsonParse = { readonly ok: true; readonly node: JsonNode } | { readonly ok: false; readonly error: string; readonly offset: number };

/** How deep objects and arrays may nest before the reader gives up (IAM policies need about six). */
export const MAX_DEPTH = 64;

class Fail extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Parses `text` as one JSON value (RFC 8259: no comments, no trailing commas, nothing after it but white space). */
export function parseJson(text: string): JsonParse {
  let i = 0;
  const n = text.length;
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        i++;
      } else {
        break;
      }
    }
  };
  const describe = (at: number): string => (at >= n ? 'the end of the text' : `${JSON.stringify(text[at])}`);
  const expect = (ch: string): void => {
    if (text[i] !== ch) {
      throw new Fail(`expected ${JSON.stringify(ch)} but found ${describe(i)}`, i);
    }
    i++;
  };
  const str = (): { value: string; start: number; end: number } => {
    const start = i;
    expect('"');
    let out = '';
    let run = i;
    for (;;) {
      if (i >= n) {
        throw new Fail('a string is not closed', start);
      }
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(run, i);
        i++;
        return { value: out, start, end: i };
      }
      if (c < 0x20) {
        throw new Fail('a control character inside a string must be escaped', i);
      }
      if (c === 0x5c) {
        out += text.slice(run, i);
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          throw new Fail('an invalid escape sequence in a string', i);
        }
        run = i;
        continue;
      }
      i++;
    }
  };
  const value = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) {
      throw new Fail(`objects and arrays nest more than ${MAX_DEPTH} levels deep`, i);
    }
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: JsonEntry[] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', start, end: i, entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') {
          throw new Fail(`expected a key in double quotes but found ${describe(i)}`, i);
        }
        const k = str();
        ws();
        expect(':');
        const v = value(depth + 1);
        entries.push({ key: k.value, keyStart: k.start, keyEnd: k.end, value: v });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        expect('}');
        return { kind: 'object', start, end: i, entries };
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', start, end: i, items };
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        expect(']');
        return { kind: 'array', start, end: i, items };
      }
    }
    if (c === '"') {
      const s = str();
      return { kind: 'string', start, end: s.end, value: s.value };
    }
    const word = /^(?:true|false|null)/.exec(text.slice(i, i + 5));
    if (word) {
      i += word[0].length;
      return word[0] === 'null' ? { kind: 'null', start, end: i } : { kind: 'boolean', start, end: i, value: word[0] === 'true' };
    }
    const num = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (num && num[0] !== '' && num[0] !== '-') {
      i += num[0].length;
      return { kind: 'number', start, end: i, value: Number(num[0]), raw: num[0] };
    }
    throw new Fail(`unexpected ${describe(i)}`, i);
  };
  try {
    const node = value(0);
    ws();
    if (i < n) {
      throw new Fail(`unexpected ${describe(i)} after the end of the JSON value`, i);
    }
    return { ok: true, node };
  } catch (e) {
    if (e instanceof Fail) {
      return { ok: false, error: e.message, offset: e.offset };
    }
    throw e;
  }
}

/** The plain value of a node. Keys are defined as own properties, so `"__proto__"` is just a key. */
export function toValue(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const e of node.entries) {
        Object.defineProperty(out, e.key, { value: toValue(e.value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array':
      return node.items.map(toValue);
    case 'null':
      return null;
    default:
      return node.value;
  }
}

/** A step of a path into a JSON document. */
export type PathStep = string | number;

/** Every key that appears twice in one object, with the path of that object. */
export function duplicateKeys(node: JsonNode, path: PathStep[] = []): { path: PathStep[]; key: string; offset: number }[] {
  const out: { path: PathStep[]; key: string; offset: number }[] = [];
  const visit = (nd: JsonNode, p: PathStep[]): void => {
    if (nd.kind === 'object') {
      const seen = new Set<string>();
      for (const e of nd.entries) {
        if (seen.has(e.key)) {
          out.push({ path: p, key: e.key, offset: e.keyStart });
        }
        seen.add(e.key);
        visit(e.value, [...p, e.key]);
      }
    } else if (nd.kind === 'array') {
      nd.items.forEach((it, idx) => visit(it, [...p, idx]));
    }
  };
  visit(node, path);
  return out;
}

/** Where a number's text would not survive being read and written again (integers past 2^53). */
export function lossyNumbers(node: JsonNode, path: PathStep[] = []): { path: PathStep[]; raw: string }[] {
  const out: { path: PathStep[]; raw: string }[] = [];
  const visit = (nd: JsonNode, p: PathStep[]): void => {
    if (nd.kind === 'number') {
      const integral = !/[.eE]/.test(nd.raw);
      if ((integral && !Number.isSafeInteger(nd.value)) || !Number.isFinite(nd.value)) {
        out.push({ path: p, raw: nd.raw });
      }
    } else if (nd.kind === 'object') {
      nd.entries.forEach((e) => visit(e.value, [...p, e.key]));
    } else if (nd.kind === 'array') {
      nd.items.forEach((it, idx) => visit(it, [...p, idx]));
    }
  };
  visit(node, path);
  return out;
}

/**
 * A path as IAM Access Analyzer reports it (a list of `{ value: KEY }`, `{ key: KEY }`, `{ index: N }`,
 * `{ substring: { start, length } }`), resolved to a range of offsets in the text. `value` steps into
 * the value of a key; `key` points at the key itself; `index` steps into an array; `substring` narrows
 * a string to part of it. Resolves as far as the path goes and says whether it went all the way.
 */
export interface AnalyzerPathElement {
  readonly index?: number;
  readonly key?: string;
  readonly value?: string;
  readonly substring?: { readonly start?: number; readonly length?: number };
}

export function rangeOfPath(text: string, root: JsonNode, path: readonly AnalyzerPathElement[]): { start: number; end: number; complete: boolean } {
  let node: JsonNode = root;
  let range = { start: root.start, end: root.end };
  for (const [i, step] of path.entries()) {
    if (step.value !== undefined || step.key !== undefined) {
      const name = step.value ?? step.key;
      const entry = node.kind === 'object' ? node.entries.find((e) => e.key === name) : undefined;
      if (!entry) {
        return { ...range, complete: false };
      }
      if (step.key !== undefined) {
        // A key is where a path ends (there is nothing inside a key to step into).
        return { start: entry.keyStart, end: entry.keyEnd, complete: i === path.length - 1 };
      }
      node = entry.value;
      range = { start: node.start, end: node.end };
    } else if (step.index !== undefined) {
      // IAM reads a single value as a one-element list: index 0 of a string is the string itself.
      const item = node.kind === 'array' ? node.items[step.index] : step.index === 0 && node.kind !== 'object' ? node : undefined;
      if (!item) {
        return { ...range, complete: false };
      }
      node = item;
      range = { start: node.start, end: node.end };
    } else if (step.substring !== undefined) {
      if (node.kind !== 'string') {
        return { ...range, complete: false };
      }
      const from = Math.max(0, step.substring.start ?? 0);
      const len = Math.max(0, step.substring.length ?? node.value.length - from);
      const inner = stringOffsets(text.slice(node.start, node.end), node.value.length);
      const s = inner[Math.min(from, inner.length - 1)] ?? 1;
      const e = inner[Math.min(from + len, inner.length - 1)] ?? node.end - node.start - 1;
      return { start: node.start + s, end: node.start + e, complete: i === path.length - 1 };
    } else {
      return { ...range, complete: false };
    }
  }
  return { ...range, complete: true };
}

/** For each character of a string value, its offset within the quoted source (escapes take several). */
function stringOffsets(quoted: string, length: number): number[] {
  const out: number[] = [];
  let i = 1;
  while (out.length < length && i < quoted.length - 1) {
    out.push(i);
    if (quoted[i] === '\\') {
      i += quoted[i + 1] === 'u' ? 6 : 2;
    } else {
      i++;
    }
  }
  out.push(Math.min(i, quoted.length - 1));
  return out;
}

/** Line (from 1) and column (from 0, in UTF-16 code units as editors count) of an offset. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart };
}

/**
 * Where an Access Analyzer location points in `text`: its path resolved in the text (what the user
 * sees is what was validated), as far as it goes. Returns undefined when the text is not JSON.
 */
export function locateInText(text: string, path: readonly AnalyzerPathElement[]): { start: number; end: number; complete: boolean } | undefined {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    return undefined;
  }
  return rangeOfPath(text, parsed.node, path);
}
