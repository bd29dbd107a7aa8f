// The wizard's entry point, imported lazily by the CLI (so `check` never loads React): mounts
// the App, waits for it to finish or be cancelled, and hands the terminal back as it found it.
import { render, Text } from 'ink';
import { Component, type ReactNode } from 'react';
import type { Look } from '../core/present.js';
import { EXIT } from '../core/exit.js';
import type { Diagnosis } from '../core/types.js';
import type { Session } from '../session.js';
import { App, type DemoInfo, type WizardResult } from './App.js';

export type { WizardResult };

export interface WizardParams {
  session: Session;
  look: Look;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** --report FILE: save there without asking (`-`: print the Markdown on stdout after the UI). */
  reportPath: string | null;
  /** The working directory (typed relative report paths start here). */
  cwd: string;
  /** The default report directory (outside a git work tree); `cwd` if unset. */
  reportDir?: string;
  demo?: DemoInfo | null;
}

/** How long a closed stdin waits for the SIGHUP that would say the terminal itself is gone. */
const STDIN_GONE_GRACE_MS = 150;

export async function runWizard(
  p: WizardParams,
): Promise<{ exitCode: number; diagnosis: Diagnosis | null; reportPath: string | null }> {
  let settle!: (r: WizardResult & { markdown?: string }) => void;
  const finished = new Promise<WizardResult & { markdown?: string }>((resolve) => (settle = resolve));
  const cancelRef: { current: (() => void) | null } = { current: null };
  // Ctrl-C arrives as a key while Ink holds raw mode; a SIGINT from elsewhere (kill -INT, or a
  // moment without raw mode) takes the same way out.
  const onSigint = () => {
    if (cancelRef.current) cancelRef.current();
    else {
      p.session.discardPendingReports();
      settle({ exitCode: EXIT.cancelled, diagnosis: null, reportPath: null });
    }
  };
  process.on('SIGINT', onSigint);
  // The terminal went away under a question (stdin closed): nobody can answer; stop as Ctrl-C does.
  const onStdinGone = () => {
    // The terminal itself may be gone (a hang-up): then this line has nowhere to go.
    p.stderr.once('error', () => {});
    try {
      p.stderr.write(
        'claude-401-wizard: stdin closed, so no answer can come; stopped (run `check` for a run without questions).\n',
      );
    } catch {
      /* nothing to tell, nobody to tell it to */
    }
    onSigint();
  };
  // A hang-up (the window was closed) also ends stdin, and SIGHUP follows at once. Then there is
  // no terminal left to restore, and Node 20 aborts if it tries at exit: leave no half-written
  // report and die by SIGHUP's default action instead. So wait a moment to tell the two apart.
  let stdinTimer: NodeJS.Timeout | null = null;
  const onStdinEnded = () => {
    stdinTimer ??= setTimeout(onStdinGone, STDIN_GONE_GRACE_MS);
  };
  const onHangup = () => {
    p.session.discardPendingReports();
    // A hang-up sent with kill leaves the terminal in place: hand it back raw mode off and cursor
    // shown. Where it is gone, both fail quietly (no exit-time restore that could abort).
    p.stdout.on('error', () => undefined);
    restoreTerminal(p.stdin, p.stdout);
    process.removeAllListeners('SIGHUP');
    process.kill(process.pid, 'SIGHUP');
  };
  process.on('SIGHUP', onHangup);
  p.stdin.once('end', onStdinEnded);
  p.stdin.once('close', onStdinEnded);

  const fail = (err: unknown) => {
    p.session.discardPendingReports();
    p.stderr.write(
      `claude-401-wizard: the wizard failed: ${p.session.redact(err instanceof Error ? err.message : String(err))}\n`,
    );
    settle({ exitCode: EXIT.usage, diagnosis: null, reportPath: null });
  };
  const app = (
    <App
      session={p.session}
      look={p.look}
      reportPath={p.reportPath}
      cwd={p.cwd}
      {...(p.reportDir ? { reportDir: p.reportDir } : {})}
      demo={p.demo ?? null}
      onDone={settle}
      cancelRef={cancelRef}
    />
  );
  const instance = render(<Guard onError={fail}>{app}</Guard>, {
    stdin: p.stdin,
    stdout: p.stdout,
    stderr: p.stderr,
    exitOnCtrlC: false,
    patchConsole: false,
  });

  let result: WizardResult & { markdown?: string };
  try {
    result = await Promise.race([
      finished,
      // Ink ends by itself only when a component throws.
      instance.waitUntilExit().then(() => ({ exitCode: EXIT.cancelled, diagnosis: null, reportPath: null })),
    ]);
  } catch (err) {
    fail(err);
    result = await finished;
  } finally {
    process.off('SIGINT', onSigint);
    p.stdin.off('end', onStdinEnded);
    p.stdin.off('close', onStdinEnded);
    process.off('SIGHUP', onHangup);
    if (stdinTimer) clearTimeout(stdinTimer);
    instance.unmount();
    await instance.waitUntilExit().catch(() => undefined);
    restoreTerminal(p.stdin, p.stdout);
  }
  if (result.markdown !== undefined) p.stdout.write(result.markdown);
  return { exitCode: result.exitCode, diagnosis: result.diagnosis, reportPath: result.reportPath };
}

/** Raw mode off and the cursor shown, whatever happened (Ink does both on a clean unmount). */
function restoreTerminal(stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream): void {
  if (stdin.isTTY && typeof stdin.setRawMode === 'function') {
    try {
      stdin.setRawMode(false);
    } catch {
      // the terminal is already gone
    }
  }
  try {
    if (stdout.isTTY && !stdout.destroyed) stdout.write('\u001b[?25h');
  } catch {
    // the terminal is already gone
  }
}

/** Ink's own error screen prints a stack trace; a crash here says one redacted line instead. */
class Guard extends Component<{ onError: (err: unknown) => void; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override componentDidCatch(err: unknown): void {
    this.props.onError(err);
  }
  override render(): ReactNode {
    return this.state.failed ? <Text>The wizard stopped.</Text> : this.props.children;
  }
}
