/**
 * The SMS sandbox of the primary account: adding a destination number (AWS texts it a one-time
 * password) and verifying it with that password.
 */
import { CreateSMSSandboxPhoneNumberCommand, VerifySMSSandboxPhoneNumberCommand } from '@aws-sdk/client-sns';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { AwsProfile } from '../core/profiles';
import type { ClientFactory } from './clients';

export interface SandboxTarget {
  readonly profile: AwsProfile;
  readonly credentials: AwsCredentialIdentityProvider;
  readonly accountId: string;
  readonly region: string;
}

export class SandboxService {
  constructor(private readonly clients: ClientFactory) {}

  /** Adds the number to the sandbox; AWS sends it a one-time password by SMS. */
  async addNumber(t: SandboxTarget, phoneNumber: string, signal?: AbortSignal): Promise<void> {
    const sns = this.clients.sns(t.profile, t.credentials, { profile: t.profile.name, account: t.accountId, region: t.region });
    try {
      await sns.send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: phoneNumber, LanguageCode: 'en-US' }), { abortSignal: signal });
    } finally {
      sns.destroy();
    }
  }

  /** Verifies the number with the one-time password it received. */
  async verifyNumber(t: SandboxTarget, phoneNumber: string, oneTimePassword: string, signal?: AbortSignal): Promise<void> {
    const sns = this.clients.sns(t.profile, t.credentials, { profile: t.profile.name, account: t.accountId, region: t.region });
    try {
      await sns.send(new VerifySMSSandboxPhoneNumberCommand({ PhoneNumber: phoneNumber, OneTimePassword: oneTimePassword }), { abortSignal: signal });
    } finally {
      sns.destroy();
    }
  }
}
