// Pure presentation helpers of the wizard: how an answer, a paste or a duration reads on screen,
// and the small line editor behind the multi-line paste field. No diagnosis logic: what an
// answer *means* is the machine's business; this only decides how it looks.
import { fingerprint } from '../core/credential.js';
import { UNKNOWN, type Question } from '../core/machine.js';

/** Shown instead of a secret while it is typed: fixed, whatever the length (never reveals it). */
export const SECRET_MASK = { unicode: '••••••••', ascii: '********' } as const;

/** How many lines of a pasted error are shown back (the whole text still goes to the machine). */
export const PREVIEW_LINES = 4;
const PREVIEW_LINE_CHARS = 160;

/** The answer as one short, redacted line. Secrets become their fingerprint. */
export function answerText(q: Question, value: string | undefined, redact: (text: string) => string): string {
  if (value === undefined) return '';
  const choice = q.choices?.find((c) => c.value === value);
  if (choice) return redact(choice.label);
  if (value === UNKNOWN || value.trim() === '') return 'skipped';
  switch (q.input) {
    case 'secret':
      return redact(fingerprint(value));
    case 'multiline': {
      // Redact before cutting: a cut could split a secret so the redactor misses the rest.
      const lines = redact(value)
        .split('\n')
        .filter((l) => l.trim() !== '');
      const first = lines[0]?.trim() ?? '';
      const head = first.length > 60 ? `${first.slice(0, 60)}…` : first;
      return lines.length > 1 ? `${head} (+${lines.length - 1} more lines)` : head;
    }
    case 'select':
    case 'text':
      return redact(value);
    default: {
      const never: never = q.input;
      return never;
    }
  }
}

/**
 * The first lines of a (redacted) text, each cut short, and how many lines were left out.
 * Redact BEFORE calling: cutting first could split a secret so the redactor misses the rest.
 */
export function preview(redacted: string, maxLines = PREVIEW_LINES): { lines: string[]; more: number } {
  const all = redacted.split('\n');
  while (all.length > 0 && all[all.length - 1]!.trim() === '') all.pop();
  const lines = all
    .slice(0, maxLines)
    .map((l) => (l.length > PREVIEW_LINE_CHARS ? `${l.slice(0, PREVIEW_LINE_CHARS)}…` : l));
  return { lines, more: Math.max(0, all.length - maxLines) };
}

/** `1:05`, `0:09`. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// The multi-line paste field. Ink 6 has no bracketed paste: a paste arrives as one or more
// chunks that contain `\r` or `\n`; a key press arrives alone. So a line break inside a chunk
// is text, and only Enter pressed on its own (on an empty line) finishes the field.

export interface Multiline {
  lines: string[];
  current: string;
  /** The last chunk ended in `\r`: a `\n` starting the next chunk is the rest of a CRLF. */
  afterCr: boolean;
}

export type MultilineKey = {
  ctrl: boolean;
  meta: boolean;
  return: boolean;
  backspace: boolean;
  delete: boolean;
  escape: boolean;
  tab: boolean;
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
};

/** A key event with no modifier or special key: plain typed text. */
export const NO_KEY: MultilineKey = {
  ctrl: false,
  meta: false,
  return: false,
  backspace: false,
  delete: false,
  escape: false,
  tab: false,
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
};

export type MultilineResult = { state: Multiline } | { submit: string } | { skip: true };

export const EMPTY_MULTILINE: Multiline = { lines: [], current: '', afterCr: false };

export function multilineText(s: Multiline): string {
  return [...s.lines, s.current].join('\n').replace(/\n+$/, '');
}

export function editMultiline(s: Multiline, input: string, key: MultilineKey): MultilineResult {
  const finish = (): MultilineResult => {
    const text = multilineText(s);
    return text.trim() === '' ? { skip: true } : { submit: text };
  };
  if (key.ctrl && input === 'd') return finish();
  if (key.ctrl || key.escape || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow)
    return { state: s };
  // Enter alone (a terminal sends \r; Ctrl-J sends \n).
  if (key.return || input === '\n') {
    if (input === '\n' && s.afterCr) return { state: { ...s, afterCr: false } };
    if (s.current === '') return s.lines.length === 0 ? { skip: true } : finish();
    return { state: { lines: [...s.lines, s.current], current: '', afterCr: false } };
  }
  if (key.backspace || key.delete) {
    if (s.current !== '') return { state: { ...s, current: [...s.current].slice(0, -1).join(''), afterCr: false } };
    const lines = s.lines.slice(0, -1);
    return { state: { lines, current: s.lines[s.lines.length - 1] ?? '', afterCr: false } };
  }
  if (input === '') return { state: s };
  let text = input;
  if (s.afterCr && text.startsWith('\n')) text = text.slice(1);
  const parts = text.replace(/\r\n?/g, '\n').split('\n');
  const lines = [...s.lines];
  let current = s.current + parts[0]!;
  for (const part of parts.slice(1)) {
    lines.push(current);
    current = part;
  }
  return { state: { lines, current, afterCr: input.endsWith('\r') } };
}

/** One activation attempt: status (or the network error) and message, then the request-id. */
export function attemptLine(r: {
  status: number | null;
  errorMessage: string | null;
  requestId: string | null;
  network: { kind: string } | null;
}): string {
  const what =
    r.status === null
      ? `no answer (${r.network?.kind ?? 'network'})`
      : r.status === 200
        ? '200 accepted'
        : `${r.status} ${r.errorMessage ?? ''}`.trim();
  return r.requestId ? `${what} · request-id ${r.requestId}` : what;
}

/** For a terminal that cannot show Unicode (one list of twins, in core/present.ts). */
export { toAscii } from '../core/present.js';
