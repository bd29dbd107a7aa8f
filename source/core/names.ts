// Variable names: which ones carry a credential some client reads, which ones people use by
// mistake, and the one edit distance that tells a typo (discovery and precedence both ask here).
// Pure data and functions; no state.

export const API_KEY = 'ANTHROPIC_API_KEY';
export const AUTH_TOKEN = 'ANTHROPIC_AUTH_TOKEN';
export const OAUTH_TOKEN = 'CLAUDE_CODE_OAUTH_TOKEN';
export const FOUNDRY_KEY = 'ANTHROPIC_FOUNDRY_API_KEY';
export const BEDROCK_TOKEN = 'AWS_BEARER_TOKEN_BEDROCK';

/** Variables the clients read a credential from (Claude Code's, the SDKs', the providers'). */
export const CREDENTIAL_NAMES: readonly string[] = [API_KEY, AUTH_TOKEN, OAUTH_TOKEN, FOUNDRY_KEY, BEDROCK_TOKEN];

/** Real variable names that hold secrets but are not near-misses of the ones above. */
export const OTHER_REAL_NAMES: ReadonlySet<string> = new Set([
  'CLAUDE_CODE_OAUTH_REFRESH_TOKEN',
  'ANTHROPIC_FOUNDRY_AUTH_TOKEN',
  'ANTHROPIC_AWS_API_KEY',
  'ANTHROPIC_WEBHOOK_SIGNING_KEY',
  'ANTHROPIC_IDENTITY_TOKEN',
  'ANTHROPIC_ADMIN_KEY',
  'ANTHROPIC_ADMIN_API_KEY',
]);

/** Names people use that no client reads (cli-contract.md); typos are found by the edit distance. */
export const NEAR_MISS_NAMES: readonly string[] = [
  'CLAUDE_API_KEY',
  'ANTHROPIC_KEY',
  'ANTHROPIC_TOKEN',
  'ANTHROPIC_API_TOKEN',
  'CLAUDE_KEY',
  'CLAUDE_TOKEN',
];

/** The names a typo is most likely aimed at (the ones people type by hand). */
export const TYPO_TARGETS: readonly string[] = [API_KEY, AUTH_TOKEN, OAUTH_TOKEN];

/** A name this many edits (or fewer) from a credential name is a typo of it. */
export const NEAR_MISS_MAX_EDITS = 2;

export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAMES.includes(name);
}

/**
 * A cheap lower bound of the edit distance (letters one string has that the other lacks), so
 * the full distance runs only for names that could be typos: a shell has hundreds of variables.
 */
export function bagDistance(a: string, b: string): number {
  const counts = new Map<string, number>();
  for (const ch of a) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  for (const ch of b) counts.set(ch, (counts.get(ch) ?? 0) - 1);
  let surplus = 0;
  let deficit = 0;
  for (const n of counts.values()) {
    if (n > 0) surplus += n;
    else deficit -= n;
  }
  return Math.max(surplus, deficit);
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Whether `name` is within NEAR_MISS_MAX_EDITS of `target` (bag distance first: cheap). */
export function isTypoOf(name: string, target: string): boolean {
  return (
    Math.abs(target.length - name.length) <= NEAR_MISS_MAX_EDITS &&
    bagDistance(name, target) <= NEAR_MISS_MAX_EDITS &&
    editDistance(name, target) <= NEAR_MISS_MAX_EDITS
  );
}

/** 'credential' for a name a client reads, 'near-miss' for a likely mistake, else null. */
export function nameKind(name: string): 'credential' | 'near-miss' | null {
  if (isCredentialName(name)) return 'credential';
  const upper = name.toUpperCase();
  if (NEAR_MISS_NAMES.includes(upper)) return 'near-miss';
  // Covers lower-case variants (distance 0 once upper-cased) and typos such as ANTRHOPIC_API_KEY.
  if (CREDENTIAL_NAMES.some((real) => isTypoOf(upper, real))) return 'near-miss';
  return null;
}

/** The credential name a typo of one is aimed at (upper-cased first), or undefined. */
export function typoTarget(name: string): string | undefined {
  const upper = name.toUpperCase();
  return TYPO_TARGETS.find((t) => isTypoOf(upper, t));
}
