/**
 * Generated policy documents as read-only virtual documents (`tendlc-policy:` URIs), so each editor
 * tab has a meaningful name (trust-policy.json …), closing it never asks to save, and the user can
 * still copy the text or "Save As" a file. Also holds the diagnostics (IAM Access Analyzer findings)
 * shown on proposed documents, generated or editable.
 */
import * as vscode from 'vscode';

export const POLICY_SCHEME = 'tendlc-policy';

export class PolicyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly registration: vscode.Disposable;
  /** Findings on proposed documents, by document. */
  readonly diagnostics: vscode.DiagnosticCollection;

  /**
   * `redact` is applied to every document before it is shown (the log's redactor, keeping what the document is
   * for, such as the external id of a trust policy); it is told the file name.
   */
  constructor(private readonly redact: (text: string, fileName: string) => string = (t) => t) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(POLICY_SCHEME, this);
    this.diagnostics = vscode.languages.createDiagnosticCollection('tendlc-policy');
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Sets (or replaces) a document and returns its URI. `folder` groups one generation's files. */
  set(folder: string, fileName: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: POLICY_SCHEME, path: `/${folder}/${fileName}` });
    const had = this.contents.has(uri.toString());
    this.contents.set(uri.toString(), this.redact(content, fileName));
    if (had) {
      this.emitter.fire(uri);
    }
    return uri;
  }

  /**
   * Shows findings on a document. Their messages pass the document's redaction (the log's redactor, keeping what the
   * document itself shows): a message may quote an error or an endpoint, and the Problems panel is an exit too.
   */
  setDiagnostics(uri: vscode.Uri, diagnostics: vscode.Diagnostic[]): void {
    const fileName = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    for (const d of diagnostics) {
      d.message = this.redact(d.message, fileName);
    }
    this.diagnostics.set(uri, diagnostics);
  }

  /** Every generated document's text (the tests scan them for secrets). */
  texts(): string[] {
    return [...this.contents.values()];
  }

  /** Every generated document with its path (the tests scan them for secrets, by kind). */
  documents(): { readonly path: string; readonly text: string }[] {
    return [...this.contents].map(([uri, text]) => ({ path: vscode.Uri.parse(uri).path, text }));
  }

  dispose(): void {
    this.diagnostics.dispose();
    this.registration.dispose();
    this.emitter.dispose();
  }
}
