/**
 * The "Profiles" tree: Primary / Secondary / Other groups of AWS profiles with account id, kind,
 * region and session state, plus a Problems group naming each bad line of the AWS files, each profile
 * the SDK cannot resolve, and each profile whose declared account its credentials contradict.
 */
import * as vscode from 'vscode';
import { profileContextValue, CONTEXT_TOKENS } from '../core/contextValue';
import { timeLeft } from '../core/format';
import { hasNoMessageId } from '../core/delivery';
import { redactText, withoutUserInfo } from '../core/redact';
import { numberSummaryLines, type NumberSummary } from '../core/tenDlc';
import { describeChain, type AwsProfile, type Group } from '../core/profiles';
import { modeSummary } from '../core/sharing';
import type { AccountState, AwsServices, CheckResult } from '../aws/index';
import { fixCommand } from './fixes';
import type { SendHistory } from './sendHistory';
import type { AwsGateway } from './awsLoader';
import type { ProfileState } from './profileState';
import { profileRegion, regionWords, variantWords } from '../core/endpoints';
import { effectiveRegion, numberRegion, regionOfProfile } from './settings';

export const VIEW_ID = 'tendlc.profiles';

export type Node =
  | { readonly kind: 'group'; readonly id: string; readonly group: Group }
  | { readonly kind: 'profile'; readonly id: string; readonly name: string; readonly group: Group }
  | { readonly kind: 'placeholder'; readonly id: string; readonly group: Group }
  /** The end of a group shown a page at a time: "Show N more". */
  | { readonly kind: 'more'; readonly id: string; readonly group: Group }
  | { readonly kind: 'missing'; readonly id: string; readonly name: string; readonly group: Group }
  | { readonly kind: 'problems'; readonly id: string }
  | { readonly kind: 'check'; readonly id: string; readonly subject: string; readonly index: number }
  | { readonly kind: 'send'; readonly id: string; readonly profile: string; readonly messageId: string }
  | { readonly kind: 'problem'; readonly id: string; readonly file: string; readonly line: number; readonly column?: number; readonly message: string; readonly severity: 'error' | 'warning' };

export type ProfileNode = Extract<Node, { kind: 'profile' }>;

const GROUP_LABEL: Record<Group, string> = { primary: 'Primary', secondary: 'Secondary', other: 'Other' };

/**
 * Profiles a group shows at first, and how many more each "Show more" adds. VS Code asks for a tree item of every
 * child a provider returns, visible or not, and tells the provider nothing of what is on screen (its API has no
 * visible range; paging is what VS Code's maintainers point to, microsoft/vscode#34151): a page is what the view
 * treats as shown, and only the profiles of the pages shown are looked up. A sidebar shows some 20-40 rows.
 */
export const PAGE_SIZE = 100;

/** Narrows a command argument to a profile node (commands get `unknown` from menus and the palette). */
export function asProfileNode(arg: unknown): ProfileNode | undefined {
  return typeof arg === 'object' && arg !== null && (arg as Node).kind === 'profile' ? (arg as ProfileNode) : undefined;
}

export class ProfilesView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | Node[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly treeView: vscode.TreeView<Node>;
  private readonly nodes = new Map<string, Node>();
  private services?: AwsServices;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private pendingNames = new Set<string>();
  private flushTimer?: NodeJS.Timeout;
  private clock?: NodeJS.Timeout;
  private checks: readonly CheckResult[] = [];
  /** Pages of each group shown (1 unless "Show more" was used), kept across refreshes. */
  private readonly pages = new Map<Group, number>();
  /** resourceShare mode: whether each secondary's account sees the number as shared with it (its last check). */
  private readonly visibility = new Map<string, { readonly visible: boolean | undefined; readonly detail: string; readonly key: string }>();
  /** Profiles whose declared account GetCallerIdentity contradicted (as last seen): a change repaints the Problems group. */
  private readonly mismatched = new Set<string>();
  /** The primary's number as last read (Check Setup, a send's pre-flight, or a hover), for the settings it was read with. */
  private numberRead?: { readonly key: string; readonly summary: NumberSummary };

  constructor(
    private readonly state: ProfileState,
    private readonly aws: AwsGateway,
    private readonly history: SendHistory,
  ) {
    this.treeView = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.treeView,
      state.onDidChange(() => this.refresh()),
      // A profile that gains its first send changes from leaf to parent: refresh its group too.
      history.onDidChange(() => this.refresh()),
    );
  }

  /** Full refresh (node = undefined) or a targeted one. */
  refresh(node?: Node): void {
    if (!node) {
      this.nodes.clear();
    }
    this.emitter.fire(node);
  }

  /** Shows the next page of a group (the "Show more" node's command). */
  showMore(arg: unknown): void {
    const group = typeof arg === 'object' && arg !== null && (arg as Node).kind === 'more' ? (arg as Extract<Node, { kind: 'more' }>).group : undefined;
    if (!group) {
      return;
    }
    this.pages.set(group, (this.pages.get(group) ?? 1) + 1);
    const node = this.nodes.get(`group:${group}`);
    this.emitter.fire(node);
  }

  /** Refreshes the nodes of some profiles, batched so a burst of lookups repaints once. */
  refreshProfiles(names: Iterable<string>): void {
    for (const n of names) {
      this.pendingNames.add(n);
    }
    if (this.flushTimer) {
      return;
    }
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      const nodes = [...this.pendingNames].map((n) => this.nodes.get(`profile:${n}`)).filter((n): n is Node => n !== undefined);
      this.pendingNames.clear();
      if (nodes.length) {
        this.emitter.fire(nodes);
      }
    }, 50);
  }

  private node<N extends Node>(n: N): N {
    const existing = this.nodes.get(n.id);
    if (existing && existing.kind === n.kind) {
      return existing as N;
    }
    this.nodes.set(n.id, n);
    return n;
  }

  /** Shows the results of Check Setup under their profiles (replacing earlier results). */
  setChecks(results: readonly CheckResult[]): void {
    this.checks = results;
    for (const r of results.filter((x) => x.id === 'shared-number')) {
      this.visibility.set(r.subject, this.visibilityOf(r));
    }
    this.refresh();
  }

  /**
   * resourceShare mode: what a send's or dry run's pre-flight found about the number's visibility to
   * a secondary (DescribePhoneNumbers Owner = SHARED), shown on its node.
   */
  setSharedVisibility(profile: string, finding: CheckResult | undefined): void {
    if (!finding) {
      return;
    }
    this.visibility.set(profile, this.visibilityOf(finding));
    const node = this.nodes.get(`profile:${profile}`);
    if (node) {
      this.emitter.fire(node);
    }
  }

  private visibilityOf(r: CheckResult): { visible: boolean | undefined; detail: string; key: string } {
    return { visible: r.status === 'pass' ? true : r.status === 'unknown' ? undefined : false, detail: r.detail, key: this.numberKey() };
  }

  /** The visibility of the number to a secondary, when known for the current settings. */
  private visibilityFor(profile: string): { visible: boolean | undefined; detail: string } | undefined {
    const v = this.visibility.get(profile);
    return v && v.key === this.numberKey() && this.state.settings.sharingMode === 'resourceShare' ? v : undefined;
  }

  /** What the primary's tooltip says about the number (capacity, registration); undefined forgets it. */
  setNumber(summary: NumberSummary | undefined): void {
    this.numberRead = summary ? { key: this.numberKey(), summary } : undefined;
    const primary = this.state.settings.primaryProfile;
    const node = primary ? this.nodes.get(`profile:${primary}`) : undefined;
    if (node) {
      // A fresh item, so VS Code asks for its tooltip again.
      this.emitter.fire(node);
    }
  }

  /** Which primary, number and region a read belongs to: another one makes it stale. */
  private numberKey(): string {
    const s = this.state.settings;
    const primary = s.primaryProfile ? this.state.profile(s.primaryProfile) : undefined;
    return [s.primaryProfile, s.originationNumber, effectiveRegion(s, primary)].join('\u0000');
  }

  private get number(): NumberSummary | undefined {
    return this.numberRead?.key === this.numberKey() ? this.numberRead.summary : undefined;
  }

  /** Expands the tree down to every failed check, so the problems are in view. */
  async revealFailedChecks(): Promise<void> {
    for (const c of this.checks) {
      if (c.status !== 'fail') {
        continue;
      }
      const within = this.checksOf(c.subject).indexOf(c);
      const node = this.node({ kind: 'check', id: c.subject ? `check:${c.subject}:${within}` : `check::${within}`, subject: c.subject, index: within });
      try {
        await this.treeView.reveal(node, { select: false, focus: false, expand: true });
      } catch {
        // The view may be hidden or refreshed meanwhile; the report still lists the failure.
      }
    }
  }

  private checksOf(subject: string): readonly CheckResult[] {
    return this.checks.filter((c) => c.subject === subject);
  }

  /** Called once the AWS layer is loaded: account and session changes repaint their node. */
  attach(services: AwsServices): void {
    if (this.services) {
      return;
    }
    this.services = services;
    this.disposables.push(
      services.accounts.onDidChange((name) => {
        const p = this.state.profile(name);
        const now = p !== undefined && services.accounts.mismatchOf(p) !== undefined;
        if (now === this.mismatched.has(name)) {
          this.refreshProfiles([name]);
          return;
        }
        if (now) {
          this.mismatched.add(name);
        } else {
          this.mismatched.delete(name);
        }
        this.refresh(); // the Problems group gains or loses the profile
      }),
      // Account names (AWS Organizations) arrived or were dropped: every profile's description may change.
      services.orgNames.onDidChange(() => this.refresh()),
      services.sessions.onDidChange((name) => {
        this.refreshProfiles([name]);
        this.tickWhileSessionsLive();
      }),
    );
  }

  /** Keeps "NN min left" current while any session lives. */
  private tickWhileSessionsLive(): void {
    if (this.clock) {
      return;
    }
    this.clock = setInterval(() => {
      const live = this.state.profiles?.profiles.filter((p) => this.services?.sessions.liveSessionOf(p.name)) ?? [];
      if (live.length === 0) {
        clearInterval(this.clock);
        this.clock = undefined;
      }
      this.refreshProfiles(this.state.settings.secondaryProfiles);
    }, 30_000);
  }

  getParent(n: Node): Node | undefined {
    switch (n.kind) {
      case 'profile':
      case 'placeholder':
      case 'missing':
      case 'more':
        return this.nodes.get(`group:${n.group}`);
      case 'problem':
        return this.nodes.get('group:problems');
      case 'check':
        return n.subject ? this.nodes.get(`profile:${n.subject}`) : this.nodes.get('group:primary');
      case 'send':
        return this.nodes.get(`profile:${n.profile}`);
      default:
        return undefined;
    }
  }

  async getChildren(parent?: Node): Promise<Node[]> {
    const loaded = await this.state.ensureLoaded();
    const grouped = this.state.grouped();
    if (!grouped) {
      return [];
    }
    if (!parent) {
      if (loaded.profiles.length === 0 && loaded.problems.length === 0) {
        return []; // the view's welcome content explains what to do
      }
      const roots: Node[] = (['primary', 'secondary', 'other'] as const).map((group) => this.node({ kind: 'group', id: `group:${group}`, group }));
      if (this.problemCount() > 0) {
        roots.push(this.node({ kind: 'problems', id: 'group:problems' }));
      }
      return roots;
    }
    if (parent.kind === 'group') {
      const all = parent.group === 'primary' ? (grouped.primary ? [grouped.primary] : []) : parent.group === 'secondary' ? grouped.secondary : grouped.other;
      const profiles = all.slice(0, (this.pages.get(parent.group) ?? 1) * PAGE_SIZE);
      const children: Node[] = profiles.map((p) => this.node({ kind: 'profile', id: `profile:${p.name}`, name: p.name, group: parent.group }));
      for (const m of grouped.missing.filter((x) => x.group === parent.group)) {
        children.push(this.node({ kind: 'missing', id: `missing:${m.name}`, name: m.name, group: parent.group }));
      }
      if (profiles.length < all.length) {
        children.push(this.node({ kind: 'more', id: `more:${parent.group}`, group: parent.group }));
      }
      if (children.length === 0 && parent.group !== 'other') {
        children.push(this.node({ kind: 'placeholder', id: `placeholder:${parent.group}`, group: parent.group }));
      }
      if (parent.group === 'primary') {
        this.checksOf('').forEach((_, index) => children.push(this.node({ kind: 'check', id: `check::${index}`, subject: '', index })));
      }
      this.startLookups(profiles);
      return children;
    }
    if (parent.kind === 'profile') {
      const checks: Node[] = this.checksOf(parent.name).map((_, index) => this.node({ kind: 'check', id: `check:${parent.name}:${index}`, subject: parent.name, index }));
      const sends: Node[] = this.history.of(parent.name).map((r) => this.node({ kind: 'send', id: `send:${r.messageId}`, profile: parent.name, messageId: r.messageId }));
      return [...checks, ...sends];
    }
    if (parent.kind === 'problems') {
      const items: Node[] = loaded.problems.map((p, i) =>
        this.node({ kind: 'problem', id: `problem:${i}:${p.file}:${p.line}`, file: p.file, line: p.line, column: p.column, message: p.message, severity: p.severity }),
      );
      for (const prof of loaded.profiles) {
        const loc = prof.locations[0];
        prof.problems.forEach((message, i) => {
          items.push(this.node({ kind: 'problem', id: `problem:${prof.name}:${i}`, file: loc?.file ?? loaded.configPath, line: loc?.line ?? 1, message: vscode.l10n.t('profile "{0}": {1}', prof.name, message), severity: 'warning' }));
        });
        const m = this.services?.accounts.mismatchOf(prof);
        if (m) {
          items.push(
            this.node({
              kind: 'problem',
              id: `problem:${prof.name}:account`,
              file: loc?.file ?? loaded.configPath,
              line: loc?.line ?? 1,
              message: vscode.l10n.t('profile "{0}": {1} says account {2}, but GetCallerIdentity with its credentials answered {3}: writes go to {3}. Fix {4}.', prof.name, m.declaredSource ?? vscode.l10n.t('the profile'), m.declared, m.actual, m.declaredSource ?? vscode.l10n.t('the declared account')),
              severity: 'warning',
            }),
          );
        }
      }
      return items;
    }
    return [];
  }

  /** Bad lines of the AWS files, profiles the SDK cannot resolve, and profiles whose declared account is contradicted. */
  private problemCount(): number {
    const loaded = this.state.profiles;
    if (!loaded) {
      return 0;
    }
    const mismatches = this.services ? loaded.profiles.filter((p) => this.services?.accounts.mismatchOf(p)).length : 0;
    return loaded.problems.length + loaded.profiles.filter((p) => p.problems.length).length + mismatches;
  }

  /** Background account lookups for shown profiles that can be looked up without prompting. */
  private startLookups(profiles: readonly AwsProfile[]): void {
    const todo = profiles.filter((p) => !p.declaredAccountId && !p.interactive && p.kind !== 'none' && p.problems.length === 0);
    const s = this.state.settings;
    // Account names: the setup's profiles are the likeliest to be a management or delegated admin account.
    const rank = (p: AwsProfile): number => (p.name === s.primaryProfile ? 0 : s.secondaryProfiles.includes(p.name) ? 1 : 2);
    const nameCandidates = profiles.filter((p) => !p.interactive && p.kind !== 'none' && p.problems.length === 0).sort((a, b) => rank(a) - rank(b));
    if (todo.length === 0 && nameCandidates.length === 0) {
      return;
    }
    void this.aws.get().then((services) => {
      this.attach(services);
      for (const p of todo) {
        if (services.accounts.peek(p) === undefined) {
          void services.accounts.resolve(p, { interactive: false });
        }
      }
      void services.orgNames.refresh(nameCandidates);
    });
  }

  getTreeItem(n: Node): vscode.TreeItem {
    switch (n.kind) {
      case 'group':
        return this.groupItem(n.group);
      case 'profile':
        return this.profileItem(n);
      case 'placeholder': {
        const item = new vscode.TreeItem(n.group === 'primary' ? vscode.l10n.t('No primary profile yet') : vscode.l10n.t('No secondary profiles yet'), vscode.TreeItemCollapsibleState.None);
        item.id = n.id;
        item.description = n.group === 'primary' ? vscode.l10n.t('click to choose the account that owns the number') : vscode.l10n.t('click to add one');
        item.iconPath = new vscode.ThemeIcon('add');
        item.command = n.group === 'primary'
          ? { command: 'tendlc.setPrimary', title: vscode.l10n.t('Set Primary Profile') }
          : { command: 'tendlc.addSecondary', title: vscode.l10n.t('Add Secondary Profile') };
        return item;
      }
      case 'more':
        return this.moreItem(n);
      case 'missing': {
        const item = new vscode.TreeItem(n.name, vscode.TreeItemCollapsibleState.None);
        item.id = n.id;
        item.description = vscode.l10n.t('not in your AWS files');
        item.tooltip = vscode.l10n.t('Settings name "{0}" as {1}, but no such profile exists in the AWS config or credentials file. Remove it from the group or add the profile.', n.name, n.group);
        item.iconPath = new vscode.ThemeIcon('question', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.contextValue = `${CONTEXT_TOKENS.missing} ${CONTEXT_TOKENS.group(n.group)}`;
        return item;
      }
      case 'problems': {
        const count = this.problemCount();
        const item = new vscode.TreeItem(vscode.l10n.t('Problems'), vscode.TreeItemCollapsibleState.Expanded);
        item.id = n.id;
        item.description = vscode.l10n.t('{0} in your AWS files', count);
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        return item;
      }
      case 'check':
        return this.checkItem(n);
      case 'send':
        return this.sendItem(n);
      case 'problem': {
        const item = new vscode.TreeItem(`${n.file.split(/[\\/]/).pop() ?? n.file}:${n.line}${n.column ? `:${n.column}` : ''}`, vscode.TreeItemCollapsibleState.None);
        item.id = n.id;
        // The parser's messages open with the spec's phrase; the useful part follows it.
        item.description = n.message.replace(/^Encountered unexpected token:\s*/, '');
        item.tooltip = `${shortPath(n.file)}:${n.line}${n.column ? `:${n.column}` : ''}\n${n.message}`;
        item.iconPath = new vscode.ThemeIcon(n.severity === 'error' ? 'error' : 'warning', new vscode.ThemeColor(n.severity === 'error' ? 'problemsErrorIcon.foreground' : 'problemsWarningIcon.foreground'));
        item.contextValue = CONTEXT_TOKENS.problem;
        item.command = {
          command: 'vscode.open',
          title: vscode.l10n.t('Open'),
          arguments: [vscode.Uri.file(n.file), { selection: new vscode.Range(n.line - 1, (n.column ?? 1) - 1, n.line - 1, (n.column ?? 1) - 1) }],
        };
        return item;
      }
    }
  }

  private moreItem(n: Extract<Node, { kind: 'more' }>): vscode.TreeItem {
    const grouped = this.state.grouped();
    const total = n.group === 'secondary' ? grouped?.secondary.length ?? 0 : n.group === 'other' ? grouped?.other.length ?? 0 : 1;
    const shown = Math.min(total, (this.pages.get(n.group) ?? 1) * PAGE_SIZE);
    const next = Math.min(PAGE_SIZE, total - shown);
    const item = new vscode.TreeItem(vscode.l10n.t('Show {0} more', next.toLocaleString('en-US')), vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    item.description = vscode.l10n.t('{0} of {1} shown', shown.toLocaleString('en-US'), total.toLocaleString('en-US'));
    item.tooltip = vscode.l10n.t('The next {0} profiles of {1}. Profiles are shown (and their accounts looked up) a page at a time; the Send Test SMS and other commands list every profile when they ask for one.', next.toLocaleString('en-US'), GROUP_LABEL[n.group]);
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'tendlc-more';
    item.command = { command: 'tendlc.showMoreProfiles', title: vscode.l10n.t('Show More Profiles'), arguments: [n] };
    return item;
  }

  private checkItem(n: Extract<Node, { kind: 'check' }>): vscode.TreeItem {
    const r = this.checksOf(n.subject)[n.index];
    const item = new vscode.TreeItem(r?.title ?? vscode.l10n.t('check'), vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    if (!r) {
      return item;
    }
    item.description = r.detail;
    const fix = r.fix ? fixCommand(r.fix, r.subject || undefined) : undefined;
    item.tooltip = new vscode.MarkdownString(`**${escapeMd(r.title)}**: ${r.status}\n\n${escapeMd(r.detail)}${fix ? vscode.l10n.t('\n\nClick to fix: *{0}*', escapeMd(fix.title)) : ''}`);
    item.iconPath =
      r.status === 'pass'
        ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'))
        : r.status === 'warn'
          ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
          : r.status === 'fail'
            ? new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'))
            : new vscode.ThemeIcon('question');
    item.contextValue = `tendlc-check check-${r.status}${fix ? ' has-fix' : ''}`;
    if (fix && r.status !== 'pass') {
      item.command = fix;
    }
    item.accessibilityInformation = { label: `${r.title}: ${r.status}. ${r.detail}` };
    return item;
  }

  private sendItem(n: Extract<Node, { kind: 'send' }>): vscode.TreeItem {
    const r = this.history.find(n.messageId);
    const when = r ? new Date(r.at) : undefined;
    const item = new vscode.TreeItem(vscode.l10n.t('SMS to {0}', r?.maskedDestination ?? '?'), vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    if (!r) {
      return item;
    }
    item.description = `${r.status === 'outcome-unknown' ? vscode.l10n.t('outcome unknown') : r.status}${when ? ` · ${when.toLocaleString()}` : ''}`;
    item.tooltip = new vscode.MarkdownString(
      vscode.l10n.t('**Test SMS** to {0}\n\n- Message id: {1}\n- Sent: {2} from {3}{4}, billed to {5}\n- Status: {6}{7}', escapeMd(r.maskedDestination), hasNoMessageId(r) ? vscode.l10n.t('none: the outcome is unknown, it may have been sent') : `\`${r.messageId}\``, escapeMd(r.at), escapeMd(r.profile), r.via === 'eum' ? vscode.l10n.t(' with its own credentials (End User Messaging)') : '', r.billedAccountId ?? r.primaryAccountId, escapeMd(r.status), r.detail ? ` — ${escapeMd(r.detail)}` : ''),
    );
    item.iconPath =
      r.status === 'delivered'
        ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'))
        : r.status === 'failed'
          ? new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'))
          : r.status === 'outcome-unknown'
            ? new vscode.ThemeIcon('question', new vscode.ThemeColor('problemsWarningIcon.foreground'))
            : new vscode.ThemeIcon('mail');
    item.contextValue = `tendlc-send send-${r.status}`;
    item.command = { command: 'tendlc.checkDelivery', title: vscode.l10n.t('Check Delivery Status'), arguments: [n] };
    return item;
  }

  private groupItem(group: Group): vscode.TreeItem {
    const grouped = this.state.grouped();
    const s = this.state.settings;
    const count = group === 'primary' ? (grouped?.primary ? 1 : 0) : group === 'secondary' ? grouped?.secondary.length ?? 0 : grouped?.other.length ?? 0;
    const item = new vscode.TreeItem(GROUP_LABEL[group], group === 'other' && count > 25 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
    item.id = `group:${group}`;
    item.contextValue = `${CONTEXT_TOKENS.groupNode} ${CONTEXT_TOKENS.group(group)}`;
    const words = modeSummary(s.sharingMode, s.roleName);
    const mode = s.sharingMode === 'role' ? vscode.l10n.t('IAM role mode') : vscode.l10n.t('End User Messaging share mode');
    if (group === 'primary') {
      item.description = s.sharingMode === 'role' ? (s.originationNumber ? vscode.l10n.t('{0} · billed', s.originationNumber) : vscode.l10n.t('owns the 10DLC number')) : vscode.l10n.t('{0}shares the number', s.originationNumber ? `${s.originationNumber} · ` : '');
      item.tooltip = vscode.l10n.t('{0} (tendlc.sharingMode = {1}). {2}', mode, s.sharingMode, words.primary);
      item.iconPath = new vscode.ThemeIcon('star-full');
    } else if (group === 'secondary') {
      item.description = s.sharingMode === 'role' ? vscode.l10n.t('{0} · role {1}', count, s.roleName) : vscode.l10n.t('{0} · own credentials, each pays', count);
      item.tooltip = vscode.l10n.t('{0} (tendlc.sharingMode = {1}). {2}', mode, s.sharingMode, words.secondary);
      item.iconPath = new vscode.ThemeIcon('link');
    } else {
      item.description = vscode.l10n.t('{0} · not in the setup', count);
      item.iconPath = new vscode.ThemeIcon('folder');
    }
    return item;
  }

  private accountState(p: AwsProfile): AccountState | undefined {
    if (p.declaredAccountId) {
      return { status: 'known', accountId: p.declaredAccountId, source: 'profile' };
    }
    const known = this.services?.accounts.peek(p);
    if (!known && p.problems.length > 0) {
      return { status: 'error', reason: vscode.l10n.t('not looked up: the AWS SDK cannot get this profile\'s credentials.'), hint: vscode.l10n.t('Fix the problem below in the AWS file.') };
    }
    if (!known && p.interactive) {
      return { status: 'deferred', reason: vscode.l10n.t('not looked up automatically: this profile {0}; use Look Up Account Id', p.interactiveReason ?? vscode.l10n.t('may prompt')) };
    }
    return known;
  }

  /** The account's name from AWS Organizations, when known (never waited for). */
  private accountName(a: AccountState | undefined): string | undefined {
    return a?.status === 'known' ? this.services?.orgNames.nameOf(a.accountId) : undefined;
  }

  private profileItem(n: ProfileNode): vscode.TreeItem {
    const p = this.state.profile(n.name);
    const checks = this.checksOf(n.name);
    const hasChildren = checks.length > 0 || this.history.of(n.name).length > 0;
    const item = new vscode.TreeItem(n.name, hasChildren ? (checks.some((c) => c.status === 'fail') ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    if (!p) {
      item.description = vscode.l10n.t('gone from the AWS files');
      return item;
    }
    const account = this.accountState(p);
    const session = this.services?.sessions.liveSessionOf(p.name);
    const region = n.group === 'primary' ? effectiveRegion(this.state.settings, p) : regionOfProfile(p) ?? vscode.l10n.t('no region');
    const mismatch = this.services?.accounts.mismatchOf(p);
    const parts: string[] = [mismatch ? vscode.l10n.t('{0} declared, credentials are {1}', mismatch.declared, mismatch.actual) : accountText(account, this.accountName(account)), p.kindLabel, region];
    if (session) {
      parts.unshift(vscode.l10n.t('assumed · {0}', timeLeft(session.expiration)));
    }
    const shared = n.group === 'secondary' ? this.visibilityFor(p.name) : undefined;
    if (shared) {
      parts.unshift(shared.visible === true ? vscode.l10n.t('number shared ✓') : shared.visible === false ? vscode.l10n.t('number not shared') : vscode.l10n.t('shared? unknown'));
    }
    item.description = parts.join(' · ');
    item.iconPath = iconFor(n.group, account, Boolean(session), p.problems.length > 0 || mismatch !== undefined);
    // No tooltip here: resolveTreeItem builds it when the pointer rests on the item.
    item.contextValue = profileContextValue({
      group: n.group,
      assumed: Boolean(session),
      canAssume: n.group === 'secondary' && this.state.settings.sharingMode === 'role',
      canLookup: !p.declaredAccountId,
    });
    item.accessibilityInformation = { label: `${n.name}, ${GROUP_LABEL[n.group]} profile, ${item.description}` };
    return item;
  }

  /**
   * Builds a profile's tooltip when VS Code asks for it (on hover), not for every item shown: a group of 10,000
   * profiles took twice as long to show with every tooltip built up front (test/bench).
   */
  async resolveTreeItem(item: vscode.TreeItem, n: Node): Promise<vscode.TreeItem> {
    if (n.kind === 'profile' && item.tooltip === undefined) {
      const p = this.state.profile(n.name);
      if (p) {
        // The number's region for the primary (tendlc.region first); any other profile's own, as the AWS CLI picks it.
        const region = n.group === 'primary' ? numberRegion(this.state.settings, p) : profileRegion(p, process.env);
        if (n.group === 'primary' && !this.number) {
          await this.readNumber(p, region.region ?? effectiveRegion(this.state.settings, p));
        }
        item.tooltip = this.tooltip(p, n.group, this.accountState(p), regionWords(region));
      }
    }
    return item;
  }

  /**
   * Reads the primary's number for its tooltip when nothing has yet (hover): only a profile that
   * resolves without prompting, never an MFA, SSO or credential_process one; a failure leaves the
   * tooltip saying Check Setup reads it.
   */
  private async readNumber(p: AwsProfile, region: string): Promise<void> {
    const number = this.state.settings.originationNumber;
    if (!number || p.interactive) {
      return;
    }
    try {
      const services = await this.aws.get();
      this.attach(services);
      const account = this.accountState(p);
      const info = await services.numbers.read(p, { accountId: account?.status === 'known' ? account.accountId : undefined, region, number }, { interactive: false });
      if (info && !this.number) {
        this.numberRead = { key: this.numberKey(), summary: services.numbers.summary(info) };
      }
    } catch {
      // Unknown for now: the tooltip says how to read it.
    }
  }

  private tooltip(p: AwsProfile, group: Group, account: AccountState | undefined, region: string): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escapeMd(p.name)}** — ${GROUP_LABEL[group]}\n\n`);
    md.appendMarkdown(vscode.l10n.t('- Credentials: {0}\n', escapeMd(p.kindLabel)));
    md.appendMarkdown(vscode.l10n.t('- Account: {0}{1}\n', escapeMd(accountLong(account)), this.accountName(account) ? vscode.l10n.t(' — **{0}** (AWS Organizations)', escapeMd(this.accountName(account) ?? '')) : ''));
    md.appendMarkdown(vscode.l10n.t('- Region: {0}\n', escapeMd(region)));
    if (p.roleArn) {
      md.appendMarkdown(vscode.l10n.t('- Role: `{0}`\n', p.roleArn));
    }
    if (p.credentials && p.credentials.hopCount > 0) {
      md.appendMarkdown(vscode.l10n.t('- Chain: {0}\n', escapeMd(describeChain(p.credentials))));
    }
    if (p.mfaSerial) {
      md.appendMarkdown(vscode.l10n.t('- MFA device: `{0}`\n', p.mfaSerial));
    }
    if (p.endpointUrl) {
      md.appendMarkdown(vscode.l10n.t('- Endpoint: `{0}`\n', withoutUserInfo(p.endpointUrl)));
    }
    for (const line of variantWords(p, process.env)) {
      md.appendMarkdown(`- ${line.startsWith('Endpoints:') ? '' : '⚠ '}${escapeMd(line)}\n`);
    }
    const session = this.services?.sessions.liveSessionOf(p.name);
    if (session) {
      md.appendMarkdown(vscode.l10n.t('- Session: `{0}`, {1}\n', session.assumedRoleArn, timeLeft(session.expiration)));
    }
    if (p.interactiveReason) {
      md.appendMarkdown(vscode.l10n.t('- Note: {0}; looked up only when you act on it\n', escapeMd(p.interactiveReason)));
    }
    const shared = group === 'secondary' ? this.visibilityFor(p.name) : undefined;
    if (shared) {
      md.appendMarkdown(vscode.l10n.t('- Shared number (Owner = SHARED): {0}\n', escapeMd(shared.detail)));
    }
    for (const problem of p.problems) {
      md.appendMarkdown(`- ⚠ ${escapeMd(redactText(problem))}\n`);
    }
    const mismatch = this.services?.accounts.mismatchOf(p);
    if (mismatch) {
      md.appendMarkdown(`- ⚠ ${escapeMd(vscode.l10n.t('{0} says account {1}, but GetCallerIdentity with its credentials answered {2}: writes go to {2}. Fix the profile.', mismatch.declaredSource ?? vscode.l10n.t('The profile'), mismatch.declared, mismatch.actual))}\n`);
    }
    if (group === 'primary') {
      const number = this.number;
      if (number) {
        md.appendMarkdown(vscode.l10n.t('\n**10DLC number** (read {0})\n\n', escapeMd(number.readAt.toLocaleTimeString())));
        for (const line of numberSummaryLines(number)) {
          md.appendMarkdown(`- ${escapeMd(line)}\n`);
        }
      } else if (this.state.settings.originationNumber) {
        md.appendMarkdown(vscode.l10n.t('\n**10DLC number** {0}: run *Check Setup* to read its capacity and registration.\n', escapeMd(this.state.settings.originationNumber)));
      }
    }
    const loc = p.locations[0];
    if (loc) {
      md.appendMarkdown(vscode.l10n.t('\nDefined in {0}:{1}', escapeMd(shortPath(loc.file)), loc.line));
    }
    return md;
  }

  dispose(): void {
    clearTimeout(this.flushTimer);
    clearInterval(this.clock);
    this.disposables.forEach((d) => d.dispose());
  }
}

function accountText(a: AccountState | undefined, name?: string): string {
  if (!a) {
    return 'account …';
  }
  switch (a.status) {
    case 'known':
      return name ? `${a.accountId} (${name})` : a.accountId;
    case 'pending':
      return vscode.l10n.t('looking up account…');
    case 'deferred':
      return vscode.l10n.t('account on demand');
    case 'error':
      return vscode.l10n.t('account unknown');
  }
}

function accountLong(a: AccountState | undefined): string {
  if (!a) {
    return vscode.l10n.t('not looked up yet');
  }
  switch (a.status) {
    case 'known':
      return `${a.accountId} (${a.source === 'profile' ? vscode.l10n.t('from the profile') : vscode.l10n.t('from GetCallerIdentity')})`;
    case 'pending':
      return vscode.l10n.t('looking up…');
    case 'deferred':
      return a.reason;
    case 'error':
      return `${a.reason} ${a.hint}`;
  }
}

function iconFor(group: Group, account: AccountState | undefined, assumed: boolean, hasProblems: boolean): vscode.ThemeIcon {
  if (account?.status === 'pending') {
    return new vscode.ThemeIcon('loading~spin');
  }
  if (account?.status === 'error' || hasProblems) {
    return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  }
  if (assumed) {
    return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
  }
  return new vscode.ThemeIcon(group === 'primary' ? 'organization' : 'account');
}

function shortPath(file: string): string {
  const home = process.env['HOME'];
  return home && file.startsWith(home) ? `~${file.slice(home.length)}` : file;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
