// `check` (and the wizard's fallback without a TTY): the machine run headless, its result
// printed as text or JSON, and the report saved if asked. One chunk, no React. Failures are
// thrown as CliError: cli.tsx alone prints them and exits.
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute } from 'node:path';
import { echoValue, type Command } from './core/args.js';
import { CliError, EXIT, exitCodeFor } from './core/exit.js';
import { renderText } from './core/present.js';
import { toJson, toMarkdown } from './core/report.js';
import { runMachine } from './headless.js';
import type { ObservePlan } from './observing.js';
import { setLongWorkingDir } from './io/fsread.js';
import { look, setRedactor } from './output.js';
import { createSession, type Session } from './session.js';

const MAX_ERROR_FILE = 1_000_000;
/** How often a FIFO's reader looks for its writer: the event loop stays free, so Ctrl-C always works. */
const FIFO_POLL_MS = 25;

export async function readErrorFile(file: string): Promise<string> {
  try {
    if (file === '-') {
      if (process.stdin.isTTY)
        throw new CliError(
          '--error-file - reads the error from stdin, but stdin is a terminal',
          'pipe it in or use --error',
        );
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of process.stdin) {
        size += (chunk as Buffer).length;
        if (size > MAX_ERROR_FILE) throw new CliError('--error-file -: input is over 1 MB');
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks).toString('utf8');
    }
    // Read at most 1 MB + 1 byte: /dev/zero or a huge log must not fill memory. Opened without
    // blocking: a FIFO nobody writes to must not hold a thread that Ctrl-C cannot stop.
    const handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    // The wizard has no Ctrl-C handler yet at this point: waiting for a writer is cancellable all the same.
    let interrupted = false;
    const cancel = () => {
      interrupted = true;
    };
    try {
      const fifo = (await handle.stat()).isFIFO();
      if (fifo) process.once('SIGINT', cancel);
      const buf = Buffer.alloc(MAX_ERROR_FILE + 1);
      let size = 0;
      // A pipe answers EAGAIN while its writer is there with nothing to say, 0 before a writer
      // came and after it left: only a 0 after the writer was seen is the end.
      let writerSeen = !fifo;
      for (;;) {
        const bytesRead = await handle.read(buf, size, buf.length - size, null).then(
          (r) => r.bytesRead,
          (e: NodeJS.ErrnoException) => (e.code === 'EAGAIN' ? -1 : Promise.reject(e)),
        );
        if (bytesRead === 0 && writerSeen) break;
        if (interrupted) throw new CliError('cancelled while waiting for --error-file', null, EXIT.cancelled);
        if (bytesRead <= 0) {
          writerSeen ||= bytesRead < 0;
          await new Promise((r) => setTimeout(r, FIFO_POLL_MS));
          continue;
        }
        writerSeen = true;
        size += bytesRead;
        if (size > MAX_ERROR_FILE) throw new CliError(`--error-file ${echoValue(file)}: file is over 1 MB`);
      }
      return buf.subarray(0, size).toString('utf8');
    } finally {
      process.off('SIGINT', cancel);
      await handle.close();
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (e as Error).message;
    throw new CliError(`cannot read --error-file ${echoValue(file)}: ${why}`);
  }
}

/**
 * The working directory, or $HOME with a note when it was deleted under us. One longer than
 * PATH_MAX (getcwd fails: ERANGE, ENAMETOOLONG) is still read: its name comes from $PWD, and files
 * below it are opened by relative path.
 */
export function workingDir(env: Record<string, string | undefined> = process.env): { cwd: string; notes: string[] } {
  try {
    return { cwd: process.cwd(), notes: [] };
  } catch (e) {
    const pwd = env.PWD;
    const code = (e as NodeJS.ErrnoException).code;
    if ((code === 'ENAMETOOLONG' || code === 'ERANGE') && pwd && isAbsolute(pwd) && !/(^|\/)\.\.?(\/|$)/.test(pwd)) {
      setLongWorkingDir(pwd);
      return { cwd: pwd, notes: [] };
    }
    return {
      cwd: homedir(),
      notes: [
        'The working directory does not exist (it was deleted): .env files and the project ' +
          'were looked for from ~ instead.',
      ],
    };
  }
}

/** --project must name a directory: a one-line usage error otherwise. */
export async function checkProject(dir: string | null): Promise<void> {
  if (dir === null) return;
  const st = await stat(dir).catch(() => null);
  if (!st) throw new CliError(`--project ${echoValue(dir)}: no such directory`);
  if (!st.isDirectory()) throw new CliError(`--project ${echoValue(dir)}: not a directory`);
}

/** --report FILE onto a directory (or into a missing one) is a usage error found before any check runs. */
export async function checkReport(file: string | null): Promise<void> {
  if (file === null || file === '-') return;
  const { reportTargetProblem } = await import('./io/save.js');
  const problem = await reportTargetProblem(file);
  if (problem) throw new CliError(`cannot write report to ${echoValue(file)}: ${problem}`);
}

export async function runCheck(
  cmd: Extract<Command, { kind: 'check' | 'wizard' | 'observe' }>,
  notice: string | null,
  /** Ctrl-C while a program is observed: it is stopped (its whole group) and the run ends with 130. */
  signal?: AbortSignal,
): Promise<number> {
  const o = cmd.options;
  if (notice) process.stderr.write(`${notice}\n`);
  await checkReport(o.report);
  const errorText = cmd.errorFile ? await readErrorFile(cmd.errorFile) : null;
  await checkProject(o.project);
  const { cwd, notes } = workingDir();
  const session = await createSession({
    options: o,
    env: process.env,
    cwd,
    home: homedir(),
    platform: process.platform,
    interactive: false,
    errorText,
    notes,
  });
  setRedactor(session.redact);
  if (cmd.kind === 'observe' || o.observeClients) {
    await observeFirst(cmd, session, cwd, signal);
    if (signal?.aborted) {
      session.close();
      return EXIT.cancelled;
    }
  }
  const { diagnosis } = await runMachine(session, {}, signal).finally(session.close);
  if (signal?.aborted) return EXIT.cancelled;
  // Human text goes to stderr beside --json or --report -; it is wrapped to that stream's width.
  // Rendered only when it is written (`--json` into a pipe shows none of it).
  const humanOut = o.json || o.report === '-' ? process.stderr : process.stdout;
  const human = (): string =>
    renderText(diagnosis, look(o, humanOut), {
      redact: session.redact,
      width: humanOut.isTTY ? (humanOut.columns ?? 80) : null,
    });
  if (o.json) {
    process.stdout.write(JSON.stringify(toJson(diagnosis, session.redact), null, 2) + '\n');
    if (process.stderr.isTTY) process.stderr.write(human());
  } else {
    humanOut.write(human());
  }
  if (o.report === '-') process.stdout.write(toMarkdown(diagnosis, session.redact));
  else if (o.report) {
    let saved: string;
    try {
      saved = await session.saveReport(o.report, diagnosis, { replace: true });
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    process.stderr.write(session.redact(`Report saved to ${saved}\n`));
  }
  return exitCodeFor(diagnosis.verdict);
}

/**
 * Runs the observed programs before the diagnosis: the user's command (`observe`) and, with
 * --observe-clients, the clients found installed. What they sent is added to the session; every
 * credential seen becomes a secret for the redactor before anything is printed.
 */
async function observeFirst(
  cmd: Extract<Command, { kind: 'check' | 'wizard' | 'observe' }>,
  session: Session,
  cwd: string,
  signal?: AbortSignal,
): Promise<void> {
  const { observeIntoSession, commandPlan, installedClientPlans } = await import('./observing.js');
  const o = cmd.options;
  const plans: ObservePlan[] = cmd.kind === 'observe' ? [{ ...commandPlan(cmd.argv), origin: 'command' }] : [];
  if (o.observeClients) {
    const installed = installedClientPlans({
      cwd: o.project ?? cwd,
      env: process.env,
      discovery: session.input.discovery,
      node: process.execPath,
    });
    plans.push(...installed.plans.map((p) => ({ ...p, origin: 'installed' as const })));
    session.input.discovery.notes.push(...installed.notes);
    if (installed.plans.length === 0)
      session.input.discovery.notes.push('--observe-clients: no installed client was found to observe.');
  }
  const say = (line: string): void => {
    if (!o.json || process.stderr.isTTY) process.stderr.write(session.redact(line) + '\n');
  };
  if (cmd.kind === 'observe')
    say(
      'A program that ignores both ANTHROPIC_BASE_URL and the proxy variables reaches the network as it does ' +
        'whenever you run it.',
    );
  await observeIntoSession(session, {
    plans,
    env: process.env,
    cwd: o.project ?? cwd,
    timeoutSeconds: o.observeTimeoutSeconds,
    interactive: cmd.kind === 'observe' && !!process.stdin.isTTY,
    ...(signal ? { signal } : {}),
    onProgress: say,
  });
}
