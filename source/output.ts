// The CLI's own output helpers: one-line failures through the run's redactor, and the look
// (colour, Unicode) of this terminal. Small on purpose: cli.js loads it before anything else.
import { EXIT } from './core/exit.js';
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

/** One redacted line on stderr, then exit (2 unless told otherwise). Never a stack trace. */
export function fail(message: string, code: number = EXIT.usage): never {
  process.stderr.write(`${NAME}: ${redactOut(message).split('\n')[0]}\n`);
  process.exit(code);
}

/** The look of the text written to `out` (stdout unless said): colour and Unicode. */
export function look(o: Options, out: { isTTY?: boolean } = process.stdout): Look {
  const env = process.env;
  return {
    unicode: supportsUnicode(env, process.platform),
    color: colorWanted({ allowed: o.color, env, isTTY: !!out.isTTY }),
  };
}
