// argv -> mode (wizard | check | demo); the exit-code table; nothing else.
// The Ink UI and the demo sit behind dynamic imports: `check` never loads React.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { parseArgs, isInteractive, UsageError, type Command } from './core/args.js';
import { EXIT, exitCodeFor } from './core/exit.js';
import { renderText, supportsUnicode } from './core/present.js';
import type { Options } from './core/types.js';
import { HELP } from './help.js';
import { VERSION } from './version.js';

const NAME = 'claude-401-wizard';
const MAX_ERROR_FILE = 1_000_000;

/** Redacts until a session exists; replaced by the session's redactor as soon as there is one. */
let redactOut: (s: string) => string = (s) => s;

function fail(message: string, code: number = EXIT.usage): never {
  process.stderr.write(`${NAME}: ${redactOut(message).split('\n')[0]}\n`);
  process.exit(code);
}

async function readErrorFile(file: string): Promise<string> {
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

function look(o: Options) {
  const env = process.env;
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return { unicode: supportsUnicode(env, process.platform), color: o.color && (forced || !!process.stdout.isTTY) };
}

async function runCheck(cmd: Extract<Command, { kind: 'check' | 'wizard' }>, notice: string | null): Promise<number> {
  const o = cmd.options;
  if (notice) process.stderr.write(`${notice}\n`);
  const errorText = cmd.errorFile ? await readErrorFile(cmd.errorFile) : null;
  const { createSession } = await import('./session.js');
  const { runMachine } = await import('./headless.js');
  const session = await createSession({ options: o, env: process.env, cwd: safeCwd(), home: homedir(), platform: process.platform, interactive: false, errorText });
  redactOut = session.redact;
  const { diagnosis } = await runMachine(session);
  const code = exitCodeFor(diagnosis.verdict);
  const human = session.redact(renderText(diagnosis, look(o)));
  const { toJson, toMarkdown } = await import('./core/report.js');
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
    const { saveReport } = await import('./io/save.js');
    try {
      const saved = await saveReport(o.report, toMarkdown(diagnosis, session.redact));
      process.stderr.write(session.redact(`Report saved to ${saved.path}\n`));
    } catch (e) {
      fail((e as Error).message);
    }
  }
  return code;
}

async function runWizardMode(cmd: Extract<Command, { kind: 'wizard' }>): Promise<number> {
  // A plain first line before Ink loads: the person sees something at once.
  process.stdout.write(`${NAME} ${VERSION} — looking for what causes your 401…\n`);
  const errorText = cmd.errorFile ? await readErrorFile(cmd.errorFile) : null;
  const [{ createSession }, { runWizard }] = await Promise.all([import('./session.js'), import('./ui/run.js')]);
  const session = await createSession({ options: cmd.options, env: process.env, cwd: safeCwd(), home: homedir(), platform: process.platform, interactive: true, errorText });
  redactOut = session.redact;
  const result = await runWizard({ session, look: look(cmd.options), stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, reportPath: cmd.options.report, cwd: safeCwd() });
  return result.exitCode;
}

function safeCwd(): string {
  try {
    return process.cwd();
  } catch {
    // The working directory was deleted under us: discovery notes it, and we go on from $HOME.
    return homedir();
  }
}

async function main(): Promise<number> {
  let cmd: Command;
  try {
    cmd = parseArgs(process.argv.slice(2), process.env);
  } catch (e) {
    if (e instanceof UsageError) fail(e.message);
    throw e;
  }
  switch (cmd.kind) {
    case 'help':
      process.stdout.write(HELP);
      return EXIT.ok;
    case 'version':
      process.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    case 'check':
      return runCheck(cmd, null);
    case 'wizard': {
      const tty = isInteractive({ stdinTTY: !!process.stdin.isTTY, stdoutTTY: !!process.stdout.isTTY, json: cmd.options.json, env: process.env });
      if (tty) return runWizardMode(cmd);
      const why = cmd.options.json ? '--json given' : process.stdin.isTTY && process.stdout.isTTY ? 'CI is set' : 'not a terminal';
      return runCheck(cmd, cmd.options.json ? null : `${NAME}: ${why}, so no questions: running \`check\` instead (see --help).`);
    }
    case 'demo': {
      const { runDemo } = await import('./demo.js');
      const tty = isInteractive({ stdinTTY: !!process.stdin.isTTY, stdoutTTY: !!process.stdout.isTTY, json: cmd.options.json, env: process.env });
      return runDemo({ scenario: cmd.scenario, list: cmd.list, options: cmd.options, interactive: tty, look: look(cmd.options), setRedactor: (r) => (redactOut = r) });
    }
    default: {
      const never: never = cmd;
      return never;
    }
  }
}

process.on('SIGINT', () => {
  void import('./io/save.js').then((m) => m.cleanupPendingReports()).finally(() => process.exit(EXIT.cancelled));
});

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Never a stack trace: one redacted line, exit 2.
    const msg = e instanceof Error ? e.message : String(e);
    fail(`internal error: ${msg}`);
  },
);
