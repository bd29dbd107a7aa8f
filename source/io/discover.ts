// Read-only discovery: every place a credential (or a setting that changes where it goes) can
// come from, as cli-contract.md "Where credentials are looked for" lists them. Nothing is
// written, nothing throws: a file that cannot be read becomes a short note. Everything outside
// comes in through DiscoverInput (no process.env, process.cwd() or os.homedir() here), so the
// CLI passes the real ones and the demo a sandbox.
import path from 'node:path';
import dotenv from 'dotenv';
import { commandDisplay } from '../core/redact.js';
import type {
  ApiKeyHelperInfo,
  Candidate,
  ClaudeCredentialsFile,
  Discovery,
  DotenvFileInfo,
  SourceLabel,
  SourceOrigin,
} from '../core/types.js';
import { discoverClients } from './clients.js';
import {
  ancestors,
  displayPath,
  exists,
  fileLabel,
  isInside,
  isRecord,
  MAX_LARGE_FILE_BYTES,
  parseJsonText,
  readJsonFile,
  readTextFile,
  tildify,
  type ReadContext,
} from './fsread.js';
import { findLeaks, isIgnored, LEAK_MIN_LENGTH, makeGit, openRepo } from './hygiene.js';
import { kindOf, looksLikeAnthropicKey } from '../core/credential.js';
import { nameKind } from '../core/names.js';

export interface DiscoverInput {
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  platform: NodeJS.Platform;
  /** --key-env NAME: also a candidate with origin 'key-env', source `env:NAME`. */
  keyEnv?: string | null;
  /** Run git for the hygiene checks (default true). */
  git?: boolean;
  /** Claude Code managed settings file; default by platform; null = none (tests). */
  managedSettingsPath?: string | null;
  /** macOS: whether the keychain holds an item for this service (default: `security`). */
  keychainHas?: (service: string) => Promise<boolean>;
}

/** Claude Code's keychain item on macOS (fact sheet §6). */
export const KEYCHAIN_SERVICE = 'Claude Code-credentials';

/**
 * Asks the macOS keychain whether the item exists, never for its secret: without -w or -g,
 * `security find-generic-password` prints only the item's attributes (discarded here).
 */
async function macKeychainHas(service: string): Promise<boolean> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    try {
      execFile('security', ['find-generic-password', '-s', service], { timeout: 2000, windowsHide: true }, (err) =>
        resolve(!err),
      );
    } catch {
      resolve(false);
    }
  });
}

/** Non-credential variables that change where and how a credential is sent. */
export const RELEVANT_ENV = [
  'ANTHROPIC_BASE_URL',
  'ANTHROPIC_CUSTOM_HEADERS',
  'CLAUDE_CODE_USE_BEDROCK',
  'CLAUDE_CODE_USE_VERTEX',
  'CLAUDE_CODE_USE_FOUNDRY',
  'ANTHROPIC_VERTEX_PROJECT_ID',
  'CLOUD_ML_REGION',
  'AWS_REGION',
  'AWS_PROFILE',
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
  'CLAUDE_CONFIG_DIR',
  'VIRTUAL_ENV',
  'ANTHROPIC_LOG',
  'SHELL',
  'TERM',
  'TERM_PROGRAM',
  'CI',
];

export const DOTENV_NAMES = ['.env', '.env.local', '.env.development', '.env.production'];
export const SHELL_FILES = [
  '.bashrc',
  '.bash_profile',
  '.profile',
  '.zshrc',
  '.zprofile',
  '.zshenv',
  '.config/fish/config.fish',
];
export const POWERSHELL_PROFILES = [
  'Documents/PowerShell/Microsoft.PowerShell_profile.ps1',
  'Documents/WindowsPowerShell/Microsoft.PowerShell_profile.ps1',
];
export const MANAGED_SETTINGS: Partial<Record<NodeJS.Platform, string>> = {
  linux: '/etc/claude-code/managed-settings.json',
  darwin: '/Library/Application Support/ClaudeCode/managed-settings.json',
  win32: 'C:\\Program Files\\ClaudeCode\\managed-settings.json',
};

// ---------------------------------------------------------------------------------------------
// Which names and values are credential-ish

export function isCredentialish(name: string, value: string): boolean {
  return nameKind(name) !== null || looksLikeAnthropicKey(value);
}

// ---------------------------------------------------------------------------------------------
// Shell start-up files

export interface ShellAssignment {
  name: string;
  value: string;
  line: number;
  /** The value comes from a command or another variable: not knowable without running the shell. */
  dynamic: boolean;
}

/** A shell word after `=`: quotes stripped, escapes undone, and whether it expands anything. */
function shellWord(raw: string, powershell: boolean): { value: string; dynamic: boolean } {
  const q = raw[0];
  if (q === '"' || q === "'") {
    let end = raw.indexOf(q, 1);
    while (q === '"' && end > 0 && raw[end - 1] === (powershell ? '`' : '\\')) end = raw.indexOf(q, end + 1);
    const body = end < 0 ? raw.slice(1) : raw.slice(1, end);
    if (q === "'") return { value: body, dynamic: false };
    if (powershell) return { value: body.replace(/`(.)/g, '$1'), dynamic: /\$/.test(body) };
    return { value: body.replace(/\\(["\\$`])/g, '$1'), dynamic: /(^|[^\\])[$`]/.test(body) };
  }
  const word = /^(?:\\.|[^\s;#])*/.exec(raw)![0];
  return { value: word.replace(/\\(.)/g, '$1'), dynamic: /[$`]/.test(word) };
}

/** Assignments in a POSIX/fish/csh start-up file (`export`, plain, `set -x`, `setenv`) or a PowerShell profile. */
export function shellAssignments(text: string, powershell = false): ShellAssignment[] {
  const out: ShellAssignment[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (/^\s*(#|$)/.test(line)) return;
    const m = powershell
      ? /^\s*\$env:([A-Za-z_]\w*)\s*=\s*(.*)$/i.exec(line)
      : (/^\s*(?:export\s+|declare\s+-\w*x\w*\s+|typeset\s+-x\s+)?([A-Za-z_]\w*)=(.*)$/.exec(line) ??
        /^\s*set\s+(?:(?:-\w+|--\w+)\s+)*?(?:-\w*x\w*|--export)\s+(?:(?:-\w+|--\w+)\s+)*([A-Za-z_]\w*)\s+(.*)$/.exec(
          line,
        ) ??
        /^\s*setenv\s+([A-Za-z_]\w*)\s+(.*)$/.exec(line));
    if (!m) return;
    out.push({ name: m[1]!, ...shellWord(m[2]!.trim(), powershell), line: i + 1 });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dotenv files

// dotenv's own line pattern (lib/main.js `LINE`), used only to recover the line numbers that
// parse() drops. The `d` flag gives the key's offset.
const DOTENV_LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm;

/** Key → line of the assignment whose value dotenv returns (the last one, as dotenv lets it win). */
export function dotenvLines(text: string): Map<string, number> {
  const src = text.replace(/\r\n?/g, '\n');
  const lines = new Map<string, number>();
  let line = 1;
  let pos = 0; // newlines are counted incrementally: a 1 MB file must stay linear
  for (const m of src.matchAll(DOTENV_LINE)) {
    const at = m.indices![1]![0];
    for (; pos < at; pos++) if (src.charCodeAt(pos) === 10) line++;
    lines.set(m[1]!, line);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------

/**
 * An apiKeyHelper as discovery keeps it: shown only as its program (`op …`); the command itself
 * (its arguments are secrets: `vault read …`, `curl -H 'X-Vault-Token: hvs.…'`) rides along
 * non-enumerable, so no serialisation carries it and only the redactor's context reads it.
 */
function helperInfo(source: SourceLabel, command: string): ApiKeyHelperInfo {
  const info: ApiKeyHelperInfo = { source, command: commandDisplay(command) };
  Object.defineProperty(info, 'raw', { value: command, enumerable: false });
  return info;
}

/** Line of the first `"NAME"` after `"env"` in a JSON text (JSON parsers keep no positions). */
function jsonKeyLine(text: string, key: string): number | undefined {
  const i = text.indexOf(JSON.stringify(key), Math.max(0, text.indexOf('"env"')));
  return i < 0 ? undefined : text.slice(0, i).split('\n').length;
}

class Discoverer {
  readonly candidates: Candidate[] = [];
  readonly notes: string[] = [];
  readonly ctx: ReadContext;

  constructor(readonly input: DiscoverInput) {
    this.ctx = { cwd: input.cwd, home: input.home, notes: this.notes };
  }

  label(file: string, line?: number): string {
    return fileLabel(file, this.input.cwd, this.input.home, line);
  }

  add(origin: SourceOrigin, name: string, value: string, file: string, line?: number, depth?: number): void {
    const c: Candidate = { source: this.label(file, line), origin, name, value, file };
    if (line !== undefined) c.line = line;
    if (depth !== undefined) c.depth = depth;
    this.candidates.push(c);
  }

  environment(): Record<string, string> {
    const { env, keyEnv } = this.input;
    for (const name of Object.keys(env).sort()) {
      const value = env[name];
      if (value === undefined) continue;
      // A name given with --key-env is the user's own: not a "wrong name" to report.
      if (name === keyEnv && nameKind(name) !== 'credential') continue;
      if (isCredentialish(name, value)) this.candidates.push({ source: `env:${name}`, origin: 'env', name, value });
    }
    if (keyEnv) {
      const value = env[keyEnv];
      if (value === undefined) this.notes.push(`--key-env ${keyEnv}: that variable is not set`);
      else this.candidates.push({ source: `env:${keyEnv}`, origin: 'key-env', name: keyEnv, value });
    }
    const relevant: Record<string, string> = {};
    for (const name of RELEVANT_ENV) if (env[name] !== undefined) relevant[name] = env[name]!;
    return relevant;
  }

  async dotenvFiles(): Promise<DotenvFileInfo[]> {
    const { cwd, home } = this.input;
    const files: DotenvFileInfo[] = [];
    const dirs = ancestors(cwd, isInside(cwd, home) ? home : undefined);
    for (const [depth, dir] of dirs.entries()) {
      for (const base of DOTENV_NAMES) {
        const file = path.join(dir, base);
        const text = await readTextFile(this.ctx, file);
        if (text === null) continue;
        const lines = dotenvLines(text);
        let holdsCredential = false;
        for (const [name, value] of Object.entries(dotenv.parse(text))) {
          if (!isCredentialish(name, value)) continue;
          this.add('dotenv', name, value, file, lines.get(name), depth);
          holdsCredential ||= value.trim() !== '';
        }
        files.push({ path: file, source: this.label(file), depth, holdsCredential, ignoredByGit: null });
      }
    }
    return files;
  }

  async shellFiles(): Promise<void> {
    const { home, platform } = this.input;
    const files = SHELL_FILES.map((f) => ({ f, ps: false }));
    if (platform === 'win32') files.push(...POWERSHELL_PROFILES.map((f) => ({ f, ps: true })));
    for (const { f, ps } of files) {
      const file = path.join(home, f);
      const text = await readTextFile(this.ctx, file);
      if (text === null) continue;
      for (const a of shellAssignments(text, ps)) {
        if (a.dynamic) {
          if (nameKind(a.name))
            this.notes.push(
              `${displayPath(file, this.input.cwd, home)}:${a.line} sets ${a.name} from a command or variable; its value is not known here`,
            );
        } else if (isCredentialish(a.name, a.value)) {
          this.add('shell', a.name, a.value, file, a.line);
        }
      }
    }
  }

  /** `$CLAUDE_CONFIG_DIR` (as Claude Code resolves it: `~` and relative paths allowed) or `~/.claude`. */
  claudeConfigDir(): string | null {
    const { env, home, cwd } = this.input;
    const dir = env.CLAUDE_CONFIG_DIR;
    if (dir) return dir.startsWith('~') && home ? path.join(home, dir.slice(1)) : path.resolve(cwd, dir);
    return home ? path.join(home, '.claude') : null;
  }

  async claudeSettings(configDir: string | null): Promise<Pick<Discovery, 'claudeSettingsEnv' | 'apiKeyHelper'>> {
    const { cwd, platform } = this.input;
    const managed =
      this.input.managedSettingsPath === undefined ? MANAGED_SETTINGS[platform] : this.input.managedSettingsPath;
    // Lowest precedence first (fact sheet §6: user < project < local < managed).
    const layers: [SourceOrigin, string | null | undefined][] = [
      ['claude-user', configDir && path.join(configDir, 'settings.json')],
      ['claude-project', path.join(cwd, '.claude', 'settings.json')],
      ['claude-local', path.join(cwd, '.claude', 'settings.local.json')],
      ['claude-managed', managed],
    ];
    const out: Pick<Discovery, 'claudeSettingsEnv' | 'apiKeyHelper'> = { claudeSettingsEnv: [] };
    const seen = new Set<string>();
    for (const [origin, file] of layers) {
      // In the home directory the project settings are the user settings: read them once.
      if (!file || seen.has(file)) continue;
      seen.add(file);
      const text = await readTextFile(this.ctx, file);
      const json = text === null ? null : parseJsonText(this.ctx, file, text);
      if (json === null) continue;
      if (!isRecord(json)) {
        this.notes.push(`${displayPath(file, cwd, this.input.home)}: not read (not a JSON object)`);
        continue;
      }
      const source = this.label(file);
      if (isRecord(json.env)) {
        const env: Record<string, string> = {};
        for (const [name, v] of Object.entries(json.env)) {
          // Claude Code exports these into the environment: scalars become their text.
          if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
          env[name] = String(v);
          if (isCredentialish(name, env[name])) this.add(origin, name, env[name], file, jsonKeyLine(text!, name));
        }
        out.claudeSettingsEnv.push({ origin, source, env });
      }
      if (typeof json.apiKeyHelper === 'string') {
        out.apiKeyHelper = helperInfo(source, json.apiKeyHelper);
      }
    }
    return out;
  }

  /** `.credentials.json`: which tokens a subscription login holds and until when — never the tokens. */
  async credentialsFile(configDir: string): Promise<ClaudeCredentialsFile> {
    const file = path.join(configDir, '.credentials.json');
    const info: ClaudeCredentialsFile = { source: this.label(file), present: await exists(file), kinds: [] };
    const json = info.present ? await readJsonFile(this.ctx, file) : null;
    const oauth = isRecord(json) ? json.claudeAiOauth : undefined;
    if (!isRecord(oauth)) return info;
    const { accessToken, refreshToken, expiresAt, subscriptionType, scopes } = oauth;
    if (typeof accessToken === 'string' && accessToken) {
      info.kinds.push(kindOf(accessToken).kind);
      info.accessTokenLength = accessToken.length;
      // The contract shows no characters of a value shorter than 20.
      if (accessToken.length >= 20) info.accessTokenTail = accessToken.slice(-4);
    }
    if (typeof refreshToken === 'string' && refreshToken) info.kinds.push(kindOf(refreshToken).kind);
    if (typeof expiresAt === 'number' || (typeof expiresAt === 'string' && /^\d+$/.test(expiresAt)))
      info.expiresAt = Number(expiresAt);
    if (typeof subscriptionType === 'string') info.subscriptionType = subscriptionType;
    if (Array.isArray(scopes)) info.scopes = scopes.filter((s): s is string => typeof s === 'string');
    return info;
  }

  /**
   * `customApiKeyResponses` in Claude Code's global config. [U] With CLAUDE_CONFIG_DIR set,
   * Claude Code keeps `.claude.json` inside that directory instead of in home.
   */
  async approvedKeys(
    configDir: string | null,
  ): Promise<Pick<Discovery, 'approvedKeySuffixes' | 'rejectedKeySuffixes'>> {
    const none = { approvedKeySuffixes: [], rejectedKeySuffixes: [] };
    const dir = this.input.env.CLAUDE_CONFIG_DIR ? configDir : this.input.home;
    if (!dir) return none;
    const json = await readJsonFile(this.ctx, path.join(dir, '.claude.json'), MAX_LARGE_FILE_BYTES);
    const responses = isRecord(json) ? json.customApiKeyResponses : undefined;
    if (!isRecord(responses)) return none;
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
    return { approvedKeySuffixes: strings(responses.approved), rejectedKeySuffixes: strings(responses.rejected) };
  }

  async hygiene(dotenvFiles: DotenvFileInfo[]): Promise<Discovery['leaks']> {
    const { cwd, env, home } = this.input;
    // Nothing to look for: don't spend a git process on it.
    if (this.candidates.every((c) => c.value.trim().length < LEAK_MIN_LENGTH) && dotenvFiles.length === 0) return [];
    const repo = await openRepo(makeGit(cwd, env, home));
    if (!repo) return [];
    const [leaks, ignored] = await Promise.all([
      findLeaks(
        repo,
        this.candidates.map((c) => c.value),
        this.ctx,
      ),
      Promise.all(dotenvFiles.map((f) => isIgnored(repo, f.path))),
    ]);
    dotenvFiles.forEach((f, i) => (f.ignoredByGit = ignored[i]!));
    return leaks;
  }
}

export async function discover(input: DiscoverInput): Promise<Discovery> {
  const d = new Discoverer(input);
  const { cwd, home, platform } = input;
  if (!(await exists(cwd))) d.notes.push(`the working directory ${tildify(cwd, home)} does not exist`);
  const configDir = d.claudeConfigDir();
  if (!home) d.notes.push(`no home directory: shell start-up files${configDir ? '' : ' and ~/.claude'} were not read`);

  const env = d.environment();
  const dotenvFiles = await d.dotenvFiles();
  if (home) await d.shellFiles();
  const settings = await d.claudeSettings(configDir);
  let credentialsFile = configDir ? await d.credentialsFile(configDir) : undefined;
  // macOS keeps Claude Code's login in the keychain, not in .credentials.json.
  if (
    platform === 'darwin' &&
    !credentialsFile?.present &&
    (await (input.keychainHas ?? macKeychainHas)(KEYCHAIN_SERVICE))
  ) {
    credentialsFile = { source: `keychain:${KEYCHAIN_SERVICE}`, present: true, kinds: ['oauth_access'] };
    d.notes.push(
      `Claude Code's login is in the macOS keychain (${KEYCHAIN_SERVICE}): its presence was checked; its tokens were not read and are never sent.`,
    );
  }
  const approved = await d.approvedKeys(configDir);
  const clients = await discoverClients(cwd, input.env, d.notes, home);
  const leaks = input.git === false ? [] : await d.hygiene(dotenvFiles);

  const discovery: Discovery = {
    cwd,
    home,
    platform,
    candidates: d.candidates,
    env,
    ...settings,
    ...approved,
    dotenvFiles,
    clients,
    leaks,
    notes: d.notes,
  };
  if (credentialsFile) discovery.credentialsFile = credentialsFile;
  return discovery;
}
