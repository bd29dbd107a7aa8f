// Runs the BUILT CLI (dist/cli.js) as a child process in a sandbox: its own HOME and working
// directory, and only the environment the test gives (plus PATH so git and node resolve).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI = resolve(__dirname, '../../dist/cli.js');

export function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export async function sandbox(prefix = 'c401-'): Promise<{ root: string; home: string; cwd: string }> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const { mkdir } = await import('node:fs/promises');
  const home = join(root, 'home');
  const cwd = join(root, 'project');
  await mkdir(home, { recursive: true });
  await mkdir(cwd, { recursive: true });
  return { root, home, cwd };
}

export interface RunCliOptions {
  cwd: string;
  home: string;
  /** The only environment the program sees, besides PATH, HOME and CI=true (unless given). */
  env?: Record<string, string>;
  input?: string | Buffer;
  /** The child is killed and the test fails after this long: a hang. */
  timeoutMs?: number;
  uid?: number;
  gid?: number;
  /** Run the node argv through this program instead (e.g. /bin/sh -c '…' to delete the cwd first). */
  launcher?: (nodeArgv: string[]) => { file: string; args: string[] };
}

/**
 * The test runner's PATH without `node_modules/.bin` (npm and npx put it there, and it holds this
 * repository's own `claude`, which discovery would otherwise find in every sandbox).
 */
export function hostPath(): string {
  return (process.env.PATH ?? '/usr/bin:/bin')
    .split(':')
    .filter((d) => !/[\\/]node_modules[\\/]\.bin$/.test(d))
    .join(':');
}

/** Runs `node dist/cli.js ...args` in a sandbox; rejects (failing the test) when it hangs. */
export function runCli(args: string[], opts: RunCliOptions): Promise<CliResult> {
  requireBuild();
  const nodeArgv = [CLI, ...args];
  const { file, args: argv } = opts.launcher ? opts.launcher(nodeArgv) : { file: process.execPath, args: nodeArgv };
  const timeoutMs = opts.timeoutMs ?? 20_000;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, argv, {
      cwd: opts.cwd,
      env: { PATH: hostPath(), HOME: opts.home, CI: 'true', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `HANG: \`${args.join(' ').slice(0, 300)}\` did not finish within ${timeoutMs} ms\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`,
        ),
      );
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    // The program may exit before reading its input: that is not its failure.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}
