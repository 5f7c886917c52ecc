/**
 * Checks what a person types or puts in settings: phone numbers, account ids, role names and ARNs, external ids,
 * regions, MFA codes and the SMS max price. Pure: no `vscode`, no AWS SDK.
 *
 * Every validator returns a {@link Validation} and never throws. It normalises only what cannot change the
 * meaning (surrounding whitespace, the punctuation people put in phone numbers, the dashes the console puts in
 * account ids, the case of a region name) and refuses the rest with a message that says what is wrong, names the
 * rule and gives an example. Warnings are for inputs AWS accepts but that will not do what the person wants
 * (a destination a 10DLC number cannot reach, a fictional number).
 *
 * Messages never echo an MFA code or an external id; other inputs are quoted, cut to 80 characters.
 */
import * as l10n from '@vscode/l10n';

/** The result of a validator: the normalised value and any warnings, or one error message to show as is. */
export type Validation<T = string> = { ok: true; value: T; warnings: string[] } | { ok: false; error: string };

function ok<T>(value: T, warnings: string[] = []): Validation<T> {
  return { ok: true, value, warnings };
}

function fail<T = string>(error: string): Validation<T> {
  return { ok: false, error };
}

const MAX_QUOTED = 80;

/** The input as it appears in a message: JSON-quoted (control characters escaped), cut to 80 characters. */
function quote(input: string): string {
  const chars = Array.from(input);
  const s = chars.length > MAX_QUOTED ? `${chars.slice(0, MAX_QUOTED - 1).join('')}…` : input;
  return JSON.stringify(s);
}

/** The first character that `allowed` refuses, quoted, for "it contains X". */
function firstBadChar(input: string, allowed: RegExp): string | undefined {
  for (const ch of input) {
    if (!allowed.test(ch)) {
      return ch === ' ' ? 'a space' : JSON.stringify(ch);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Phone numbers

/** A fictional number (555-0100 to 555-0199 are reserved for fiction), used in every example. */
const PHONE_EXAMPLE = '+12065550123';
const E164_RULE = (): string => l10n.t('it must start with + and the country code, then digits only, 8 to 15 digits in all (e.g. {0})', PHONE_EXAMPLE);
const TEN_DLC_RULE = (): string => l10n.t('a 10DLC number is a US number in E.164 format: +1 and 10 digits (e.g. {0})', PHONE_EXAMPLE);
const NANP_RULE = (): string =>
  l10n.t('+1 numbers have 10 digits after the +1: a 3-digit area code and a 3-digit exchange, each starting with 2 to 9, then 4 digits (e.g. {0})', PHONE_EXAMPLE);

/**
 * What people put in phone numbers that carries no meaning: whitespace (including no-break spaces), dashes of
 * every kind, dots, parentheses, and the invisible direction marks that copying from a web page or a contact card
 * often brings along.
 */
const PHONE_PUNCTUATION = /[\s.()\-\u2010-\u2015\u2212\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

const TOLL_FREE_AREA_CODES: ReadonlySet<string> = new Set(['800', '833', '844', '855', '866', '877', '888']);
const PREMIUM_AREA_CODE = '900';

/**
 * +1 area codes outside the US (Canada, the Caribbean, Bermuda). A US 10DLC number cannot send to them. US
 * territories (Puerto Rico, USVI, Guam, ...) are not listed. Only used for warnings, so a stale entry costs a
 * needless warning, never a refusal.
 */
const NON_US_NANP_AREA_CODES: ReadonlyMap<string, string> = new Map([
  ...[
    '204', '226', '236', '249', '250', '257', '263', '289', '306', '343', '354', '365', '367', '368', '382', '403',
    '416', '418', '428', '431', '437', '438', '450', '468', '474', '506', '514', '519', '548', '579', '581', '584',
    '587', '600', '604', '613', '622', '633', '639', '644', '647', '655', '672', '677', '683', '688', '705', '709',
    '742', '753', '778', '780', '782', '807', '819', '825', '867', '873', '879', '902', '905', '942',
  ].map((code): [string, string] => [code, 'Canada']),
  ['242', 'the Bahamas'],
  ['246', 'Barbados'],
  ['264', 'Anguilla'],
  ['268', 'Antigua and Barbuda'],
  ['284', 'the British Virgin Islands'],
  ['345', 'the Cayman Islands'],
  ['441', 'Bermuda'],
  ['473', 'Grenada'],
  ['649', 'the Turks and Caicos Islands'],
  ['658', 'Jamaica'],
  ['664', 'Montserrat'],
  ['721', 'Sint Maarten'],
  ['758', 'Saint Lucia'],
  ['767', 'Dominica'],
  ['784', 'Saint Vincent and the Grenadines'],
  ['809', 'the Dominican Republic'],
  ['829', 'the Dominican Republic'],
  ['849', 'the Dominican Republic'],
  ['868', 'Trinidad and Tobago'],
  ['869', 'Saint Kitts and Nevis'],
  ['876', 'Jamaica'],
]);

/** E.164 country codes with one or two digits; all others have three (the codes are prefix-free). */
const SHORT_COUNTRY_CODES: ReadonlySet<string> = new Set([
  '1', '7', '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84', '86',
  '90', '91', '92', '93', '94', '95', '98',
]);

/** The country calling code at the start of E.164 digits (without the +). */
function countryCode(digits: string): string {
  for (const len of [1, 2]) {
    if (SHORT_COUNTRY_CODES.has(digits.slice(0, len))) {
      return digits.slice(0, len);
    }
  }
  return digits.slice(0, 3);
}

type PhoneParse = { ok: true; digits: string } | { ok: false; reason: string; hint?: string };

/** Strips punctuation and checks the E.164 shape; `digits` has no +. */
function parsePhone(input: string): PhoneParse {
  const compact = input.normalize('NFKC').replace(PHONE_PUNCTUATION, '');
  if (/[A-Za-z]/.test(compact)) {
    return { ok: false, reason: l10n.t('it contains letters') };
  }
  if (!compact.startsWith('+')) {
    if (!/^\d+$/.test(compact)) {
      return compact.includes('+')
        ? { ok: false, reason: l10n.t('the + must come first') }
        : { ok: false, reason: l10n.t('it does not start with + and it contains {0}', String(firstBadChar(compact, /\d/))) };
    }
    if (compact.startsWith('00') && compact.length > 2) {
      return { ok: false, reason: l10n.t('it starts with the dialling prefix 00 instead of +'), hint: `+${compact.slice(2)}` };
    }
    if (compact.length === 11 && compact.startsWith('1')) {
      return { ok: false, reason: l10n.t('the + in front is missing'), hint: `+${compact}` };
    }
    if (compact.length === 10 && /^[2-9]/.test(compact)) {
      return { ok: false, reason: l10n.t('the + and the country code are missing'), hint: l10n.t('+1{0} for a US number', compact) };
    }
    return { ok: false, reason: l10n.t('the + and the country code are missing') };
  }
  const digits = compact.slice(1);
  if (digits.includes('+')) {
    return { ok: false, reason: l10n.t('it has more than one +') };
  }
  const bad = firstBadChar(digits, /\d/);
  if (bad !== undefined) {
    return { ok: false, reason: l10n.t('it contains {0}, which is not a digit', bad) };
  }
  if (digits.startsWith('0')) {
    return { ok: false, reason: l10n.t('it starts with +0, and no country code starts with 0') };
  }
  if (digits.length < 8) {
    return { ok: false, reason: digits.length === 1 ? l10n.t('it has only 1 digit') : l10n.t('it has only {0} digits', digits.length) };
  }
  if (digits.length > 15) {
    return { ok: false, reason: l10n.t('it has {0} digits', digits.length) };
  }
  return { ok: true, digits };
}

/** Why E.164 digits starting with 1 are not a valid North American number, or undefined. */
function nanpProblem(digits: string): string | undefined {
  if (digits.length !== 11) {
    return `it has ${digits.length - 1} digits after the +1`;
  }
  const area = digits.slice(1, 4);
  const exchange = digits.slice(4, 7);
  if (!/^[2-9]/.test(area)) {
    return `the area code ${area} starts with ${area[0]}`;
  }
  if (area.endsWith('11')) {
    return `${area} is a service code (like 911), not an area code`;
  }
  if (!/^[2-9]/.test(exchange)) {
    return `the exchange ${exchange} starts with ${exchange[0]}`;
  }
  return undefined;
}

/** 555-0100 to 555-0199: reserved for fiction in every area code. */
function isFictional(digits: string): boolean {
  return digits.slice(4, 7) === '555' && digits.slice(7, 9) === '01';
}

/** `(206) 555-0123` for +1 digits, for messages. */
function nanpDisplay(digits: string): string {
  return `(${digits.slice(1, 4)}) ${digits.slice(4, 7)}-${digits.slice(7)}`;
}

/**
 * A destination phone number in E.164 format (`+12065550123`). Spaces, dashes, dots and parentheses are removed
 * (`+1 (206) 555-0123` is fine); anything else is refused, including a missing `+`, letters and `+0`. A `+1`
 * number must be a valid North American number. Warnings: a destination outside the US (a 10DLC number delivers
 * only to US numbers), toll-free and premium-rate numbers, and the fictional 555-0100 to 555-0199 range.
 */
export function validatePhoneNumber(input: string): Validation {
  if (input.trim() === '') {
    return fail(l10n.t('A phone number is required, in E.164 format: + and the country code, then digits only (e.g. {0}).', PHONE_EXAMPLE));
  }
  const parsed = parsePhone(input);
  if (!parsed.ok) {
    const hint = parsed.hint ? ` Did you mean ${parsed.hint}?` : '';
    return fail(l10n.t('{0} is not a phone number in E.164 format: {1}; {2}.{3}', quote(input), parsed.reason, E164_RULE(), hint));
  }
  const { digits } = parsed;
  const warnings: string[] = [];
  if (digits.startsWith('1')) {
    const problem = nanpProblem(digits);
    if (problem) {
      return fail(l10n.t('{0} is not a valid North American (+1) number: {1}; {2}.', quote(input), problem, NANP_RULE()));
    }
    warnings.push(...usDestinationWarnings(digits));
  } else {
    const cc = countryCode(digits);
    let warning = `10DLC numbers deliver only to US numbers; a message to +${cc}… will not be sent through this number.`;
    if (digits.length === 10 && nanpProblem(`1${digits}`) === undefined) {
      // Never repeat the number itself: warnings are shown beside a masked destination.
      warning += ' If you meant a US number, put +1 before the ten digits.';
    }
    warnings.push(warning);
  }
  return ok(`+${digits}`, warnings);
}

function usDestinationWarnings(digits: string): string[] {
  const area = digits.slice(1, 4);
  const warnings: string[] = [];
  const place = NON_US_NANP_AREA_CODES.get(area);
  if (place) {
    warnings.push(
      `Area code ${area} is in ${place}, not the US; 10DLC numbers deliver only to US numbers, so a message to it will not be sent through this number.`,
    );
  }
  if (TOLL_FREE_AREA_CODES.has(area)) {
    warnings.push(
      `+1 ${area} is a toll-free area code; most toll-free numbers cannot receive text messages, so this message will probably not be delivered.`,
    );
  }
  if (area === PREMIUM_AREA_CODE) {
    warnings.push(`+1 900 is a premium-rate area code; carriers do not deliver text messages from 10DLC numbers to it.`);
  }
  if (isFictional(digits)) {
    warnings.push(
      `The destination is in 555-0100 to 555-0199, which is reserved for fiction; carriers will not deliver to it (an emulator such as moto accepts it).`,
    );
  }
  return warnings;
}

/**
 * The origination number: a US 10DLC number, `+1` and ten NANP digits. Punctuation is removed as for
 * {@link validatePhoneNumber}. Refused: numbers outside `+1`, toll-free numbers (a toll-free number is not a
 * 10DLC number) and premium-rate 900 numbers. Warnings: a Canadian or Caribbean area code, and the fictional
 * 555-0100 to 555-0199 range (fine against an emulator, never a real number).
 */
export function validateUsTenDlcNumber(input: string): Validation {
  if (input.trim() === '') {
    return fail(l10n.t('A 10DLC origination number is required: {0}.', TEN_DLC_RULE()));
  }
  const parsed = parsePhone(input);
  if (!parsed.ok) {
    const hint = parsed.hint ? ` Did you mean ${parsed.hint}?` : '';
    return fail(l10n.t('{0} is not a US 10DLC number: {1}; {2}.{3}', quote(input), parsed.reason, TEN_DLC_RULE(), hint));
  }
  const { digits } = parsed;
  if (!digits.startsWith('1')) {
    return fail(
      l10n.t('{0} is not a US 10DLC number: +{1} is not the US country code; {2}.', quote(input), countryCode(digits), TEN_DLC_RULE()),
    );
  }
  const problem = nanpProblem(digits);
  if (problem) {
    return fail(l10n.t('{0} is not a US 10DLC number: {1}; {2}.', quote(input), problem, NANP_RULE()));
  }
  const area = digits.slice(1, 4);
  if (TOLL_FREE_AREA_CODES.has(area)) {
    return fail(
      l10n.t('{0} is a toll-free number (area code {1}), not a 10DLC number: {2}, with a local area code. Toll-free numbers are registered and used on their own.', quote(input), area, TEN_DLC_RULE()),
    );
  }
  if (area === PREMIUM_AREA_CODE) {
    return fail(l10n.t('{0} is a premium-rate 900 number, not a 10DLC number: {1}, with a local area code.', quote(input), TEN_DLC_RULE()));
  }
  const warnings: string[] = [];
  const place = NON_US_NANP_AREA_CODES.get(area);
  if (place) {
    warnings.push(`Area code ${area} is in ${place}, not the US, but 10DLC numbers are US numbers: check that this is your 10DLC number.`);
  }
  if (isFictional(digits)) {
    warnings.push(
      `${nanpDisplay(digits)} is in 555-0100 to 555-0199, which is reserved for fiction: no carrier has it, so only an emulator (such as moto) will accept it as an origination number.`,
    );
  }
  return ok(`+${digits}`, warnings);
}

/**
 * A phone number for logs and notifications: the `+` (when there is one) and at most the last four digits, every
 * other digit as `*`: `+12065550123` → `+*******0123`. Works on any string and never shows more than the last
 * four digits, and never more than half of them (`12345` → `***45`); everything but digits and a leading `+` is
 * dropped.
 */
export function maskPhoneNumber(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  const keep = Math.min(4, Math.floor(digits.length / 2));
  const plus = e164.trimStart().startsWith('+') ? '+' : '';
  return plus + '*'.repeat(digits.length - keep) + digits.slice(digits.length - keep);
}

// ---------------------------------------------------------------------------------------------------------------
// Accounts, roles, ARNs

const ACCOUNT_RULE = (): string => l10n.t('an AWS account id is exactly 12 digits (e.g. 123456789012)');

/**
 * An AWS account id: exactly 12 digits. Spaces and dashes are removed (the console shows `1234-5678-9012`).
 * An ARN is refused with the account id it contains; 11 digits get a hint about a lost leading zero.
 */
export function validateAccountId(input: string): Validation {
  const trimmed = input.trim();
  if (trimmed === '') {
    return fail(l10n.t('An account id is required: {0}.', ACCOUNT_RULE()));
  }
  const compact = trimmed.replace(/[\s-]/g, '');
  if (/^\d{12}$/.test(compact)) {
    return ok(compact);
  }
  const arn = parseArn(trimmed);
  if (arn && /^\d{12}$/.test(arn.accountId)) {
    return fail(l10n.t('{0} is an ARN, not an account id: {1}. The account id in this ARN is {2}.', quote(trimmed), ACCOUNT_RULE(), arn.accountId));
  }
  let reason: string;
  let hint = '';
  const bad = firstBadChar(compact, /\d/);
  if (bad !== undefined) {
    reason = `it contains ${bad}`;
  } else {
    reason = `it has ${compact.length} digit${compact.length === 1 ? '' : 's'}`;
    if (compact.length === 11) {
      hint = ` Account ids keep their leading zeros: did you mean 0${compact}?`;
    }
  }
  return fail(l10n.t('{0} is not an AWS account id: {1}; {2}.{3}', quote(trimmed), reason, ACCOUNT_RULE(), hint));
}

const ROLE_NAME_CHAR = /[\w+=,.@-]/;
const ROLE_NAME_RULE = (): string => l10n.t('an IAM role name is 1 to 64 characters: letters, digits and + = , . @ _ - (e.g. TenDlcSmsSender)');

/** Why a role name is invalid, or undefined. */
function roleNameProblem(name: string): string | undefined {
  if (name.length > 64) {
    return `it has ${name.length} characters`;
  }
  const bad = firstBadChar(name, ROLE_NAME_CHAR);
  return bad === undefined ? undefined : `it contains ${bad}`;
}

/**
 * An IAM role name: 1 to 64 characters of `[A-Za-z0-9+=,.@_-]`. Surrounding whitespace is trimmed. A role ARN
 * or a name with a path is refused with a hint to give the name alone.
 */
export function validateRoleName(input: string): Validation {
  const name = input.trim();
  if (name === '') {
    return fail(l10n.t('A role name is required: {0}.', ROLE_NAME_RULE()));
  }
  if (name.startsWith('arn:')) {
    const last = name.slice(name.lastIndexOf('/') + 1);
    return fail(l10n.t('{0} is an ARN, not a role name: {1}. The name in this ARN is {2}.', quote(name), ROLE_NAME_RULE(), quote(last)));
  }
  if (name.includes('/')) {
    const last = name.slice(name.lastIndexOf('/') + 1);
    return fail(
      l10n.t('{0} is not a role name: a role\'s path is not part of its name; {1}. The name here is {2}.', quote(name), ROLE_NAME_RULE(), quote(last)),
    );
  }
  const problem = roleNameProblem(name);
  if (problem) {
    return fail(l10n.t('{0} is not a valid role name: {1}; {2}.', quote(name), problem, ROLE_NAME_RULE()));
  }
  return ok(name);
}

/**
 * Splits `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` (the resource may itself contain `:` and `/`), or
 * returns undefined when the text is not shaped like an ARN. Checks nothing else; surrounding whitespace is
 * ignored.
 */
export function parseArn(
  input: string,
): { partition: string; service: string; region: string; accountId: string; resource: string } | undefined {
  const m = /^arn:([^:\s]+):([^:\s]+):([^:\s]*):([^:\s]*):(\S+)$/.exec(input.trim());
  if (!m) {
    return undefined;
  }
  return { partition: m[1], service: m[2], region: m[3], accountId: m[4], resource: m[5] };
}

const ROLE_ARN_EXAMPLE = 'arn:aws:iam::123456789012:role/TenDlcSmsSender';
const ROLE_ARN_RULE = (): string => l10n.t('a role ARN is arn:PARTITION:iam::ACCOUNT:role/NAME, with an optional path before the name (e.g. {0})', ROLE_ARN_EXAMPLE);

/**
 * An IAM role ARN, `arn:aws:iam::123456789012:role/NAME` or with a path, `…:role/team/sms/NAME`. The value is
 * the parsed ARN (`path` is `/` or `/…/`). An assumed-role session ARN (what GetCallerIdentity returns after
 * AssumeRole) is refused with the role ARN it came from.
 */
export function validateRoleArn(
  input: string,
): Validation<{ partition: string; accountId: string; path: string; roleName: string; arn: string }> {
  const arn = input.trim();
  if (arn === '') {
    return fail(l10n.t('A role ARN is required: {0}.', ROLE_ARN_RULE()));
  }
  const parts = parseArn(arn);
  if (!parts) {
    return fail(l10n.t('{0} is not an ARN: {1}.', quote(arn), ROLE_ARN_RULE()));
  }
  const { partition, service, region, accountId, resource } = parts;
  if (service === 'sts' && resource.startsWith('assumed-role/')) {
    const role = resource.split('/')[1] ?? '';
    return fail(
      l10n.t('{0} is the ARN of an assumed-role session, not of the role: {1}. The role here is arn:{2}:iam::{3}:role/{4} (add its path if it has one).', quote(arn), ROLE_ARN_RULE(), partition, accountId, role),
    );
  }
  if (service !== 'iam') {
    return fail(l10n.t('{0} is an ARN of the {1} service, not an IAM role: {2}.', quote(arn), service, ROLE_ARN_RULE()));
  }
  if (!/^aws(-[a-z]+)*$/.test(partition)) {
    return fail(l10n.t('{0} is not a role ARN: {1} is not an AWS partition (aws, aws-us-gov, aws-cn); {2}.', quote(arn), quote(partition), ROLE_ARN_RULE()));
  }
  if (region !== '') {
    return fail(l10n.t('{0} is not a role ARN: IAM ARNs have no region, and this one has {1}; {2}.', quote(arn), quote(region), ROLE_ARN_RULE()));
  }
  if (!/^\d{12}$/.test(accountId)) {
    return fail(l10n.t('{0} is not a role ARN: its account {1} is not 12 digits; {2}.', quote(arn), quote(accountId), ROLE_ARN_RULE()));
  }
  if (!resource.startsWith('role/')) {
    const kind = resource.split(/[/:]/)[0];
    return fail(l10n.t('{0} is not a role ARN: it names a {1}, not a role; {2}.', quote(arn), quote(kind), ROLE_ARN_RULE()));
  }
  const rest = resource.slice('role/'.length);
  const slash = rest.lastIndexOf('/');
  const path = `/${rest.slice(0, slash + 1)}`;
  const roleName = rest.slice(slash + 1);
  if (path.length > 512 || !/^[\x21-\x7e]*$/.test(path)) {
    return fail(l10n.t('{0} is not a role ARN: its path is not up to 512 printable ASCII characters; {1}.', quote(arn), ROLE_ARN_RULE()));
  }
  if (roleName === '') {
    return fail(l10n.t('{0} is not a role ARN: the role name after role/ is missing; {1}.', quote(arn), ROLE_ARN_RULE()));
  }
  const problem = roleNameProblem(roleName);
  if (problem) {
    return fail(l10n.t('{0} is not a role ARN: its role name {1} is not valid: {2}; {3}.', quote(arn), quote(roleName), problem, ROLE_NAME_RULE()));
  }
  return ok({ partition, accountId, path, roleName, arn });
}

// ---------------------------------------------------------------------------------------------------------------
// STS inputs

const EXTERNAL_ID_CHAR = /[\w+=,.@:/-]/;
const EXTERNAL_ID_RULE = (): string => l10n.t('an external id is 2 to 1224 characters: letters, digits and + = , . @ : / _ - (e.g. tendlc-7f3a9c)');

/**
 * An STS external id: 2 to 1224 characters of `[A-Za-z0-9+=,.@:/_-]`. Surrounding whitespace is trimmed. Messages
 * never repeat the value.
 */
export function validateExternalId(input: string): Validation {
  const id = input.trim();
  if (id === '') {
    return fail(l10n.t('An external id is required here: {0}.', EXTERNAL_ID_RULE()));
  }
  let problem: string | undefined;
  if (id.length < 2) {
    problem = 'it has only 1 character';
  } else if (id.length > 1224) {
    problem = `it has ${id.length} characters`;
  } else {
    const bad = firstBadChar(id, EXTERNAL_ID_CHAR);
    problem = bad === undefined ? undefined : `it contains ${bad}`;
  }
  return problem ? fail(l10n.t('The external id is not valid: {0}; {1}.', problem, EXTERNAL_ID_RULE())) : ok(id);
}

const MFA_RULE = (): string => l10n.t('an MFA code is the 6 digits your authenticator shows now (e.g. 123456)');

/** A TOTP MFA code: 6 digits. Surrounding and inner spaces are removed (`123 456`). Messages never repeat it. */
export function validateMfaCode(input: string): Validation {
  const code = input.replace(/\s/g, '');
  if (code === '') {
    return fail(l10n.t('An MFA code is required: {0}.', MFA_RULE()));
  }
  const bad = firstBadChar(code, /\d/);
  if (bad !== undefined) {
    return fail(l10n.t('The MFA code is not valid: it contains {0}; {1}.', bad, MFA_RULE()));
  }
  if (code.length !== 6) {
    return fail(code.length === 1 ? l10n.t('The MFA code is not valid: it has 1 digit; {0}.', MFA_RULE()) : l10n.t('The MFA code is not valid: it has {0} digits; {1}.', code.length, MFA_RULE()));
  }
  return ok(code);
}

// ---------------------------------------------------------------------------------------------------------------
// Settings

const REGION_RULE = (): string => l10n.t('a region name is lower-case words joined by dashes, ending in a number (e.g. us-east-1, us-gov-west-1)');

/**
 * An AWS region name such as `us-east-1`, `us-gov-west-1`, `eu-central-2`, `ap-southeast-5`. Decision: the case is
 * normalised (`US-East-1` → `us-east-1`, region names are all lower case, so nothing else could be meant);
 * underscores are refused (`us_east_1` gets a hint) and so are availability zones (`us-east-1a` gets the region).
 * Whether the region exists is not checked: new regions must keep working.
 */
export function validateRegion(input: string): Validation {
  const region = input.trim().toLowerCase();
  if (region === '') {
    return fail(l10n.t('A region is required: {0}.', REGION_RULE()));
  }
  const shape = /^[a-z]{2}(?:-[a-z]+){1,3}-\d{1,2}$/;
  if (shape.test(region)) {
    return ok(region);
  }
  let hint = '';
  if (shape.test(region.replace(/[_ ]/g, '-'))) {
    hint = ` Did you mean ${region.replace(/[_ ]/g, '-')}?`;
  } else if (/^[a-z]{2}(?:-[a-z]+){1,3}-\d{1,2}[a-z]$/.test(region)) {
    hint = ` ${quote(region)} looks like an availability zone; its region is ${region.slice(0, -1)}.`;
  }
  return fail(l10n.t('{0} is not an AWS region name: {1}.{2}', quote(input.trim()), REGION_RULE(), hint));
}

const MAX_PRICE_RULE = (): string => l10n.t('the max price is a positive amount in US dollars, with a dot for decimals (e.g. 0.50)');

/**
 * `AWS.SNS.SMS.MaxPrice`: a positive decimal amount in USD, e.g. `0.50`. A leading `$` or a trailing `USD` is
 * removed, and so are leading zeros (`.5` → `0.5`); a decimal comma, exponents and signs are refused. Warnings:
 * below one cent (SNS does not send a message that would cost more than the max price, and a US SMS with carrier
 * fees usually costs more than that) and above one dollar (more than any single US SMS costs: a misplaced dot?).
 */
export function validateMaxPrice(input: string): Validation {
  const trimmed = input.trim();
  if (trimmed === '') {
    return fail(l10n.t('A max price is required here: {0}.', MAX_PRICE_RULE()));
  }
  const amount = trimmed.replace(/^\$\s*/, '').replace(/\s*usd$/i, '');
  if (/^\d*,\d+$/.test(amount)) {
    return fail(l10n.t('{0} is not a valid max price: it has a decimal comma; {1}.', quote(trimmed), MAX_PRICE_RULE()));
  }
  if (/^-\s*[\d.]/.test(amount)) {
    return fail(l10n.t('{0} is not a valid max price: it is negative; {1}.', quote(trimmed), MAX_PRICE_RULE()));
  }
  const m = /^(\d*)(?:\.(\d*))?$/.exec(amount);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) {
    return fail(l10n.t('{0} is not a valid max price: it is not a plain decimal number; {1}.', quote(trimmed), MAX_PRICE_RULE()));
  }
  const whole = m[1].replace(/^0+(?=\d)/, '') || '0';
  const fraction = m[2] ?? '';
  const value = fraction === '' ? whole : `${whole}.${fraction}`;
  const n = Number(value);
  if (!(n > 0)) {
    return fail(l10n.t('{0} is not a valid max price: it must be more than 0; {1}.', quote(trimmed), MAX_PRICE_RULE()));
  }
  const warnings: string[] = [];
  if (n < 0.01) {
    warnings.push(
      `A max price of $${value} is less than one cent; a US SMS with carrier fees usually costs more, and SNS does not send a message that costs more than the max price.`,
    );
  } else if (n > 1) {
    warnings.push(`A max price of $${value} is more than any single US SMS costs; check the decimal point (e.g. 0.50).`);
  }
  return ok(value, warnings);
}
