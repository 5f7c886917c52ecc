/**
 * Export as CloudFormation / Export as Terraform: the setup as code, from the same model as Generate
 * Policies, opened as read-only documents (copy them, or "Save As" into a repository) with a guide.
 */
import * as vscode from 'vscode';
import { primaryTemplate, secondaryTemplate } from '../core/cloudformation';
import { cloudFormationGuide, terraformGuide } from '../core/iacGuide';
import { primaryTerraform, secondaryTerraform } from '../core/terraform';
import { reportError, type Deps } from './common';
import { readSetupPlan, type SetupPlan } from './setupPlan';
import { requireRoleMode } from './roleModeOnly';

/** Where resourceShare mode's documents are (this export writes the role mode's setup). */
const SHARE_MODE_DOCUMENTS =
  vscode.l10n.t('In resourceShare mode, Generate Policies opens the number\'s resource policies and each secondary\'s identity policy (the JSON to put in your own templates, e.g. AWS::SMSVOICE::ResourcePolicy in CloudFormation), and Share the Number applies them.');

export interface ExportedFiles {
  readonly primary: vscode.Uri;
  readonly secondary: vscode.Uri;
  readonly guide: vscode.Uri;
}

/** Opens the documents, the guide last so it has the focus; language ids where the editor knows them. */
async function open(files: readonly { uri: vscode.Uri; language: readonly string[] }[]): Promise<void> {
  const known = new Set(await vscode.languages.getLanguages());
  for (const f of files) {
    let doc = await vscode.workspace.openTextDocument(f.uri);
    const language = f.language.find((l) => known.has(l));
    if (language && doc.languageId !== language) {
      doc = await vscode.languages.setTextDocumentLanguage(doc, language);
    }
    await vscode.window.showTextDocument(doc, { preview: false });
  }
}

function guideInput(p: SetupPlan) {
  return { primaryProfile: p.plan.primary.profile.name, secondaries: p.plan.secondaries };
}

function logged(deps: Deps, what: string, p: SetupPlan): void {
  const needed = p.model.resourcePolicies.filter((r) => r.needed).map((r) => r.kind);
  deps.log.info(
    `Exported ${what} for role ${p.plan.primary.roleArn} trusting ${p.plan.trusted.join(', ')}; resource policies on by default: ${needed.length ? needed.join(', ') : 'none'}.`,
  );
}

export async function exportCloudFormation(deps: Deps): Promise<ExportedFiles | undefined> {
  try {
    requireRoleMode(deps, vscode.l10n.t('Export as CloudFormation'), SHARE_MODE_DOCUMENTS);
    const p = await readSetupPlan(deps, vscode.l10n.t('Export as CloudFormation'));
    const folder = `${p.plan.primary.accountId}/${deps.state.settings.roleName}/cloudformation`;
    const files = {
      secondary: deps.docs.set(folder, 'secondary.yaml', secondaryTemplate(p.model)),
      primary: deps.docs.set(folder, 'primary.yaml', primaryTemplate(p.model)),
      guide: deps.docs.set(folder, 'README.md', cloudFormationGuide(p.model, guideInput(p))),
    };
    await open([
      { uri: files.secondary, language: ['yaml'] },
      { uri: files.primary, language: ['yaml'] },
      { uri: files.guide, language: ['markdown'] },
    ]);
    logged(deps, 'CloudFormation', p);
    return files;
  } catch (e) {
    await reportError(deps, e, vscode.l10n.t('Export as CloudFormation'));
    return undefined;
  }
}

export async function exportTerraform(deps: Deps): Promise<ExportedFiles | undefined> {
  try {
    requireRoleMode(deps, vscode.l10n.t('Export as Terraform'), SHARE_MODE_DOCUMENTS);
    const p = await readSetupPlan(deps, vscode.l10n.t('Export as Terraform'));
    const folder = `${p.plan.primary.accountId}/${deps.state.settings.roleName}/terraform`;
    const files = {
      secondary: deps.docs.set(folder, 'secondary.tf', secondaryTerraform(p.model)),
      primary: deps.docs.set(folder, 'primary.tf', primaryTerraform(p.model)),
      guide: deps.docs.set(folder, 'README.md', terraformGuide(p.model, guideInput(p))),
    };
    // VS Code has no HCL language of its own: "terraform" when the HashiCorp extension is installed.
    await open([
      { uri: files.secondary, language: ['terraform', 'hcl'] },
      { uri: files.primary, language: ['terraform', 'hcl'] },
      { uri: files.guide, language: ['markdown'] },
    ]);
    logged(deps, 'Terraform', p);
    return files;
  } catch (e) {
    await reportError(deps, e, vscode.l10n.t('Export as Terraform'));
    return undefined;
  }
}
