// Network faults, each against the BUILT CLI (`check --json`): emulator fault modes and real
// sockets. Every run must end by itself within the contract's bound (per probe: at most 3 attempts
// of --timeout plus backoff), name the fault with a network.* / api.* finding, exit with the
// contract's code, print no crash text and no secret. The bound is enforced by killing the child:
// a run that outlives it fails as a HANG.
import { beforeAll, describe, expect, it } from 'vitest';
import { emulatorKey, type Fault } from '../../source/emulator/index.js';
import {
  box,
  cli,
  closedPort,
  emulator,
  EXIT,
  expectSane,
  findingOf,
  forwardProxy,
  ids,
  requireBuild,
  selfSignedServer,
  type Box,
  type Run,
} from './helpers.js';

beforeAll(() => requireBuild());

const TIMEOUT_MS = 500;
/** Backoff before the 1st and 2nd retry is at most 0.5 s and 1 s (full jitter). */
const MAX_BACKOFF_MS = 1_500;
/** Start-up and teardown of a Node process on a loaded CI machine. */
const STARTUP_SLACK_MS = 5_000;

/** The contract's bound for `probes` live requests at --timeout `timeoutMs`: each at most 3 attempts plus backoff. */
function boundMs(probes: number, timeoutMs = TIMEOUT_MS, waitMs = 0): number {
  return probes * (3 * timeoutMs + MAX_BACKOFF_MS) + waitMs + STARTUP_SLACK_MS;
}

/** `check --json` with a working key in ANTHROPIC_API_KEY against `apiUrl`, killed after `killAfterMs`. */
async function check(
  b: Box,
  apiUrl: string,
  key: string,
  killAfterMs: number,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<Run> {
  return cli(
    ['check', '--json', '--api-url', apiUrl, '--client', 'curl', '--timeout', String(TIMEOUT_MS), ...extra],
    b,
    {
      env: { ANTHROPIC_API_KEY: key, ...env },
      killAfterMs,
    },
  );
}

async function faulty(fault: Fault | null) {
  const key = emulatorKey();
  const emu = await emulator({ keys: [key], faults: fault ? [fault] : [] });
  const count = (path: string) => emu.requests.filter((r) => r.path === path).length;
  return { key, emu, models: () => count('/v1/models'), countTokens: () => count('/v1/messages/count_tokens') };
}

/** Faults counted on the model list only (count_tokens goes out beside it, sent ahead). */
const MODEL_LIST = { method: 'GET', path: '/v1/models' };

/** The probe of the model list as the JSON reports it. */
const modelsProbe = (r: Run) => r.json.probes.find((p: { url: string }) => /\/v1\/models(\?|$)/.test(p.url));

describe('emulator fault modes', () => {
  it(
    'hang: no answer ever → network.timeout (warning), ' + 'verdict inconclusive, exit 3, within one --timeout',
    async () => {
      const b = box();
      const { key, emu, models } = await faulty({ kind: 'hang' });
      // The bound stays under the default 10 s timeout: a run that ignored --timeout would be killed.
      const r = await check(b, emu.url, key.value, boundMs(1));
      expectSane(r, { codes: [EXIT.inconclusive], secrets: [key.value] });
      expect(r.json.verdict).toBe('inconclusive');
      expect(findingOf(r, 'network.timeout')).toMatchObject({ severity: 'warning', step: 'network' });
      expect(modelsProbe(r)).toMatchObject({ status: null });
      expect(models()).toBe(1); // a timeout is not a transient answer: not retried
    },
  );

  it('hang on count_tokens only → the key is valid, network.timeout says scope was not checked, exit 0', async () => {
    const b = box();
    const { key, emu, countTokens } = await faulty({ kind: 'hang', match: { path: '/v1/messages/count_tokens' } });
    const r = await check(b, emu.url, key.value, boundMs(2));
    expectSane(r, { codes: [EXIT.ok], secrets: [key.value] });
    expect(ids(r)).toEqual(expect.arrayContaining(['key.valid', 'network.timeout']));
    expect(countTokens()).toBe(1);
  });

  it('reset: the socket is destroyed → retried twice, then network.unreachable, exit 3', async () => {
    const b = box();
    const { key, emu, models } = await faulty({ kind: 'reset' });
    const r = await check(b, emu.url, key.value, boundMs(1));
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [key.value] });
    expect(findingOf(r, 'network.unreachable')).toMatchObject({ severity: 'warning' });
    expect(findingOf(r, 'network.unreachable').detail).toMatch(/reset/);
    expect(models()).toBe(3);
  });

  it('HTML 502 from a proxy → retried twice, then api.server_error (warning), exit 3', async () => {
    const b = box();
    const { key, emu, models } = await faulty({ kind: 'html502' });
    const r = await check(b, emu.url, key.value, boundMs(1));
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [key.value] });
    expect(findingOf(r, 'api.server_error')).toMatchObject({ severity: 'warning' });
    expect(r.stdout).not.toContain('<html>'); // the page is summarised, not dumped
    expect(models()).toBe(3);
  });

  it('500 api_error → retried twice, then api.server_error, exit 3', async () => {
    const b = box();
    const { key, emu, models } = await faulty({ kind: 'server_error' });
    const r = await check(b, emu.url, key.value, boundMs(1));
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [key.value] });
    expect(ids(r)).toContain('api.server_error');
    expect(models()).toBe(3);
  });

  it('529 twice, then success → the retries absorb it: key.valid, exit 0', async () => {
    const b = box();
    const { key, emu, models, countTokens } = await faulty({ kind: 'overloaded', times: 2, match: MODEL_LIST });
    const r = await check(b, emu.url, key.value, boundMs(2));
    expectSane(r, { codes: [EXIT.ok], secrets: [key.value] });
    expect(r.json.verdict).toBe('ok');
    expect(ids(r)).toContain('key.valid');
    expect(models()).toBe(3);
    expect(countTokens()).toBe(1);
  });

  it('529 three times → at most 2 retries (3 requests), then api.overloaded (warning), exit 3', async () => {
    const b = box();
    const { key, emu, models } = await faulty({ kind: 'overloaded', times: 3, match: MODEL_LIST });
    const r = await check(b, emu.url, key.value, boundMs(1));
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [key.value] });
    expect(findingOf(r, 'api.overloaded')).toMatchObject({ severity: 'warning' });
    expect(models()).toBe(3);
  });

  it('429 with retry-after: 1 once → waited for, then key.valid, exit 0', async () => {
    const b = box();
    const { key, emu, models } = await faulty({ kind: 'rate_limited', retryAfterSeconds: 1, times: 1 });
    const r = await check(b, emu.url, key.value, boundMs(2, TIMEOUT_MS, 1_000));
    expectSane(r, { codes: [EXIT.ok], secrets: [key.value] });
    expect(ids(r)).toContain('key.valid');
    expect(models()).toBe(2);
  });

  it('429 with retry-after: 30 → reported, not waited for: api.rate_limited, exit 3, well under 30 s', async () => {
    const b = box();
    const { key, emu, models } = await faulty({ kind: 'rate_limited', retryAfterSeconds: 30 });
    const r = await check(b, emu.url, key.value, boundMs(1));
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [key.value] });
    expect(findingOf(r, 'api.rate_limited')).toMatchObject({ severity: 'warning' });
    expect(findingOf(r, 'api.rate_limited').detail).toMatch(/retry-after 30/);
    expect(models()).toBe(1);
  });

  it('429 spend cap (no retry-after) → billing.spend_limit, exit 1, not retried', async () => {
    const b = box();
    const { key, emu, models } = await faulty({ kind: 'spend_cap' });
    const r = await check(b, emu.url, key.value, boundMs(1));
    expectSane(r, { codes: [EXIT.problem], secrets: [key.value] });
    expect(ids(r)).toContain('billing.spend_limit');
    expect(models()).toBe(1);
  });

  it('slow trickle that still ends in time (20 kB/s) → key.valid, exit 0', async () => {
    const b = box();
    const { key, emu } = await faulty({ kind: 'trickle', bytesPerSecond: 20_000 });
    const r = await check(b, emu.url, key.value, boundMs(2));
    expectSane(r, { codes: [EXIT.ok], secrets: [key.value] });
    expect(ids(r)).toContain('key.valid');
  });

  it(
    'trickle on count_tokens only (5 B/s) → ' + 'network.timeout in scope, key.valid, exit 0, within ' + '--timeout',
    async () => {
      const b = box();
      const { key, emu } = await faulty({
        kind: 'trickle',
        bytesPerSecond: 5,
        match: { path: '/v1/messages/count_tokens' },
      });
      const r = await check(b, emu.url, key.value, boundMs(2));
      expectSane(r, { codes: [EXIT.ok], secrets: [key.value] });
      expect(ids(r)).toEqual(expect.arrayContaining(['key.valid', 'network.timeout']));
    },
  );

  it(
    'trickle on every answer (5 B/s): headers arrive, the body never finishes → network.timeout is reported, ' +
      'within --timeout',
    async () => {
      const b = box();
      const { key, emu } = await faulty({ kind: 'trickle', bytesPerSecond: 5 });
      const r = await check(b, emu.url, key.value, boundMs(1));
      // 200 headers prove the key was accepted; the cut-off model list must still be said.
      expectSane(r, { codes: [EXIT.ok, EXIT.inconclusive], secrets: [key.value] });
      expect(ids(r)).toContain('network.timeout');
    },
  );
});

describe('real sockets', () => {
  it('DNS failure (a host under .invalid, RFC 6761) → network.unreachable naming DNS, exit 3', async () => {
    const b = box();
    const key = emulatorKey();
    const r = await check(b, 'https://api.c401-robustness.invalid', key.value, boundMs(1));
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [key.value] });
    expect(findingOf(r, 'network.unreachable')?.detail).toMatch(/DNS|ENOTFOUND|EAI_AGAIN/);
    expect(modelsProbe(r)).toMatchObject({ status: null });
  });

  it('refused port → network.unreachable (ECONNREFUSED), exit 3', async () => {
    const b = box();
    const key = emulatorKey();
    const port = await closedPort();
    const r = await check(b, `http://127.0.0.1:${port}`, key.value, boundMs(1));
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [key.value] });
    expect(findingOf(r, 'network.unreachable')?.detail).toMatch(/ECONNREFUSED/);
  });

  it('TLS with a self-signed certificate → network.tls, exit 3, and no request ever completed', async () => {
    const b = box();
    const key = emulatorKey();
    const tls = await selfSignedServer(b.root);
    const r = await check(b, tls.url, key.value, boundMs(1));
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [key.value] });
    expect(findingOf(r, 'network.tls')).toMatchObject({ severity: 'warning', step: 'network' });
    expect(tls.requests).toEqual([]);
    expect(tls.handshakes()).toBe(0);
  });

  it(
    'TLS stays verified even when the environment says NODE_TLS_REJECT_UNAUTHORIZED=0: network.tls, the key is ' +
      'never sent',
    async () => {
      const b = box();
      const key = emulatorKey();
      const tls = await selfSignedServer(b.root);
      const r = await check(b, tls.url, key.value, boundMs(1), [], { NODE_TLS_REJECT_UNAUTHORIZED: '0' });
      expectSane(r, { codes: [EXIT.inconclusive], secrets: [key.value] });
      expect(tls.requests.map((q) => `${q.method} ${q.url}`)).toEqual([]);
      expect(ids(r)).toContain('network.tls');
    },
  );

  it('a proxy in HTTP_PROXY that strips x-api-key → header.stripped, exit 1', async () => {
    const b = box();
    const { key, emu } = await faulty(null);
    const proxy = await forwardProxy({ strip: ['x-api-key'] });
    const r = await check(b, emu.url, key.value, boundMs(2), [], {
      HTTP_PROXY: proxy.url,
      HTTPS_PROXY: proxy.url,
      NO_PROXY: '',
    });
    expectSane(r, { codes: [EXIT.problem], secrets: [key.value] });
    expect(ids(r)).toContain('header.stripped');
    expect(proxy.seen.length).toBeGreaterThan(0);
    // It did arrive at the proxy with the key: the loss happened in between.
    expect(proxy.seen[0]!.headers['x-api-key']).toBe(key.value);
    expect(emu.requests.every((q) => q.headers['x-api-key'] === undefined)).toBe(true);
  });

  it(
    'a gateway at --api-url that strips x-api-key (emulator ' + 'strip-x-api-key-proxy) → header.stripped, exit 1',
    async () => {
      const b = box();
      const key = emulatorKey();
      const strip = await emulator({ keys: [key], mode: 'strip-x-api-key-proxy' });
      const r = await check(b, strip.url, key.value, boundMs(2));
      expectSane(r, { codes: [EXIT.problem], secrets: [key.value] });
      expect(findingOf(r, 'header.stripped')).toMatchObject({ severity: 'error' });
    },
  );

  it('a proxy in HTTPS_PROXY that refuses connections → network.proxy, exit 3', async () => {
    const b = box();
    const { key, emu } = await faulty(null);
    const port = await closedPort();
    const r = await check(b, emu.url, key.value, boundMs(1), [], {
      HTTP_PROXY: `http://127.0.0.1:${port}`,
      HTTPS_PROXY: `http://127.0.0.1:${port}`,
      NO_PROXY: '',
    });
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [key.value] });
    expect(ids(r)).toContain('network.proxy');
    expect(emu.requests).toEqual([]);
  });
});
