// What `observe -- COMMAND` and `check --observe-clients` run before the diagnosis: the programs to
// watch (the user's command, the clients found installed), each run once against the stand-in.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { commandText, requestCredentials, type RawObservation } from './core/observed.js';
import type { Discovery } from './core/types.js';
import { observe } from './io/observe.js';

export interface ObservePlan {
  argv: string[];
  /** How the program is named in the output (`claude -p hi`, `@anthropic-ai/sdk 1.17.0 …`). */
  label: string;
  origin?: 'command' | 'installed';
}

export interface RunObservationsInput {
  plans: ObservePlan[];
  env: Record<string, string | undefined>;
  cwd: string;
  timeoutSeconds: number;
  /** stdin of the program = the user's terminal (only for the user's own command, when there is one). */
  interactive: boolean;
  signal?: AbortSignal;
  /** One already-safe line per program (no secrets: labels and counts only). */
  onProgress?: (line: string) => void;
}

export async function runObservations(input: RunObservationsInput): Promise<RawObservation[]> {
  const out: RawObservation[] = [];
  for (const plan of input.plans) {
    if (input.signal?.aborted) break;
    input.onProgress?.(`Watching \`${plan.label}\` against a local stand-in of the API (nothing leaves this machine)…`);
    const raw = await observe({
      argv: plan.argv,
      label: plan.label,
      env: input.env,
      cwd: input.cwd,
      timeoutMs: input.timeoutSeconds * 1000,
      interactive: input.interactive,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    out.push({ ...raw, origin: plan.origin ?? 'command' });
    if (raw.cancelled) break;
    const sent = raw.requests.filter((r) => r.baseUrlHonoured).length + raw.unrecorded;
    const how = raw.spawnError
      ? `could not be started (${raw.spawnError})`
      : raw.timedOut
        ? `stopped after ${input.timeoutSeconds} s`
        : raw.exitCode !== null
          ? `exit code ${raw.exitCode}`
          : 'stopped';
    input.onProgress?.(
      `  ${sent} request${sent === 1 ? '' : 's'} to the stand-in` +
        (raw.bypassed.length ? `, ${raw.bypassed.length} refused elsewhere` : '') +
        `; ${how}.`,
    );
  }
  return out;
}

/**
 * Runs the programs and hands what they sent to the diagnosis: every credential seen becomes a
 * secret of the session's redactor first (a hard-coded key the configuration never showed), then
 * the observations join the machine's input, where they outrank the model.
 */
export async function observeIntoSession(
  session: {
    input: { discovery: Discovery; observed?: RawObservation[] };
  } & SecretSink,
  input: RunObservationsInput,
): Promise<RawObservation[]> {
  const observed = await runObservations(input);
  learnSecrets(observed, session.input.discovery, session);
  session.input.observed = [...(session.input.observed ?? []), ...observed];
  return observed;
}

export interface SecretSink {
  addSecret: (value: string) => void;
  addOutside: (text: string) => void;
}

/**
 * Before anything observed is shown: every credential a program sent is a secret, and what it
 * printed and its command line are outside text, whose token-shaped runs are secrets.
 */
export function learnSecrets(observed: RawObservation[], d: Discovery, sink: SecretSink): void {
  for (const raw of observed) {
    for (const r of raw.requests) for (const c of requestCredentials(r, d)) sink.addSecret(c.value);
    sink.addOutside(raw.output);
    sink.addOutside(raw.argv.join(' '));
  }
}

/**
 * A command line as typed into the wizard, split into argv the way a POSIX shell splits words
 * (spaces; single quotes literal; double quotes and backslashes escape) — but no shell runs it:
 * no expansion, no pipes, no redirections.
 */
export function splitCommand(line: string): string[] {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) out.push(word);
  return out;
}

/** The user's own command: argv as given (no shell), shown with simple quoting. */
export function commandPlan(argv: string[]): ObservePlan {
  return { argv, label: commandText({ argv }) };
}

// ---------------------------------------------------------------------------------------------
// The clients found installed (cli-contract.md): each copy of @anthropic-ai/sdk the project runs,
// Python `anthropic` in the active virtualenv, and Claude Code.

/**
 * A script that imports the project's own copy by absolute path and calls models.list(): no file is
 * written, and no secret is in the arguments (the SDK reads its credential from the environment).
 */
export function sdkScript(dir: string): string {
  const base = JSON.stringify(pathToFileURL(dir).href + '/');
  return [
    `const base = ${base};`,
    'let m;',
    "try { m = await import(base + 'index.mjs'); }",
    "catch (e) { if (e && e.code !== 'ERR_MODULE_NOT_FOUND') throw e; m = await import(base + 'index.js'); }",
    'const Anthropic = m.Anthropic ?? m.default?.Anthropic ?? m.default?.default ?? m.default;',
    'await new Anthropic().models.list();',
  ].join('\n');
}

export interface InstalledPlansInput {
  cwd: string;
  env: Record<string, string | undefined>;
  discovery: Pick<Discovery, 'claudeSettingsEnv' | 'clients'>;
  /** The node that runs the SDK scripts (this one). */
  node: string;
}

/** The programs `--observe-clients` runs, and what it skipped and why (notes). */
export function installedClientPlans(p: InstalledPlansInput): { plans: ObservePlan[]; notes: string[] } {
  const plans: ObservePlan[] = [];
  const notes: string[] = [];
  // Every copy of @anthropic-ai/sdk discovery found installed: the project's own, a framework's nested
  // one, one pnpm's store links to.
  for (const copy of p.discovery.clients) {
    if (copy.name !== '@anthropic-ai/sdk' || copy.how !== 'installed' || !copy.dir) continue;
    plans.push({
      argv: [p.node, '--input-type=module', '-e', sdkScript(copy.dir)],
      label: `@anthropic-ai/sdk ${copy.version} (${path.relative(p.cwd, copy.dir) || '.'}): models.list()`,
    });
  }
  const venv = p.env.VIRTUAL_ENV;
  if (venv) {
    const python = path.join(venv, process.platform === 'win32' ? 'Scripts' : 'bin', 'python');
    // Discovery found `anthropic` installed only in the active virtualenv's site-packages.
    const installed = p.discovery.clients.some((c) => c.name === 'anthropic' && c.how === 'installed');
    if (installed && existsSync(python))
      plans.push({
        argv: [python, '-c', 'import anthropic; anthropic.Anthropic().models.list()'],
        label: 'Python anthropic (the active virtualenv): models.list()',
      });
  }
  const claude = findClaude(p.cwd, p.env);
  if (claude) {
    const setter = p.discovery.claudeSettingsEnv.find((s) => s.env.ANTHROPIC_BASE_URL !== undefined);
    if (setter)
      notes.push(
        `Claude Code was not observed: ${setter.source} sets ANTHROPIC_BASE_URL, which outranks the environment, ` +
          'so it would not reach the local stand-in.',
      );
    else plans.push({ argv: [claude, '-p', 'hi'], label: 'claude -p hi' });
  }
  return { plans, notes };
}

/** `claude` on PATH, else the project's native binary (its npm postinstall may not have run). */
export function findClaude(cwd: string, env: Record<string, string | undefined>): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, 'claude');
    if (isExecutable(file)) return file;
  }
  for (let d = path.resolve(cwd); ; d = path.dirname(d)) {
    const file = path.join(
      d,
      'node_modules',
      '@anthropic-ai',
      `claude-code-${process.platform}-${process.arch}`,
      'claude',
    );
    if (isExecutable(file)) return file;
    if (path.dirname(d) === d) return null;
  }
}

function isExecutable(file: string): boolean {
  try {
    const st = statSync(file);
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}
