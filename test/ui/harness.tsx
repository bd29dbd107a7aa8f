// Test pieces for the wizard: a Session over hand-made discovery whose effects are real (probes
// go through io/probe.ts to a running emulator; waits really sleep and honour Esc), and a
// terminal harness that runs runWizard on fake TTY streams read back through @xterm/headless.
import { EventEmitter } from 'node:events';
import { Terminal } from '@xterm/headless';
import { afterEach } from 'vitest';
import { defaultOptions } from '../../source/core/args.js';
import type { AdminOutcome, Event, MachineInput, Pending } from '../../source/core/machine.js';
import { createRedactor } from '../../source/core/redact.js';
import type { Candidate, Discovery, Options } from '../../source/core/types.js';
import { startEmulator, type Emulator, type EmulatorConfig } from '../../source/emulator/index.js';
import { adminLookup } from '../../source/io/admin.js';
import { runProbe } from '../../source/io/probe.js';
import { reportMethods, sleep, type Session } from '../../source/session.js';
import { discovery as baseDiscovery, envCandidate, ENVIRONMENT } from '../helpers/discovery.js';

export const HOME = '/home/tester';
export const CWD = '/home/tester/project';

const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

export async function emulator(config: EmulatorConfig): Promise<Emulator> {
  const e = await startEmulator(config);
  emulators.push(e);
  return e;
}

export { envCandidate };

export function discovery(candidates: Candidate[]): Discovery {
  return baseDiscovery({ cwd: CWD, home: HOME, candidates });
}

export { ENVIRONMENT };

export interface FakeSession extends Session {
  /** Every secret added during the run, in order, with the number of effects run before it. */
  added: { value: string; effectsBefore: number }[];
  /** Each wait the App started: whether its signal was aborted when it ended. */
  waits: { aborted: boolean }[];
  effects: Pending[];
}

/**
 * A Session like createSession's, over hand-made discovery: probes are real requests to the
 * emulator, waits really sleep `waitMs` (aborted by the App's signal), Admin look-ups are real.
 */
export function fakeSession(p: {
  apiUrl: string;
  candidates: Candidate[];
  options?: Partial<Options>;
  waitMs?: number;
  adminKey?: string | null;
}): FakeSession {
  const options: Options = { ...defaultOptions(), apiUrl: p.apiUrl, timeoutMs: 5000, ...p.options };
  const input: MachineInput = {
    options,
    discovery: discovery(p.candidates),
    environment: ENVIRONMENT,
    nowMs: Date.now(),
    interactive: true,
    adminKey: p.adminKey ?? null,
  };
  const secrets = new Set(p.candidates.map((c) => c.value).filter(Boolean));
  if (p.adminKey) secrets.add(p.adminKey);
  const outside: string[] = [];
  let redactor = createRedactor({ secrets: [...secrets], home: HOME });
  const session: FakeSession = {
    input,
    added: [],
    waits: [],
    effects: [],
    redact: (t) => redactor(t),
    addSecret: (v) => {
      session.added.push({ value: v, effectsBefore: session.effects.length });
      secrets.add(v);
      redactor = createRedactor({ secrets: [...secrets], home: HOME, outside });
    },
    addOutside: (t) => {
      outside.push(t);
      redactor = createRedactor({ secrets: [...secrets], home: HOME, outside });
    },
    now: Date.now,
    // runProbe below uses a pool per request (httpTransport), closed after each answer.
    close: () => {},
    // The App never prefetches (wizard.ts does, before the App starts).
    prefetch: () => {},
    ...reportMethods((t) => redactor(t), Date.now),
    run: async (pending, signal, onWaitPlanned): Promise<Event | null> => {
      session.effects.push(pending);
      switch (pending.type) {
        case 'probe':
          return {
            type: 'probeFinished',
            result: await runProbe(pending.request, { timeoutMs: options.timeoutMs, retries: 0 }, { env: {} }),
          };
        case 'wait': {
          const t0 = Date.now();
          onWaitPlanned?.(p.waitMs ?? 50);
          await sleep(p.waitMs ?? 50, signal);
          session.waits.push({ aborted: !!signal?.aborted });
          return { type: 'waitTick', elapsedMs: Date.now() - t0 };
        }
        case 'admin': {
          const outcome: AdminOutcome = await adminLookup(pending.request, { timeoutMs: options.timeoutMs, env: {} });
          return { type: 'adminFinished', outcome };
        }
        default:
          return null;
      }
    },
  };
  return session;
}

export const KEYS = {
  enter: '\r',
  down: '\u001B[B',
  up: '\u001B[A',
  esc: '\u001B',
  ctrlC: '\u0003',
  ctrlD: '\u0004',
  backspace: '\u007F',
};

export const sleep_ = (ms: number) => new Promise((r) => setTimeout(r, ms));
const immediate = () => new Promise((r) => setImmediate(r));

/**
 * Lets the UI settle before the next key. ink-select-input and ink-text-input re-subscribe their
 * key handler in a React passive effect after each render, which React runs from setImmediate;
 * a key written from a timer before that reaches the previous handler (on a loaded host the
 * timer and the immediate fall due together, and timers run first). Waiting for an immediate
 * after the sleep puts our key behind React's flush.
 */
export async function tick(ms = 20): Promise<void> {
  await sleep_(ms);
  await immediate();
  await immediate();
}

/** Writes a key to an ink-testing-library stdin, waits for the render it causes, then settles. */
export async function send(r: { stdin: { write: (d: string) => void }; frames: string[] }, key: string): Promise<void> {
  const before = r.frames.length;
  r.stdin.write(key);
  const end = Date.now() + 1000;
  while (r.frames.length === before && Date.now() < end) await sleep_(5);
  await tick();
}

/** Polls `probe` until it returns something truthy; fails with the last frame after `ms`. */
export async function until<T>(
  probe: () => T | undefined | null | false,
  describe: () => string,
  ms = 10_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out; last screen:\n${describe()}`);
    await tick(15);
  }
}

// ---------------------------------------------------------------------------------------------
// A fake TTY pair for runWizard, its output rendered by a headless xterm.

export class FakeStdin extends EventEmitter {
  isTTY = true;
  rawModes: boolean[] = [];
  private chunks: string[] = [];
  setRawMode(v: boolean) {
    this.rawModes.push(v);
    return this;
  }
  setEncoding() {
    return this;
  }
  ref() {
    return this;
  }
  unref() {
    return this;
  }
  resume() {
    return this;
  }
  pause() {
    return this;
  }
  read(): string | null {
    return this.chunks.shift() ?? null;
  }
  write(data: string) {
    this.chunks.push(data);
    this.emit('readable');
  }
}

export class FakeTerminal {
  readonly term: Terminal;
  readonly stdin = new FakeStdin();
  readonly stdout: EventEmitter & { columns: number; rows: number; isTTY: true; write: (d: string) => boolean };
  raw = '';
  private pendingWrites: Promise<void> = Promise.resolve();

  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {
    // convertEol: a PTY turns \n into \r\n (ONLCR); Ink relies on it.
    this.term = new Terminal({ cols, rows, scrollback: 5000, allowProposedApi: true, convertEol: true });
    this.stdout = Object.assign(new EventEmitter(), {
      columns: cols,
      rows,
      isTTY: true as const,
      write: (data: string) => {
        this.raw += data;
        this.pendingWrites = this.pendingWrites.then(() => new Promise<void>((r) => this.term.write(data, r)));
        return true;
      },
    });
  }

  async flush(): Promise<void> {
    let last: Promise<void>;
    do {
      last = this.pendingWrites;
      await last;
    } while (last !== this.pendingWrites);
  }

  /** Lines of the whole buffer (scrollback and screen), right-trimmed. */
  lines(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < b.length; i++) out.push(b.getLine(i)?.translateToString(true) ?? '');
    while (out.length && out[out.length - 1] === '') out.pop();
    return out;
  }

  /** The visible screen only. */
  screen(): string {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let i = b.viewportY; i < b.viewportY + this.rows; i++) out.push(b.getLine(i)?.translateToString(true) ?? '');
    return out.join('\n');
  }

  text(): string {
    return this.lines().join('\n');
  }

  press(keys: string): void {
    this.stdin.write(keys);
  }

  dispose(): void {
    this.term.dispose();
  }
}
