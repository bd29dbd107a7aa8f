// The CLI's own output helpers: the one-line failure text through the run's redactor, and the look
// (colour, Unicode) of this terminal. Small on purpose: cli.js loads it before anything else.
import { colorWanted, supportsUnicode, type Look } from './core/present.js';
import type { Options } from './core/types.js';

const NAME = 'claude-401-wizard';

/** Identity until a session exists; then the session's redactor (the one boundary). */
let redactOut: (s: string) => string = (s) => s;

export function setRedactor(r: (s: string) => string): void {
  redactOut = r;
}

export function redacted(s: string): string {
  return redactOut(s);
}

/** One redacted line for stderr, never a stack trace (the root prints it, then exits). */
export function errorLine(message: string): string {
  return `${NAME}: ${redactOut(message).split('\n')[0]}\n`;
}

/** The look of the text written to `out` (stdout unless said): colour and Unicode. */
export function look(o: Options, out: { isTTY?: boolean } = process.stdout): Look {
  const env = process.env;
  return {
    unicode: supportsUnicode(env, process.platform),
    color: colorWanted({ allowed: o.color, env, isTTY: !!out.isTTY }),
  };
}
