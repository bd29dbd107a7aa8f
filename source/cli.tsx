// argv -> mode (wizard | check | observe | demo); the exit-code table; the only place that exits.
// The Ink UI and the demo sit behind dynamic imports: `check` never loads React.
import { parseArgs, isInteractive, type Command } from './core/args.js';
import { CliError, EXIT } from './core/exit.js';
import { runCheck } from './check.js';
import { supportsUnicode, toAscii } from './core/present.js';
import { HELP } from './help.js';
import { errorLine, look, setRedactor } from './output.js';
import { VERSION } from './version.js';

const NAME = 'claude-401-wizard';

/**
 * stdout or stderr failing (a closed pipe, a full disk: `check --json > /dev/full`) ends the run
 * like any other fault of the tool itself: no half-written report, one line on stderr, exit 2.
 */
function exitOnOutputError(): void {
  const reasons: Record<string, string> = { EPIPE: 'it was closed', ENOSPC: 'no space left on device' };
  const failed = (stream: 'stdout' | 'stderr') => (e: NodeJS.ErrnoException) => {
    void import('./io/save.js')
      .then((m) => m.cleanupPendingReports())
      .finally(() => {
        if (stream === 'stdout') {
          const why = reasons[e.code ?? ''] ?? e.code ?? 'write error';
          process.stderr.on('error', () => undefined);
          process.stderr.write(`${NAME}: cannot write to stdout: ${why}\n`);
        }
        process.exit(EXIT.usage);
      });
  };
  process.stdout.on('error', failed('stdout'));
  process.stderr.on('error', failed('stderr'));
}

async function main(): Promise<number> {
  exitOnOutputError();
  const cmd: Command = parseArgs(process.argv.slice(2), process.env);
  switch (cmd.kind) {
    case 'help':
      process.stdout.write(supportsUnicode(process.env, process.platform) ? HELP : toAscii(HELP));
      return EXIT.ok;
    case 'version':
      process.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    case 'check':
      if (cmd.options.observeClients) return runCheck(cmd, null, stopOnSigint());
      exitOnSigint();
      return runCheck(cmd, null);
    case 'observe':
      return runCheck(cmd, null, stopOnSigint());
    case 'wizard': {
      const tty = isInteractive({
        stdinTTY: !!process.stdin.isTTY,
        stdoutTTY: !!process.stdout.isTTY,
        json: cmd.options.json,
        env: process.env,
      });
      if (tty) {
        // A plain first line before Ink loads: the person sees something at once.
        const line = `${NAME} ${VERSION} — looking for what causes your 401…\n`;
        process.stdout.write(supportsUnicode(process.env, process.platform) ? line : toAscii(line));
        return exitNow(await (await import('./wizard.js')).runWizardMode(cmd));
      }
      exitOnSigint();
      const why = cmd.options.json
        ? '--json given'
        : process.stdin.isTTY && process.stdout.isTTY
          ? 'CI is set'
          : 'not a terminal';
      return runCheck(
        cmd,
        cmd.options.json ? null : `${NAME}: ${why}, so no questions: running \`check\` instead (see --help).`,
      );
    }
    case 'demo': {
      const { runDemo } = await import('./demo.js');
      const tty = isInteractive({
        stdinTTY: !!process.stdin.isTTY,
        stdoutTTY: !!process.stdout.isTTY,
        json: cmd.options.json,
        env: process.env,
      });
      if (!tty) exitOnSigint();
      const code = await runDemo({
        scenario: cmd.scenario,
        list: cmd.list,
        options: cmd.options,
        interactive: tty,
        look: look(cmd.options),
        setRedactor,
      });
      return tty ? exitNow(code) : code;
    }
    default: {
      const never: never = cmd;
      return never;
    }
  }
}

/** Headless runs: on Ctrl-C leave no half-written report and exit 130. The wizard handles its own. */
function exitOnSigint(): void {
  process.on('SIGINT', () => {
    void import('./io/save.js').then((m) => m.cleanupPendingReports()).finally(() => process.exit(EXIT.cancelled));
  });
}

/**
 * Runs that observe a program: the first Ctrl-C stops the program (its whole process group) and the
 * run ends with 130 once it is gone; a second one exits at once.
 */
function stopOnSigint(): AbortSignal {
  const ctl = new AbortController();
  const onSignal = (): void => {
    if (ctl.signal.aborted) {
      void import('./io/save.js').then((m) => m.cleanupPendingReports()).finally(() => process.exit(EXIT.cancelled));
      return;
    }
    ctl.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  return ctl.signal;
}

/** After the wizard: a probe still in flight must not keep the finished program alive. */
function exitNow(code: number): never {
  process.exit(code);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Never a stack trace: one redacted line, and the code from the exit-code table.
    if (e instanceof CliError) {
      process.stderr.write(errorLine(e.line));
      process.exit(e.code);
    }
    process.stderr.write(errorLine(`internal error: ${e instanceof Error ? e.message : String(e)}`));
    process.exit(EXIT.usage);
  },
);
