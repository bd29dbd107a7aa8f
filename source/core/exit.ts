// The exit-code table (cli-contract.md "Exit codes") and the one error type that maps to it.
// Every exit goes through here; only cli.tsx exits.
import type { Verdict } from './types.js';

export const EXIT = {
  ok: 0,
  problem: 1,
  usage: 2,
  inconclusive: 3,
  cancelled: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeFor(verdict: Verdict): ExitCode {
  switch (verdict) {
    case 'ok':
      return EXIT.ok;
    case 'problem':
      return EXIT.problem;
    case 'inconclusive':
      return EXIT.inconclusive;
    default: {
      const never: never = verdict;
      return never;
    }
  }
}

/**
 * A failure the program reports as one line and an exit code. Helpers throw it; only the root
 * (cli.tsx) prints it and exits. `tryThis` says what to do instead, on the same line.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly tryThis: string | null = null,
    readonly code: ExitCode = EXIT.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }

  /** The one line shown: what went wrong; what to try. */
  get line(): string {
    return this.tryThis ? `${this.message}; ${this.tryThis}` : this.message;
  }
}
