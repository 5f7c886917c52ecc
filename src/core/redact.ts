/**
 * Redaction for everything that reaches the log, a notification or an error report. Pure: no `vscode`, no AWS SDK.
 *
 * Two layers, both linear in the length of the text and idempotent (redacting twice gives the same text):
 * - {@link redactText} recognises secrets by their shape and context, with no setup: access key ids, secret access
 *   keys, session tokens, SigV4 credentials and signatures, MFA token codes, and phone numbers (masked like
 *   {@link maskPhoneNumber}).
 * - a {@link Redactor} also removes exact values registered at run time (the keys and token of an assumed-role
 *   session, an external id), then applies {@link redactText}.
 *
 * What stays visible, on purpose: the first four and last four characters of an access key id (`AKIA`/`ASIA`
 * says long-term or temporary, the last four tell two keys apart in a log), IAM unique ids
 * (`AROA…`, `AIDA…`: identifiers, not secrets, and part of assumed-role ARNs), account ids, ARNs, request ids,
 * and the last four digits of a phone number.
 */
import { maskPhoneNumber } from './validate';

/** What a removed secret is replaced with. */
export const REDACTED = '[REDACTED]';

/** Registered values shorter than this are ignored: replacing them would shred ordinary text. */
const MIN_SECRET_LENGTH = 4;

/**
 * Removes registered secret values from text, then applies {@link redactText}.
 *
 * Every occurrence of every registered value is covered; where two occurrences overlap or touch, the whole run
 * becomes one `[REDACTED]` (the result replacing longest first aims for, without leaking the tail of a shorter
 * secret that overlaps a longer one). Matching is exact and case-sensitive, in time linear in the text for each
 * registered value (Knuth–Morris–Pratt).
 *
 * Idempotence holds for values without `*`, `[` or `]` (no AWS key, token or external id has them); values that
 * are part of the text `[REDACTED]` itself are ignored.
 */
export class Redactor {
  /** Each registered value with its KMP failure table. */
  private readonly secrets = new Map<string, Int32Array>();

  /**
   * Registers a secret value. `undefined`, empty and values under 4 characters are ignored. Also registers the
   * trimmed value and its URL-encoded and JSON-escaped forms, as they appear in query strings and JSON dumps.
   */
  addSecret(value: string | undefined): void {
    if (value === undefined) {
      return;
    }
    const trimmed = value.trim();
    const forms = [value, trimmed, encodeURIComponent(trimmed), JSON.stringify(trimmed).slice(1, -1)];
    for (const form of forms) {
      if (form.length >= MIN_SECRET_LENGTH && !REDACTED.includes(form) && !this.secrets.has(form)) {
        this.secrets.set(form, failureTable(form));
      }
    }
  }

  /** The text with every registered secret replaced by `[REDACTED]`, then {@link redactText} applied. */
  redact(text: string): string {
    return redactText(this.removeSecrets(text));
  }

  private removeSecrets(text: string): string {
    // +1 at a covered run's start, -1 past its end: a difference array keeps the union linear.
    let cover: Int32Array | undefined;
    for (const [secret, table] of this.secrets) {
      const first = text.indexOf(secret);
      if (first < 0) {
        continue;
      }
      cover ??= new Int32Array(text.length + 1);
      forEachOccurrence(text, secret, table, first, (start) => {
        cover![start]++;
        cover![start + secret.length]--;
      });
    }
    if (!cover) {
      return text;
    }
    let out = '';
    let depth = 0;
    let plainStart = 0;
    for (let i = 0; i <= text.length; i++) {
      const before = depth;
      depth += cover[i];
      if (before === 0 && depth > 0) {
        out += text.slice(plainStart, i) + REDACTED;
      } else if (before > 0 && depth === 0) {
        plainStart = i;
      }
    }
    return out + text.slice(plainStart);
  }
}

/** KMP failure function: for each prefix, the length of its longest proper border. */
function failureTable(pattern: string): Int32Array {
  const table = new Int32Array(pattern.length);
  let k = 0;
  for (let i = 1; i < pattern.length; i++) {
    while (k > 0 && pattern.charCodeAt(i) !== pattern.charCodeAt(k)) {
      k = table[k - 1];
    }
    if (pattern.charCodeAt(i) === pattern.charCodeAt(k)) {
      k++;
    }
    table[i] = k;
  }
  return table;
}

/** Calls `found` with the start of every occurrence of `pattern` at or after `from`, overlapping ones included. */
function forEachOccurrence(
  text: string,
  pattern: string,
  table: Int32Array,
  from: number,
  found: (start: number) => void,
): void {
  let k = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    while (k > 0 && c !== pattern.charCodeAt(k)) {
      k = table[k - 1];
    }
    if (c === pattern.charCodeAt(k)) {
      k++;
    }
    if (k === pattern.length) {
      found(i - k + 1);
      k = table[k - 1];
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Pattern-based redaction. Every expression below is a literal keyword or prefix followed by simple character
// classes, with no nested or overlapping quantifiers, so matching is linear. Idempotence comes from the outputs and
// the order: every replacement is `[REDACTED]` or keeps some characters of its match in place and masks the others
// with `*`, which no rule matches again; the keyword, signature and token-prefix rules take a whole run of value
// characters, so masking inside or after that run later cannot change what they see. The generic 40-character
// rule is the one that depends on where a run ends, and masking does move run ends (`…abc+1206…` becomes
// `…abc+*******…`), so it runs after them, on the masked text. Only the North American numbers without `+` come
// after it: they may stand right after a run it replaces (`…==[REDACTED](206) 555-0123`), and they never touch a
// character of its class, so masking them cannot change a run it sees. Masks keep punctuation in place (never join
// two runs), and no character class spans a `[`, so a `[REDACTED]` that swallowed a run's end cannot join it to the
// next one.

/**
 * Between a keyword and its value: an optional closing quote (possibly escaped, as in JSON inside JSON), then
 * `:`, `=`, `=>` or `>` (XML), then an optional opening quote. Spaces and tabs only, never a line break.
 */
const SEP = String.raw`\\?["']?[ \t]*(?:=>|[:=>])[ \t]*\\?["']?`;
/** Not a value: what `util.inspect` and JSON print for an absent one. */
const NOT_A_VALUE = String.raw`(?!(?:undefined|null|true|false)\b)`;

/** `aws_secret_access_key = …`, `"SecretAccessKey": "…"`, `secretAccessKey: '…'`, `<SecretAccessKey>…`. */
const SECRET_KEY = new RegExp(
  String.raw`((?:secret[_-]?access[_-]?key|secret[_-]?key)${SEP})${NOT_A_VALUE}(?:[A-Za-z0-9/+=]|\\/)+`,
  'gi',
);
/** `aws_session_token`, `SessionToken`, `sessionToken`, `aws_security_token`, `X-Amz-Security-Token` (URL-encoded too). */
const SESSION_TOKEN = new RegExp(
  String.raw`((?:session[_-]?token|security[_-]?token)${SEP})${NOT_A_VALUE}(?:[A-Za-z0-9/+=%]|\\/)+`,
  'gi',
);
/** `aws_access_key_id = …`, `"AccessKeyId": "…"`: masked like a key id, whatever its shape. */
const ACCESS_KEY_ID = new RegExp(String.raw`((?:access[_-]?key[_-]?id)${SEP})${NOT_A_VALUE}([A-Za-z0-9*]+)`, 'gi');
/** `TokenCode: '123456'` in a logged AssumeRole input. */
const TOKEN_CODE = new RegExp(String.raw`((?:token[_-]?code)${SEP})\d{6}(?!\d)`, 'gi');
/**
 * SigV4 `Credential=KEY/DATE/REGION/SERVICE/aws4_request` (header or `X-Amz-Credential=KEY%2F…`). The key stops
 * at `=` too, so `Credential=Credential=…` without a `/` cannot make the scan quadratic, and at `[`/`]`, so it never
 * reaches across a `[REDACTED]` that a later rule put where a `%` or `=` used to end it.
 */
const CREDENTIAL = /(Credential=)([^\s/,&%"';=[\]]+)(?=\/|%2F)/gi;
/** SigV4 `Signature=<64 hex>` and `X-Amz-Signature=…` (and SigV2's base64 signatures). */
const SIGNATURE = /(Signature=)[A-Za-z0-9%+/=]{16,}/gi;
/** STS session tokens recognised by how they start, wherever they appear. */
const TOKEN_PREFIX = /(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=%]{20,}/g;
/** A 40-character base64 value right after `=` or `:`: the shape of a secret access key. */
const FORTY_AFTER_SEPARATOR = /([=:][ \t]*["']?)([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g;
/** IAM/STS resource types, so `…:role/SomeFortyCharacterLongRoleNameWith1Digit` is left alone. */
const ARN_RESOURCE = /^(?:role|user|group|policy|assumed-role|federated-user|instance-profile|mfa|oidc-provider|saml-provider|server-certificate)\//;
/** Access key ids: long-term `AKIA`, temporary `ASIA`, and the `ABIA`/`ACCA` credential ids. */
const KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g;
/** E.164 numbers, `+1 (206) 555-0123`-style North American ones, and `%2B`-encoded ones in query strings. */
const PHONE = /(%2B|\+)(1[ .-]?\(?[2-9]\d{2}\)?[ .-]?\d{3}[ .-]?\d{4}|[1-9]\d{7,14})(?!\d)/gi;
/**
 * North American numbers written without `+`: `2065550123`, `12065550123`, `(206) 555-0123`, `206-555-0123`,
 * `1 206 555 0123` — ten digits with a valid area code and exchange (first digit 2-9), standing alone: not touching
 * a letter, digit, `/`, `+`, `_`, `.` or `*` on either side, so account ids, epoch times and request ids stay. That
 * boundary is also what lets this rule run after the 40-character one without changing what it sees next time.
 */
const BARE_PHONE = /(?<![A-Za-z0-9/+*._])(?:1[ .-]?)?\(?[2-9]\d{2}\)?[ .-]?[2-9]\d{2}[ .-]?\d{4}(?![A-Za-z0-9/+*_])/g;
/**
 * The user information of a URL, `scheme://user:password@host` (a proxy or emulator password in `endpoint_url`):
 * the whole of it, since a token is often the user name (`https://TOKEN@host`). It ends at the LAST `@` before the
 * path, as URL parsers (and so the SDK) read it: a password may hold an unencoded `@` (`http://u:p@ss@host`).
 */
const URL_USER_INFO = /(:\/\/)[^\s/?#[\]"'<>]*[^\s/?#@[\]"'<>]@/g;
/** HashiCorp Vault tokens: `hvs.` (service), `hvb.` (batch), `hvr.` (recovery), and legacy 24-character `s.` ones. */
const VAULT_TOKEN = /(?<![\w.-])(?:hv[sbr]\.[A-Za-z0-9_-]{20,}|s\.[A-Za-z0-9]{24}(?![\w]))/g;
/** JSON Web Tokens (OIDC id tokens, web identity tokens): three base64url parts, the first two JSON (`eyJ…`). */
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/g;
/**
 * `--token VALUE`, `-password=VALUE`, `--client-secret VALUE`: a command line a credential helper echoes (in a usage
 * error, say). The value is the next word, unless that is another flag.
 */
const FLAG_SECRET = /((?<!-)--?(?:[a-z]+-)?(?:password|passwd|token|secret|api-?key)(?:=|[ \t]+))[^\s"'&,;<>[\]\\-][^\s"'&,;<>[\]]*/gi;
/** `Authorization: Bearer …` and `Basic …` credentials. */
const BEARER = /(\b(?:Bearer|Basic)[ \t]+)[A-Za-z0-9._~+/=-]{8,}/g;
/**
 * `password=…`, `token: …`, `api_key=…`, `client_secret=…`, `id_token=…`: a keyword a value follows, not a longer
 * name ending so. The value does not start with a backslash: the separator may end with one (escaped JSON), and a
 * value could otherwise be found again after it.
 */
const KEYWORD_SECRET = new RegExp(
  String.raw`((?<![A-Za-z])(?:(?:id|access|refresh|auth|api|client|vault|private)[_-]?)?(?:password|passwd|pwd|secret|token|api[_-]?key)${SEP})${NOT_A_VALUE}[^\s"'&,;<>[\]\\][^\s"'&,;<>[\]]*`,
  'gi',
);

/**
 * `2065550123` → `******0123`, `1 (206) 555-0123` → `* (***) ***-0123`: the digits masked as {@link maskPhoneNumber}
 * masks them (at most the last four kept), the punctuation left where it is. Keeping it matters: dropping the
 * spaces would join the text on either side into one word that an earlier rule did not see.
 */
function maskDigitsInPlace(number: string): string {
  const masked = maskPhoneNumber(number);
  const shown = masked.slice(masked.search(/\d|$/));
  let toMask = masked.length - shown.length;
  return number.replace(/\d/g, (d) => (toMask-- > 0 ? '*' : d));
}

/** `AKIA************WXYZ` for anything shaped like a key id (also when already masked), else `[REDACTED]`. */
function maskKeyId(value: string): string {
  return /^[A-Z0-9]{4}[A-Z0-9*]{16}$/.test(value) ? `${value.slice(0, 4)}${'*'.repeat(12)}${value.slice(-4)}` : REDACTED;
}

/**
 * Redacts secrets recognised by shape and context, with no registered values:
 * - access key ids `AKIA…`/`ASIA…` (and `ABIA`/`ACCA`) → `AKIA************WXYZ`; any value after an
 *   `AccessKeyId`/`aws_access_key_id` keyword the same way (`[REDACTED]` when not key-shaped);
 * - secret access keys after `aws_secret_access_key`, `SecretAccessKey`, `secretAccessKey` (any quoting, `=`, `:`,
 *   XML), and any 40-character base64 value with upper case, lower case and digits right after `=` or `:`;
 * - session tokens after `aws_session_token`, `SessionToken`, `sessionToken`, `X-Amz-Security-Token`,
 *   `aws_security_token`, and STS tokens anywhere by their known prefixes;
 * - SigV4 `Credential=KEY/…` (key masked, scope kept) and `Signature=…` (→ `Signature=[REDACTED]`);
 * - `TokenCode` MFA codes;
 * - phone numbers in E.164 (`+12065550123` → `+*******0123`, as {@link maskPhoneNumber}), `%2B`-encoded ones, and
 *   `+1 (206) 555-0123` → `+* (***) ***-0123` (the punctuation stays where it is); North American numbers without
 *   `+` (`2065550123` → `******0123`, `(206) 555-0123` → `(***) ***-0123`);
 * - the user information of URLs (`http://user:pw@host` → `http://[REDACTED]@host`);
 * - Vault tokens (`hvs.…`), JSON Web Tokens (`eyJ….eyJ….…`), `Bearer`/`Basic` credentials, and values after
 *   `password`, `secret`, `token`, `api_key`, `client_secret`, `id_token` and the like;
 *
 * Linear-time and idempotent. Other digit runs are left alone: account ids are 12 digits.
 */
export function redactText(text: string): string {
  return text
    .replace(URL_USER_INFO, `$1${REDACTED}@`)
    .replace(SESSION_TOKEN, `$1${REDACTED}`)
    .replace(SECRET_KEY, `$1${REDACTED}`)
    .replace(ACCESS_KEY_ID, (_m, head: string, value: string) => head + maskKeyId(value))
    .replace(TOKEN_CODE, `$1${REDACTED}`)
    .replace(CREDENTIAL, (_m, head: string, value: string) => head + maskKeyId(value))
    .replace(SIGNATURE, `$1${REDACTED}`)
    .replace(TOKEN_PREFIX, REDACTED)
    .replace(VAULT_TOKEN, REDACTED)
    .replace(JWT, REDACTED)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(KEYWORD_SECRET, `$1${REDACTED}`)
    .replace(FLAG_SECRET, `$1${REDACTED}`)
    .replace(KEY_ID, maskKeyId)
    .replace(PHONE, (_m, plus: string, number: string) => plus + maskDigitsInPlace(number))
    .replace(FORTY_AFTER_SEPARATOR, (m, head: string, value: string) =>
      /[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value) && !ARN_RESOURCE.test(value) ? head + REDACTED : m,
    )
    .replace(BARE_PHONE, (number: string) => maskDigitsInPlace(number));
}

/** A URL with its user information removed (`http://user:pw@host:4566` → `http://[REDACTED]@host:4566`), for display. */
export function withoutUserInfo(url: string): string {
  return url.replace(URL_USER_INFO, `$1${REDACTED}@`);
}

/**
 * The ways a US number in E.164 (`+12065550100`) is written in messages — `(206) 555-0100`, `206-555-0100`,
 * `2065550100` … — so a number that is meant to be shown (the shared 10DLC number) can be kept in every form.
 * Other numbers give just themselves.
 */
export function usNumberForms(e164: string): string[] {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164.trim());
  if (!m) {
    return e164 ? [e164] : [];
  }
  const [, a, b, c] = m;
  return [e164, `+1 (${a}) ${b}-${c}`, `+1 ${a} ${b} ${c}`, `+1-${a}-${b}-${c}`, `(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`, `1${a}${b}${c}`, `${a}${b}${c}`];
}

/** Keys of an AWS config or credentials file whose values are secrets. */
const SECRET_KEYS = /^[ \t]*(aws_access_key_id|aws_secret_access_key|aws_session_token|aws_security_token)[ \t]*=[ \t]*(.*?)[ \t]*$/i;
/** An `endpoint_url` (top level or in a `services` section) whose value has user information. */
const ENDPOINT_USER_INFO = /^[ \t]*endpoint_url[ \t]*=[ \t]*\S*?:\/\/([^\s/?#]*[^\s/?#@])@/i;

/**
 * Values shorter than this found in the AWS files are not registered: no key or token AWS issues is, and an
 * emulator's placeholder (`aws_access_key_id = test`) would otherwise shred every "test" in every message.
 */
const MIN_FILE_SECRET_LENGTH = 8;

/**
 * Every secret value written in an AWS config or credentials file's text: access key ids, secret keys, session
 * tokens, and the user information of endpoint URLs (and its password alone) — to register with a {@link Redactor},
 * so no exit shows them whatever shape they have (an emulator's keys look like nothing AWS issues). Linear in the
 * text; reads no file.
 */
export function secretsInAwsFile(text: string): string[] {
  const out = new Set<string>();
  const add = (v: string): void => {
    if (v.length >= MIN_FILE_SECRET_LENGTH) {
      out.add(v);
    }
  };
  for (const line of text.split(/\r?\n/)) {
    const m = SECRET_KEYS.exec(line);
    if (m) {
      add(m[2]);
      continue;
    }
    const u = ENDPOINT_USER_INFO.exec(line);
    if (u) {
      add(u[1]);
      const colon = u[1].indexOf(':');
      if (colon > 0) {
        add(u[1].slice(colon + 1));
        add(u[1].slice(0, colon));
      }
    }
  }
  return [...out];
}

const MAX_CAUSES = 3;
const MAX_OBJECT_MESSAGE = 1000;

/**
 * A readable message for anything thrown: an `Error`'s message (its `code`, its inner errors for an
 * `AggregateError` with no message, or its name when the message is empty), followed by the messages of up to
 * three `cause`s (`fetch failed: connect ECONNREFUSED 127.0.0.1:5000`); a string as is; an object's `message`, its
 * own `toString()`, or its JSON; never `[object Object]`. Not redacted: pass the result through a
 * {@link Redactor} or {@link redactText} before logging it.
 */
export function getErrorMessage(e: unknown): string {
  return describe(e, 0) || 'Unknown error';
}

function describe(e: unknown, depth: number): string {
  if (typeof e === 'string') {
    return e.trim();
  }
  if (e === null || e === undefined) {
    return '';
  }
  if (typeof e !== 'object' && typeof e !== 'function') {
    return String(e);
  }
  const obj = e as { message?: unknown; code?: unknown; name?: unknown; errors?: unknown; cause?: unknown };
  let message = typeof obj.message === 'string' ? obj.message.trim() : '';
  if (message === '' && Array.isArray(obj.errors) && depth < MAX_CAUSES) {
    message = [...new Set(obj.errors.map((inner) => describe(inner, depth + 1)).filter(Boolean))].join('; ');
  }
  if (message === '' && (typeof obj.code === 'string' || typeof obj.code === 'number')) {
    message = String(obj.code);
  }
  if (message === '' && e instanceof Error) {
    message = e.name || 'Error';
  }
  if (message === '') {
    message = describePlainObject(e);
  }
  if (obj.cause !== undefined && depth < MAX_CAUSES) {
    const cause = describe(obj.cause, depth + 1);
    if (cause && !message.includes(cause)) {
      message = message ? `${message}: ${cause}` : cause;
    }
  }
  return message;
}

/** An object without a message: its own `toString()`, else its JSON, else its constructor's name. */
function describePlainObject(e: object): string {
  const toString = (e as { toString?: unknown }).toString;
  if (typeof toString === 'function' && toString !== Object.prototype.toString && toString !== Function.prototype.toString) {
    try {
      const s = String(toString.call(e));
      if (s && !s.startsWith('[object ')) {
        return s;
      }
    } catch {
      // fall through to JSON
    }
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(e);
  } catch {
    json = undefined; // circular or a throwing getter
  }
  if (json && json !== '{}' && json !== '[]') {
    return json.length > MAX_OBJECT_MESSAGE ? `${json.slice(0, MAX_OBJECT_MESSAGE - 1)}…` : json;
  }
  const name = (e as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? `Unknown error (${name})` : 'Unknown error';
}
