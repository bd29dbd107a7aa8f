// What the report says about the machine. Nothing here reads a credential; the proxy is
// reduced to host:port so that user-info never leaves this module.
import { arch, release, type } from 'node:os';
import type { EnvironmentInfo } from '../core/types.js';
import { isCi } from '../core/args.js';

type Env = Record<string, string | undefined>;

/**
 * CI as the contract defines it (and core/args.ts isInteractive reads it): CI or CONTINUOUS_INTEGRATION
 * set to anything but 0/false.
 */
export { isCi };

/** Case-insensitive lookup (Windows variables are case-insensitive: ComSpec, COMSPEC). */
function lookup(env: Env, name: string): string | undefined {
  const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase() && env[k]);
  return key === undefined ? undefined : env[key];
}

function shellName(env: Env, platform: NodeJS.Platform): string | null {
  // Git Bash and MSYS set SHELL on Windows too; otherwise ComSpec names cmd.exe.
  const path = env.SHELL || (platform === 'win32' ? lookup(env, 'ComSpec') : undefined);
  return path ? (path.split(/[\\/]/).pop() ?? null) || null : null;
}

/**
 * host:port of the proxy that live checks use (https first, as the probe's proxy choice does for
 * https URLs), never the user-info or path.
 */
export function proxyHost(env: Env): string | null {
  const raw = [env.https_proxy, env.HTTPS_PROXY, env.http_proxy, env.HTTP_PROXY].find((v) => v && v.trim());
  if (!raw) return null;
  try {
    const value = raw.trim();
    return (
      new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`).host || '(unparseable proxy URL)'
    );
  } catch {
    return '(unparseable proxy URL)';
  }
}

/** A version as programs print it: `2.1.332` in "2.1.332 (Claude Code)". */
export const VERSION_IN_TEXT = /\d+\.\d+\.\d+[0-9A-Za-z.+-]*/;

/**
 * What `file --version` prints on stdout, or null when it is absent, fails or is slow (`timeoutMs`).
 * No shell; `env` when given, else this process's environment.
 */
export async function versionOutput(file: string, timeoutMs: number, env?: Env): Promise<string | null> {
  // Loaded here: only a run that needs a version spawns anything.
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    try {
      const child = execFile(
        file,
        ['--version'],
        { ...(env ? { env } : {}), windowsHide: true, maxBuffer: 64 * 1024 },
        (err, stdout) => {
          clearTimeout(timer);
          resolve(err ? null : String(stdout));
        },
      );
      // Our own timer, not execFile's: a grandchild holding stdout open would delay execFile's
      // callback (and the program's exit) past the timeout.
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        child.stdout?.destroy();
        child.stderr?.destroy();
        resolve(null);
      }, timeoutMs);
    } catch {
      resolve(null); // spawn refused synchronously (e.g. a .cmd shim on Windows without a shell)
    }
  });
}

/** `claude --version` on the PATH of `env`, for the report; null when absent, failing or slow. */
async function claudeVersion(env: Env, timeoutMs: number): Promise<string | null> {
  const out = await versionOutput('claude', timeoutMs, env);
  if (out === null) return null;
  const first = out.split(/\r?\n/).find((l) => l.trim()) ?? '';
  // "2.1.330 (Claude Code)" -> "2.1.330"; anything else is shown as printed, shortened.
  const version = VERSION_IN_TEXT.exec(first)?.[0] ?? first.trim().slice(0, 60);
  return version || null;
}

export async function collectEnvironment(input: {
  env: Env;
  toolVersion: string;
  platform: NodeJS.Platform;
  /** false: skip `claude --version` and the time zone (no report will show them). */
  full?: boolean;
  timeoutMs?: number;
}): Promise<EnvironmentInfo> {
  const { env, platform } = input;
  return {
    toolVersion: input.toolVersion,
    os: `${type()} ${release()} ${arch()}`,
    node: process.version,
    shell: shellName(env, platform),
    terminal: env.TERM_PROGRAM || env.TERM || null,
    ci: isCi(env),
    proxy: proxyHost(env),
    // Only the report shows these two, and they cost a child process and ICU's start-up.
    claudeCodeVersion: input.full === false ? null : await claudeVersion(env, input.timeoutMs ?? 1000),
    timezone: input.full === false ? env.TZ || 'UTC' : Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
  };
}
