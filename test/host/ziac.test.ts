/**
 * Infrastructure as code against moto: account names from moto's Organizations; Export as
 * CloudFormation; the primary template deployed with CreateStack; the secondary template deployed as
 * a service-managed StackSet to an OU of two member accounts; then Assume Role and Send Test SMS
 * through the role the stack made, with the assume permission coming only from the StackSet's policy
 * (moto enforces identity policies here). Runs after the other suites ("ziac"), and puts the AWS files,
 * settings and the stub back as it found them.
 *
 * What moto 5.2.5 cannot show, said plainly:
 * - it has no End User Messaging, so CloudFormation skips `AWS::SMSVOICE::ResourcePolicy` with a
 *   warning (it does not fail the stack). The stack is deployed with those resources switched off
 *   (`GrantSnsOnNumber=false`, `GrantSnsOnOptOutList=false`), and the test then puts the same policy on
 *   the number in our End User Messaging stub, as that resource would. That the template's policy is
 *   the right one is proven in the unit tier (cfn-lint, and the evaluated template equals the JSON).
 * - it resolves a `CommaDelimitedList` parameter to a list only when the value is passed, not from its
 *   Default (real CloudFormation does both), so `SecondaryAccountIds` is passed explicitly.
 * - it keeps an inline policy made by CloudFormation as a Python dict: GetRolePolicy answers its repr,
 *   and its own permission checker fails on it (HTTP 500 for every call of the role's session). The
 *   test reads the repr, compares it with the JSON document, and writes the same document back with
 *   PutRolePolicy. Real CloudFormation stores JSON.
 * - it does not evaluate trust policies, so the trust is compared with the JSON document instead.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { SEND_AGAIN_BUTTON, SEND_BUTTON } from '../../src/commands/sendTestSms';
import type { TestApi } from '../../src/extension';
import type { Node } from '../../src/ui/profilesView';
import { snsResourcePolicy } from '../../src/core/numberPolicy';
import { optOutListArn, phoneNumberArn, primaryEumAccount } from '../harness/eumStub';
import { ACCOUNTS, setMotoAuth, type SeedResult } from '../harness/seed';
import { env, eum, motoData, smsRecords, waitFor } from './helpers';
import { ScriptedUi } from './scriptedUi';

const ROLE = 'tendlc-iac-sms';
const STACK_SET = 'tendlc-secondary-assume';

/** Acts in `account` through moto's header (while permission checks are off). */
function inAccount<C>(client: C, account: string): C {
  // The stack is typed per client; this middleware only sets a header, so a loose cast is safe.
  (client as unknown as { middlewareStack: { add(mw: unknown, o: object): void } }).middlewareStack.add(
    (next: (a: unknown) => Promise<unknown>) => async (args: { request: { headers: Record<string, string> } }) => {
      args.request.headers['x-moto-account-id'] = account;
      return next(args);
    },
    { step: 'build', name: 'motoAccount' },
  );
  return client;
}

describe('Infrastructure as code and account names (extension host, moto)', function () {
  this.timeout(120_000);
  let api: TestApi;
  let seed: SeedResult;
  const ui = new ScriptedUi();
  const endpoint = (): string => env('TENDLC_MOTO_ENDPOINT');
  const placeholder = { accessKeyId: 'iac-bootstrap', secretAccessKey: 'iac-bootstrap' };
  let original: { config: string; credentials: string; settings: Record<string, unknown> };
  const members: Record<'a' | 'b', { id: string; name: string }> = { a: { id: '', name: 'sms-team-a' }, b: { id: '', name: 'sms-team-b' } };
  let ou = '';
  const newSecrets: string[] = [];
  let exported: { primary: string; secondary: string; guide: string } | undefined;

  async function setting(key: string, value: unknown): Promise<void> {
    await vscode.workspace.getConfiguration('tendlc').update(key, value, vscode.ConfigurationTarget.Global);
  }

  before(async () => {
    seed = JSON.parse(fs.readFileSync(env('TENDLC_TEST_SEED'), 'utf8')) as SeedResult;
    const ext = vscode.extensions.getExtension<TestApi>('tendlc.tendlc-cross-account');
    assert.ok(ext);
    api = (await ext.activate()) as TestApi;
    api.setUi(ui);
    const cfg = vscode.workspace.getConfiguration('tendlc');
    original = {
      config: fs.readFileSync(seed.configPath, 'utf8'),
      credentials: fs.readFileSync(seed.credentialsPath, 'utf8'),
      settings: { secondaryProfiles: cfg.get('secondaryProfiles'), roleName: cfg.get('roleName') },
    };
    const { OrganizationsClient, CreateOrganizationCommand, CreateAccountCommand, ListAccountsCommand, ListRootsCommand, CreateOrganizationalUnitCommand, MoveAccountCommand } =
      await import('@aws-sdk/client-organizations');
    const IAM = await import('@aws-sdk/client-iam');
    // Bootstrapping acts through moto's account header, so permission checks are off meanwhile.
    await setMotoAuth(endpoint(), false);
    try {
      // The primary is the organization's management account; two member accounts in an OU send.
      const org = inAccount(new OrganizationsClient({ endpoint: endpoint(), region: 'us-east-1', credentials: placeholder }), ACCOUNTS.primary);
      await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
      for (const m of Object.values(members)) {
        await org.send(new CreateAccountCommand({ AccountName: m.name, Email: `${m.name}@example.com` }));
      }
      const accounts = (await org.send(new ListAccountsCommand({}))).Accounts ?? [];
      for (const m of Object.values(members)) {
        m.id = accounts.find((a) => a.Name === m.name)?.Id ?? '';
        assert.match(m.id, /^\d{12}$/);
      }
      const root = (await org.send(new ListRootsCommand({}))).Roots?.[0]?.Id;
      ou = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: root, Name: 'sms-senders' }))).OrganizationalUnit?.Id ?? '';
      for (const m of Object.values(members)) {
        await org.send(new MoveAccountCommand({ AccountId: m.id, SourceParentId: root, DestinationParentId: ou }));
      }
      org.destroy();
      // The primary's admin may run CloudFormation and read the organization.
      const primaryIam = inAccount(new IAM.IAMClient({ endpoint: endpoint(), region: 'us-east-1', credentials: placeholder }), ACCOUNTS.primary);
      await primaryIam.send(
        new IAM.PutUserPolicyCommand({
          UserName: seed.users.primary,
          PolicyName: 'tendlc-iac-test',
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['cloudformation:*', 'organizations:*'], Resource: '*' }] }),
        }),
      );
      primaryIam.destroy();
      // In each member account a user with keys and no policy of its own: it may assume the role only
      // once the StackSet has attached the secondary template's policy.
      const config: string[] = [];
      const credentials: string[] = [];
      for (const [k, m] of Object.entries(members)) {
        const iam = inAccount(new IAM.IAMClient({ endpoint: endpoint(), region: 'us-east-1', credentials: placeholder }), m.id);
        await iam.send(new IAM.CreateUserCommand({ UserName: 'sender' }));
        const key = (await iam.send(new IAM.CreateAccessKeyCommand({ UserName: 'sender' }))).AccessKey;
        assert.ok(key?.AccessKeyId && key.SecretAccessKey);
        newSecrets.push(key.AccessKeyId, key.SecretAccessKey);
        iam.destroy();
        config.push(`[profile org-team-${k}]`, 'region = us-east-1', `endpoint_url = ${endpoint()}`, '');
        credentials.push(`[org-team-${k}]`, `aws_access_key_id = ${key.AccessKeyId}`, `aws_secret_access_key = ${key.SecretAccessKey}`, '');
      }
      fs.appendFileSync(seed.configPath, `\n${config.join('\n')}\n`);
      fs.appendFileSync(seed.credentialsPath, `\n${credentials.join('\n')}\n`);
    } finally {
      await setMotoAuth(endpoint(), true);
    }
    await waitFor('the new profiles in the extension', () => api.deps.state.profile('org-team-b'), 20_000);
    await setting('roleName', ROLE);
    await setting('secondaryProfiles', ['org-team-a', 'org-team-b']);
    // A number bought after 24 September 2024 with no resource policy yet: the setup needs one.
    await eum(ACCOUNTS.primary, { ...primaryEumAccount(ACCOUNTS.primary, seed.originationNumber), policies: {} });
  });

  beforeEach(() => ui.reset());

  after(async () => {
    fs.writeFileSync(seed.configPath, original.config);
    fs.writeFileSync(seed.credentialsPath, original.credentials);
    await setting('roleName', original.settings['roleName']);
    await setting('secondaryProfiles', original.settings['secondaryProfiles']);
    await eum(ACCOUNTS.primary, primaryEumAccount(ACCOUNTS.primary, seed.originationNumber));
    await vscode.commands.executeCommand('tendlc.refreshProfiles');
  });

  it('shows account names from AWS Organizations beside the account ids, looked up with a profile that needs no prompt', async () => {
    await vscode.commands.executeCommand('tendlc.refreshProfiles');
    const svc = await api.deps.aws.get();
    // The tree asks for its children as VS Code shows it; ask as it would.
    const view = api.deps.view;
    const walk = async (parent?: Node): Promise<Node[]> => {
      const kids = await view.getChildren(parent);
      return [...kids, ...(await Promise.all(kids.filter((k) => k.kind === 'group').map((k) => walk(k)))).flat()];
    };
    await walk();
    await waitFor('the names from ListAccounts', () => svc.orgNames.nameOf(members.a.id) === members.a.name && svc.orgNames.nameOf(members.b.id) === members.b.name);
    assert.equal(svc.orgNames.state.status, 'known');
    assert.equal(svc.orgNames.state.status === 'known' ? svc.orgNames.state.via : '', 'primary', 'the primary (the management account) listed them');
    assert.equal(svc.orgNames.nameOf(ACCOUNTS.primary), 'master', "moto names the management account 'master'");
    const item = await waitFor('the secondary shown with its account name', async () => {
      const node = (await walk()).find((n) => n.kind === 'profile' && n.name === 'org-team-a');
      const it = node ? view.getTreeItem(node) : undefined;
      return it && String(it.description).includes(`${members.a.id} (${members.a.name})`) ? it : undefined;
    });
    assert.ok(item.description);
  });

  it('exports the setup as CloudFormation: the templates and guide, with account names in the comments', async () => {
    const out = (await vscode.commands.executeCommand('tendlc.exportCloudFormation')) as { primary: vscode.Uri; secondary: vscode.Uri; guide: vscode.Uri } | undefined;
    assert.ok(out, `exported (errors: ${ui.of('error').map((e) => e.text).join(' | ')})`);
    const text = async (u: vscode.Uri): Promise<string> => (await vscode.workspace.openTextDocument(u)).getText();
    exported = { primary: await text(out.primary), secondary: await text(out.secondary), guide: await text(out.guide) };
    const primaryDoc = await vscode.workspace.openTextDocument(out.primary);
    assert.equal(primaryDoc.languageId, 'yaml');
    assert.match(exported.primary, new RegExp(`Secondary accounts trusted: .*${members.a.id} \\(${members.a.name}\\)`));
    assert.match(exported.primary, /Type: AWS::SMSVOICE::ResourcePolicy/);
    // The number has no policy today: the switch is on by default, with the number's ARN read from the stub.
    assert.match(exported.primary, /GrantSnsOnNumber:\n(?:\s+.*\n)*?\s+Default: 'true'/);
    assert.ok(exported.primary.includes(phoneNumberArn(ACCOUNTS.primary, 'us-east-1', primaryEumAccount(ACCOUNTS.primary, seed.originationNumber).numbers[0])));
    assert.match(exported.guide, /aws cloudformation deploy --profile primary --region us-east-1/);
    assert.match(exported.guide, /create-stack-set/);
    assert.match(exported.guide, /create-stack-instances/);
    assert.match(exported.guide, /never deploy to the organization's management account/);
    assert.match(exported.guide, /IAM names are global to an account/);
    const tf = (await vscode.commands.executeCommand('tendlc.exportTerraform')) as { primary: vscode.Uri } | undefined;
    assert.ok(tf);
    assert.match(await text(tf.primary), /resource "aws_pinpointsmsvoicev2_resource_policy" "number"/);
  });

  it('the primary template deploys with CreateStack, the secondary one as a StackSet to the OU; then Assume Role and Send Test SMS go through the stack\'s role', async () => {
    assert.ok(exported, 'the export test ran first');
    const CFN = await import('@aws-sdk/client-cloudformation');
    const { fromIni } = await import('@aws-sdk/credential-providers');
    const cfn = new CFN.CloudFormationClient({ endpoint: endpoint(), region: 'us-east-1', credentials: fromIni({ profile: 'primary' }) });
    try {
      await cfn.send(
        new CFN.CreateStackCommand({
          StackName: 'tendlc-iac-test',
          TemplateBody: exported.primary,
          Capabilities: ['CAPABILITY_NAMED_IAM'],
          Parameters: [
            { ParameterKey: 'SecondaryAccountIds', ParameterValue: [members.a.id, members.b.id].sort().join(',') },
            // moto has no End User Messaging: see the note at the top of this file.
            { ParameterKey: 'GrantSnsOnNumber', ParameterValue: 'false' },
            { ParameterKey: 'GrantSnsOnOptOutList', ParameterValue: 'false' },
          ],
        }),
      );
      const stack = await waitFor('the stack', async () => {
        const s = (await cfn.send(new CFN.DescribeStacksCommand({ StackName: 'tendlc-iac-test' }))).Stacks?.[0];
        return s?.StackStatus === 'CREATE_COMPLETE' ? s : undefined;
      });
      const roleArn = stack.Outputs?.find((o) => o.OutputKey === 'RoleArn')?.OutputValue;
      assert.equal(roleArn, `arn:aws:iam::${ACCOUNTS.primary}:role/${ROLE}`);

      // The role the stack made: trust and permissions as Generate Policies writes them.
      const generated = (await vscode.commands.executeCommand('tendlc.generatePolicies')) as { trust: vscode.Uri; permissions: vscode.Uri } | undefined;
      assert.ok(generated);
      const IAM = await import('@aws-sdk/client-iam');
      const iam = new IAM.IAMClient({ endpoint: endpoint(), region: 'us-east-1', credentials: fromIni({ profile: 'primary' }) });
      const role = (await iam.send(new IAM.GetRoleCommand({ RoleName: ROLE }))).Role;
      const inline = await iam.send(new IAM.GetRolePolicyCommand({ RoleName: ROLE, PolicyName: 'tendlc-sms-publish' }));
      const json = async (u: vscode.Uri): Promise<unknown> => JSON.parse((await vscode.workspace.openTextDocument(u)).getText());
      assert.deepEqual(JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? '{}')), await json(generated.trust));
      // moto 5.2.5 keeps an inline policy made by CloudFormation as the Python dict it parsed and answers
      // GetRolePolicy with its repr (single quotes); real IAM answers URL-encoded JSON. Read either.
      const inlineText = decodeURIComponent(inline.PolicyDocument ?? '{}');
      const inlineDoc: unknown = inlineText.startsWith("{'") ? JSON.parse(inlineText.replace(/'/g, '"')) : JSON.parse(inlineText);
      assert.deepEqual(inlineDoc, await json(generated.permissions));
      // moto's own permission checker cannot read that dict either (KeyError 'policy_document', HTTP 500
      // on every call with the role's session), so write the very same document back as JSON.
      await iam.send(new IAM.PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'tendlc-sms-publish', PolicyDocument: JSON.stringify(inlineDoc) }));
      iam.destroy();
      assert.deepEqual(role?.Tags, [{ Key: 'managed-by', Value: 'tendlc-cross-account' }]);

      // What AWS::SMSVOICE::ResourcePolicy would have put on the number and its opt-out list.
      const account = primaryEumAccount(ACCOUNTS.primary, seed.originationNumber);
      const numberArn = phoneNumberArn(ACCOUNTS.primary, 'us-east-1', account.numbers[0]);
      const listArn = optOutListArn(ACCOUNTS.primary, 'us-east-1', 'Default');
      await eum(ACCOUNTS.primary, {
        policies: {
          [numberArn]: JSON.stringify(snsResourcePolicy('phone-number', numberArn, ACCOUNTS.primary)),
          [listArn]: JSON.stringify(snsResourcePolicy('opt-out-list', listArn, ACCOUNTS.primary)),
        },
      });

      // The secondary side: a service-managed StackSet from the management account to the OU.
      await cfn.send(
        new CFN.CreateStackSetCommand({
          StackSetName: STACK_SET,
          TemplateBody: exported.secondary,
          Capabilities: ['CAPABILITY_NAMED_IAM'],
          PermissionModel: 'SERVICE_MANAGED',
          AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
          Parameters: [
            { ParameterKey: 'RoleName', ParameterValue: ROLE },
            { ParameterKey: 'AttachToUsers', ParameterValue: 'sender' },
          ],
        }),
      );
      await cfn.send(new CFN.CreateStackInstancesCommand({ StackSetName: STACK_SET, DeploymentTargets: { OrganizationalUnitIds: [ou] }, Regions: ['us-east-1'] }));
      const instances = await waitFor('both stack instances', async () => {
        const s = (await cfn.send(new CFN.ListStackInstancesCommand({ StackSetName: STACK_SET }))).Summaries ?? [];
        return s.length === 2 && s.every((i) => i.Status === 'CURRENT') ? s : undefined;
      });
      assert.deepEqual(instances.map((i) => i.Account).sort(), [members.a.id, members.b.id].sort());
      assert.ok(!instances.some((i) => i.Account === ACCOUNTS.primary), 'nothing deployed to the management account');

      // Assume Role from a member account: allowed only by the StackSet's policy.
      const session = (await vscode.commands.executeCommand('tendlc.assumeRole', 'org-team-a')) as { assumedRoleArn: string; accountId: string } | undefined;
      assert.ok(session, `assumed (errors: ${ui.of('error').map((e) => e.text).join(' | ')})`);
      assert.match(session.assumedRoleArn, new RegExp(`^arn:aws:sts::${ACCOUNTS.primary}:assumed-role/${ROLE}/`));

      // Send Test SMS from the other member account, confirmed with the billed account named.
      const text = `tendlc iac ${Date.now()}`;
      // An earlier suite may have sent to the same number minutes ago: then the dialog asks "Send Again".
      const again = api.deps.recentSends.secondsSinceRecent(seed.destinationNumber) !== undefined;
      ui.answer('input', seed.destinationNumber, text).answer('modal', again ? SEND_AGAIN_BUTTON : SEND_BUTTON);
      const sent = (await vscode.commands.executeCommand('tendlc.sendTestSms', 'org-team-b')) as { messageId: string } | undefined;
      assert.ok(sent, `sent (errors: ${ui.of('error').map((e) => e.text).join(' | ')}; modals: ${ui.of('modal').map((m) => m.text).join(' | ')})`);
      assert.match(ui.of('modal')[0]?.text ?? '', new RegExp(`primary account ${ACCOUNTS.primary} \\(master\\)`));
      const records = await waitFor('the SMS in moto', async () => smsRecords(await motoData()).filter((r) => r.message === text));
      assert.equal(records.length, 1);
    } finally {
      cfn.destroy();
    }
  });

  it('keeps the member accounts\' keys out of the log', async () => {
    const log = fs.readFileSync(api.logFile.fsPath, 'utf8');
    assert.ok(newSecrets.length === 4);
    for (const s of newSecrets) {
      assert.ok(!log.includes(s), 'a key of a member account reached the log');
    }
  });
});
