/**
 * A small YAML emitter for CloudFormation templates: block mappings and sequences, safely quoted
 * scalars, comments, and the short-form intrinsic function tags (`!Ref`, `!Sub`, `!GetAtt`, `!If` …).
 * It writes only; it never parses. Pure.
 *
 * Why not a library: the well-known ones (`yaml`, `js-yaml`) need custom tag classes for CloudFormation's
 * short forms and add 100–400 kB to the main bundle, for output whose shape is fixed here. What this
 * writes is checked by parsing it back (PyYAML, through cfn-lint, in the unit tests).
 */
import { oneLine } from './format';

/** A tagged node: `!Ref Name`, `!Sub 'text'`, `!If [cond, a, b]`. */
export class Tag {
  constructor(
    readonly tag: '!Ref' | '!Sub' | '!GetAtt' | '!If' | '!Equals' | '!And' | '!Or' | '!Not' | '!Join' | '!Split' | '!Condition',
    readonly value: YamlValue,
  ) {}
}

/** A mapping key starting with `#` writes its value as a comment line there. */
export type YamlValue = string | number | boolean | null | Tag | readonly YamlValue[] | { readonly [key: string]: YamlValue };

const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_ .,:/@+=()*-]*$/;

/** A scalar string as YAML: plain when that reads back as the same string, else quoted. */
export function yamlString(s: string): string {
  if (s !== '' && PLAIN.test(s) && !RESERVED.test(s) && !/[\s:]$/.test(s) && !/ #|: /.test(s)) {
    return s;
  }
  if (/[\n\r\t\\"]|[^\x20-\x7e]/.test(s)) {
    return JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar
  }
  return `'${s.replace(/'/g, "''")}'`;
}

function yamlKey(k: string): string {
  if (/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(k) && !RESERVED.test(k)) {
    return k;
  }
  return /[\n\r\t\\"]|[^\x20-\x7e]/.test(k) ? JSON.stringify(k) : `'${k.replace(/'/g, "''")}'`;
}

function isScalar(v: YamlValue): boolean {
  return v === null || typeof v !== 'object' || (v instanceof Tag && isScalar(v.value));
}

function scalar(v: YamlValue): string {
  if (v === null) {
    return 'null';
  }
  if (typeof v === 'string') {
    return yamlString(v);
  }
  if (typeof v === 'number' || typeof v === 'boolean') {
    return String(v);
  }
  if (v instanceof Tag) {
    return `${v.tag} ${scalar(v.value)}`;
  }
  throw new Error('not a scalar');
}

function isEmpty(v: YamlValue): '[]' | '{}' | undefined {
  if (Array.isArray(v) && v.length === 0) {
    return '[]';
  }
  if (v && typeof v === 'object' && !(v instanceof Tag) && !Array.isArray(v) && Object.keys(v).length === 0) {
    return '{}';
  }
  return undefined;
}

/** Lines of a value that is not a scalar, each at `indent`. */
function block(v: YamlValue, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (v instanceof Tag) {
    // A tag on a collection: the tag ends the parent's line, the collection follows indented.
    return block(v.value, indent);
  }
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const item of v as YamlValue[]) {
      out.push(...entry(`${pad}- `, item, indent + 2, true));
    }
    return out;
  }
  const out: string[] = [];
  for (const [k, item] of Object.entries(v as Record<string, YamlValue>)) {
    if (k.startsWith('#')) {
      out.push(`${pad}# ${oneLine(String(item))}`);
      continue;
    }
    out.push(...entry(`${pad}${yamlKey(k)}:`, item, indent + 2, false));
  }
  return out;
}

/** One `key: value` or `- value`, with the value inline when it is a scalar. */
function entry(head: string, item: YamlValue, childIndent: number, inSequence: boolean): string[] {
  const empty = isEmpty(item);
  if (empty) {
    return [`${head}${inSequence ? '' : ' '}${empty}`];
  }
  if (isScalar(item)) {
    return [`${head}${inSequence ? '' : ' '}${scalar(item)}`];
  }
  const tag = item instanceof Tag ? item.tag : undefined;
  const inner = item instanceof Tag ? item.value : item;
  if (inSequence && !tag && !Array.isArray(inner)) {
    // `- Key: value` with the mapping's other keys under the first.
    const lines = block(inner, childIndent);
    return [`${head}${lines[0].trimStart()}`, ...lines.slice(1)];
  }
  const opener = tag ? `${head}${inSequence ? '' : ' '}${tag}` : head.replace(/ $/, '');
  return [opener, ...block(inner, childIndent)];
}

/** A YAML document: optional leading comment lines, then the top-level mapping with blank lines between sections. */
export function toYaml(doc: { readonly [key: string]: YamlValue }, comments: readonly string[] = []): string {
  const out = comments.map((c) => (c ? `# ${oneLine(c)}` : '#'));
  let first = true;
  for (const [k, v] of Object.entries(doc)) {
    if (!first) {
      out.push('');
    }
    first = false;
    out.push(...entry(`${yamlKey(k)}:`, v, 2, false));
  }
  return `${out.join('\n')}\n`;
}
