// What an observed program sent, as the diagnosis reads it (cli-contract.md "Observing the real
// program"): the raw record io/observe.ts makes, the contract's `observed` JSON entry (fingerprints
// only, each secret matched to the discovered sources), and the client.* findings. Pure.
import { parsePastedError } from './classify.js';
import { cleanCredential, fingerprint } from './credential.js';
import { finding } from './findings.js';
import type { Candidate, Discovery, Finding, PastedError } from './types.js';

/** Every stand-in answer carries a request id with this prefix: its own 529 is never read back as the user's error. */
export const STAND_IN_REQUEST_ID = 'req_c401standin';

/** One request that reached the stand-in or its proxy side. Credential fields are SECRET. */
export interface RawObservedRequest {
  method: string;
  /** Path without the query string (`/v1/models`), or `host:port` for a CONNECT. */
  path: string;
  /** The host:port the request was for (the stand-in's own, or another one). */
  target: string;
  /** `direct`: sent to the stand-in as a server; `proxy`: an absolute-URL proxied request; `connect`. */
  via: 'direct' | 'proxy' | 'connect';
  baseUrlHonoured: boolean;
  /** SECRET: the x-api-key header value. */
  xApiKey: string | null;
  /** SECRET: the whole Authorization header value (scheme and credential). */
  authorization: string | null;
  anthropicVersion: string | null;
  anthropicBeta: string[];
  userAgent: string | null;
  stainlessPackageVersion: string | null;
  stainlessLang: string | null;
  /** Other header names sent (names only: ANTHROPIC_CUSTOM_HEADERS values may be secrets). */
  otherHeaders: string[];
}

export type StopReason = 'exit' | 'quiet' | 'timeout' | 'cancel' | 'spawn-error';

/** One run of a program against the stand-in. `output` and the credential headers are NOT redacted. */
export interface RawObservation {
  /** The command as given (argv). */
  argv: string[];
  /** How to show the command (`npm run dev`); argv joined when absent. Never holds a secret by design. */
  label?: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  stoppedBy: StopReason;
  /** Why the program could not be started (ENOENT …), or null. */
  spawnError: string | null;
  /** The tail of stdout+stderr, NOT redacted: redact before any output. */
  output: string;
  outputTruncated: boolean;
  /** Recorded requests in arrival order (CONNECTs included), bounded. */
  requests: RawObservedRequest[];
  /** Requests that came after the cap: counted, not recorded. */
  unrecorded: number;
  /** host:port of every request for another address than the stand-in (proxied or CONNECT). */
  bypassed: string[];
  /** The stand-in's address (loopback). */
  standInUrl: string;
  /** The program's process id (= its process group id), or null when it did not start. */
  pid: number | null;
  /** Whole seconds the program was allowed (for the finding text). */
  timeoutSeconds: number;
  ms: number;
}

/** The contract's `observed[].requests[]` entry: fingerprints only. */
export interface ObservedRequest {
  method: string;
  path: string;
  xApiKey: string | null;
  /** Scheme and fingerprint: `Bearer sk-ant-api03-…AbAA (108 chars)`. */
  authorization: string | null;
  anthropicVersion: string | null;
  anthropicBeta: string[];
  userAgent: string | null;
  stainlessPackageVersion: string | null;
  stainlessLang: string | null;
  baseUrlHonoured: boolean;
  /** Where each credential in this request came from (`env:NAME`, `file:…:line`); empty when from none. */
  sources: string[];
}

/** The contract's `observed[]` entry. Text fields are NOT yet redacted: the renderer redacts. */
export interface ObservedProgram {
  command: string;
  /** The client's own name and version from its user-agent (`claude-cli/2.1.332`), or null. */
  client: string | null;
  exitCode: number | null;
  timedOut: boolean;
  /** The program's own output (tail), redacted by the renderer. */
  output: string;
  /** The output read like --error text, or null (the stand-in's own 529 is never read back as the user's error). */
  outputError: PastedError | null;
  bypassed: string[];
  requests: ObservedRequest[];
  /** Requests beyond the recorded ones (the program's retries). */
  unrecorded: number;
}

/** A credential the program sent, with where it came from (SECRET `value`). */
export interface ObservedCredential {
  value: string;
  header: 'x-api-key' | 'authorization';
  scheme: string | null;
  fingerprint: string;
  sources: string[];
}

/** `Bearer abc` → scheme `Bearer`, credential `abc`; a value with no scheme is all credential. */
export function splitAuthorization(raw: string): { scheme: string | null; credential: string } {
  // `Authorization: Bearer ` with nothing after it arrives as `Bearer` (HTTP drops the trailing space).
  if (/^\s*(Bearer|Basic)\s*$/i.test(raw)) return { scheme: raw.trim(), credential: '' };
  const m = /^([A-Za-z][A-Za-z0-9._~+-]*) +(\S[\s\S]*)$/.exec(raw.trim());
  return m ? { scheme: m[1]!, credential: m[2]! } : { scheme: null, credential: raw };
}

/** The labels of every discovered source that holds `value` (as a client would read it: trimmed, unquoted). */
export function sourcesOf(value: string, d: Pick<Discovery, 'candidates' | 'credentialsFile'>): string[] {
  const want = cleanCredential(value);
  if (!want) return [];
  const out: string[] = [];
  const same = (c: Candidate): boolean => c.value === value || cleanCredential(c.value) === want;
  for (const c of d.candidates) if (c.value !== '' && same(c) && !out.includes(c.source)) out.push(c.source);
  // Claude Code's own login: compared by its last 4 characters and length (the value is never read).
  const cf = d.credentialsFile;
  if (out.length === 0 && cf?.present && cf.accessTokenTail && cf.accessTokenLength === want.length)
    if (want.endsWith(cf.accessTokenTail) && want.startsWith('sk-ant-oat')) out.push(cf.source);
  return out;
}

/** The credentials one observed request carried. */
export function requestCredentials(
  r: RawObservedRequest,
  d: Pick<Discovery, 'candidates' | 'credentialsFile'>,
): ObservedCredential[] {
  const out: ObservedCredential[] = [];
  if (r.xApiKey !== null)
    out.push({
      value: r.xApiKey,
      header: 'x-api-key',
      scheme: null,
      fingerprint: fingerprint(r.xApiKey),
      sources: sourcesOf(r.xApiKey, d),
    });
  if (r.authorization !== null) {
    const { scheme, credential } = splitAuthorization(r.authorization);
    out.push({
      value: credential,
      header: 'authorization',
      scheme,
      fingerprint: fingerprint(credential),
      sources: sourcesOf(credential, d),
    });
  }
  return out;
}

/** `claude-cli/2.1.332 (external, sdk-cli)` → `claude-cli/2.1.332`; `Anthropic/JS 1.17.0` stays whole. */
export function clientName(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const name = userAgent.replace(/\s*\(.*$/, '').trim();
  return name ? name.slice(0, 80) : null;
}

/** The output read like --error text; the stand-in's own 529 (which every request got) is not the user's error. */
export function readOutput(raw: RawObservation): PastedError | null {
  const parsed = parsePastedError(raw.output) ?? noCredentialLine(raw.output);
  if (!parsed) return null;
  const overloaded = parsed.status === 529 || parsed.errorType === 'overloaded_error';
  const ours =
    raw.output.includes(STAND_IN_REQUEST_ID) ||
    raw.output.includes(new URL(raw.standInUrl).host) ||
    raw.requests.some((r) => r.baseUrlHonoured);
  return overloaded && ours ? null : parsed;
}

/**
 * The SDKs' "no credential at all" error is thrown before any request, so it has no status for the
 * pasted-error parser to find (fact sheet §5: TS `Could not resolve authentication method…`, Python
 * `TypeError: "Could not resolve…"`). Until the classifier's table knows it, it is read here.
 */
function noCredentialLine(output: string): PastedError | null {
  const i = output.search(/Could not resolve authentication method/);
  if (i < 0) return null;
  const start = output.lastIndexOf('\n', i) + 1;
  const end = output.indexOf('\n', i);
  const line = output
    .slice(start, end < 0 ? undefined : end)
    .trim()
    .slice(0, 500);
  const form = /Traceback|anthropic\/_client\.py|TypeError: "Could not/.test(output)
    ? 'sdk-py'
    : /CredentialsError|at Anthropic\.|@anthropic-ai\/sdk/.test(output)
      ? 'sdk-ts'
      : 'text';
  return { status: null, requestId: null, errorType: null, errorMessage: line, form };
}

/** The command as shown: the label, or argv joined with quotes where needed. */
export function commandText(raw: Pick<RawObservation, 'argv' | 'label'>): string {
  if (raw.label) return raw.label;
  return raw.argv.map((a) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export function toObservedProgram(
  raw: RawObservation,
  d: Pick<Discovery, 'candidates' | 'credentialsFile'>,
): ObservedProgram {
  const requests = raw.requests.map((r): ObservedRequest => {
    const creds = requestCredentials(r, d);
    const key = creds.find((c) => c.header === 'x-api-key');
    const auth = creds.find((c) => c.header === 'authorization');
    const sources: string[] = [];
    for (const c of creds) for (const s of c.sources) if (!sources.includes(s)) sources.push(s);
    return {
      method: r.method,
      path: r.path,
      xApiKey: key ? key.fingerprint : null,
      authorization: auth ? (auth.scheme ? `${auth.scheme} ${auth.fingerprint}` : auth.fingerprint) : null,
      anthropicVersion: r.anthropicVersion,
      anthropicBeta: [...r.anthropicBeta],
      userAgent: r.userAgent,
      stainlessPackageVersion: r.stainlessPackageVersion,
      stainlessLang: r.stainlessLang,
      baseUrlHonoured: r.baseUrlHonoured,
      sources,
    };
  });
  const ua = raw.requests.find((r) => r.baseUrlHonoured && r.userAgent)?.userAgent ?? null;
  return {
    command: commandText(raw),
    client: clientName(ua),
    exitCode: raw.exitCode,
    timedOut: raw.timedOut,
    output: raw.output,
    outputError: readOutput(raw),
    bypassed: [...raw.bypassed],
    requests,
    unrecorded: raw.unrecorded,
  };
}

/** Hosts that are the API or a cloud provider's endpoint for it: going there instead is a bypass. */
const API_HOSTS = /(^|\.)anthropic\.com:|^bedrock-runtime\.|aiplatform\.googleapis\.com:|services\.ai\.azure\.com:/;

/** Output that means the client found no credential (SDKs; Claude Code's own words). */
const NO_CREDENTIAL = /Could not resolve authentication method|Not logged in|Missing API key/i;

/** The client.* findings of one observed program (observation outranks the model). */
export function observedFindings(raw: RawObservation, d: Pick<Discovery, 'candidates' | 'credentialsFile'>): Finding[] {
  const out: Finding[] = [];
  const cmd = commandText(raw);
  const honoured = raw.requests.filter((r) => r.baseUrlHonoured);
  if (raw.spawnError !== null || raw.cancelled) return out;

  // Credentials found in no source.
  const seen = new Set<string>();
  for (const r of honoured) {
    for (const c of requestCredentials(r, d)) {
      if (c.sources.length > 0 || seen.has(c.value)) continue;
      seen.add(c.value);
      const how = c.header === 'x-api-key' ? 'x-api-key' : `Authorization${c.scheme ? `: ${c.scheme}` : ''}`;
      if (c.value.trim() === '') {
        out.push(
          finding(
            'client.unknown_credential',
            `\`${cmd}\` sent ${how} with an empty value: the place it reads its key from (a variable with a ` +
              'name of its own, a config file) is empty or unset where it runs.',
            { title: 'The program sent an empty credential' },
          ),
        );
        continue;
      }
      out.push(
        finding(
          'client.unknown_credential',
          `\`${cmd}\` sent ${c.fingerprint} as ${how}, and that value is in none of the places this tool reads ` +
            '(the environment, dotenv files, shell start-up files, Claude Code settings): it comes from the ' +
            'program itself — a key written in the code, a secret manager, or a variable set only where it runs. ' +
            'Changing ANTHROPIC_API_KEY will not change what this program sends.',
        ),
      );
    }
  }

  const apiBypass = raw.bypassed.filter((b) => API_HOSTS.test(b));
  const said = honoured.length === 0 ? readOutput(raw) : null;
  const noCred = said?.errorMessage ? NO_CREDENTIAL.test(said.errorMessage) : false;
  if (honoured.length === 0 && raw.bypassed.length > 0 && !noCred) {
    out.push(
      finding(
        'client.bypasses_base_url',
        `\`${cmd}\` did not send its requests to ANTHROPIC_BASE_URL: it went through the proxy to ` +
          `${raw.bypassed.slice(0, 5).join(', ')} instead (refused here, so nothing left this machine). ` +
          'It sets its own base URL, so a fix made through ANTHROPIC_BASE_URL will not reach it.',
      ),
    );
  } else if (honoured.length > 0 && apiBypass.length > 0) {
    out.push(
      finding(
        'client.bypasses_base_url',
        `Part of \`${cmd}\` honoured ANTHROPIC_BASE_URL, but it also connected to ${apiBypass.join(', ')} ` +
          'through the proxy (refused here): one of its clients sets its own base URL.',
        { severity: 'warning' },
      ),
    );
  } else if (honoured.length === 0) {
    const why = said?.errorMessage
      ? ` Its output says: "${said.errorMessage.slice(0, 300)}".`
      : raw.output.trim()
        ? ' Its output (in the report) does not name an API error.'
        : ' It printed nothing.';
    const ended = raw.timedOut
      ? `within ${raw.timeoutSeconds} s (it was stopped then)`
      : `before it exited (exit code ${raw.exitCode ?? raw.signal ?? 'unknown'})`;
    out.push(
      finding(
        'client.no_request',
        `\`${cmd}\` sent no request to the API ${ended}.${why}` +
          (noCred
            ? ' The client found no credential where it ran, so it never called the API.'
            : ' It may also connect to the API directly, ignoring both ANTHROPIC_BASE_URL and the proxy variables: ' +
              'that cannot be seen from here.'),
        raw.timedOut && !said ? { severity: 'warning' } : {},
      ),
    );
  }
  return out;
}
