// `check` (and the wizard's fallback without a TTY): the machine run headless, its result
// printed as text or JSON, and the report saved if asked. One chunk, no React.
import { open, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import type { Command } from './core/args.js';
import { exitCodeFor } from './core/exit.js';
import { renderText } from './core/present.js';
import { toJson, toMarkdown } from './core/report.js';
import { runMachine } from './headless.js';
import { fail, look, setRedactor } from './output.js';
import { createSession } from './session.js';

const MAX_ERROR_FILE = 1_000_000;

export async function readErrorFile(file: string): Promise<string> {
  try {
    if (file === '-') {
      if (process.stdin.isTTY)
        fail('--error-file - reads the error from stdin, but stdin is a terminal; pipe it in or use --error');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of process.stdin) {
        size += (chunk as Buffer).length;
        if (size > MAX_ERROR_FILE) fail('--error-file -: input is over 1 MB');
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks).toString('utf8');
    }
    // Read at most 1 MB + 1 byte: /dev/zero or a huge log must not fill memory.
    const handle = await open(file, 'r');
    try {
      const buf = Buffer.alloc(MAX_ERROR_FILE + 1);
      let size = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buf, size, buf.length - size, null);
        if (bytesRead === 0) break;
        size += bytesRead;
        if (size > MAX_ERROR_FILE) fail(`--error-file ${file}: file is over 1 MB`);
      }
      return buf.subarray(0, size).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (e as Error).message;
    return fail(`cannot read --error-file ${file}: ${why}`);
  }
}

/** The working directory, or $HOME with a note when it was deleted under us. */
export function workingDir(): { cwd: string; notes: string[] } {
  try {
    return { cwd: process.cwd(), notes: [] };
  } catch {
    return {
      cwd: homedir(),
      notes: [
        'The working directory does not exist (it was deleted): .env files and the project were looked for from ~ instead.',
      ],
    };
  }
}

/** --project must name a directory: a one-line usage error otherwise. */
export async function checkProject(dir: string | null): Promise<void> {
  if (dir === null) return;
  const st = await stat(dir).catch(() => null);
  if (!st) fail(`--project ${dir}: no such directory`);
  if (!st.isDirectory()) fail(`--project ${dir}: not a directory`);
}

export async function runCheck(
  cmd: Extract<Command, { kind: 'check' | 'wizard' }>,
  notice: string | null,
): Promise<number> {
  const o = cmd.options;
  if (notice) process.stderr.write(`${notice}\n`);
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
  const { diagnosis } = await runMachine(session);
  // Human text goes to stderr beside --json or --report -; it is wrapped to that stream's width.
  const humanOut = o.json || o.report === '-' ? process.stderr : process.stdout;
  const human = renderText(diagnosis, look(o, humanOut), {
    redact: session.redact,
    width: humanOut.isTTY ? (humanOut.columns ?? 80) : null,
  });
  if (o.json) {
    process.stdout.write(JSON.stringify(toJson(diagnosis, session.redact), null, 2) + '\n');
    if (process.stderr.isTTY) process.stderr.write(human);
  } else if (o.report === '-') {
    process.stderr.write(human);
  } else {
    process.stdout.write(human);
  }
  if (o.report === '-') process.stdout.write(toMarkdown(diagnosis, session.redact));
  else if (o.report) {
    try {
      const { saveReport } = await import('./io/save.js');
      const saved = await saveReport(o.report, toMarkdown(diagnosis, session.redact));
      process.stderr.write(session.redact(`Report saved to ${saved.path}\n`));
    } catch (e) {
      fail((e as Error).message);
    }
  }
  return exitCodeFor(diagnosis.verdict);
}
