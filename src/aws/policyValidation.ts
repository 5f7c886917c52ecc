/**
 * Validates proposed policy documents with IAM Access Analyzer's ValidatePolicy before anything is
 * written: a role's trust policy as a RESOURCE_POLICY of type AWS::IAM::AssumeRolePolicyDocument, a
 * permissions policy as an IDENTITY_POLICY, and a resource policy of any other service (End User
 * Messaging's numbers and opt-out lists) as a RESOURCE_POLICY without `validatePolicyResourceType`:
 * its documented values are AWS::S3::Bucket, AWS::S3::AccessPoint, AWS::S3::MultiRegionAccessPoint,
 * AWS::S3ObjectLambda::AccessPoint, AWS::IAM::AssumeRolePolicyDocument and AWS::DynamoDB::Table, and
 * for other resource types the API reference says to leave it out, so that Access Analyzer runs the
 * checks that apply to all resource policies (no service-specific ones). An endpoint that does not implement it (AWS emulators),
 * a caller that may not call it, or a network failure is "not validated", with why — never a pass.
 */
import * as l10n from '@vscode/l10n';
import { ValidatePolicyCommand, type ValidatePolicyCommandOutput } from '@aws-sdk/client-accessanalyzer';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { PolicyFinding, PolicyValidation } from '../core/analyzerFindings';
import type { AwsProfile } from '../core/profiles';
import type { ClientFactory } from './clients';
import { withoutUserInfo } from '../core/redact';
import { explainError } from './errors';

/** trust: a role's trust policy; identity: a permissions policy; resource: another service's resource policy. */
export type PolicyKind = 'trust' | 'identity' | 'resource';

export interface DocumentToValidate {
  readonly kind: PolicyKind;
  /** The document exactly as it will be written. */
  readonly text: string;
}

/** At most this many pages of findings (each holds many; a policy with more is refused by IAM anyway). */
const MAX_PAGES = 10;
/**
 * Findings kept per document. A real answer has a handful (a policy is at most 10,240 characters); each kept one
 * becomes a diagnostic and a line of the Apply dialog, so a broken or hostile endpoint's thousands are counted, not
 * kept — the most severe first, so an ERROR still blocks Apply.
 */
const MAX_FINDINGS = 100;
const SEVERITY_RANK: Readonly<Record<string, number>> = { ERROR: 0, SECURITY_WARNING: 1, WARNING: 2, SUGGESTION: 3 };

/** The `max` most severe findings, in their order within a severity. */
function mostSevere(findings: readonly PolicyFinding[], max: number): PolicyFinding[] {
  const rank = (f: PolicyFinding): number => SEVERITY_RANK[f.findingType] ?? 2;
  return [...findings].sort((a, b) => rank(a) - rank(b)).slice(0, max);
}

/** What is kept of `total` findings, with one more saying how many were left out. */
function kept(findings: readonly PolicyFinding[], total: number): PolicyFinding[] {
  if (total <= MAX_FINDINGS) {
    return [...findings];
  }
  const omitted = total - MAX_FINDINGS;
  return [
    ...mostSevere(findings, MAX_FINDINGS),
    {
      findingType: 'WARNING',
      issueCode: 'TOO_MANY_FINDINGS',
      findingDetails: `IAM Access Analyzer answered ${total.toLocaleString('en-US')} findings, far more than a policy can have (is the endpoint right?); ${omitted.toLocaleString('en-US')} more findings of the same or lower severity are not shown.`,
      locations: [],
    },
  ];
}

export class PolicyValidator {
  constructor(private readonly clients: ClientFactory) {}

  /** Validates each document with the given credentials; one outcome per document, in order. */
  async validate(
    profile: AwsProfile,
    credentials: AwsCredentialIdentityProvider,
    ctx: { readonly account?: string; readonly region: string },
    docs: readonly DocumentToValidate[],
    signal?: AbortSignal,
  ): Promise<PolicyValidation[]> {
    const client = this.clients.accessAnalyzer(profile, credentials, { profile: profile.name, account: ctx.account, region: ctx.region }, this.clients.checkTimeouts);
    try {
      const out: PolicyValidation[] = [];
      for (const doc of docs) {
        out.push(await this.one(client, profile, doc, signal));
      }
      return out;
    } finally {
      client.destroy();
    }
  }

  private async one(client: ReturnType<ClientFactory['accessAnalyzer']>, profile: AwsProfile, doc: DocumentToValidate, signal?: AbortSignal): Promise<PolicyValidation> {
    let findings: PolicyFinding[] = [];
    let total = 0;
    let token: string | undefined;
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const res: ValidatePolicyCommandOutput = await client.send(
          new ValidatePolicyCommand({
            policyDocument: doc.text.replace(/^\ufeff/, ''),
            ...(doc.kind === 'trust'
              ? { policyType: 'RESOURCE_POLICY', validatePolicyResourceType: 'AWS::IAM::AssumeRolePolicyDocument' }
              : doc.kind === 'resource'
                ? { policyType: 'RESOURCE_POLICY' }
                : { policyType: 'IDENTITY_POLICY' }),
            locale: 'EN',
            nextToken: token,
          }),
          { abortSignal: signal },
        );
        total += res.findings?.length ?? 0;
        for (const f of res.findings ?? []) {
          if (findings.length >= 2 * MAX_FINDINGS) {
            findings = mostSevere(findings, MAX_FINDINGS);
          }
          findings.push({
            findingType: f.findingType ?? 'WARNING',
            issueCode: f.issueCode ?? 'UNKNOWN',
            findingDetails: f.findingDetails ?? '',
            learnMoreLink: f.learnMoreLink,
            locations: (f.locations ?? []).map((l) => ({
              path: (l.path ?? []).map((p) => ({ index: p.index, key: p.key, value: p.value, substring: p.substring })),
              span: l.span?.start && l.span.end ? { start: { line: l.span.start.line ?? 1, column: l.span.start.column ?? 0, offset: l.span.start.offset ?? 0 }, end: { line: l.span.end.line ?? 1, column: l.span.end.column ?? 0, offset: l.span.end.offset ?? 0 } } : undefined,
            })),
          });
        }
        token = res.nextToken;
        if (!token) {
          return { status: 'validated', findings: kept(findings, total) };
        }
      }
      // Still more pages: say so, rather than let what was read pass for all of it.
      const unread: PolicyFinding = {
        findingType: 'WARNING',
        issueCode: 'FINDINGS_NOT_ALL_READ',
        findingDetails: `IAM Access Analyzer had more than ${MAX_PAGES} pages of findings; the pages after them were not read, so there may be more findings, errors among them.`,
        locations: [],
      };
      return { status: 'validated', findings: [...kept(findings, total), unread] };
    } catch (e) {
      const configured = this.clients.endpointFor(profile, 'access-analyzer');
      // Named in the reason, which reaches the editor's Problems panel: never with its user information (a password).
      const endpoint = configured ? withoutUserInfo(configured) : undefined;
      const x = explainError(e, { operation: 'ValidatePolicy', profile: profile.name, endpoint });
      switch (x.category) {
        case 'cancelled':
          throw e;
        case 'not-implemented':
          return { status: 'not-validated', reason: endpoint ? l10n.t('the endpoint {0} does not implement IAM Access Analyzer\'s ValidatePolicy (AWS emulators such as moto do not), so the document was not checked.', endpoint) : l10n.t('the endpoint does not implement IAM Access Analyzer\'s ValidatePolicy (AWS emulators such as moto do not), so the document was not checked.') };
        case 'access-denied':
          return { status: 'not-validated', reason: l10n.t('profile "{0}" may not call access-analyzer:ValidatePolicy ({1}); grant it to have proposals checked.', profile.name, x.code) };
        default:
          return { status: 'not-validated', reason: `${x.message} ${x.hint}` };
      }
    }
  }
}
