/**
 * Loads the AWS layer (and with it the AWS SDK) on first use. The build maps `../aws/index` to the
 * separate bundle dist/aws.js, so activation never loads an SDK module.
 */
import type { AwsServices, AwsServicesOptions } from '../aws/index';

export type AwsModule = typeof import('../aws/index');

export class AwsGateway {
  private module?: Promise<AwsModule>;
  private services?: Promise<AwsServices>;

  constructor(private readonly options: AwsServicesOptions) {}

  /** True once the AWS layer has been loaded (for the benchmark and tests). */
  get loaded(): boolean {
    return this.services !== undefined;
  }

  mod(): Promise<AwsModule> {
    this.module ??= import('../aws/index');
    return this.module;
  }

  get(): Promise<AwsServices> {
    this.services ??= this.mod().then((m) => m.createAwsServices(this.options));
    return this.services;
  }

  /** Closes the AWS layer's kept-alive connections, if it was loaded. */
  dispose(): void {
    void this.services?.then((s) => s.dispose());
  }
}
