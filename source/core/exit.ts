// The exit-code table (cli-contract.md "Exit codes"). Every exit goes through here.
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
