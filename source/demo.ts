// `demo [NAME]`: a made-up broken setup in a temporary sandbox (its own HOME, project and
// environment — never the user's), the embedded emulator as the API, and the wizard (or check
// without a TTY) run against it. Exit 0 when the diagnosis names the scenario's known cause.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { echoValue } from './core/args.js';
import { EXIT } from './core/exit.js';
import { renderText, type Look } from './core/present.js';
import type { Diagnosis, Options } from './core/types.js';
import { SCENARIOS, startScenario, type RunningScenario, type Scenario } from './emulator/scenarios.js';
import { runMachine } from './headless.js';
import { shellAssignments } from './io/discover.js';
import { createSession } from './session.js';

export interface DemoInput {
  scenario: string | null;
  list: boolean;
  options: Options;
  interactive: boolean;
  look: Look;
  setRedactor: (r: (s: string) => string) => void;
}

export function listText(): string {
  const width = Math.max(...SCENARIOS.map((s) => s.name.length));
  return SCENARIOS.map((s) => `  ${s.name.padEnd(width)}  ${s.description}`).join('\n') + '\n';
}

export async function runDemo(p: DemoInput): Promise<number> {
  if (p.list) {
    process.stdout.write(`Demo setups (claude-401-wizard demo NAME):\n${listText()}`);
    return EXIT.ok;
  }
  let name = p.scenario;
  if (!name && p.interactive) {
    const { pickScenario } = await import('./ui/pick.js');
    name = await pickScenario(
      SCENARIOS.map((s) => ({ value: s.name, label: `${s.name} — ${s.description}` })),
      { look: p.look },
    );
    if (!name) return EXIT.cancelled;
  }
  const scenario = name ? SCENARIOS.find((s) => s.name === name) : SCENARIOS[0];
  if (!scenario) {
    process.stderr.write(`claude-401-wizard: no demo named "${echoValue(String(name))}"; demo --list names them\n`);
    return EXIT.usage;
  }
  const sandbox = await mkdtemp(join(tmpdir(), 'claude-401-demo-'));
  let running: RunningScenario | null = null;
  try {
    running = await startScenario(scenario);
    for (const [rel, content] of Object.entries(running.files)) {
      const path = join(sandbox, rel);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content, { mode: 0o600 });
    }
    const home = join(sandbox, 'home');
    const project = join(sandbox, 'project');
    await mkdir(home, { recursive: true });
    await mkdir(project, { recursive: true });
    // The person runs the demo from a terminal whose shell read its start-up files.
    const env: Record<string, string> = { ...shellExports(running.files), ...running.env, HOME: home };
    const api = running.api;
    const so = running.options;
    const options: Options = {
      ...p.options,
      apiUrl: api.url,
      project: null,
      client: (so.client as Options['client'] | undefined) ?? p.options.client,
      errorText: so.errorText ?? p.options.errorText,
      keyAgeMinutes: so.keyAgeMinutes ?? p.options.keyAgeMinutes,
      waitSeconds: so.waitSeconds ?? p.options.waitSeconds,
      model: so.model ?? p.options.model,
      provider: (so.provider as Options['provider'] | undefined) ?? p.options.provider,
      // The sandbox's base URL is the emulator itself: probing it sends only a made-up key.
      probeBaseUrl: true,
      network: true,
    };
    const session = await createSession({
      options,
      env,
      cwd: project,
      home,
      platform: process.platform,
      interactive: p.interactive,
      git: false,
      managedSettingsPath: join(sandbox, 'managed-settings.json'),
      displayHome: homedir(),
    });
    p.setRedactor(session.redact);
    if (running.observe) {
      // The scenario's failing program is watched first, without asking: it only talks to the stand-in.
      const { observeIntoSession } = await import('./observing.js');
      const argv = running.observe.map((a, i) => (i === 0 && a === 'node' ? process.execPath : a));
      const say = (line: string): void => void process.stderr.write(session.redact(line) + '\n');
      await observeIntoSession(session, {
        plans: [{ argv, label: running.observe.join(' '), origin: 'command' }],
        env,
        cwd: project,
        timeoutSeconds: p.options.observeTimeoutSeconds,
        interactive: false,
        ...(p.interactive ? {} : { onProgress: say }),
      });
    }

    let diagnosis: Diagnosis | null;
    if (p.interactive) {
      const { runWizard } = await import('./ui/run.js');
      const r = await runWizard({
        session,
        look: p.look,
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
        reportPath: p.options.report,
        cwd: process.cwd(),
        reportDir: await (await import('./io/save.js')).defaultReportDir(process.cwd(), homedir()),
        demo: {
          name: scenario.name,
          title: scenario.title,
          expectedFinding: scenario.expectedFinding,
          pastedError: !!so.errorText,
        },
      }).finally(session.close);
      if (r.exitCode === EXIT.cancelled) return EXIT.cancelled;
      diagnosis = r.diagnosis;
    } else {
      process.stderr.write(`Demo: ${scenario.title}\n`);
      const r = await runMachine(session).finally(session.close);
      diagnosis = r.diagnosis;
      const { toJson, toMarkdown } = await import('./core/report.js');
      if (p.options.json) process.stdout.write(JSON.stringify(toJson(diagnosis, session.redact), null, 2) + '\n');
      else {
        const width = process.stdout.isTTY ? (process.stdout.columns ?? 80) : null;
        process.stdout.write(renderText(diagnosis, p.look, { redact: session.redact, width }));
      }
      if (p.options.report) {
        const { saveReport } = await import('./io/save.js');
        const md = toMarkdown(diagnosis, session.redact);
        if (p.options.report === '-') process.stdout.write(md);
        else
          process.stderr.write(
            session.redact(`Report saved to ${(await saveReport(p.options.report, md, { replace: true })).path}\n`),
          );
      }
    }
    return demoExitCode(scenario, diagnosis);
  } finally {
    await running?.close();
    await rm(sandbox, { recursive: true, force: true });
  }
}

/** `export NAME=value` lines of the sandbox's shell start-up files, as the shell would export them. */
function shellExports(files: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [rel, content] of Object.entries(files)) {
    if (!/^home\/\.(bashrc|bash_profile|profile|zshrc|zprofile|zshenv)$/.test(rel)) continue;
    for (const a of shellAssignments(content)) if (!a.dynamic) env[a.name] = a.value;
  }
  return env;
}

/** A demo passes when its diagnosis names the scenario's known cause. */
export function demoExitCode(scenario: Scenario, d: Diagnosis | null): number {
  const named = !!d && d.findings.some((f) => f.id === scenario.expectedFinding);
  if (!named)
    process.stderr.write(
      `Demo "${scenario.name}": expected the diagnosis to name ${scenario.expectedFinding}; it did not.\n`,
    );
  return named ? EXIT.ok : EXIT.problem;
}
