/** Every command id the extension contributes (must match package.json). */
export const COMMANDS = {
  refreshProfiles: 'tendlc.refreshProfiles',
  setPrimary: 'tendlc.setPrimary',
  addSecondary: 'tendlc.addSecondary',
  removeFromGroup: 'tendlc.removeFromGroup',
  generatePolicies: 'tendlc.generatePolicies',
  assumeRole: 'tendlc.assumeRole',
  forgetSession: 'tendlc.forgetSession',
  sendTestSms: 'tendlc.sendTestSms',
  lookupAccount: 'tendlc.lookupAccount',
  openProfileSource: 'tendlc.openProfileSource',
  showOutput: 'tendlc.showOutput',
  createRole: 'tendlc.createRole',
  checkSetup: 'tendlc.checkSetup',
  verifySandboxNumber: 'tendlc.verifySandboxNumber',
  checkDelivery: 'tendlc.checkDelivery',
  enableDeliveryLogging: 'tendlc.enableDeliveryLogging',
  exportCloudFormation: 'tendlc.exportCloudFormation',
  exportTerraform: 'tendlc.exportTerraform',
  showMoreProfiles: 'tendlc.showMoreProfiles',
  grantSnsNumberAccess: 'tendlc.grantSnsNumberAccess',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
