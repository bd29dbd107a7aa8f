// THE leak oracle of the tests, written apart from the redactor (it imports nothing from source/):
// an output leaks a secret when it holds 8 consecutive characters of the secret beyond its public
// prefix (cli-contract.md "Fingerprints and secrets"). Plain substring search of every 8-character
// window, in three forms: the secret as written (trimmed, unquoted) in the output as printed; the
// same escaped as JSON writes it; and the secret with whitespace and invisible characters removed
// in the output with them removed too (a key interleaved with zero-width spaces is readable on
// screen and recoverable by copying, so it counts as shown).

/** Public prefixes the contract lets a fingerprint show (a copy of the list, on purpose not imported). */
export const PUBLIC_PREFIXES = [
  'sk-ant-api03-',
  'sk-ant-admin01-',
  'sk-ant-oat01-',
  'sk-ant-ort01-',
  'sk-ant-sid01-',
  'sk-proj-',
  'sk-svcacct-',
  'sk-admin-',
  'sk-or-v1-',
  'github_pat_',
  'AKIA',
  'ASIA',
  'ABSK',
  'AIza',
  'gsk_',
  'xai-',
  'hf_',
  'ghp_',
  'gho_',
  'ghu_',
  'ghs_',
  'ghr_',
  'hvs.',
  'hvb.',
  'sk-ant-',
];

const WINDOW = 8;

/** Whitespace (NBSP, tab, CR, LF … included), controls and invisible format characters (ZWSP, soft hyphen, BOM, bidi marks). */
const INVISIBLE = /[\s\p{Cc}\p{Cf}\u00a0\u115f\u1160\u3164\uffa0]/gu;

export function withoutInvisible(s: string): string {
  return s.replace(INVISIBLE, '');
}

/** The secret as meant: surrounding whitespace and quotes off, and the public scheme word "Bearer ". */
function core(secret: string): string {
  return secret
    .trim()
    .replace(
      /^["'`\u2018-\u201f\u00ab\u00bb\u2039\u203a\uff02\uff07]+|["'`\u2018-\u201f\u00ab\u00bb\u2039\u203a\uff02\uff07]+$/g,
      '',
    )
    .trim()
    .replace(/^bearer\s+/i, '');
}

/**
 * What follows the public prefix. The prefix is found in the visible form, then skipped in `s`
 * with whatever invisible characters are inside it (`s\u200bk-ant-api03-…`).
 */
function bodyOf(s: string): string {
  const visible = withoutInvisible(s);
  const prefix = PUBLIC_PREFIXES.filter((p) => visible.startsWith(p)).sort((a, b) => b.length - a.length)[0] ?? '';
  let seen = 0;
  let i = 0;
  const chars = Array.from(s);
  for (; i < chars.length && seen < prefix.length; i++) if (withoutInvisible(chars[i]!) !== '') seen++;
  return chars.slice(i).join('');
}

const PREFIX_ANYWHERE = new RegExp(
  [...PUBLIC_PREFIXES]
    .sort((a, b) => b.length - a.length)
    .map((p) => p.replace(/[.]/g, '\\.'))
    .join('|'),
  'g',
);

/** A window made only of a (damaged) public prefix: quotes, spaces and prefix characters, nothing secret. */
function publicPiece(w: string): boolean {
  const bare = withoutInvisible(w).replace(/["'`\u2018-\u201f]/g, '');
  return PUBLIC_PREFIXES.some((p) => p.includes(bare));
}

/**
 * Windows of 8 characters (code points, as a person counts them) that hold a letter or digit, each
 * inside one stretch of the body between public prefixes (a key pasted twice holds the prefix again).
 */
function windows(s: string): string[] {
  const out: string[] = [];
  for (const part of s.split(PREFIX_ANYWHERE)) {
    const chars = Array.from(part);
    for (let i = 0; i + WINDOW <= chars.length; i++) {
      const w = chars.slice(i, i + WINDOW).join('');
      if (/[\p{L}\p{N}]/u.test(w) && !publicPiece(w)) out.push(w);
    }
  }
  return out;
}

/** The first 8-character window of `secret` found in `output` (in any of the three forms), else null. */
export function leakedWindow(output: string, secret: string): string | null {
  const written = core(secret);
  const body = bodyOf(written);
  for (const w of windows(body)) if (output.includes(w)) return w;
  // As JSON writes it: each character escaped, windows still of 8 characters of the secret.
  const escaped = Array.from(body).map((c) => JSON.stringify(c).slice(1, -1));
  if (escaped.some((e) => e.length > 1))
    for (let i = 0; i + WINDOW <= escaped.length; i++) {
      const piece = escaped.slice(i, i + WINDOW);
      // Windows with no escaped character are the plain ones, searched above.
      if (!piece.some((e) => e.length > 1)) continue;
      const w = piece.join('');
      if (/[\p{L}\p{N}]/u.test(w) && !publicPiece(w) && output.includes(w)) return w;
    }
  const bare = bodyOf(withoutInvisible(written));
  const shown = withoutInvisible(output);
  for (const w of windows(bare)) if (shown.includes(w)) return w;
  return null;
}

/** Every secret against every named output: the leaks, as readable lines (empty when none). */
export function leaks(outputs: Record<string, string>, secrets: string[]): string[] {
  const out: string[] = [];
  for (const s of secrets)
    for (const [name, text] of Object.entries(outputs)) {
      const w = leakedWindow(text, s);
      if (w !== null) out.push(`${name} holds ${JSON.stringify(w)} of secret ${JSON.stringify(s.slice(0, 16))}…`);
    }
  return out;
}
