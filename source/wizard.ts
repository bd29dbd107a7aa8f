// The interactive wizard: discovery in a session, then the Ink UI (loaded only here).
import { homedir } from 'node:os';
import { checkProject, checkReport, readErrorFile, workingDir } from './check.js';
import type { Command } from './core/args.js';
import { firstProbes } from './core/machine.js';
import { look, setRedactor } from './output.js';
import { createSession } from './session.js';
import { defaultReportDir } from './io/save.js';

export async function runWizardMode(cmd: Extract<Command, { kind: 'wizard' }>): Promise<number> {
  await checkReport(cmd.options.report);
  const errorText = cmd.errorFile ? await readErrorFile(cmd.errorFile) : null;
  // Ink loads while discovery reads the disk.
  const ui = import('./ui/run.js');
  await checkProject(cmd.options.project);
  const { cwd, notes } = workingDir();
  const session = await createSession({
    options: cmd.options,
    env: process.env,
    cwd,
    home: homedir(),
    platform: process.platform,
    interactive: true,
    errorText,
    notes,
  });
  setRedactor(session.redact);
  // Evidence beats inference: the wizard offers to watch the installed clients and the failing command.
  session.input.offerObservation = true;
  const { runWizard } = await ui;
  const reportDir = await defaultReportDir(cwd, homedir());
  // The CLI's "looking for…" line has done its job: take it off the screen before the wizard draws.
  if (process.stdout.isTTY) process.stdout.write('\u001b[1A\r\u001b[2K');
  // The first live checks go out while the first questions are on screen: planned right after
  // the first frame is drawn (runWizard renders it before this callback runs), not before it.
  setImmediate(() => session.prefetch(firstProbes(session.input)));
  const result = await runWizard({
    session,
    look: look(cmd.options),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    reportPath: cmd.options.report,
    cwd,
    reportDir,
  }).finally(session.close);
  return result.exitCode;
}
