/**
 * Which endpoint a client for one service should use, with the precedence the AWS SDKs document for
 * configured endpoints: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then the profile's
 * `services` section, then the profile's `endpoint_url`. The SDK for JavaScript ignores a profile's
 * `endpoint_url` unless that profile is AWS_PROFILE, so the extension resolves it here and passes it
 * to each client explicitly. Pure: the environment comes in as an argument.
 */
import type { AwsProfile } from './profiles';

export type ServiceId = 'sts' | 'sns' | 'iam' | 'sms-voice' | 'logs' | 'access-analyzer' | 'organizations' | 'ram';

/**
 * How each service is named in AWS_ENDPOINT_URL_<NAME> and in a `services` section: the SDK service
 * id, upper-cased with underscores for the variable and lower-cased for the section.
 */
const SERVICE_KEYS: Record<ServiceId, { env: string; section: string }> = {
  sts: { env: 'STS', section: 'sts' },
  sns: { env: 'SNS', section: 'sns' },
  iam: { env: 'IAM', section: 'iam' },
  'sms-voice': { env: 'PINPOINT_SMS_VOICE_V2', section: 'pinpoint_sms_voice_v2' },
  logs: { env: 'CLOUDWATCH_LOGS', section: 'cloudwatch_logs' },
  'access-analyzer': { env: 'ACCESSANALYZER', section: 'accessanalyzer' },
  organizations: { env: 'ORGANIZATIONS', section: 'organizations' },
  ram: { env: 'RAM', section: 'ram' },
};

export function configuredEndpoint(
  profile: Pick<AwsProfile, 'endpointUrl' | 'serviceEndpoints' | 'ignoreConfiguredEndpointUrls'> | undefined,
  service: ServiceId,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const ignore = (env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'] ?? '').toLowerCase() === 'true';
  if (ignore || profile?.ignoreConfiguredEndpointUrls) {
    return undefined;
  }
  return (
    nonEmpty(env[`AWS_ENDPOINT_URL_${SERVICE_KEYS[service].env}`]) ??
    nonEmpty(env['AWS_ENDPOINT_URL']) ??
    nonEmpty(profile?.serviceEndpoints[SERVICE_KEYS[service].section]) ??
    nonEmpty(profile?.endpointUrl)
  );
}

function nonEmpty(v: string | undefined): string | undefined {
  return v && v.trim() !== '' ? v.trim() : undefined;
}
