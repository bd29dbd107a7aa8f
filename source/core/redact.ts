// THE redaction boundary: screen, JSON, Markdown, error messages and crash output all pass through
// `createRedactor`. Guarantee (cli-contract.md): no output holds 8 or more consecutive characters of a
// secret beyond its public prefix. Pure; linear in the text (no regex here can backtrack quadratically).
import { cleanCredential, fingerprint, kindOf, placeholderInfo, unwrapCredential } from './credential.js';

export interface RedactContext {
  /** Raw discovered values (not trimmed, not unquoted). */
  secrets: string[];
  home?: string;
}

/** Shorter windows cannot identify a secret; a secret shorter than this cannot leak a window at all. */
const WINDOW = 8;

// ---------------------------------------------------------------------------------------------
// Terminal control sequences

// CSI (7- and 8-bit); OSC ended by BEL or ST; DCS/SOS/PM/APC ended by ST; other ESC sequences; CR LF
// (kept as LF); lone C0 except \t and \n; DEL and C1; bidi embeddings, overrides, isolates and marks.
// Payload classes stop at ESC and C1, so an unterminated sequence costs one scan to the next one.
const CONTROL =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|(?:\x1b\]|\x9d)[^\x07\x1b\x80-\x9f]*(?:\x07|\x1b\\|\x9c)|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x80-\x9f]*(?:\x1b\\|\x9c)|\x1b[ -/]*[0-~]|\r\n|[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Removes terminal control/escape sequences from text that came from outside. Keeps \n and \t. */
export function stripControl(text: string): string {
  return text.replace(CONTROL, (m) => (m === '\r\n' ? '\n' : ''));
}

// ---------------------------------------------------------------------------------------------
// URLs

const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)/;

/** Drops user-info, query string and fragment: `https://u:p@host/x?k=v#f` → `https://host/x`. */
export function sanitizeUrl(url: string): string {
  const m = URL_PARTS.exec(url);
  if (!m) return url.replace(/[?#][\s\S]*$/, '');
  const authority = m[2]!.slice(m[2]!.lastIndexOf('@') + 1);
  return m[1]! + authority + m[3]!;
}

// "…" ends a URL so that a fingerprint written after a path is never taken apart on a second pass.
// The scheme is bounded (not anchored to a word start): a URL glued to the text before it is still
// found, and a long run of letters costs at most 21 steps per position.
const URL_IN_TEXT = /[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\/[^\s"'<>`…]*/g;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;

function sanitizeUrlInText(url: string): string {
  const tail = TRAILING_PUNCTUATION.exec(url)?.[0] ?? '';
  return sanitizeUrl(url.slice(0, url.length - tail.length)) + tail;
}

// ---------------------------------------------------------------------------------------------
// Shapes of credentials and of places that hold them

/** Known credential shapes (fact sheet §1 and other providers). `sk-ant-` needs no boundary: it is distinctive. */
const CREDENTIAL_SHAPES = new RegExp(
  [
    String.raw`sk-ant-[a-z]{2,8}\d{0,3}-[A-Za-z0-9_-]{8,}`,
    String.raw`(?<![A-Za-z0-9])sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{8,}`,
    String.raw`(?<![A-Za-z0-9])sk-or-v1-[A-Za-z0-9]{8,}`,
    String.raw`(?<![A-Za-z0-9])sk-[A-Za-z0-9]{32,}`,
    String.raw`(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}`,
    String.raw`(?<![A-Za-z0-9])ABSK[A-Za-z0-9+/=]{16,}`,
    String.raw`(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{30,}`,
    String.raw`(?<![A-Za-z0-9])(?:gsk|hf)_[A-Za-z0-9]{16,}`,
    String.raw`(?<![A-Za-z0-9])xai-[A-Za-z0-9]{16,}`,
    String.raw`(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{16,}`,
    String.raw`(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{16,}`,
    String.raw`(?<![A-Za-z0-9])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`,
  ].join('|'),
  'g',
);

// A value in a header or an assignment. It never starts with "…" and never ends right before a
// fingerprint's tail, so a second pass leaves fingerprints alone (idempotence). Values that start
// like a reference ($VAR, %VAR%, <your key>, {{x}}, [..], (..)) are instructions, not secrets.
const V = String.raw`[^\s"'\`<>,;&…]`;
const FINGERPRINT_TAIL = String.raw`…\S{0,48} \(\d+ chars?\)`;
const value = (min: number) => String.raw`(?![$%<{[(])${V}{${min},}(?!${V}|${FINGERPRINT_TAIL})`;

const HEADER_VALUE = new RegExp(
  String.raw`\b(x-api-key|api-key|x-goog-api-key|x-auth-token|proxy-authorization|authorization)(["']?\s*[:=]\s*["']?)((?:bearer|basic|token)\s+)?(${value(WINDOW)})`,
  'gi',
);
// A scheme outside a header: require a digit, so prose ("Bearer authentication") is left alone.
const SCHEME_VALUE = new RegExp(String.raw`\b(bearer|basic)(\s+)(?=${V}*\d)(${value(WINDOW)})`, 'gi');
// A quoted name may follow anything; a bare one must start a word. (An unmatched group 1 makes \1 empty.)
const ASSIGNMENT = new RegExp(
  String.raw`(?:(["'])|(?<![A-Za-z0-9_.-]))([A-Za-z][A-Za-z0-9_.-]{0,63})\1(\s*[=:]\s*)(["']?)(${value(1)})`,
  'g',
);
const SECRET_NAME =
  /(?:^|[_.-])(?:password|passwd|pwd|pass|secret|token|api[_-]?key|apikey|key|auth|credentials?|session(?:[_-]?key)?)$/i;

function redactAssignment(m: string, q: string | undefined, name: string, sep: string, q2: string, v: string): string {
  // `name: value` counts only with a quoted name (JSON); bare `word:` is too common in prose.
  const quote = q ?? '';
  if (!SECRET_NAME.test(name) || (sep.includes(':') && quote === '')) return m;
  return `${quote}${name}${quote}${sep}${q2}${fingerprint(v)}`;
}

// ---------------------------------------------------------------------------------------------
// Secrets

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function hasWordChar(s: string): boolean {
  return /[\p{L}\p{N}]/u.test(s);
}

/** The parts of a secret that must not leak: its text after the public prefix, as written and as meant. */
function sensitiveParts(secret: string): string[] {
  if (secret.length < WINDOW || placeholderInfo(secret)?.publicText) return [];
  const prefix = kindOf(secret).prefix;
  const strip = (s: string) => (prefix !== '' && s.startsWith(prefix) ? s.slice(prefix.length) : s);
  return [...new Set([strip(unwrapCredential(secret)), strip(cleanCredential(secret))])].filter(
    (p) => p.length >= WINDOW,
  );
}

/**
 * Every 8-character window of a secret's sensitive parts. Windows inside its public prefix (a key pasted
 * twice holds the prefix again) and windows without a letter or digit (runs of spaces or dashes, which
 * identify nothing and would mangle text) are not secret.
 */
function secretWindows(secret: string): string[] {
  const prefix = kindOf(secret).prefix;
  const out = new Set<string>();
  for (const part of sensitiveParts(secret)) {
    for (let i = 0; i + WINDOW <= part.length; i++) {
      const w = part.slice(i, i + WINDOW);
      if (hasWordChar(w) && !prefix.includes(w)) out.add(w);
    }
  }
  return [...out];
}

/** The first 8-character window of `secret` (beyond its public prefix) that `output` contains, else null. */
export function leaksSecret(output: string, secret: string): string | null {
  for (const w of secretWindows(secret)) if (output.includes(w)) return w;
  return null;
}

/** Forms a secret takes in text: as written, trimmed, unquoted, per line, without "Bearer ", escaped. */
function variants(secret: string): string[] {
  const base = new Set([
    secret,
    secret.trim(),
    unwrapCredential(secret),
    cleanCredential(secret),
    secret.replace(/^\s*bearer\s+/i, ''),
    ...secret.split(/\r\n|\r|\n/).map((l) => l.trim()),
  ]);
  const out = new Set<string>();
  for (const v of base) {
    out.add(v);
    out.add(stripControl(v));
    out.add(JSON.stringify(v).slice(1, -1));
    try {
      out.add(encodeURIComponent(v));
    } catch {
      // lone surrogates cannot be URI-encoded; such a form cannot appear in a URL either
    }
  }
  // A form without a secret window is public text (a line holding only "sk-ant-a"); searching for it
  // would also break fingerprints apart on a second pass.
  const windows = secretWindows(secret);
  return [...out].filter((v) => windows.some((w) => v.includes(w)));
}

interface SecretIndex {
  /** One alternation of every form, longest first, so a secret inside another is found as the longer one. */
  pattern: RegExp | null;
  replacement: Map<string, string>;
  /** 8-character window → fingerprint, with a 2-character prefilter. */
  windows: Map<string, string>;
  heads: Set<number>;
}

function indexSecrets(secrets: string[]): SecretIndex {
  const replacement = new Map<string, string>();
  const windows = new Map<string, string>();
  const heads = new Set<number>();
  // Public words (a placeholder such as "undefined") are not secret: redacting them would mangle text.
  const real = [...new Set(secrets)]
    .filter((s) => s.length >= WINDOW && !placeholderInfo(s)?.publicText)
    .sort((a, b) => b.length - a.length);
  for (const s of real) {
    const fp = fingerprint(s);
    for (const v of variants(s)) if (!replacement.has(v)) replacement.set(v, fp);
    for (const w of secretWindows(s)) {
      if (windows.has(w)) continue;
      windows.set(w, fp);
      heads.add(w.charCodeAt(0) * 0x10000 + w.charCodeAt(1));
    }
  }
  const forms = [...replacement.keys()].sort((a, b) => b.length - a.length);
  return {
    pattern: forms.length > 0 ? new RegExp(forms.map(escapeRegExp).join('|'), 'g') : null,
    replacement,
    windows,
    heads,
  };
}

/** Last line of defence: any run of text made of secret windows (a cut or mangled copy) becomes a fingerprint. */
function maskWindows(text: string, idx: SecretIndex): string {
  if (idx.windows.size === 0) return text;
  let out = '';
  let copied = 0;
  let runStart = -1;
  let runEnd = -1;
  let runFp = '';
  for (let i = 0; i + WINDOW <= text.length; i++) {
    if (!idx.heads.has(text.charCodeAt(i) * 0x10000 + text.charCodeAt(i + 1))) continue;
    const fp = idx.windows.get(text.slice(i, i + WINDOW));
    if (fp === undefined) continue;
    if (runStart >= 0 && i <= runEnd) {
      runEnd = i + WINDOW;
      continue;
    }
    if (runStart >= 0) {
      out += text.slice(copied, runStart) + runFp;
      copied = runEnd;
    }
    runStart = i;
    runEnd = i + WINDOW;
    runFp = fp;
  }
  if (runStart < 0) return text;
  return out + text.slice(copied, runStart) + runFp + text.slice(runEnd);
}

// ---------------------------------------------------------------------------------------------
// The redactor

function homePattern(home: string | undefined): RegExp | null {
  const h = home?.replace(/[\\/]+$/, '');
  if (!h || h.length < 2) return null; // "/" or "C:" would match every path
  const forms = new Set([h, h.replace(/\\/g, '/')]);
  return new RegExp(String.raw`(?<![\w.~/\\-])(?:${[...forms].map(escapeRegExp).join('|')})(?![\w.-])`, 'g');
}

/**
 * The one redaction function. Order: control sequences out; URLs lose user-info and query; known
 * secrets (every form) and anything shaped like a credential become fingerprints; header values,
 * `Bearer x`, `password=`/`token=`/`key=` values become fingerprints; $HOME becomes `~`; finally any
 * leftover 8-character window of a secret (a cut or mangled copy) is replaced. Idempotent.
 *
 * Secrets shorter than 8 characters are not searched for in free text (that would mangle ordinary
 * words); they cannot leak an 8-character window anyway.
 */
/** Passes are monotone (they only remove control sequences and turn text into fingerprints); 4 is ample. */
const MAX_PASSES = 4;

export function createRedactor(ctx: RedactContext): (text: string) => string {
  const idx = indexSecrets(ctx.secrets);
  const home = homePattern(ctx.home);
  const pass = (input: string): string => {
    let out = stripControl(input);
    out = out.replace(URL_IN_TEXT, sanitizeUrlInText);
    if (idx.pattern) out = out.replace(idx.pattern, (m) => idx.replacement.get(m) ?? fingerprint(m));
    out = out.replace(CREDENTIAL_SHAPES, (m) => fingerprint(m));
    out = out.replace(
      HEADER_VALUE,
      (_m, name: string, sep: string, scheme: string | undefined, v: string) =>
        `${name}${sep}${scheme ?? ''}${fingerprint(v)}`,
    );
    out = out.replace(
      SCHEME_VALUE,
      (_m, scheme: string, space: string, v: string) => `${scheme}${space}${fingerprint(v)}`,
    );
    out = out.replace(ASSIGNMENT, redactAssignment);
    if (home) out = out.replace(home, '~');
    return maskWindows(out, idx);
  };
  return (input: string): string => {
    // A replacement can change what a boundary check sees (a key glued to the text before it is
    // found only once that text became a fingerprint), so repeat until nothing changes: that makes
    // the redactor idempotent. Text with nothing to redact costs one pass, typical text two.
    let out = String(input);
    for (let i = 0; i < MAX_PASSES; i++) {
      const next = pass(out);
      if (next === out) break;
      out = next;
    }
    return out;
  };
}

export function redact(text: string, ctx: RedactContext): string {
  return createRedactor(ctx)(text);
}
