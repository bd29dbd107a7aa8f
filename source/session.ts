// What both drivers share: building the machine's input from the real machine (or a demo
// sandbox), the one redactor for this run, running the machine's pending effects, and saving
// the report (the UI asks the session; it never writes files itself).
import { createRedactor, discoveryContext } from './core/redact.js';
import type { AdminOutcome, Event, MachineInput, Pending } from './core/machine.js';
import type { Diagnosis, Discovery, Options, ProbeRequest, ProbeResult } from './core/types.js';
import { discover } from './io/discover.js';
import { collectEnvironment } from './io/environment.js';
import { openConnections, runProbe, type Transport } from './io/probe.js';
import {
  cleanupPendingReports,
  defaultReportName,
  resolveReportPath,
  saveReport,
  type SaveOptions,
} from './io/save.js';
import { toMarkdown } from './core/report.js';
import { VERSION } from './version.js';

export interface SessionInput {
  options: Options;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  platform: NodeJS.Platform;
  interactive: boolean;
  now?: () => number;
  /** Text of --error-file, already read by the CLI. */
  errorText?: string | null;
  /** For the demo sandbox: the managed-settings path to read instead of the system one. */
  managedSettingsPath?: string;
  /** Skip git look-ups (demo sandbox). */
  git?: boolean;
  /** Notes the caller already has (a deleted working directory). */
  notes?: string[];
  /** The home directory written as ~ in output (the demo's sandbox is not the person's home). */
  displayHome?: string;
}

export interface Session {
  input: MachineInput;
  /** THE redaction function for everything this run prints, saves or shows. */
  redact: (text: string) => string;
  /** Adds a secret learned during the run (a pasted key), so it is redacted from then on. */
  addSecret: (value: string) => void;
  /** Adds text from outside learned during the run (a pasted error): its token-shaped runs are secrets from then on. */
  addOutside: (text: string) => void;
  /** Runs a probe, wait or Admin look-up; `onWaitPlanned` hears the exact delay a wait chose. */
  run: (pending: Pending, signal?: AbortSignal, onWaitPlanned?: (ms: number) => void) => Promise<Event | null>;
  now: () => number;
  /** Ends the run's kept-alive connections (when the diagnosis ends), so the process exits at once. */
  close: () => void;
  /**
   * Sends these probes now, before the machine asks for them (the wizard, while its first
   * questions are on screen). When the machine asks for the very same request, it gets that
   * answer instead of a second request; an answer older than PREFETCH_MAX_AGE_MS is not used.
   */
  prefetch: (requests: ProbeRequest[]) => void;
  /** Writes the diagnosis as a Markdown report (redacted, atomic, 0600) to `path`; resolves to the path. */
  /** `replace`: --report FILE, replaced atomically; otherwise an existing file is refused. */
  saveReport: (path: string, diagnosis: Diagnosis, o?: SaveOptions) => Promise<string>;
  /** Removes report files still being written (Ctrl-C, a hang-up). Synchronous: safe in signal handlers. */
  discardPendingReports: () => void;
  /** The default report file name for now (local time). */
  defaultReportName: () => string;
  /** The file a typed report path names (~, folders get the default name; a missing folder is an error). */
  resolveReportPath: (typed: string, at: { cwd: string; home: string; defaultName: string }) => Promise<string>;
}

/** How long a prefetched answer stands in for a fresh one. */
export const PREFETCH_MAX_AGE_MS = 30_000;

export async function createSession(si: SessionInput): Promise<Session> {
  const now = si.now ?? Date.now;
  const o = si.options;
  const cwd = o.project ?? si.cwd;
  const [discovery, environment] = await Promise.all([
    discover({
      env: si.env,
      cwd,
      home: si.home,
      platform: si.platform,
      keyEnv: o.keyEnv,
      git: si.git ?? true,
      ...(si.managedSettingsPath ? { managedSettingsPath: si.managedSettingsPath } : {}),
    }),
    collectEnvironment({
      env: si.env,
      toolVersion: VERSION,
      platform: si.platform,
      full: si.interactive || o.report !== null,
    }),
  ]);
  discovery.notes.unshift(...(si.notes ?? []));
  if (!(await isDirectory(si.home)))
    discovery.notes.push(
      `The home directory (${si.home}) does not exist: no shell start-up files or Claude Code user settings were read.`,
    );
  const adminKey = o.adminKeyEnv ? (si.env[o.adminKeyEnv] ?? '').trim() || null : null;
  // The Admin key's variable is read for the workspace step only: it is not a client credential.
  if (o.adminKeyEnv)
    discovery.candidates = discovery.candidates.filter(
      (c) => !(c.name === o.adminKeyEnv && (c.origin === 'env' || c.origin === 'key-env')),
    );
  const secrets = new Set<string>(discovery.candidates.map((c) => c.value).filter((v) => v.length > 0));
  if (adminKey) secrets.add(adminKey);
  const home = si.displayHome ?? si.home;
  const options = si.errorText != null ? { ...o, errorText: si.errorText } : o;
  // Secrets beyond keys: the helper command, custom header values, URL user-info, and every
  // token-shaped run of outside text (the pasted error now, server answers as they come).
  const context = discoveryContext(discovery, options.errorText);
  const rebuild = () => createRedactor({ ...context, secrets: [...secrets], home });
  let redactor = rebuild();
  const input: MachineInput = { options, discovery, environment, nowMs: now(), interactive: si.interactive, adminKey };
  if (o.adminKeyEnv && !adminKey)
    discovery.notes.push(`--admin-key-env ${o.adminKeyEnv}: that variable is not set or empty`);

  // One pool of kept-alive connections for the whole run (loaded on the first request).
  const connections = openConnections();
  // Prefetched answers by request (each used once), with when they were asked for.
  const prefetched = new Map<string, { at: number; result: Promise<ProbeResult> }>();
  const sameAs = (r: ProbeRequest) => JSON.stringify([r.method, r.url, r.headers, r.body ?? null]);
  const transport = connections.transport;
  const probeOnce = (request: ProbeRequest): Promise<ProbeResult> => {
    const key = sameAs(request);
    const early = prefetched.get(key);
    prefetched.delete(key);
    if (early && now() - early.at <= PREFETCH_MAX_AGE_MS) return early.result;
    return runProbe(request, { timeoutMs: o.timeoutMs }, { env: si.env, transport });
  };
  const addSecret = (value: string): void => {
    if (!value || secrets.has(value)) return;
    secrets.add(value);
    redactor = rebuild();
  };
  const addOutside = (text: string): void => {
    if (!text || context.outside.includes(text)) return;
    context.outside.push(text);
    redactor = rebuild();
  };
  return {
    input,
    close: connections.close,
    prefetch: (requests) => {
      for (const request of requests) {
        const key = sameAs(request);
        if (prefetched.has(key)) continue;
        prefetched.set(key, {
          at: now(),
          result: runProbe(request, { timeoutMs: o.timeoutMs }, { env: si.env, transport }),
        });
      }
    },
    redact: (text) => redactor(text),
    addSecret,
    addOutside,
    now,
    run: async (pending, signal, onWaitPlanned) => {
      if (pending.type === 'observe')
        return observeEffect(pending, {
          env: si.env,
          cwd,
          options: o,
          discovery,
          addSecret,
          addOutside,
          ...(signal ? { signal } : {}),
        });
      const event = await runEffect(pending, options, si.env, transport, probeOnce, signal, onWaitPlanned);
      const served = event ? servedText(event) : [];
      if (served.length > 0) {
        context.outside.push(...served);
        redactor = rebuild();
      }
      return event;
    },
    ...reportMethods((text) => redactor(text), now),
  };
}

/** The session's report methods over a redactor and a clock (shared with the tests' fake session). */
export function reportMethods(
  redact: (text: string) => string,
  now: () => number,
): Pick<Session, 'saveReport' | 'discardPendingReports' | 'defaultReportName' | 'resolveReportPath'> {
  return {
    saveReport: async (path, diagnosis, o = {}) => (await saveReport(path, toMarkdown(diagnosis, redact), o)).path,
    discardPendingReports: cleanupPendingReports,
    defaultReportName: () => defaultReportName(new Date(now())),
    resolveReportPath,
  };
}

/**
 * Starts what `pending` asks for: one promise per outcome. A batch of probes runs all at once and
 * gives one event per probe, tagged with its id, for the machine to reduce in whatever order
 * they arrive; anything else is the one effect session.run runs.
 */
export function startEffects(
  session: Pick<Session, 'run'>,
  pending: Pending,
  signal?: AbortSignal,
  onWaitPlanned?: (ms: number) => void,
): Promise<Event | null>[] {
  if (pending.type !== 'probes') return [session.run(pending, signal, onWaitPlanned)];
  return pending.probes.map(({ id, ...job }) =>
    session.run({ type: 'probe', ...job }, signal).then((e) => (e?.type === 'probeFinished' ? { ...e, id } : e)),
  );
}

/** What a server said, in its own words: outside text whose token-shaped runs are secrets. */
export function servedText(event: Event): string[] {
  const probes =
    event.type === 'probeFinished'
      ? [event.result]
      : event.type === 'adminFinished'
        ? (event.outcome.probes ?? [])
        : [];
  return probes.flatMap((p) => [p.errorMessage ?? '', p.bodySnippet, p.network?.message ?? '']).filter(Boolean);
}

/** Delay before the next activation poll: exponential from 2 s, capped at 15 s, ±20 % jitter. */
export function activationDelayMs(attempt: number, remainingMs: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 2000 * 1.5 ** Math.max(0, attempt - 1));
  const jittered = base * (0.8 + 0.4 * random());
  return Math.max(0, Math.min(remainingMs, Math.round(jittered)));
}

async function runEffect(
  pending: Pending,
  o: Options,
  env: Record<string, string | undefined>,
  transport: Transport,
  probe: (request: ProbeRequest) => Promise<ProbeResult>,
  signal?: AbortSignal,
  onWaitPlanned?: (ms: number) => void,
): Promise<Event | null> {
  switch (pending.type) {
    case 'probe':
      return { type: 'probeFinished', result: await probe(pending.request) };
    case 'wait': {
      const ms = activationDelayMs(pending.attempt, pending.budgetMs - pending.elapsedMs);
      onWaitPlanned?.(ms);
      const started = Date.now();
      await sleep(ms, signal);
      return { type: 'waitTick', elapsedMs: Date.now() - started };
    }
    case 'admin': {
      const { adminLookup } = await import('./io/admin.js');
      const outcome: AdminOutcome = await adminLookup(pending.request, { timeoutMs: o.timeoutMs, env }, { transport });
      return { type: 'adminFinished', outcome };
    }
    case 'probes': // startEffects splits a batch into probes
    case 'question':
    case 'observe': // the session runs it (observeEffect): it needs the redactor
    case 'done':
      return null;
    default: {
      const never: never = pending;
      return never;
    }
  }
}

/** Runs the programs the wizard agreed to watch; every credential they send becomes a secret first. */
async function observeEffect(
  pending: Extract<Pending, { type: 'observe' }>,
  p: {
    env: Record<string, string | undefined>;
    cwd: string;
    options: Options;
    discovery: Discovery;
    addSecret: (value: string) => void;
    addOutside: (text: string) => void;
    signal?: AbortSignal;
  },
): Promise<Event> {
  const { commandPlan, installedClientPlans, learnSecrets, runObservations, splitCommand } =
    await import('./observing.js');
  const plans = pending.installed
    ? installedClientPlans({ cwd: p.cwd, env: p.env, discovery: p.discovery, node: process.execPath }).plans.map(
        (x) => ({ ...x, origin: 'installed' as const }),
      )
    : [{ ...commandPlan(splitCommand(pending.command ?? '')), origin: 'command' as const }];
  const observations = await runObservations({
    plans: plans.filter((x) => x.argv.length > 0),
    env: p.env,
    cwd: p.cwd,
    timeoutSeconds: p.options.observeTimeoutSeconds,
    // The wizard holds the terminal: the program gets no stdin.
    interactive: false,
    ...(p.signal ? { signal: p.signal } : {}),
  });
  learnSecrets(observations, p.discovery, p);
  return { type: 'observed', observations };
}

async function isDirectory(path: string): Promise<boolean> {
  const { stat } = await import('node:fs/promises');
  return stat(path).then(
    (st) => st.isDirectory(),
    () => false,
  );
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export type { Diagnosis };
