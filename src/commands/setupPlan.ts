/**
 * Reads what the setup needs from the settings and AWS (the trust plan, the number and its resource
 * policies, account names) and builds the one model (`core/setup.ts`) that Generate Policies and the
 * CloudFormation and Terraform exports render.
 */
import * as vscode from 'vscode';
import type { NumberInfo } from '../aws/index';
import { optOutListArn, type GuideResource } from '../core/numberPolicy';
import { setupModel, type ResourceFacts, type SetupModel } from '../core/setup';
import { validateUsTenDlcNumber } from '../core/validate';
import { Cancelled, services, sessionPrompts, trustPlan, UserError, waitOnAws, type Deps, type PrimaryInfo, type TrustPlan } from './common';
import { verifiedTrustees } from './writeTarget';

export interface SetupPlan {
  readonly plan: TrustPlan;
  readonly model: SetupModel;
  /** The number in E.164, when the setting holds a valid one. */
  readonly number?: string;
  /** The number's and its opt-out list's ARNs (read, or placeholders) and current policies, for the guides. */
  readonly resources: GuideResource[];
  readonly numberInfo?: NumberInfo;
  /** Why the number could not be read, when it could not. */
  readonly numberWhy?: string;
}

export const NUMBER_FILE = 'number-resource-policy.json';
export const OPT_OUT_FILE = 'opt-out-list-resource-policy.json';

/**
 * The number as End User Messaging describes it to the primary, for the resource policies' ARNs and
 * what is on them today. A failure is logged and the documents use placeholders.
 */
async function readNumber(deps: Deps, primary: PrimaryInfo, number: string, operation: string): Promise<{ info?: NumberInfo; why?: string }> {
  try {
    const svc = await services(deps);
    const info = await waitOnAws(deps, vscode.l10n.t('Reading {0} in {1}…', number, primary.region), (signal) =>
      svc.numbers.read(primary.profile, { accountId: primary.accountId, region: primary.region, number }, { interactive: true, mfaCodeProvider: sessionPrompts(deps).mfaCode, signal }),
    );
    return info ? { info } : { why: vscode.l10n.t('{0} is not a phone number of account {1} in {2}', number, primary.accountId, primary.region) };
  } catch (e) {
    if (e instanceof Cancelled) {
      throw e;
    }
    const mod = await deps.aws.mod();
    const x = mod.explainError(e, { operation: 'DescribePhoneNumbers', profile: primary.profile.name });
    deps.log.warn(`${operation}: could not read ${number}: ${x.message}`);
    return { why: x.message };
  }
}

/** The resources of the guide, with their ARNs (read, or placeholders) and their current policies. */
function guideResources(primary: PrimaryInfo, info: NumberInfo | undefined): GuideResource[] {
  const partition = primary.roleArn.split(':')[1] ?? 'aws';
  const numberArn = info?.arn || `arn:${partition}:sms-voice:${primary.region}:${primary.accountId}:phone-number/PHONE_NUMBER_ID`;
  const list = info?.optOutList?.ok ? info.optOutList.value : undefined;
  const listArn = list?.arn ?? optOutListArn(primary.region, primary.accountId, info?.optOutListName ?? 'OPT_OUT_LIST_NAME');
  const current = (r: NumberInfo['policy'] | undefined, unreadable?: string): GuideResource['current'] =>
    r === undefined ? (unreadable ? { unreadable } : undefined) : r.ok ? { text: r.value } : { unreadable: vscode.l10n.t('{0} failed', r.operation) };
  return [
    { kind: 'phone-number', arn: numberArn, placeholder: !info?.arn, file: NUMBER_FILE, current: info ? current(info.policy) : undefined },
    {
      kind: 'opt-out-list',
      arn: listArn,
      placeholder: !list,
      file: OPT_OUT_FILE,
      current: list ? current(list.policy) : info?.optOutList && !info.optOutList.ok ? { unreadable: vscode.l10n.t('{0} failed', info.optOutList.operation) } : undefined,
    },
  ];
}

const facts = (r: GuideResource | undefined): ResourceFacts => ({ arn: r && !r.placeholder ? r.arn : undefined, current: r?.current });

/**
 * Everything a generator needs: validated settings, account ids, the number (read with the primary,
 * interactively, since the user asked) and the account names known so far (never waited for).
 */
export async function readSetupPlan(deps: Deps, operation: string): Promise<SetupPlan> {
  const s = deps.state.settings;
  const declared = await trustPlan(deps);
  const { primary } = declared;
  // A secondary's declared aws_account_id is checked with its own credentials before a document names it, as
  // Create or Update Role does: a stale one would have the generated trust name someone else's account.
  const trustees = await verifiedTrustees(deps, declared, primary.accountId, s.roleName);
  for (const line of trustees.lines) {
    deps.log.warn(`${operation}: ${line}`);
  }
  if (trustees.trusted.length === 0) {
    throw new UserError(vscode.l10n.t('Every secondary is in the primary account itself, so there is nothing to trust.'), vscode.l10n.t('Add profiles of other accounts as secondaries.'));
  }
  const plan: TrustPlan = { ...declared, trusted: trustees.trusted };
  const checked = s.originationNumber ? validateUsTenDlcNumber(s.originationNumber) : undefined;
  const number = checked?.ok ? checked.value : undefined;
  let resources: GuideResource[] = [];
  let info: NumberInfo | undefined;
  let why: string | undefined;
  if (number) {
    const read = await readNumber(deps, primary, number, operation);
    info = read.info;
    why = read.why;
    resources = guideResources(primary, info);
  }
  const accountNames = deps.aws.loaded ? (await deps.aws.get()).orgNames.known() : {};
  const model = setupModel({
    primaryAccountId: primary.accountId,
    region: primary.region,
    roleName: s.roleName,
    trusted: plan.trusted,
    externalId: plan.externalId,
    requireMfa: s.requireMfa,
    number: number
      ? { e164: number, createdAt: info?.createdAt, phone: facts(resources.find((r) => r.kind === 'phone-number')), optOutList: facts(resources.find((r) => r.kind === 'opt-out-list')) }
      : undefined,
    accountNames,
  });
  return { plan, model, number, resources, numberInfo: info, numberWhy: why };
}
