/**
 * A loopback stand-in for IAM Access Analyzer's ValidatePolicy, which moto does not implement. It is
 * served by the SNS stub's server (snsStub.ts routes a request here when its SigV4 credential scope
 * names the service `access-analyzer`) and answers the documented REST-JSON shapes:
 *
 *   POST /policy/validation?maxResults=&nextToken=   {"locale","policyDocument","policyType","validatePolicyResourceType"}
 *   200 {"findings":[{"findingDetails","findingType","issueCode","learnMoreLink","locations":[{"path":[…],"span":{"start":{"line","column","offset"},"end":{…}}}]}],"nextToken"?}
 *
 * It refuses what AWS refuses (ValidationException for a missing document, an unknown policy type or
 * resource type, a resource type on a non-resource policy) and reports a document that is not JSON as
 * AWS does, with an ERROR finding JSON_SYNTAX_ERROR. Other findings come from the tests: they steer
 * the stub (POST /__stub/access-analyzer with a partial AnalyzerState) to report an ERROR or a
 * SECURITY_WARNING at a path, or to pass requests on to moto ("absent"), or to refuse them ("denied").
 */
import { randomUUID } from 'node:crypto';

export interface AnalyzerPathElement {
  index?: number;
  key?: string;
  value?: string;
  substring?: { start: number; length: number };
}

/**
 * A finding the tests ask for: on a role's trust policy, on an identity (permissions) policy, or on a
 * resource policy validated without a resource type (End User Messaging's, for instance).
 */
export interface StubFinding {
  on: 'trust' | 'identity' | 'resource';
  findingType: 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';
  issueCode: string;
  findingDetails: string;
  path: AnalyzerPathElement[];
}

export interface AnalyzerState {
  /** answer: ValidatePolicy is answered here; absent: passed on to moto (which lacks it); denied: AccessDeniedException. */
  mode: 'answer' | 'absent' | 'denied';
  findings: StubFinding[];
  /** Every ValidatePolicy request seen, in order. */
  requests: { policyType?: string; validatePolicyResourceType?: string; policyDocument?: string }[];
}

export function defaultAnalyzerState(): AnalyzerState {
  return { mode: 'answer', findings: [], requests: [] };
}

/** The service a SigV4 request is signed for: `Credential=KEY/DATE/REGION/SERVICE/aws4_request`. */
export function signedService(authorization: string | undefined): string | undefined {
  return /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization ?? '')?.[1];
}

const POLICY_TYPES = ['IDENTITY_POLICY', 'RESOURCE_POLICY', 'SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'];
const RESOURCE_TYPES = ['AWS::S3::Bucket', 'AWS::S3::AccessPoint', 'AWS::S3::MultiRegionAccessPoint', 'AWS::S3ObjectLambda::AccessPoint', 'AWS::IAM::AssumeRolePolicyDocument', 'AWS::DynamoDB::Table'];
const LOCALES = ['DE', 'EN', 'ES', 'FR', 'IT', 'JA', 'KO', 'PT_BR', 'ZH_CN', 'ZH_TW'];

type Answer = { status: number; headers: Record<string, string>; body: string } | 'pass';

function json(status: number, body: unknown, errorType?: string): Answer {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...(errorType ? { 'x-amzn-errortype': errorType } : {}) },
    body: JSON.stringify(body),
  };
}

function position(text: string, offset: number): { line: number; column: number; offset: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length, offset };
}

/**
 * Where a path points, found the simple way (independent of the extension's own locator): walk the
 * parsed document to the value, then find its JSON text after the text of the last key on the way.
 */
function span(text: string, path: AnalyzerPathElement[]): { start: ReturnType<typeof position>; end: ReturnType<typeof position> } {
  let value: unknown = JSON.parse(text);
  let from = 0;
  for (const step of path) {
    const name = step.value ?? step.key;
    if (name !== undefined && value && typeof value === 'object' && !Array.isArray(value)) {
      const at = text.indexOf(JSON.stringify(name), from);
      from = at >= 0 ? at : from;
      if (step.key !== undefined) {
        return { start: position(text, from), end: position(text, from + JSON.stringify(name).length) };
      }
      value = (value as Record<string, unknown>)[name];
    } else if (step.index !== undefined) {
      value = Array.isArray(value) ? value[step.index] : value;
    }
  }
  const needle = JSON.stringify(value);
  const at = text.indexOf(needle, from);
  const start = at >= 0 ? at : from;
  return { start: position(text, start), end: position(text, start + (at >= 0 ? needle.length : 0)) };
}

/** Answers a request signed for access-analyzer, or 'pass' to send it on to moto. */
export function answerAccessAnalyzer(state: AnalyzerState, method: string, url: string, body: string): Answer {
  if (state.mode === 'absent') {
    return 'pass';
  }
  const route = url.split('?')[0];
  if (method !== 'POST' || route !== '/policy/validation') {
    return json(404, { message: `The stub answers only POST /policy/validation (ValidatePolicy), not ${method} ${route}` }, 'ResourceNotFoundException');
  }
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(body || '{}') as Record<string, unknown>;
  } catch {
    return json(400, { message: 'The request body is not JSON.', reason: 'cannotParse' }, 'ValidationException');
  }
  const field = (name: string, message: string): Answer => json(400, { message, reason: 'fieldValidationFailed', fieldList: [{ name, message }] }, 'ValidationException');
  const doc = input['policyDocument'];
  const type = input['policyType'];
  const resourceType = input['validatePolicyResourceType'];
  state.requests.push({ policyType: type as string, validatePolicyResourceType: resourceType as string, policyDocument: doc as string });
  if (state.mode === 'denied') {
    return json(403, { message: 'User is not authorized to perform: access-analyzer:ValidatePolicy' }, 'AccessDeniedException');
  }
  if (typeof doc !== 'string' || doc.length === 0) {
    return field('policyDocument', 'policyDocument is required.');
  }
  if (typeof type !== 'string' || !POLICY_TYPES.includes(type)) {
    return field('policyType', `policyType must be one of ${POLICY_TYPES.join(', ')}.`);
  }
  if (resourceType !== undefined && (type !== 'RESOURCE_POLICY' || typeof resourceType !== 'string' || !RESOURCE_TYPES.includes(resourceType))) {
    return field('validatePolicyResourceType', 'validatePolicyResourceType is valid only with policyType RESOURCE_POLICY, and must be a supported resource type.');
  }
  if (input['locale'] !== undefined && !LOCALES.includes(String(input['locale']))) {
    return field('locale', `locale must be one of ${LOCALES.join(', ')}.`);
  }
  try {
    JSON.parse(doc);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const at = position(doc, m ? Number(m[1]) : 0);
    return json(200, {
      findings: [
        {
          findingDetails: `Fix the JSON syntax error at index ${at.offset} line ${at.line} column ${at.column}.`,
          findingType: 'ERROR',
          issueCode: 'JSON_SYNTAX_ERROR',
          learnMoreLink: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-json-syntax-error',
          locations: [{ path: [], span: { start: at, end: at } }],
        },
      ],
    });
  }
  const on =
    type === 'RESOURCE_POLICY' && resourceType === 'AWS::IAM::AssumeRolePolicyDocument'
      ? 'trust'
      : type === 'IDENTITY_POLICY'
        ? 'identity'
        : type === 'RESOURCE_POLICY' && resourceType === undefined
          ? 'resource'
          : undefined;
  return json(200, {
    findings: state.findings
      .filter((f) => f.on === on)
      .map((f) => ({
        findingDetails: f.findingDetails,
        findingType: f.findingType,
        issueCode: f.issueCode,
        learnMoreLink: `https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#${f.issueCode.toLowerCase()}`,
        locations: [{ path: f.path, span: span(doc, f.path) }],
      })),
  });
}
