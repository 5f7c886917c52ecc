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
import { ValidatePolicyCommand, type ValidatePolicyCommandOutput } from '@aws-sdk/client-accessanalyzer';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { PolicyFinding, PolicyValidation } from '../core/analyzerFindings';
import type { AwsProfile } from '../core/profiles';
import type { ClientFactory } from './clients';
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
    const findings: PolicyFinding[] = [];
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
        for (const f of res.findings ?? []) {
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
          return { status: 'validated', findings };
        }
      }
      return { status: 'validated', findings };
    } catch (e) {
      const endpoint = this.clients.endpointFor(profile, 'access-analyzer');
      const x = explainError(e, { operation: 'ValidatePolicy', profile: profile.name, endpoint });
      switch (x.category) {
        case 'cancelled':
          throw e;
        case 'not-implemented':
          return { status: 'not-validated', reason: `${endpoint ? `the endpoint ${endpoint}` : 'the endpoint'} does not implement IAM Access Analyzer's ValidatePolicy (AWS emulators such as moto do not), so the document was not checked.` };
        case 'access-denied':
          return { status: 'not-validated', reason: `profile "${profile.name}" may not call access-analyzer:ValidatePolicy (${x.code}); grant it to have proposals checked.` };
        default:
          return { status: 'not-validated', reason: `${x.message} ${x.hint}` };
      }
    }
  }
}
