// What an observed program sent, as the diagnosis reads it (cli-contract.md "Observing the real
// program"): the raw record io/observe.ts makes, the contract's `observed` JSON entry (fingerprints
// only, each secret matched to the discovered sources), and the client.* findings. Pure.
import { parsePastedError } from './classify.js';
import { cleanCredential, fingerprint, kindOf } from './credential.js';
import { finding } from './findings.js';
import type { Subject } from './state.js';
import type { Candidate, ClientModel, Discovery, Finding, PastedError, Resolution } from './types.js';
import { BEARER_KEY_VERSION, OAUTH_BETA } from './api.js';

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
  /** `command`: the user's failing program (the truth about "the client"); `installed`: a client found installed. */
  origin?: 'command' | 'installed';
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
  const parsed = parsePastedError(raw.output);
  if (!parsed) return null;
  const overloaded = parsed.status === 529 || parsed.errorType === 'overloaded_error';
  const ours =
    raw.output.includes(STAND_IN_REQUEST_ID) ||
    raw.output.includes(new URL(raw.standInUrl).host) ||
    raw.requests.some((r) => r.baseUrlHonoured);
  return overloaded && ours ? null : parsed;
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

// ---------------------------------------------------------------------------------------------
// Observation feeding the diagnosis: observed credential forms become the probe subjects, and the
// model's conclusions that observation contradicts are dropped, each with a note saying so.

/** The client model a user-agent names (`claude-cli/…`, `Anthropic/JS 1.17.0`, `Anthropic/Python …`). */
export function observedClientModel(userAgent: string | null): ClientModel {
  if (!userAgent) return 'other';
  if (/^claude-cli\//.test(userAgent)) return 'claude-code';
  const js = /^Anthropic\/JS (\d+)\./.exec(userAgent);
  if (js) return Number(js[1]) >= 1 ? 'sdk-ts-1' : 'sdk-ts-0';
  if (/^Anthropic\/Python/.test(userAgent)) return 'sdk-py';
  if (/^curl\//.test(userAgent)) return 'curl';
  return 'other';
}

/** The distinct credential forms one program was seen sending, as probe subjects (ids o1, o2, …). */
export function observedSubjects(
  observed: RawObservation[],
  d: Pick<Discovery, 'candidates' | 'credentialsFile'>,
): Subject[] {
  const out: Subject[] = [];
  for (const raw of observed) {
    const cmd = commandText(raw);
    for (const r of raw.requests) {
      if (!r.baseUrlHonoured) continue;
      const auth = r.authorization !== null ? splitAuthorization(r.authorization) : null;
      const bearer = auth && auth.scheme?.toLowerCase() === 'bearer' ? auth.credential : null;
      let value: string;
      let secondary: string | null = null;
      let sendsAs: Subject['sendsAs'];
      if (r.xApiKey !== null && bearer !== null && bearer !== '') {
        value = r.xApiKey;
        secondary = bearer;
        sendsAs = 'both';
      } else if (r.xApiKey !== null) {
        value = r.xApiKey;
        sendsAs = 'x-api-key';
      } else if (auth) {
        value = auth.credential;
        sendsAs = 'authorization';
      } else continue;
      if (value.trim() === '') continue;
      const headers: Record<string, string> = {};
      if (r.xApiKey !== null) headers['x-api-key'] = r.xApiKey;
      if (r.authorization !== null) headers['authorization'] = r.authorization;
      if (r.anthropicVersion !== null) headers['anthropic-version'] = r.anthropicVersion;
      if (r.anthropicBeta.length > 0) headers['anthropic-beta'] = r.anthropicBeta.join(',');
      const model = observedClientModel(r.userAgent);
      const formKey = JSON.stringify(headers);
      const same = out.find((x) => JSON.stringify(x.observed?.headers) === formKey);
      if (same) {
        if (!same.clients.includes(model)) same.clients.push(model);
        if (!same.labels.includes(`${cmd} (observed)`)) same.labels.push(`${cmd} (observed)`);
        continue;
      }
      out.push({
        id: `o${out.length + 1}`,
        clients: [model],
        labels: [`${cmd} (observed)`],
        source: sourcesOf(value, d)[0] ?? `observed:${cmd}`,
        value,
        secondary,
        kind: kindOf(value).kind,
        sendsAs,
        version: r.anthropicVersion === BEARER_KEY_VERSION ? BEARER_KEY_VERSION : '2023-06-01',
        beta: r.anthropicBeta.includes(OAUTH_BETA),
        customHeaders: {},
        fingerprint: fingerprint(value),
        observed: { headers, program: cmd },
      });
    }
  }
  return out;
}

const SENT_AS: Record<Subject['sendsAs'], string> = {
  'x-api-key': 'x-api-key',
  authorization: 'Authorization: Bearer',
  both: 'x-api-key and Authorization: Bearer',
  none: 'no credential header',
};

function describeForm(x: { fingerprint: string; sendsAs: Subject['sendsAs']; version: string | null }): string {
  return `${x.fingerprint} as ${SENT_AS[x.sendsAs]}${x.version ? ` with anthropic-version ${x.version}` : ''}`;
}

export interface ObservationApplied {
  subjects: Subject[];
  findings: Finding[];
  notes: string[];
}

/**
 * Observation outranks the model. The user's own command replaces every modelled subject (it IS the
 * failing client); an installed client replaces the subjects of its own client model. Findings of the
 * configuration that observation contradicts are dropped, and a note says where the model was wrong.
 */
export function applyObservation(p: {
  observed: RawObservation[];
  discovery: Pick<Discovery, 'candidates' | 'credentialsFile'>;
  resolutions: Resolution[];
  subjects: Subject[];
  findings: Finding[];
}): ObservationApplied {
  const { observed, discovery: d } = p;
  const notes: string[] = [];
  const seen = observedSubjects(observed, d);
  const fromCommand = seen.filter((x) =>
    observed.some((o) => (o.origin ?? 'command') === 'command' && commandText(o) === x.observed?.program),
  );
  const observedModels = new Set(seen.flatMap((x) => x.clients));
  let modelled = p.subjects;
  if (fromCommand.length > 0) {
    if (modelled.length > 0)
      notes.push(
        `Live checks use what \`${fromCommand[0]!.observed!.program}\` was seen sending, not what the configuration ` +
          'suggests a client would send.',
      );
    modelled = [];
  } else {
    modelled = modelled
      .map((x) => ({ ...x, clients: x.clients.filter((c) => !observedModels.has(c)) }))
      .filter((x) => x.clients.length > 0);
  }
  // Where the model expected another credential or form for the same client.
  for (const x of seen) {
    for (const model of x.clients) {
      const r = p.resolutions.find((res) => res.client === model);
      if (!r) continue;
      const expectedValue = r.credential ? cleanCredential(r.credential.value) : null;
      const sameValue = expectedValue !== null && expectedValue === cleanCredential(x.value);
      if (sameValue && r.sendsAs === x.sendsAs && r.anthropicVersion === x.observed?.headers['anthropic-version'])
        continue;
      const expected = r.credential
        ? describeForm({
            fingerprint: fingerprint(r.credential.value),
            sendsAs: r.sendsAs,
            version: r.anthropicVersion,
          }) + ` (from ${r.credential.source})`
        : 'no credential';
      notes.push(
        `Observation corrected the model: for ${r.label} it expected ${expected}; \`${x.observed!.program}\` was seen ` +
          `sending ${describeForm({ fingerprint: x.fingerprint, sendsAs: x.sendsAs, version: x.observed!.headers['anthropic-version'] ?? null })}` +
          ` (from ${x.source}).`,
      );
    }
  }
  // Findings the configuration produced that observation contradicts.
  const sentSources = new Set(seen.map((x) => x.source));
  const findings = p.findings.filter((f) => {
    if (f.id === 'key.missing' && seen.length > 0) {
      notes.push(
        `The configuration showed no credential for the clients it models (key.missing), but \`${seen[0]!.observed!.program}\` ` +
          `was seen sending ${seen[0]!.fingerprint} (from ${seen[0]!.source}).`,
      );
      return false;
    }
    if (f.id === 'env.wrong_name') {
      const src = [...sentSources].find((x) => f.detail.includes(x));
      if (src) {
        notes.push(
          `The configuration suggested no client reads ${src.replace(/^env:/, '')} (env.wrong_name), but the observed ` +
            `program sends the value from ${src}: its own code reads that name.`,
        );
        return false;
      }
    }
    return true;
  });
  for (const o of observed) findings.push(...observedFindings(o, d));
  return { subjects: [...seen, ...modelled], findings, notes };
}
