/**
 * `contextValue` strings for tree items. Menus in package.json match these tokens with regexes
 * such as `viewItem =~ /\bgroup-secondary\b/`, so the tokens are named here once and unit-tested.
 */
import type { Group } from './profiles';

export const CONTEXT_TOKENS = {
  profile: 'tendlc-profile',
  group: (g: Group): string => `group-${g}`,
  assumed: 'assumed',
  canAssume: 'can-assume',
  canLookup: 'can-lookup',
  groupNode: 'tendlc-group',
  problem: 'tendlc-problem',
  missing: 'tendlc-missing',
} as const;

export interface ProfileContext {
  readonly group: Group;
  /** A live assumed-role session is cached for this profile. */
  readonly assumed: boolean;
  /** The profile can act as a secondary (it is in the Secondary group and a primary is set). */
  readonly canAssume: boolean;
  /** The account id is not declared in the file, so it can be looked up with GetCallerIdentity. */
  readonly canLookup: boolean;
}

/** Builds a profile node's contextValue, e.g. `tendlc-profile group-secondary assumed can-assume`. */
export function profileContextValue(ctx: ProfileContext): string {
  const tokens: string[] = [CONTEXT_TOKENS.profile, CONTEXT_TOKENS.group(ctx.group)];
  if (ctx.assumed) {
    tokens.push(CONTEXT_TOKENS.assumed);
  }
  if (ctx.canAssume) {
    tokens.push(CONTEXT_TOKENS.canAssume);
  }
  if (ctx.canLookup) {
    tokens.push(CONTEXT_TOKENS.canLookup);
  }
  return tokens.join(' ');
}

/** Reads a contextValue back into tokens (used by tests and by menu-regex checks). */
export function contextTokens(value: string): Set<string> {
  return new Set(value.split(/\s+/).filter(Boolean));
}
