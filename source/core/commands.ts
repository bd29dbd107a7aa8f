// The commands and file edits that fix lines name (one builder each, per platform): how the person
// unsets, renames, sets or loads a setting where it is. The catalogue (findings.ts) holds the
// sentences; these are the commands inside them, built from where the setting was found.
import type { Candidate, Discovery, SourceOrigin } from './types.js';

type Platform = Discovery['platform'];

const SETTINGS: ReadonlySet<SourceOrigin> = new Set([
  'claude-user',
  'claude-project',
  'claude-local',
  'claude-managed',
]);

/** The file a candidate was read from (`file:PATH:LINE` → PATH). */
export function fileOf(c: Candidate): string {
  if (c.source.startsWith('file:')) return c.source.slice(5).replace(/:\d+$/, '');
  return c.file ?? c.source;
}

export function lineOf(c: Candidate): number | null {
  if (c.line !== undefined) return c.line;
  const m = c.source.startsWith('file:') ? /:(\d+)$/.exec(c.source) : null;
  return m ? Number(m[1]) : null;
}

/** `PATH line N`, or `PATH` when the line is not known. */
export function fileAndLine(c: Candidate): string {
  const line = lineOf(c);
  return `${fileOf(c)}${line !== null ? ` line ${line}` : ''}`;
}

export const isEnvOrigin = (c: Candidate): boolean => c.origin === 'env' || c.origin === 'key-env';

export function unsetCmd(p: Platform, name: string): string {
  return p === 'win32' ? `Remove-Item Env:${name}` : `unset ${name}`;
}

/** One command or edit that removes `c` where it is set, naming the file and line. */
export function removal(p: Platform, c: Candidate): string {
  if (isEnvOrigin(c)) return unsetCmd(p, c.name);
  if (SETTINGS.has(c.origin)) return `Edit ${fileAndLine(c)}: remove "${c.name}" from "env"`;
  if (c.origin === 'shell')
    return `Edit ${fileAndLine(c)}: remove the ${c.name} line, then run: ${unsetCmd(p, c.name)}`;
  return `Edit ${fileAndLine(c)}: remove ${c.name}`;
}

/** The commands or edit that move `c`'s value to the name `to`. */
export function rename(p: Platform, c: Candidate, to: string): string[] {
  if (isEnvOrigin(c))
    return [p === 'win32' ? `$env:${to} = $env:${c.name}` : `export ${to}="$${c.name}"`, unsetCmd(p, c.name)];
  if (SETTINGS.has(c.origin)) return [`Edit ${fileAndLine(c)}: rename "${c.name}" to "${to}" in "env"`];
  return [`Edit ${fileAndLine(c)}: rename ${c.name} to ${to}`];
}

/** Runs a shell start-up file in the current shell. */
export function sourceCmd(p: Platform, file: string): string {
  return `${p === 'win32' ? '.' : 'source'} ${file}`;
}

/** Exports every variable of a dotenv file into the current shell (for a program that reads none). */
export function loadDotenvCmd(file: string): string {
  return `set -a; . ${file}; set +a`;
}

/** Sets ANTHROPIC_API_KEY in the current shell, the key left for the person to paste. */
export function setKeyCmd(p: Platform): string {
  return p === 'win32' ? '$env:ANTHROPIC_API_KEY = "<your key>"' : 'export ANTHROPIC_API_KEY=<your key>';
}

/** Sets ANTHROPIC_CUSTOM_HEADERS (one `Name: value` header) in the current shell. */
export function customHeadersCmd(p: Platform, header: string): string {
  return p === 'win32' ? `$env:ANTHROPIC_CUSTOM_HEADERS = "${header}"` : `export ANTHROPIC_CUSTOM_HEADERS="${header}"`;
}
