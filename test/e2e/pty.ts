// Runs the built CLI in a real pseudo-terminal and reads what a person would see from a headless
// xterm fed with the PTY's output.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, type IPty } from '@lydell/node-pty';
import { Terminal } from '@xterm/headless';
import { hostPath } from '../helpers/cli.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

export function requireBuild(): void {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does it before vitest)`);
}

export interface Run {
  pid: number;
  /** Every byte the program wrote to the terminal. */
  raw(): string;
  /** The visible screen (rows × cols), lines right-trimmed. */
  screen(): string;
  /** Scrollback and screen. */
  all(): string;
  write(keys: string): void;
  resize(cols: number, rows: number): void;
  /** Closes the terminal's master side, as when the window or the SSH connection goes away. */
  hangUp(): void;
  exited: Promise<{ exitCode: number; signal?: number }>;
  kill(): void;
}

export interface PtyOptions {
  cwd: string;
  home: string;
  cols?: number;
  rows?: number;
  /** Added to PATH, HOME, CI=false, LANG=C.UTF-8 and (unless `term: null`) TERM. */
  env?: Record<string, string>;
  /** TERM for the program; null leaves TERM unset. Default xterm-256color. */
  term?: string | null;
  /** Run this file with these args instead of `node dist/cli.js args`. */
  command?: { file: string; args: string[] };
}

/** `node dist/cli.js ...args` in a real PTY, with a small explicit environment (no host key can leak in). */
export function runCli(args: string[], o: PtyOptions): Run {
  let rows = o.rows ?? 24;
  const term = new Terminal({ cols: o.cols ?? 80, rows, scrollback: 5000, allowProposedApi: true });
  const env: Record<string, string> = {
    PATH: hostPath(),
    HOME: o.home,
    CI: 'false',
    LANG: 'C.UTF-8',
    ...o.env,
  };
  const t = o.term === undefined ? 'xterm-256color' : o.term;
  if (t !== null) env.TERM = t;
  const cmd = o.command ?? { file: process.execPath, args: [CLI, ...args] };
  const pty: IPty = spawn(cmd.file, cmd.args, { name: t ?? 'xterm', cols: o.cols ?? 80, rows, cwd: o.cwd, env });
  let raw = '';
  let lastData = Date.now();
  pty.onData((d) => {
    raw += d;
    lastData = Date.now();
    term.write(d);
  });
  // node-pty may report the exit before the last chunk of output is read: wait until the output has been
  // quiet for 50 ms (at most 1 s) so that what the program printed last is in `raw` when `exited` resolves.
  const exited = new Promise<{ exitCode: number; signal?: number }>((resolve) =>
    pty.onExit((e) => {
      const since = Date.now();
      const drained = () =>
        Date.now() - lastData >= 50 || Date.now() - since >= 1000 ? resolve(e) : setTimeout(drained, 20);
      drained();
    }),
  );
  const lines = (from: number, to: number) => {
    const b = term.buffer.active;
    const out: string[] = [];
    for (let i = from; i < to; i++) out.push(b.getLine(i)?.translateToString(true) ?? '');
    return out;
  };
  return {
    pid: pty.pid,
    raw: () => raw,
    screen: () => lines(term.buffer.active.viewportY, term.buffer.active.viewportY + rows).join('\n'),
    all: () => lines(0, term.buffer.active.length).join('\n').replace(/\n+$/, ''),
    write: (k) => pty.write(k),
    resize: (c, r) => {
      rows = r;
      pty.resize(c, r);
      term.resize(c, r);
    },
    hangUp: () => (pty as unknown as { destroy(): void }).destroy(),
    exited,
    kill: () => {
      try {
        pty.kill('SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

export const tick = (ms = 60) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(
  probe: () => T | undefined | null | false,
  describe: () => string,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out; screen:\n${describe()}`);
    await tick(25);
  }
}

export const KEYS = { enter: '\r', down: '\u001B[B', up: '\u001B[A', esc: '\u001B', ctrlC: '\u0003' };

/** The key hints the wizard prints under a question: one of them on screen = a question waits. */
const QUESTION_READY =
  /(↑↓ and Enter ·|Arrows and Enter ·|Enter submits|an empty line finishes|Not shown while you type|Enter saves)/;

const TEXT_LIKE = /(Enter submits|an empty line finishes|Not shown while you type)/;

/** Screen lines that are not echoes of earlier answers (`  › prompt answer`). */
function liveLines(screen: string): string[] {
  return screen.split('\n').filter((l) => !l.trimStart().startsWith('›'));
}

/**
 * Answers the wizard's questions from `answers` (prompt fragment → keys) until `done()`. The
 * lowest prompt on screen is the one asked; an optional text question not in the table is
 * skipped with Enter; a choice not in the table fails the test with the screen.
 */
export async function answerAll(run: Run, answers: [string, string[]][], done: () => boolean): Promise<void> {
  let last: string | null = null;
  for (;;) {
    const ready = await until(
      () => {
        if (done()) return 'done';
        const live = liveLines(run.screen());
        if (last && !live.some((l) => l.includes(last!))) last = null;
        if (!live.some((l) => QUESTION_READY.test(l))) return null;
        // The question asked now is the lowest prompt on screen.
        let hit: [string, string[]] | undefined;
        for (let i = live.length - 1; i >= 0 && !hit; i--) hit = answers.find(([prompt]) => live[i]!.includes(prompt));
        // Wait until the previous question has left the screen.
        if (hit) return hit[0] === last ? null : hit;
        // An optional text question nobody listed is skipped; an unlisted choice fails the test.
        return live.some((l) => TEXT_LIKE.test(l))
          ? (['(unlisted text question)', [KEYS.enter]] as [string, string[]])
          : 'unknown';
      },
      run.screen,
      25_000,
    );
    if (ready === 'done') return;
    if (ready === 'unknown') throw new Error(`a question this test does not expect:\n${run.screen()}`);
    const [prompt, keys] = ready;
    await tick();
    for (const k of keys) {
      // One key per read: wait for the frame it causes before the next (two keys in one read
      // would reach a handler React has not re-subscribed yet).
      const before = run.raw().length;
      run.write(k);
      const deadline = Date.now() + 2000;
      while (run.raw().length === before && Date.now() < deadline) await tick(10);
      await tick();
    }
    last = prompt;
  }
}

/** No credential in the stream: `sk-ant-` followed by 8 or more key characters. */
export const SECRET_IN_STREAM = /sk-ant-[a-z]{2,8}\d{0,3}-[A-Za-z0-9_-]{8,}/;
