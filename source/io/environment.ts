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

/** `claude --version`, or null when it is absent, fails or is slow. No shell; the given env. */
async function claudeVersion(env: Env, timeoutMs: number): Promise<string | null> {
  // Loaded here: only a run that writes a report asks for the version.
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    try {
      const child = execFile(
        'claude',
        ['--version'],
        { env, windowsHide: true, maxBuffer: 64 * 1024 },
        (err, stdout) => {
          clearTimeout(timer);
          if (err) return resolve(null);
          const first =
            String(stdout)
              .split(/\r?\n/)
              .find((l) => l.trim()) ?? '';
          // "2.1.330 (Claude Code)" -> "2.1.330"; anything else is shown as printed, shortened.
          const version = /\d+\.\d+\.\d+[0-9A-Za-z.+-]*/.exec(first)?.[0] ?? first.trim().slice(0, 60);
          resolve(version || null);
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
