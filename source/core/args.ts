// argv -> a command and Options, or a one-line usage error. Pure: no I/O.
import type { ClientChoice, Options, Provider } from './types.js';
import { OFFICIAL_API } from './api.js';
import { CliError } from './exit.js';

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'wizard'; options: Options; errorFile: string | null }
  | { kind: 'check'; options: Options; errorFile: string | null }
  | { kind: 'observe'; options: Options; errorFile: string | null; argv: string[] }
  | { kind: 'demo'; options: Options; scenario: string | null; list: boolean };

/** Bad flags or arguments: exit 2 (the root prints the message). */
export class UsageError extends CliError {}

export const CLIENTS: readonly ClientChoice[] = ['claude-code', 'sdk', 'curl', 'other', 'auto'];
export const PROVIDERS: readonly Provider[] = ['anthropic', 'bedrock', 'vertex', 'foundry'];
export const DEFAULT_API_URL = OFFICIAL_API;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_OBSERVE_TIMEOUT_S = 30;
const MAX_WAIT_SECONDS = 3600;

export function defaultOptions(): Options {
  return {
    json: false,
    report: null,
    apiUrl: DEFAULT_API_URL,
    probeBaseUrl: false,
    network: true,
    client: 'auto',
    errorText: null,
    keyEnv: null,
    project: null,
    model: null,
    keyAgeMinutes: null,
    waitSeconds: 0,
    adminKeyEnv: null,
    provider: null,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    strict: false,
    color: true,
    observeClients: false,
    observeTimeoutSeconds: DEFAULT_OBSERVE_TIMEOUT_S,
  };
}

type Spec = { takes: boolean };
const FLAGS: Record<string, Spec> = {
  '--json': { takes: false },
  '--report': { takes: true },
  '--api-url': { takes: true },
  '--probe-base-url': { takes: false },
  '--no-network': { takes: false },
  '--client': { takes: true },
  '--error': { takes: true },
  '--error-file': { takes: true },
  '--key-env': { takes: true },
  '--project': { takes: true },
  '--model': { takes: true },
  '--key-age': { takes: true },
  '--wait': { takes: true },
  '--admin-key-env': { takes: true },
  '--provider': { takes: true },
  '--timeout': { takes: true },
  '--strict': { takes: false },
  '--observe-clients': { takes: false },
  '--observe-timeout': { takes: true },
  '--no-color': { takes: false },
  '--list': { takes: false },
  '--help': { takes: false },
  '-h': { takes: false },
  '--version': { takes: false },
  '-v': { takes: false },
};

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function number(flag: string, raw: string, min: number, max: number, what: string): number {
  const n = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`${flag} takes ${what} from ${min} to ${max}, not "${echoValue(raw)}"`);
  }
  return n;
}

/** How many characters of a refused value a usage error may echo (cli-contract.md "Fingerprints and secrets"). */
export const ECHO_MAX = 6;

/**
 * A refused value as a usage error may show it: at most ECHO_MAX characters (it may be a key typed
 * in the wrong place), non-printable ones as "?", and "…" when anything was cut.
 */
export function echoValue(s: string): string {
  const clean = [...s].map((c) => (/^[\x20-\x7e]$/.test(c) ? c : '?'));
  return clean.length > ECHO_MAX ? clean.slice(0, ECHO_MAX).join('') + '…' : clean.join('');
}

function envName(flag: string, raw: string): string {
  if (!ENV_NAME.test(raw))
    throw new UsageError(`${flag} takes an environment variable NAME (letters, digits, _), not a value`);
  return raw;
}

/** `env` decides the colour default (NO_COLOR). */
export function parseArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): Command {
  const o = defaultOptions();
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') o.color = false;
  const positionals: string[] = [];
  let errorFile: string | null = null;
  let list = false;
  let help = false;
  let version = false;
  const seen = new Set<string>();
  let observed: string[] | null = null;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      // `observe [options] -- COMMAND [ARG…]`: everything after -- is the program's, untouched.
      if (positionals[0] === 'observe') observed = argv.slice(i + 1);
      else positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const spec = FLAGS[flag];
    if (!spec) {
      // A misspelt option name (lowercase words and dashes) is shown whole; anything else may be a value.
      const name = /^--?[a-z]+(?:-[a-z]+)*$/.test(flag) && flag.length <= 24 ? flag : echoValue(flag);
      throw new UsageError(`unknown option ${name} (see --help)`);
    }
    let value = '';
    if (spec.takes) {
      if (eq > 0 && arg.startsWith('--')) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i]!;
      else throw new UsageError(`${flag} needs a value`);
    } else if (eq > 0) {
      throw new UsageError(`${flag} takes no value`);
    }
    if (seen.has(flag) && spec.takes) throw new UsageError(`${flag} was given twice`);
    seen.add(flag);

    switch (flag) {
      case '--json':
        o.json = true;
        break;
      case '--report':
        if (value === '') throw new UsageError('--report needs a file name, or - for stdout');
        o.report = value;
        break;
      case '--api-url':
        o.apiUrl = apiUrl(value);
        break;
      case '--probe-base-url':
        o.probeBaseUrl = true;
        break;
      case '--no-network':
        o.network = false;
        break;
      case '--client':
        if (!CLIENTS.includes(value as ClientChoice))
          throw new UsageError(`--client must be one of ${CLIENTS.join(', ')}`);
        o.client = value as ClientChoice;
        break;
      case '--error':
        o.errorText = value;
        break;
      case '--error-file':
        if (value === '') throw new UsageError('--error-file needs a file name, or - for stdin');
        errorFile = value;
        break;
      case '--key-env':
        o.keyEnv = envName(flag, value);
        break;
      case '--project':
        if (value === '') throw new UsageError('--project needs a directory');
        o.project = value;
        break;
      case '--model':
        if (!/^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/.test(value))
          throw new UsageError('--model takes a model id such as claude-sonnet-4-5');
        o.model = value;
        break;
      case '--key-age':
        o.keyAgeMinutes = number(flag, value, 0, 525_600, 'minutes');
        break;
      case '--wait':
        o.waitSeconds = number(flag, value, 0, MAX_WAIT_SECONDS, 'seconds');
        break;
      case '--admin-key-env':
        o.adminKeyEnv = envName(flag, value);
        break;
      case '--provider':
        if (!PROVIDERS.includes(value as Provider))
          throw new UsageError(`--provider must be one of ${PROVIDERS.join(', ')}`);
        o.provider = value as Provider;
        break;
      case '--timeout':
        o.timeoutMs = number(flag, value, 100, 600_000, 'milliseconds');
        break;
      case '--strict':
        o.strict = true;
        break;
      case '--observe-clients':
        o.observeClients = true;
        break;
      case '--observe-timeout':
        o.observeTimeoutSeconds = number(flag, value, 1, 600, 'seconds');
        break;
      case '--no-color':
        o.color = false;
        break;
      case '--list':
        list = true;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      case '--version':
      case '-v':
        version = true;
        break;
    }
  }
  if (help) return { kind: 'help' };
  if (version) return { kind: 'version' };

  if (o.errorText !== null && errorFile !== null) throw new UsageError('give --error or --error-file, not both');
  if (o.report === '-' && o.json)
    throw new UsageError('--report - prints the report on stdout, which --json already uses; give --report FILE');
  if (o.errorText !== null && o.errorText.length > 1_000_000)
    throw new UsageError('--error is over 1 MB; use --error-file');

  const [command, ...rest] = positionals;
  if (command === undefined || command === 'check') {
    if (rest.length > 0) throw new UsageError(`unexpected argument "${echoValue(rest[0]!)}"`);
    if (list) throw new UsageError('--list goes with demo');
    return { kind: command === 'check' ? 'check' : 'wizard', options: o, errorFile };
  }
  if (command === 'observe') {
    if (list) throw new UsageError('--list goes with demo');
    if (rest.length > 0 || observed === null)
      throw new UsageError('observe runs the command given after --: observe [options] -- COMMAND [ARG…]');
    if (observed.length === 0 || observed[0] === '')
      throw new UsageError('observe needs a command after --: observe [options] -- COMMAND [ARG…]');
    return { kind: 'observe', options: o, errorFile, argv: observed };
  }
  if (command === 'demo') {
    if (rest.length > 1) throw new UsageError(`unexpected argument "${echoValue(rest[1]!)}"`);
    return { kind: 'demo', options: o, scenario: rest[0] ?? null, list };
  }
  throw new UsageError(`unknown command "${echoValue(command)}" (commands: check, observe, demo; see --help)`);
}

function apiUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError('--api-url takes an http(s) URL such as https://api.anthropic.com');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new UsageError('--api-url must start with https:// or http://');
  if (u.username || u.password) throw new UsageError('--api-url must not carry user:password');
  if (u.search) throw new UsageError('--api-url must not carry a query string');
  // The API's paths start with /v1; a base that already ends in /v1 would double it.
  return (u.origin + u.pathname).replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** CI or CONTINUOUS_INTEGRATION set to anything but 0/false (cli-contract.md). */
export function isCi(env: Record<string, string | undefined>): boolean {
  return [env.CI, env.CONTINUOUS_INTEGRATION].some((v) => v !== undefined && !/^(0|false)$/i.test(v));
}

/** Interactive exactly when both ends are TTYs, no --json, and CI is unset or 0/false. */
export function isInteractive(p: {
  stdinTTY: boolean;
  stdoutTTY: boolean;
  json: boolean;
  env: Record<string, string | undefined>;
}): boolean {
  return p.stdinTTY && p.stdoutTTY && !p.json && !isCi(p.env);
}
