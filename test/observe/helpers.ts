// Throw-away layouts for observing the real clients, and oracles that share no code with the tool.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const NODE_MODULES = resolve(__dirname, '../../node_modules');
export const SDK_1 = join(NODE_MODULES, '@anthropic-ai/sdk'); // 1.17.0
export const SDK_0 = join(NODE_MODULES, 'anthropic-sdk-0x'); // 0.137.0
export const CLAUDE_BIN = join(NODE_MODULES, '@anthropic-ai/claude-code-linux-x64/claude'); // 2.1.332

/** A fresh project directory and home: nothing from the machine's own configuration. */
export async function layout(prefix = 'c401-observe-'): Promise<{ root: string; home: string; cwd: string }> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const home = join(root, 'home');
  const cwd = join(root, 'project');
  await mkdir(home, { recursive: true });
  await mkdir(cwd, { recursive: true });
  return { root, home, cwd };
}

/** Links a real package into the layout's node_modules at `rel` (e.g. `@anthropic-ai/sdk`). */
export async function linkPackage(cwd: string, rel: string, target: string): Promise<void> {
  const at = join(cwd, 'node_modules', rel);
  await mkdir(join(at, '..'), { recursive: true });
  await symlink(target, at, 'dir');
}

export async function script(cwd: string, name: string, text: string): Promise<string> {
  const file = join(cwd, name);
  await writeFile(file, text);
  return file;
}

/** The environment a test gives the observed program: PATH and the throw-away HOME, nothing of the machine's. */
export function baseEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...extra };
}

/** Claude Code in tests: no updater, no telemetry, the throw-away HOME (fact sheet §6). */
export function claudeEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return baseEnv(home, { DISABLE_AUTOUPDATER: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', ...extra });
}

/**
 * True when no process with this pid (or, with `group`, in this process group) is still running.
 * A zombie (exited, waiting for its new parent to reap it) runs nothing and counts as gone: in a
 * container whose init does not reap, an orphan stays a zombie forever. Linux /proc is read.
 */
export function gone(pid: number, group = false): boolean {
  const alive = (stat: string): boolean => {
    // pid (comm) state ppid pgrp …: comm may hold spaces, so read after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] !== 'Z' && fields[0] !== 'X' && (group ? Number(fields[2]) === pid : true);
  };
  if (!group) {
    try {
      return !alive(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return true;
    }
  }
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (alive(readFileSync(`/proc/${name}/stat`, 'utf8'))) return false;
    } catch {
      // exited while we looked
    }
  }
  return true;
}

/** Wizard prompts (their start) where Enter is the answer that assumes nothing, in the observe suites. */
export const ENTER_PROMPTS = [
  'Paste the error you saw',
  'Where does the failing program run?',
  'Which model do you call?',
  'Paste an Admin API key',
  'In the Console',
  'Where do you mean to send requests?',
  'Send the key there too',
  'Save a report?',
];
