/**
 * Create or Update Cross-Account Role, with the primary profile. A missing role is created after a
 * confirmation; an existing one is compared with what the settings ask for, the differences are shown
 * in diff editors whose right side the user may edit, and only what the user accepts is applied. A
 * principal the role trusts today is never dropped unless the user removes it in the diff (and then
 * confirms that removal). Running it again changes nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RoleTarget } from '../aws/index';
import { mergeTrust, parsePolicy, principalChanges, samePolicy } from '../core/policyMerge';
import { permissionsPolicy, policyJson, trustPolicy, type PolicyDocument } from '../core/policies';
import { Cancelled, reportError, services, sessionPrompts, trustPlan, UserError, type Deps } from './common';

export type CreateRoleOutcome = 'created' | 'updated' | 'unchanged';

export const CREATE_BUTTON = 'Create Role';
export const APPLY_BUTTON = 'Apply';
export const REMOVE_BUTTON = 'Remove and Apply';

async function closeEditorsOf(uris: readonly vscode.Uri[]): Promise<void> {
  const wanted = new Set(uris.map((u) => u.toString()));
  // Save edits to the scratch files first, so closing never asks "save changes?" (they are deleted next).
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty && wanted.has(doc.uri.toString())) {
      await doc.save();
    }
  }
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => {
    const input = t.input;
    if (input instanceof vscode.TabInputTextDiff) {
      return wanted.has(input.modified.toString()) || wanted.has(input.original.toString());
    }
    return input instanceof vscode.TabInputText && wanted.has(input.uri.toString());
  });
  if (tabs.length) {
    await vscode.window.tabGroups.close(tabs, true);
  }
}

/** The text of a document as the user sees it (unsaved edits included). */
async function currentText(uri: vscode.Uri): Promise<string> {
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

export async function createRole(deps: Deps): Promise<CreateRoleOutcome | undefined> {
  let scratch: string | undefined;
  const opened: vscode.Uri[] = [];
  try {
    const s = deps.state.settings;
    const plan = await trustPlan(deps);
    const { primary } = plan;
    const svc = await services(deps);
    const target: RoleTarget = {
      profile: primary.profile,
      credentials: svc.clients.credentialsFor(primary.profile, primary.region, sessionPrompts(deps).mfaCode),
      accountId: primary.accountId,
      region: primary.region,
      roleName: s.roleName,
    };
    const state = await deps.ui.progress(`Reading role ${s.roleName} in ${primary.accountId}…`, (signal) => svc.roles.read(target, signal));
    const wanted = { principals: plan.trusted, externalId: plan.externalId, requireMfa: s.requireMfa, region: primary.region };
    const folder = `${primary.accountId}/${s.roleName}`;

    if (!state.exists) {
      const trust = trustPolicy(wanted);
      const permissions = permissionsPolicy({ accountId: primary.accountId, region: primary.region });
      const trustUri = deps.docs.set(folder, 'trust-policy.json', policyJson(trust));
      const permUri = deps.docs.set(folder, 'permissions-policy.json', policyJson(permissions));
      for (const uri of [permUri, trustUri]) {
        await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'json'), { preview: false });
      }
      const answer = await deps.ui.modal(
        `Create role ${s.roleName} in primary account ${primary.accountId}?`,
        `It will trust ${plan.trusted.join(', ')}${plan.externalId ? ' (with the external id)' : ''}${s.requireMfa ? ' (with MFA)' : ''}, may call sns:Publish, and is tagged ${'managed-by=tendlc-cross-account'}. The documents are open in the editor.`,
        [CREATE_BUTTON],
      );
      if (answer !== CREATE_BUTTON) {
        throw new Cancelled();
      }
      const arn = await deps.ui.progress(`Creating role ${s.roleName}…`, (signal) => svc.roles.create(target, trust, permissions, signal));
      deps.log.info(`Created role ${arn ?? s.roleName} trusting ${plan.trusted.join(', ')}.`);
      void deps.ui.info(`Created role ${s.roleName} in primary account ${primary.accountId}, trusting ${plan.trusted.join(', ')}.`);
      return 'created';
    }

    const proposedTrust = mergeTrust(state.trust, wanted);
    const proposedPermissions = permissionsPolicy({ accountId: primary.accountId, region: primary.region });
    const trustChanged = !samePolicy(state.trust, proposedTrust);
    const permissionsChanged = !samePolicy(state.permissions, proposedPermissions);
    if (!trustChanged && !permissionsChanged && state.tagged) {
      deps.log.info(`Role ${primary.roleArn} is up to date; nothing changed.`);
      void deps.ui.info(`Role ${s.roleName} is up to date: it trusts every secondary and allows sns:Publish. Nothing changed.`);
      return 'unchanged';
    }

    // Editable proposals in a private scratch folder, compared with the current documents.
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tendlc-role-'));
    const diffs: { name: string; current?: PolicyDocument; proposed: vscode.Uri }[] = [];
    const show = async (name: string, current: PolicyDocument | undefined, proposed: PolicyDocument): Promise<vscode.Uri> => {
      const left = deps.docs.set(`${folder}/current`, name, current ? policyJson(current) : '{}\n');
      const right = vscode.Uri.file(path.join(scratch ?? '', name));
      fs.writeFileSync(right.fsPath, policyJson(proposed), { mode: 0o600 });
      opened.push(left, right);
      await vscode.commands.executeCommand('vscode.diff', left, right, `${s.roleName}: ${name} — current ↔ proposed (edit the right side)`, { preview: false });
      diffs.push({ name, current, proposed: right });
      return right;
    };
    const trustRight = trustChanged ? await show('trust-policy.json', state.trust, proposedTrust) : undefined;
    const permRight = permissionsChanged ? await show('permissions-policy.json', state.permissions, proposedPermissions) : undefined;
    const what = [trustChanged && 'its trust policy', permissionsChanged && `its inline policy ${'tendlc-sms-publish'}`, !state.tagged && 'its tag'].filter(Boolean).join(', ');
    const answer = await deps.ui.choose(
      `Role ${s.roleName} in primary account ${primary.accountId} exists; this would update ${what}. Review the diff (you may edit the right side), then apply.`,
      [APPLY_BUTTON, 'Cancel'],
    );
    if (answer !== APPLY_BUTTON) {
      throw new Cancelled();
    }
    const read = async (uri: vscode.Uri | undefined, name: string): Promise<PolicyDocument | undefined> => {
      if (!uri) {
        return undefined;
      }
      const parsed = parsePolicy(await currentText(uri));
      if (!parsed.ok) {
        throw new UserError(`The edited ${name} is not a valid policy: ${parsed.error}`, 'Fix it in the diff editor and run the command again.');
      }
      return parsed.doc;
    };
    const trust = await read(trustRight, 'trust policy');
    const permissions = await read(permRight, 'permissions policy');
    if (trust) {
      const change = principalChanges(state.trust, trust);
      if (change.removed.length) {
        const confirm = await deps.ui.modal(
          `Remove ${change.removed.join(', ')} from the trust policy of ${s.roleName}?`,
          'Those principals will no longer be able to assume the role, and whatever they send through it will stop working.',
          [REMOVE_BUTTON],
        );
        if (confirm !== REMOVE_BUTTON) {
          throw new Cancelled();
        }
      }
    }
    await deps.ui.progress(`Updating role ${s.roleName}…`, (signal) => svc.roles.update(target, { trust, permissions, tag: !state.tagged }, signal));
    const change = trust ? principalChanges(state.trust, trust) : undefined;
    const summary = change
      ? `trust: added ${change.added.join(', ') || 'none'}, removed ${change.removed.join(', ') || 'none'}, kept ${change.kept.length}`
      : 'trust unchanged';
    deps.log.info(`Updated role ${primary.roleArn}: ${summary}${permissions ? '; permissions policy replaced' : ''}${state.tagged ? '' : '; tagged'}.`);
    void deps.ui.info(`Updated role ${s.roleName} (${summary}${permissions ? '; permissions policy updated' : ''}).`);
    return 'updated';
  } catch (e) {
    await reportError(deps, e, 'Create or Update Cross-Account Role');
    return undefined;
  } finally {
    await closeEditorsOf(opened.filter((u) => u.scheme === 'file'));
    if (scratch) {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
}
