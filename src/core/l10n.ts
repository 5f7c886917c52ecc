/**
 * src/core and src/aws cannot import vscode, so their messages go through `l10n.t` of @vscode/l10n, with the same
 * keys as vscode.l10n.t (one bundle, l10n/bundle.l10n.json, extracted by `npm run l10n`). Each of the two bundles
 * (dist/extension.js, and dist/aws.js loaded on the first AWS call) holds its own copy of @vscode/l10n, so each is
 * configured, at activation and when the AWS layer is created, with `vscode.l10n.bundle`: the translations of the
 * display language, or undefined when it is English (the messages in the source are the English text).
 */
import * as l10n from '@vscode/l10n';

/** The messages of one language, by their English text (with "/comment" when the message has one). */
export type L10nBundle = { [key: string]: string };

export function configureL10n(bundle: L10nBundle | undefined): void {
  if (bundle) {
    l10n.config({ contents: bundle });
  }
}
