// THE redaction boundary: screen, JSON, Markdown, error messages and crash output all pass through
// `createRedactor`. Guarantee (cli-contract.md): no output holds 8 or more consecutive characters of a
// secret beyond its public prefix. Pure; linear in the text (no regex here can backtrack quadratically).
import { cleanCredential, fingerprint, fixedLength, kindOf, placeholderInfo, unwrapCredential } from './credential.js';
import type { Discovery } from './types.js';

export interface RedactContext {
  /** Raw discovered values (not trimmed, not unquoted). */
  secrets: string[];
  home?: string;
  /** apiKeyHelper commands as configured: shown only as their program (`op …`); their arguments are secrets. */
  commands?: string[];
  /** Values that may hold a URL (proxy variables, base URLs): their user-info and password are secrets. */
  urls?: string[];
  /** ANTHROPIC_CUSTOM_HEADERS values: each header's value is a secret; the names stay readable. */
  headerBlocks?: string[];
  /** Text from outside (pasted errors, server bodies, command output): its token-shaped runs are secrets. */
  outside?: string[];
}

/** Shorter windows cannot identify a secret; a secret shorter than this cannot leak a window at all. */
const WINDOW = 8;

/**
 * Characters a key can be broken or interleaved with and still be read (and copied) as that key:
 * whitespace (NBSP, tab, CR and line breaks included) and invisible format characters (zero-width
 * space and joiners, soft hyphen, BOM, word joiner, Mongolian vowel separator, Hangul fillers).
 */
// Combining marks (U+034F, U+17B4/5, U+180B-D) are alternatives, not class members, so that a
// class never glues them to the character before them.
const INVISIBLE_SOURCE = String.raw`\p{Cf}|[\u115f\u1160\u3164\uffa0]|\u034f|\u17b4|\u17b5|\u180b|\u180c|\u180d|\u180e`;
const SQUEEZABLE = new RegExp(String.raw`\s|\p{Cc}|${INVISIBLE_SOURCE}`, 'u');
const SQUEEZABLE_ALL = new RegExp(SQUEEZABLE.source, 'gu');
const INVISIBLE_ALL = new RegExp(INVISIBLE_SOURCE, 'gu');

/** `s` without whitespace and invisible characters: how a person reads (or copies) a broken key. */
function squeeze(s: string): string {
  return s.replace(SQUEEZABLE_ALL, '');
}

// ---------------------------------------------------------------------------------------------
// Terminal control sequences

// CSI (7- and 8-bit); OSC ended by BEL or ST; DCS/SOS/PM/APC ended by ST; other ESC sequences; CR LF
// (kept as LF); lone C0 except \t and \n; DEL and C1; bidi embeddings, overrides, isolates and marks.
// Payload classes stop at ESC and C1, so an unterminated sequence costs one scan to the next one.
const CONTROL = new RegExp(
  '\\x1b\\[[0-?]*[ -/]*[@-~]|\\x9b[0-?]*[ -/]*[@-~]|(?:\\x1b\\]|\\x9d)[^\\x07\\x1b\\x' +
    '80-\\x9f]*(?:\\x07|\\x1b\\\\|\\x9c)|(?:\\x1b[PX^_]|[\\x90\\x98\\x9e\\x9f])[^\\x1b' +
    '\\x80-\\x9f]*(?:\\x1b\\\\|\\x9c)|\\x1b[ -/]*[0-~]|\\r\\n|[\\x00-\\x08\\x0b-\\x1f\\' +
    'x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]',
  'g',
);

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

/**
 * Known credential shapes (fact sheet §1 and other providers), each with whether it must start a word.
 * `sk-ant-` needs no boundary: it is distinctive.
 */
const SHAPES: [source: string, bounded: boolean][] = [
  [String.raw`sk-ant-[a-z]{2,8}\d{0,3}-[A-Za-z0-9_-]{8,}`, false],
  [String.raw`sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{8,}`, true],
  [String.raw`sk-or-v1-[A-Za-z0-9]{8,}`, true],
  [String.raw`sk-[A-Za-z0-9]{32,}`, true],
  [String.raw`(?:AKIA|ASIA)[0-9A-Z]{16}`, true],
  [String.raw`ABSK[A-Za-z0-9+/=]{16,}`, true],
  [String.raw`AIza[0-9A-Za-z_-]{30,}`, true],
  [String.raw`(?:gsk|hf)_[A-Za-z0-9]{16,}`, true],
  [String.raw`xai-[A-Za-z0-9]{16,}`, true],
  [String.raw`gh[pousr]_[A-Za-z0-9]{16,}`, true],
  [String.raw`github_pat_[A-Za-z0-9_]{16,}`, true],
  [String.raw`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`, true],
];
const CREDENTIAL_SHAPES = new RegExp(
  SHAPES.map(([source, bounded]) => (bounded ? String.raw`(?<![A-Za-z0-9])` : '') + source).join('|'),
  'g',
);
/** A credential shape starting right here, also glued to the text before it (that text may become a fingerprint). */
const GLUED_SHAPE = new RegExp(SHAPES.map(([source]) => source).join('|'), 'y');

// A value in a header or an assignment. It never starts with "…" and never ends right before a
// fingerprint's tail, so a second pass leaves fingerprints alone (idempotence). Values that start
// like a reference ($VAR, %VAR%, <your key>, {{x}}, [..], (..)) are instructions, not secrets.
const V = String.raw`[^\s"'\`<>,;&…]`;
const FINGERPRINT_TAIL = String.raw`…\S{0,48} \(\d+ chars?\)`;
const value = (min: number) => String.raw`(?![$%<{[(])${V}{${min},}(?!${V}|${FINGERPRINT_TAIL})`;

const HEADER_VALUE = new RegExp(
  String.raw`\b(x-api-key|api-key|x-goog-api-key|x-auth-token|proxy-authorization|authorization)` +
    String.raw`(["']?\s*[:=]\s*["']?)((?:bearer|basic|token)\s+)?(${value(WINDOW)})`,
  'gi',
);
// A scheme outside a header: require a digit, so prose ("Bearer authentication") is left alone.
const SCHEME_VALUE = new RegExp(String.raw`\b(bearer|basic)(\s+)(?=${V}*\d)(${value(WINDOW)})`, 'gi');
// A quoted name may follow anything; a bare one must start a word. (An unmatched group 1 makes \1 empty.)
const ASSIGNMENT = new RegExp(
  String.raw`(?:(["'])|(?<![A-Za-z0-9_.-]))([A-Za-z][A-Za-z0-9_.-]{0,63})\1(\s*[=:]\s*)(["']?)(${value(1)})`,
  'g',
);
const SECRET_NAME = new RegExp(
  '(?:^|[_.-])(?:password|passwd|pwd|pass|secret|token|api[_-]?key|apikey|key|auth|cr' +
    'edentials?|session(?:[_-]?key)?)$',
  'i',
);

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
  // In ASCII the letters and digits are A-Z, a-z and 0-9: the Unicode classes only for other text.
  return /[A-Za-z0-9]/.test(s) || (/[^\x00-\x7f]/.test(s) && /[\p{L}\p{N}]/u.test(s));
}

/** The parts of a secret that must not leak: its text after the public prefix, as written and as meant. */
function sensitiveParts(secret: string): string[] {
  if (secret.length < WINDOW || placeholderInfo(secret)?.publicText) return [];
  const prefix = kindOf(secret).prefix;
  const strip = (s: string) => (prefix !== '' && s.startsWith(prefix) ? s.slice(prefix.length) : s);
  return [...new Set([strip(secret.trim()), strip(unwrapCredential(secret)), strip(cleanCredential(secret))])].filter(
    (p) => p.length >= WINDOW,
  );
}

/**
 * Every 8-character window of a secret's sensitive parts. Characters are code points, as the contract
 * and a reader count them: 8 UTF-16 units can be only 4 astral characters, as many as a fingerprint
 * shows, and such a window would find every fingerprint of the secret again (not idempotent).
 * Windows inside its public prefix (a key pasted twice holds the prefix again) and windows without a
 * letter or digit (runs of spaces or dashes, which identify nothing and would mangle text) are not secret.
 */
function secretWindows(secret: string, squeezed = false): string[] {
  const prefix = kindOf(secret).prefix;
  const out = new Set<string>();
  for (const raw of sensitiveParts(secret)) {
    const part = Array.from(squeezed ? squeeze(raw) : raw);
    for (let i = 0; i + WINDOW <= part.length; i++) {
      const w = part.slice(i, i + WINDOW).join('');
      if (hasWordChar(w) && !prefix.includes(w)) out.add(w);
    }
  }
  return [...out];
}

const isHigh = (u: number) => u >= 0xd800 && u <= 0xdbff;
const isLow = (u: number) => u >= 0xdc00 && u <= 0xdfff;

/**
 * The end of the 8 code points of `s` from `i` (read from `i` on, so a low surrogate there is one
 * character of its own), or -1 when fewer are left.
 */
function windowEnd(s: string, i: number): number {
  let j = i;
  for (let n = 0; n < WINDOW; n++) {
    if (j >= s.length) return -1;
    j += isHigh(s.charCodeAt(j)) && isLow(s.charCodeAt(j + 1)) ? 2 : 1;
  }
  return j;
}

/** Forms a secret takes in text: as written, trimmed, unquoted, per line, without "Bearer ", escaped. */
function variants(secret: string): string[] {
  const base = new Set([
    secret,
    secret.trim(),
    unwrapCredential(secret),
    cleanCredential(secret),
    secret.replace(/^\s*bearer\s+/i, ''),
    squeeze(secret),
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

interface WindowIndex {
  /** 8-character window → fingerprint, with a 2-character prefilter. */
  windows: Map<string, string>;
  heads: Set<number>;
}

interface SecretIndex {
  /** One alternation of every form, longest first, so a secret inside another is found as the longer one. */
  pattern: RegExp | null;
  replacement: Map<string, string>;
  /** Windows of the secrets as written. */
  plain: WindowIndex;
  /** Windows of the secrets without whitespace and invisible characters, matched in text read the same way. */
  squeezed: WindowIndex;
}

/** Longest value searched for as a whole (JWTs run to a few KB); longer ones are matched by their windows. */
const MAX_FORM = 8192;

function addWindow(idx: WindowIndex, w: string, fp: string): void {
  if (idx.windows.has(w)) return;
  idx.windows.set(w, fp);
  idx.heads.add(w.charCodeAt(0) * 0x10000 + w.charCodeAt(1));
}

/** A secret, and what it is shown as instead (its fingerprint unless said otherwise). */
interface Entry {
  value: string;
  shownAs?: string;
}

function indexSecrets(entries: Entry[]): SecretIndex {
  const replacement = new Map<string, string>();
  const plain: WindowIndex = { windows: new Map(), heads: new Set() };
  const squeezed: WindowIndex = { windows: new Map(), heads: new Set() };
  // Public words (a placeholder such as "undefined") are not secret: redacting them would mangle text.
  const real = entries
    .filter((e) => e.value.length >= WINDOW && !placeholderInfo(e.value)?.publicText)
    .sort((a, b) => b.value.length - a.value.length);
  for (const { value: s, shownAs } of real) {
    const fp = shownAs ?? fingerprint(s);
    // A run longer than any credential (a pasted blob) is found by its windows alone: as a form of
    // the one alternation it would make the pattern too large to compile.
    if (s.length <= MAX_FORM) for (const v of variants(s)) if (!replacement.has(v)) replacement.set(v, fp);
    // A command is replaced whole where it appears; its secret parts are entries of their own.
    if (shownAs !== undefined) continue;
    for (const w of secretWindows(s)) addWindow(plain, w, fp);
    for (const w of secretWindows(s, true)) addWindow(squeezed, w, fp);
  }
  const forms = [...replacement.keys()].sort((a, b) => b.length - a.length);
  return {
    pattern: forms.length > 0 ? new RegExp(forms.map(escapeRegExp).join('|'), 'g') : null,
    replacement,
    plain,
    squeezed,
  };
}

/**
 * Any run of text made of secret windows (a cut, mangled or broken copy) becomes a fingerprint.
 * With `squeezed`, whitespace and invisible characters are skipped while matching and replaced
 * with the run: a key broken over lines or interleaved with zero-width spaces is still that key.
 */
function maskWindows(text: string, idx: WindowIndex, squeezed: boolean): string {
  if (idx.windows.size === 0) return text;
  // The text as read, and where each of its characters sits in `text`.
  let read = text;
  let at: number[] | null = null;
  if (squeezed && SQUEEZABLE_ALL.test(text)) {
    SQUEEZABLE_ALL.lastIndex = 0;
    at = [];
    read = '';
    // By code point: an invisible character may be astral (tag characters, U+E0020-E007F).
    for (let i = 0; i < text.length;) {
      const n = text.codePointAt(i)! > 0xffff ? 2 : 1;
      const c = text.slice(i, i + n);
      if (!SQUEEZABLE.test(c)) {
        read += c;
        at.push(i);
        if (n === 2) at.push(i + 1);
      }
      i += n;
    }
  }
  SQUEEZABLE_ALL.lastIndex = 0;
  const pos = (i: number) => (at ? (i < at.length ? at[i]! : text.length) : i);
  // The end of a run: just after its last character (skipped characters after it stay).
  const endOf = (i: number) => (at ? at[i - 1]! + 1 : i);
  // Runs of overlapping windows, in `read`: [start, end, fingerprint].
  const runs: [number, number, string][] = [];
  for (let i = 0; i + WINDOW <= read.length; i++) {
    if (!idx.heads.has(read.charCodeAt(i) * 0x10000 + read.charCodeAt(i + 1))) continue;
    let end = windowEnd(read, i);
    if (end < 0) break;
    let fp = idx.windows.get(read.slice(i, end));
    // A window ending in a lone high surrogate, where the text pairs it with the next unit.
    if (fp === undefined && end - i > WINDOW && isLow(read.charCodeAt(end - 1)))
      fp = idx.windows.get(read.slice(i, --end));
    if (fp === undefined) continue;
    const last = runs[runs.length - 1];
    if (last && i <= last[1]) last[1] = Math.max(last[1], end);
    else runs.push([i, end, fp]);
  }
  if (runs.length === 0) return text;
  let out = '';
  let copied = 0;
  // Credentials found in the text, in order; `next` is the first that may still hold a run's start.
  const shapes = [...text.matchAll(CREDENTIAL_SHAPES)].map((m): [number, number] => [m.index, m.index + m[0].length]);
  let next = 0;
  for (const run of runs) {
    while (next < shapes.length && shapes[next]![1] <= pos(run[0])) next++;
    const [start, end] = yieldToShapes(text, run, shapes[next], pos, endOf);
    out += text.slice(copied, pos(start)) + run[2];
    copied = endOf(end);
  }
  return out + text.slice(copied);
}

/**
 * A run of windows ends where its last window ends, and text glued to a cut copy of a secret can go on
 * as the secret does for a few characters by chance. The run then gives those characters (at most 7,
 * fewer than a window, so nothing of the secret is left readable) back to a credential that starts
 * or ends there: taking its first or last characters would break its shape, and it would no longer
 * be found as a credential (`…AKIA…` glued to the end of a cut key whose next character is "A").
 * It gives back as few as it can: a shape can also start inside the secret's own text (`…hf_…`).
 */
function yieldToShapes(
  text: string,
  [start, end]: [number, number, string],
  shape: [number, number] | undefined,
  pos: (i: number) => number,
  endOf: (i: number) => number,
): [number, number] {
  const stop = endOf(end);
  const shapeAt = (i: number) => {
    GLUED_SHAPE.lastIndex = i;
    return GLUED_SHAPE.exec(text)?.[0].length ?? 0;
  };
  // Nothing to give back when a credential starts right after the run; else the fewest characters.
  if (shapeAt(stop) === 0) {
    for (let k = end - 1; k >= Math.max(start + 1, end - WINDOW + 1); k--) {
      if (pos(k) + shapeAt(pos(k)) > stop) {
        end = k;
        break;
      }
    }
  }
  if (shape && shape[0] < pos(start)) {
    for (let k = start + 1; k < Math.min(end, start + WINDOW); k++) {
      if (pos(k) >= shape[1]) {
        start = k;
        break;
      }
    }
  }
  return [start, end];
}

// ---------------------------------------------------------------------------------------------
// Secrets beyond keys: helper commands, custom header values, URL user-info, tokens in outside text

/** The words of a command before its program: `NAME=value` assignments (`VAULT_TOKEN=hvs.… vault read`). */
const ASSIGNMENT_WORD = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** An apiKeyHelper command as it may be shown: its program only, then "…" when anything follows. */
export function commandDisplay(command: string): string {
  const words = command.trim().split(/\s+/).filter(Boolean);
  const i = words.findIndex((w) => !ASSIGNMENT_WORD.test(w));
  const program = (words[i] ?? '').replace(/^["'`]+|["'`]+$/g, '');
  if (program === '' || CREDENTIAL_START.test(program)) return '(a command) …';
  return words.length > 1 ? `${program} …` : program;
}

/** The parts of a command that may be secret: every argument and assignment value, quotes and `Name:` off. */
function commandSecrets(command: string): string[] {
  const words = command.trim().split(/\s+/).filter(Boolean);
  const i = words.findIndex((w) => !ASSIGNMENT_WORD.test(w));
  const out = new Set<string>();
  const rest = words.slice(i + 1).join(' ');
  if (rest) out.add(rest);
  for (const w of [...words.slice(0, Math.max(i, 0)), ...words.slice(i + 1)]) {
    for (const piece of w.split(/["'`=]|:(?!\/\/)/)) if (piece.length >= WINDOW) out.add(piece);
  }
  return [...out];
}

/** Headers the API defines that carry no credential (a workspace id, beta flags, a version date). */
const PUBLIC_HEADERS = /^(?:anthropic-(?:workspace-id|beta|version)|content-type|accept|user-agent)$/i;

/** Header values of an ANTHROPIC_CUSTOM_HEADERS block (`Name: value` lines), those of public headers aside. */
function headerValues(block: string): string[] {
  const out: string[] = [];
  for (const line of block.split(/\r\n|\r|\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !PUBLIC_HEADERS.test(line.slice(0, colon).trim())) out.push(line.slice(colon + 1).trim());
  }
  return out;
}

const USER_INFO = /(?:[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\/|^)([^\s/?#@]+)@/g;

/** The user-info of every URL in `value` (and of a scheme-less `user:pass@host`), whole and its password. */
function userInfoSecrets(value: string): string[] {
  const out: string[] = [];
  for (const m of value.trim().matchAll(USER_INFO)) {
    const info = m[1]!;
    out.push(info);
    const colon = info.indexOf(':');
    if (colon >= 0) out.push(info.slice(colon + 1));
    try {
      out.push(decodeURIComponent(info));
      if (colon >= 0) out.push(decodeURIComponent(info.slice(colon + 1)));
    } catch {
      // not percent-encoded
    }
  }
  return out;
}

/** Known credential prefixes: a run starting with one is token-shaped whatever follows. */
const CREDENTIAL_START =
  /^(?:sk-|hv[sbr]\.|AKIA|ASIA|ABSK|AIza|gsk_|hf_|xai-|gh[pousr]_|github_pat_|eyJ[A-Za-z0-9_-]{4,})/;
/** Public identifiers of the API (request, message, workspace, key ids): shown, never secret. */
const PUBLIC_ID = /^(?:req|msg|wrkspc|apikey|toolu|srvtoolu|user|org|batch|file|compl)_[A-Za-z0-9_]+$/;
/** Characters of a token. "=" is left out: it separates a name from its value more often than it pads. */
const TOKEN_RUN = /[A-Za-z0-9_\-+/.~]+/g;

/** Vowels in a long run of one case: words have many (35-45 %), random letters few (about 20 %). */
function vowelRich(seg: string): boolean {
  return (seg.match(/[aeiouy]/gi)?.length ?? 0) >= seg.length / 4;
}

/** A piece between separators that reads as a word, an acronym, CamelCase or a number, not as random text. */
function wordish(seg: string): boolean {
  if (seg.length <= 2 || /^\d+$/.test(seg)) return true;
  if (!/^[A-Za-z]+$/.test(seg)) return false;
  if (/^(?:[a-z]+|[A-Z]+|[A-Z][a-z]+)$/.test(seg)) return seg.length < 10 || vowelRich(seg);
  // CamelCase (AuthenticationError, HTTPError, OAuth): every capital starts a word of 2+ letters.
  // A trailing acronym too (requestID); and its lowercase letters read as words: random letters
  // fall into this pattern often, but with few vowels.
  const lower = seg.replace(/[A-Z]/g, '');
  return (
    /^[A-Z]*[a-z]+(?:[A-Z]+[a-z]{2,})*[A-Z]{0,3}$/.test(seg) &&
    (lower.match(/[aeiou]/g)?.length ?? 0) >= lower.length / 4
  );
}

/** A short name-like piece with a number in it: x64, v1, arm64, utf8, sha256, i386. */
const SHORT_NAME = /^(?:[a-z]{1,5}\d{1,4}|\d{1,4}[a-z]{1,3}|[a-z]\d+[a-z]{1,3})$/i;

/**
 * Token-shaped: 8+ characters that are a known credential, or whose pieces (between - _ . / + ~)
 * hold random-looking text: one such piece of 6+ characters, or 12+ of them in all. Paths, package
 * names, model ids and dates are made of words, numbers and short names, and are left alone.
 */
function tokenShaped(run: string): boolean {
  if (run.length < WINDOW || PUBLIC_ID.test(run)) return false;
  if (CREDENTIAL_START.test(run)) return true;
  const random = run.split(/[-_./+~]+/).filter((p) => !wordish(p) && !SHORT_NAME.test(p));
  return random.some((p) => p.length >= 6) || random.join('').length >= 12;
}

/**
 * Token-shaped runs of outside text, each whole: invisible characters are removed first, and a
 * token broken by a space or a line break is joined with what follows (up to its fixed length,
 * else with a next piece long enough to hold a window).
 */
function outsideTokens(text: string): string[] {
  const visible = stripControl(text).replace(INVISIBLE_ALL, '');
  // Read twice: as shown, and with tabs, CRs and no-break spaces gone too (a key interleaved with
  // them every few characters is still one key; those never separate words of an error message).
  const out = new Set(tokensOf(visible));
  const closed = visible.replace(/[\t\r\u00a0]/g, '');
  if (closed !== visible) for (const t of tokensOf(closed)) out.add(t);
  return [...out];
}

function tokensOf(t: string): string[] {
  const runs = [...t.matchAll(TOKEN_RUN)].map((m) => ({ text: m[0].replace(/\.+$/, ''), at: m.index }));
  const out: string[] = [];
  let taken = -1; // runs up to this index are already part of a token
  const isBreak = (gap: string) => /^[ \t\r\n\u00a0\u2000-\u200a\u3000]{1,12}$/.test(gap) && !/\n[^\n]*\n/.test(gap);
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    const after = runs[i + 1];
    // A known prefix broken inside (`A\nKIA…`, `sk-ant-ap i03-…`) starts a token with what follows it.
    const prefixBroken =
      !tokenShaped(run.text) &&
      after !== undefined &&
      isBreak(t.slice(run.at + run.text.length, after.at)) &&
      CREDENTIAL_START.test(run.text + after.text);
    if (!prefixBroken && !tokenShaped(run.text)) continue;
    let token = run.text;
    let end = run.at + token.length;
    // Backwards too: a piece of 8+ characters just before the break is the start of the key.
    for (let k = i - 1; k > taken; k--) {
      const prev = runs[k]!;
      if (!isBreak(t.slice(prev.at + prev.text.length, runs[k + 1]!.at))) break;
      if (prev.text.length < WINDOW || PUBLIC_ID.test(prev.text)) break;
      token = prev.text + token;
    }
    const full = fixedLength(prefixBroken ? run.text + after.text : token);
    for (let j = i + 1; j < runs.length; j++) {
      const gap = t.slice(end, runs[j]!.at);
      if (!isBreak(gap)) break;
      const next = runs[j]!.text;
      // Past a fixed length the key is complete; otherwise a next piece of 8+ characters (all a
      // window needs) is taken as the rest of the key, a word included: safe over tidy.
      const join =
        (prefixBroken && j === i + 1) ||
        (full !== null ? token.length < full : next.length >= WINDOW && !PUBLIC_ID.test(next));
      if (!join) break;
      token += next;
      end = runs[j]!.at + next.length;
      i = j;
    }
    taken = i;
    out.push(token);
  }
  return out;
}

/**
 * The redaction context of what discovery found (cli-contract.md "Fingerprints and secrets"):
 * the apiKeyHelper command, ANTHROPIC_CUSTOM_HEADERS values, the user-info of every URL-valued
 * variable, and the pasted error as outside text. Keys themselves are the caller's `secrets`.
 */
export function discoveryContext(
  d: Pick<Discovery, 'env' | 'claudeSettingsEnv' | 'candidates' | 'apiKeyHelper'>,
  errorText: string | null,
): Required<Omit<RedactContext, 'home'>> {
  const values = [
    ...Object.entries(d.env),
    ...d.claudeSettingsEnv.flatMap((b) => Object.entries(b.env)),
    ...d.candidates.map((c) => [c.name, c.value] as const),
  ];
  return {
    secrets: [],
    commands: d.apiKeyHelper?.raw ? [d.apiKeyHelper.raw] : [],
    urls: values.map(([, v]) => v).filter((v) => v.includes('@')),
    headerBlocks: values.filter(([n]) => n === 'ANTHROPIC_CUSTOM_HEADERS').map(([, v]) => v),
    outside: errorText ? [errorText] : [],
  };
}

/** Everything the context makes secret, and what each is shown as. */
function entriesOf(ctx: RedactContext): Entry[] {
  const entries: Entry[] = ctx.secrets.map((value) => ({ value }));
  for (const c of ctx.commands ?? []) {
    entries.push({ value: c, shownAs: commandDisplay(c) });
    for (const value of commandSecrets(c)) entries.push({ value });
  }
  for (const b of ctx.headerBlocks ?? []) for (const value of headerValues(b)) entries.push({ value });
  for (const u of [...(ctx.urls ?? []), ...ctx.secrets])
    for (const value of userInfoSecrets(u)) entries.push({ value });
  for (const o of ctx.outside ?? []) for (const value of outsideTokens(o)) entries.push({ value });
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.value) && seen.add(e.value));
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
  const idx = indexSecrets(entriesOf(ctx));
  const home = homePattern(ctx.home);
  const pass = (input: string): string => {
    let out = stripControl(input);
    out = out.replace(URL_IN_TEXT, sanitizeUrlInText);
    if (idx.pattern) out = out.replace(idx.pattern, (m) => idx.replacement.get(m) ?? fingerprint(m));
    // Known secrets broken by whitespace or interleaved with invisible characters, each replaced whole.
    out = maskWindows(out, idx.squeezed, true);
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
    return maskWindows(maskWindows(out, idx.plain, false), idx.squeezed, true);
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
