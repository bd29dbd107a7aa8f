// `check` (and the wizard's fallback without a TTY): the machine run headless, its result
// printed as text or JSON, and the report saved if asked. One chunk, no React.
import { readFile } from 'node:fs/promises';
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
      if (process.stdin.isTTY) fail('--error-file - reads the error from stdin, but stdin is a terminal; pipe it in or use --error');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of process.stdin) {
        size += (chunk as Buffer).length;
        if (size > MAX_ERROR_FILE) fail('--error-file -: input is over 1 MB');
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks).toString('utf8');
    }
    const buf = await readFile(file);
    if (buf.length > MAX_ERROR_FILE) fail(`--error-file ${file}: file is over 1 MB`);
    return buf.toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    return fail(`cannot read --error-file ${file}: ${why}`);
  }
}

export function safeCwd(): string {
  try {
    return process.cwd();
  } catch {
    // The working directory was deleted under us: discovery notes it, and we go on from $HOME.
    return homedir();
  }
}

export async function runCheck(cmd: Extract<Command, { kind: 'check' | 'wizard' }>, notice: string | null): Promise<number> {
  const o = cmd.options;
  if (notice) process.stderr.write(`${notice}\n`);
  const errorText = cmd.errorFile ? await readErrorFile(cmd.errorFile) : null;
  const session = await createSession({ options: o, env: process.env, cwd: safeCwd(), home: homedir(), platform: process.platform, interactive: false, errorText });
  setRedactor(session.redact);
  const { diagnosis } = await runMachine(session);
  const human = session.redact(renderText(diagnosis, look(o)));
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
