// runProbe against real sockets started here (node:http / node:net / node:https): no emulator,
// no mocked transport. Sleep and randomness are injected, so retries cost no time.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCert } from '../helpers/tls.js';
import type { ProbeRequest, ProbeResult } from '../../source/core/types.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { httpTransport } from '../../source/io/http.js';
import { backoffMs, proxyFor, runProbe, type ProbeDeps, type Transport } from '../../source/io/probe.js';

const REQ_ID = 'req_011CTestProbe' + 'AbCdEfGhIjKl';
const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();

async function listen<T extends net.Server>(server: T): Promise<{ server: T; port: number }> {
  servers.push(server);
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as net.AddressInfo).port };
}

afterEach(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** An HTTP server whose handler sees how many requests came before. */
async function httpServer(handler: (n: number, req: http.IncomingMessage, res: http.ServerResponse) => void) {
  let hits = 0;
  const { port } = await listen(http.createServer((req, res) => handler(++hits, req, res)));
  return { url: `http://127.0.0.1:${port}`, hits: () => hits };
}

function anthropicError(
  res: http.ServerResponse,
  status: number,
  type: string,
  message: string,
  extra: Record<string, string> = {},
  details?: object,
) {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': REQ_ID, ...extra });
  res.end(
    JSON.stringify({ type: 'error', error: { type, message, ...(details ? { details } : {}) }, request_id: REQ_ID }),
  );
}

const key = fakeKey('api');
function request(url: string, over: Partial<ProbeRequest> = {}): ProbeRequest {
  return {
    purpose: 'models',
    method: 'GET',
    url,
    headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
    sentAs: 'x-api-key',
    anthropicVersion: '2023-06-01',
    oauthBeta: false,
    credentialKind: 'api_key',
    ...over,
  };
}

/** Instant sleep that records what it was asked to wait; fixed randomness; no proxy variables. */
function deps(over: ProbeDeps = {}): ProbeDeps & { waits: number[] } {
  const waits: number[] = [];
  return { sleep: async (ms) => void waits.push(ms), random: () => 0.5, env: {}, waits, ...over };
}

/** No 8-character window of the key may appear anywhere in the result. */
function expectNoSecret(result: ProbeResult, secret = key) {
  const text = JSON.stringify(result);
  for (let i = 0; i + 8 <= secret.length; i++) expect(text).not.toContain(secret.slice(i, i + 8));
}

describe('runProbe: answers', () => {
  it('fills every field of a 200 and sends the request headers', async () => {
    let seenKey: string | undefined;
    const srv = await httpServer((_n, req, res) => {
      seenKey = req.headers['x-api-key'] as string;
      res.writeHead(200, {
        'content-type': 'application/json',
        'request-id': REQ_ID,
        'anthropic-organization-id': 'org-uuid-1',
        'anthropic-workspace-id': 'wrkspc_01Abc',
      });
      res.end(JSON.stringify({ data: [{ id: 'claude-x', type: 'model' }], has_more: false }));
    });
    let t = 1_700_000_000_000;
    const d = deps({ now: () => (t += 25) });
    const r = await runProbe(request(`${srv.url}/v1/models?beta=true#frag`), { timeoutMs: 5000 }, d);
    expect(seenKey).toBe(key);
    expect(r).toMatchObject({
      method: 'GET',
      purpose: 'models',
      status: 200,
      requestId: REQ_ID,
      organizationId: 'org-uuid-1',
      workspaceId: 'wrkspc_01Abc',
      errorType: null,
      errorMessage: null,
      anthropicEnvelope: false,
      network: null,
      attempts: 1,
      retryAfterSeconds: null,
      sentAs: 'x-api-key',
      anthropicVersion: '2023-06-01',
      oauthBeta: false,
    });
    expect(r.url).toBe(`${srv.url}/v1/models`);
    expect(r.contentType).toContain('application/json');
    expect(r.json).toEqual({ data: [{ id: 'claude-x', type: 'model' }], has_more: false });
    expect(r.bodySnippet).toContain('claude-x');
    expect(r.at).toBe(new Date(1_700_000_000_025).toISOString());
    expect(r.ms).toBeGreaterThan(0);
    expectNoSecret(r);
  });

  it('reads the error envelope: request id from the body, type, message, details.error_code', async () => {
    const srv = await httpServer((_n, _req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          type: 'error',
          error: {
            type: 'invalid_request_error',
            message: 'This organization has been disabled.',
            details: { error_code: 'org_disabled' },
          },
          request_id: REQ_ID,
        }),
      );
    });
    const r = await runProbe(request(`${srv.url}/v1/models`), { timeoutMs: 5000 }, deps());
    expect(r).toMatchObject({
      status: 400,
      requestId: REQ_ID,
      errorType: 'invalid_request_error',
      errorMessage: 'This organization has been disabled.',
      errorCode: 'org_disabled',
      anthropicEnvelope: true,
      attempts: 1,
    });
  });

  it('summarises a non-JSON gateway answer and records no request id', async () => {
    const srv = await httpServer((_n, _req, res) => {
      res.writeHead(401, { 'content-type': 'text/html' });
      res.end(
        '<!DOCTYPE html><html><head><title>401 Authorization Required</title></head><body><h1>nope</h1></body></html>',
      );
    });
    const r = await runProbe(request(`${srv.url}/v1/models`), { timeoutMs: 5000 }, deps());
    expect(r).toMatchObject({
      status: 401,
      requestId: null,
      anthropicEnvelope: false,
      errorMessage: '401 Authorization Required',
    });
    expect(r.json).toBeUndefined();
  });

  it('keeps at most 2 KB of a 1 MB body and does not choke on it', async () => {
    const srv = await httpServer((_n, _req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[' + '"x",'.repeat(256 * 1024) + '"x"]');
    });
    const r = await runProbe(request(`${srv.url}/v1/models`), { timeoutMs: 5000 }, deps());
    expect(r.status).toBe(200);
    expect(r.bodySnippet.length).toBe(2048);
    expect(r.json).toBeUndefined(); // cut at the 64 KB read limit, so not parsed
  });

  it('does not follow a redirect (it would carry x-api-key to another host)', async () => {
    const other = await httpServer((_n, _req, res) => res.end('{}'));
    const srv = await httpServer((_n, _req, res) => {
      res.writeHead(302, { location: `${other.url}/v1/models` });
      res.end();
    });
    const r = await runProbe(request(`${srv.url}/v1/models`), { timeoutMs: 5000 }, deps());
    expect(r.status).toBe(302);
    expect(other.hits()).toBe(0);
  });

  it('sends a POST body whole, with its length', async () => {
    let seen = { body: '', length: '', method: '' };
    const srv = await httpServer((_n, req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen = { body, length: String(req.headers['content-length']), method: req.method ?? '' };
        res.end('{"input_tokens":3}');
      });
    });
    const body = JSON.stringify({ model: 'claude-x', messages: [{ role: 'user', content: 'ünïcode' }] });
    const r = await runProbe(
      request(`${srv.url}/v1/messages/count_tokens`, {
        method: 'POST',
        purpose: 'count_tokens',
        body,
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
      }),
      { timeoutMs: 5000 },
      deps(),
    );
    expect(r.status).toBe(200);
    expect(seen).toEqual({ body, length: String(Buffer.byteLength(body)), method: 'POST' });
  });

  it('uses an injected transport, handing it the proxy that applies', async () => {
    const srv = await httpServer((_n, _req, res) => res.end('{}'));
    const proxy = await proxyServer();
    const seen: string[] = [];
    const transport: Transport = (req) => (
      seen.push(`${req.method} ${req.url.href} via ${req.proxy?.href}`),
      httpTransport(req)
    );
    const r = await runProbe(
      request(`${srv.url}/v1/models`),
      { timeoutMs: 5000 },
      deps({ transport, env: { HTTP_PROXY: proxy.url } }),
    );
    expect(r.status).toBe(200);
    expect(seen).toEqual([`GET ${srv.url}/v1/models via ${proxy.url}/`]);
  });
});

describe('runProbe: retries', () => {
  it('retries 529 twice with backoff, then reports the 200', async () => {
    const srv = await httpServer((n, _req, res) =>
      n <= 2
        ? anthropicError(res, 529, 'overloaded_error', 'Overloaded', { 'x-should-retry': 'true' })
        : res.end('{"data":[]}'),
    );
    const d = deps({ random: () => 0.25 });
    const r = await runProbe(request(`${srv.url}/v1/models`), { timeoutMs: 5000 }, d);
    expect(r.status).toBe(200);
    expect(r.attempts).toBe(3);
    expect(srv.hits()).toBe(3);
    expect(d.waits).toEqual([backoffMs(0, () => 0.25), backoffMs(1, () => 0.25)]);
  });

  it('gives up after `retries` and reports the last transient answer', async () => {
    const srv = await httpServer((_n, _req, res) => anthropicError(res, 500, 'api_error', 'Internal server error'));
    const r = await runProbe(request(`${srv.url}/v1/models`), { timeoutMs: 5000, retries: 1 }, deps());
    expect(r).toMatchObject({ status: 500, attempts: 2, errorType: 'api_error' });
    expect(srv.hits()).toBe(2);
  });

  it('waits a short retry-after exactly, then retries', async () => {
    const srv = await httpServer((n, _req, res) =>
      n === 1
        ? anthropicError(res, 429, 'rate_limit_error', 'This request would exceed the rate limit', {
            'retry-after': '1',
          })
        : res.end('{}'),
    );
    const d = deps();
    const r = await runProbe(request(`${srv.url}/v1/models`), { timeoutMs: 5000 }, d);
    expect(r).toMatchObject({ status: 200, attempts: 2 });
    expect(d.waits).toEqual([1000]);
  });

  it('reports a retry-after over the limit without waiting for it', async () => {
    const srv = await httpServer((_n, _req, res) =>
      anthropicError(res, 429, 'rate_limit_error', 'This request would exceed the rate limit', { 'retry-after': '60' }),
    );
    const d = deps();
    const r = await runProbe(request(`${srv.url}/v1/models`), { timeoutMs: 5000, maxRetryAfterSeconds: 10 }, d);
    expect(r).toMatchObject({ status: 429, attempts: 1, retryAfterSeconds: 60 });
    expect(d.waits).toEqual([]);
    expect(srv.hits()).toBe(1);
  });

  it('does not retry the monthly spend cap (429 without retry-after)', async () => {
    const srv = await httpServer((_n, _req, res) =>
      anthropicError(
        res,
        429,
        'rate_limit_error',
        'You have reached your API usage limits: your organization has crossed its monthly API usage threshold',
        {},
        { error_code: 'enforced_spend_limit_reached' },
      ),
    );
    const r = await runProbe(request(`${srv.url}/v1/models`), { timeoutMs: 5000 }, deps());
    expect(r).toMatchObject({ status: 429, attempts: 1, errorCode: 'enforced_spend_limit_reached' });
  });

  it.each([
    [401, 'authentication_error', 'invalid x-api-key'],
    [403, 'permission_error', 'Permission denied'],
    [400, 'invalid_request_error', 'anthropic-version: header is required'],
    [404, 'not_found_error', 'model: claude-nope'],
  ])('never retries %i', async (status, type, message) => {
    const srv = await httpServer((_n, _req, res) => anthropicError(res, status, type, message, { 'retry-after': '1' }));
    const d = deps();
    const r = await runProbe(request(`${srv.url}/v1/models`), { timeoutMs: 5000 }, d);
    expect(r).toMatchObject({ status, attempts: 1, errorMessage: message, requestId: REQ_ID });
    expect(srv.hits()).toBe(1);
    expect(d.waits).toEqual([]);
  });
});

describe('runProbe: network faults', () => {
  it('a refused port is unreachable (ECONNREFUSED) and not retried', async () => {
    const { server, port } = await listen(net.createServer());
    await new Promise((resolve) => server.close(resolve));
    servers.splice(servers.indexOf(server), 1);
    const r = await runProbe(request(`http://127.0.0.1:${port}/v1/models`), { timeoutMs: 5000 }, deps());
    expect(r.status).toBeNull();
    expect(r.network).toMatchObject({ kind: 'unreachable', code: 'ECONNREFUSED' });
    expect(r.attempts).toBe(1);
    expectNoSecret(r);
  });

  it('an unknown host is a DNS failure', async () => {
    const r = await runProbe(request('http://no-such-host.invalid/v1/models'), { timeoutMs: 5000 }, deps());
    expect(r.network?.kind).toBe('dns');
    expect(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']).toContain(r.network?.code);
  });

  it('a server that never answers times out', async () => {
    const { port } = await listen(net.createServer(() => {}));
    const r = await runProbe(request(`http://127.0.0.1:${port}/v1/models`), { timeoutMs: 300 }, deps());
    expect(r.network?.kind).toBe('timeout');
    expect(r.status).toBeNull();
    expect(r.attempts).toBe(1);
  });

  it('a body that trickles times out too', async () => {
    const timers: NodeJS.Timeout[] = [];
    const srv = await httpServer((_n, _req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":[');
      timers.push(setInterval(() => res.write(' '), 30));
    });
    const r = await runProbe(request(`${srv.url}/v1/models`), { timeoutMs: 300 }, deps());
    timers.forEach(clearInterval);
    expect(r.status).toBe(200);
    expect(r.network?.kind).toBe('timeout');
  });

  it('a reset connection is retried, then reported as reset', async () => {
    let connections = 0;
    const { port } = await listen(
      net.createServer((socket) => {
        connections++;
        socket.once('data', () => socket.resetAndDestroy());
      }),
    );
    const d = deps({ random: () => 0.9 });
    const r = await runProbe(request(`http://127.0.0.1:${port}/v1/models`), { timeoutMs: 5000 }, d);
    expect(r.network?.kind).toBe('reset');
    expect(r.attempts).toBe(3);
    expect(connections).toBe(3);
    expect(d.waits).toEqual([backoffMs(0, () => 0.9), backoffMs(1, () => 0.9)]);
  });

  it('a socket closed without an answer ("other side closed") counts as a reset', async () => {
    const { port } = await listen(net.createServer((socket) => socket.once('data', () => socket.end())));
    const r = await runProbe(request(`http://127.0.0.1:${port}/v1/models`), { timeoutMs: 5000, retries: 0 }, deps());
    expect(r.network?.kind).toBe('reset');
  });

  it('a header value with a line break is refused before sending, without echoing the key', async () => {
    const srv = await httpServer((_n, _req, res) => res.end('{}'));
    const broken = key.slice(0, 50) + '\n' + key.slice(50);
    const r = await runProbe(
      request(`${srv.url}/v1/models`, { headers: { 'x-api-key': broken, 'anthropic-version': '2023-06-01' } }),
      { timeoutMs: 5000 },
      deps(),
    );
    expect(r.network).toMatchObject({ kind: 'unreachable', code: 'ERR_INVALID_HEADER' });
    expect(r.network?.message).toContain('line break at character 51');
    expect(srv.hits()).toBe(0);
    expectNoSecret(r);
  });

  it('a URL with user-info is reported without it', async () => {
    const srv = await httpServer((_n, _req, res) => res.end('{}'));
    const r = await runProbe(
      request(srv.url.replace('//', '//someone:pa55w0rd-secret@') + '/v1/models?token=query-secret'),
      { timeoutMs: 5000 },
      deps(),
    );
    const text = JSON.stringify(r);
    expect(text).not.toContain('pa55w0rd');
    expect(text).not.toContain('query-secret');
    expect(r.url).toBe(`${srv.url}/v1/models`);
  });
});

// A self-signed certificate made by the openssl CLI (no npm dependency can make one).
const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOpenssl)('runProbe: TLS (openssl CLI present)', () => {
  let dir = '';
  let tlsOpts: { key: Buffer; cert: Buffer };
  let certFile = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'probe-tls-'));
    const made = selfSignedCert(dir);
    tlsOpts = { key: made.key, cert: made.cert };
    certFile = made.certFile;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // io/probe.ts bundled once into dir/probe.mjs, for the child processes below.
  let bundling: Promise<unknown> | null = null;
  const bundledProbe = () =>
    (bundling ??= build({
      entryPoints: [join(import.meta.dirname, '../../source/io/probe.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: join(dir, 'probe.mjs'),
      logLevel: 'error',
    }));

  it('a self-signed certificate is a TLS failure; verification is not turned off', async () => {
    let hits = 0;
    const { port } = await listen(https.createServer(tlsOpts, (_req, res) => void (hits++, res.end('{}'))));
    const r = await runProbe(request(`https://127.0.0.1:${port}/v1/models`), { timeoutMs: 5000 }, deps());
    expect(r.network).toMatchObject({ kind: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(hits).toBe(0);
    expect(r.attempts).toBe(1);
  });

  it('NODE_TLS_REJECT_UNAUTHORIZED=0 does not turn verification off', async () => {
    let hits = 0;
    const { port } = await listen(https.createServer(tlsOpts, (_req, res) => void (hits++, res.end('{}'))));
    const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      const r = await runProbe(request(`https://127.0.0.1:${port}/v1/models`), { timeoutMs: 5000 }, deps());
      expect(r.network).toMatchObject({ kind: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    } finally {
      if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
    }
    expect(hits).toBe(0);
  });

  it('through a CONNECT proxy the tunnel is used and the certificate is still verified', async () => {
    let hits = 0;
    const { port } = await listen(https.createServer(tlsOpts, (_req, res) => void (hits++, res.end('{}'))));
    const proxy = await proxyServer();
    const proxyUrl = proxy.url.replace('//', '//proxy%20user:proxy-pass-77@');
    const r = await runProbe(
      request(`https://127.0.0.1:${port}/v1/models`),
      { timeoutMs: 5000 },
      deps({ env: { HTTPS_PROXY: proxyUrl } }),
    );
    expect(proxy.connects).toEqual([`127.0.0.1:${port}`]);
    expect(proxy.auth).toEqual(['Basic ' + Buffer.from('proxy user:proxy-pass-77').toString('base64')]);
    expect(r.network).toMatchObject({ kind: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(hits).toBe(0);
    expect(JSON.stringify(r)).not.toContain('proxy-pass-77');
  });

  // Trust comes only from outside (NODE_EXTRA_CA_CERTS is read at process start), so a child
  // process runs the bundled probe with the test certificate trusted, direct and through the tunnel.
  it('a server whose certificate the user trusts answers, directly and through a CONNECT tunnel', async () => {
    const { port } = await listen(
      https.createServer(tlsOpts, (req, res) => res.end(JSON.stringify({ host: req.headers.host, path: req.url }))),
    );
    const proxy = await proxyServer();
    await bundledProbe();
    writeFileSync(
      join(dir, 'run.mjs'),
      [
        "import { runProbe } from './probe.mjs';",
        'const [url, proxy] = process.argv.slice(2);',
        "const req = { purpose: 'models', method: 'GET', url, headers: { 'anthropic-version': '2023-06-01' " +
          "}, sentAs: 'x-api-key', anthropicVersion: '2023-06-01', oauthBeta: false, credentialKind: null };",
        'const out = [];',
        'for (const env of [{}, { HTTPS_PROXY: proxy }]) out.push(await runProbe(req, { timeoutMs: 5000, ' +
          'retries: 0 }, { env }));',
        'console.log(JSON.stringify(out));',
      ].join('\n'),
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(dir, 'run.mjs'), `https://127.0.0.1:${port}/v1/models?q=1`, proxy.url],
      {
        env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: certFile },
      },
    );
    const [direct, tunnelled] = JSON.parse(stdout) as ProbeResult[];
    for (const r of [direct!, tunnelled!])
      expect(r).toMatchObject({
        status: 200,
        network: null,
        json: { host: `127.0.0.1:${port}`, path: '/v1/models?q=1' },
      });
    expect(proxy.connects).toEqual([`127.0.0.1:${port}`]);
  });

  // The run's pool keeps the tunnelled TLS connection: a second probe needs no second CONNECT.
  it('a run reuses its CONNECT tunnel and TLS connection for the next probe', async () => {
    let sockets = 0;
    const { server, port } = await listen(https.createServer(tlsOpts, (_req, res) => res.end('{}')));
    server.on('secureConnection', () => sockets++);
    const proxy = await proxyServer();
    await bundledProbe();
    writeFileSync(
      join(dir, 'pool.mjs'),
      [
        "import { openConnections, runProbe } from './probe.mjs';",
        'const [url, proxy] = process.argv.slice(2);',
        "const req = { purpose: 'models', method: 'GET', url, headers: { 'anthropic-version': '2023-06-01' " +
          "}, sentAs: 'x-api-key', anthropicVersion: '2023-06-01', oauthBeta: false, credentialKind: null };",
        'const { transport, close } = openConnections();',
        'const out = [];',
        'for (let i = 0; i < 3; i++) out.push(await runProbe(req, { timeoutMs: 5000, retries: 0 }, { env: { ' +
          'HTTPS_PROXY: proxy }, transport }));',
        'close();',
        'console.log(JSON.stringify(out.map((r) => [r.status, r.network])));',
      ].join('\n'),
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(dir, 'pool.mjs'), `https://127.0.0.1:${port}/v1/models`, proxy.url],
      { env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: certFile } },
    );
    expect(JSON.parse(stdout)).toEqual([
      [200, null],
      [200, null],
      [200, null],
    ]);
    expect(proxy.connects).toEqual([`127.0.0.1:${port}`]);
    expect(sockets).toBe(1);
  });
});

/** A tiny forward (absolute-URI) and CONNECT proxy that records what it carried. */
async function proxyServer(opts: { refuseConnect?: boolean; hangConnect?: boolean } = {}) {
  const state = { forwards: [] as string[], connects: [] as string[], auth: [] as string[], url: '' };
  const server = http.createServer((req, res) => {
    state.forwards.push(req.url ?? '');
    if (req.headers['proxy-authorization']) state.auth.push(req.headers['proxy-authorization']);
    const target = new URL(req.url ?? '');
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    state.connects.push(req.url ?? '');
    if (req.headers['proxy-authorization']) state.auth.push(req.headers['proxy-authorization']);
    if (opts.hangConnect) return;
    if (opts.refuseConnect) {
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  const { port } = await listen(server);
  state.url = `http://127.0.0.1:${port}`;
  return state;
}

describe('runProbe: proxies', () => {
  it(
    'sends a plain-http target through HTTP_PROXY as an ' + 'absolute-URI request, with the proxy credentials',
    async () => {
      const srv = await httpServer((_n, req, res) =>
        res.end(JSON.stringify({ key: req.headers['x-api-key'] === key, host: req.headers.host })),
      );
      const proxy = await proxyServer();
      const r = await runProbe(
        request(`${srv.url}/v1/models?x=1`),
        { timeoutMs: 5000 },
        deps({ env: { HTTP_PROXY: proxy.url.replace('//', '//pu:pp-secret@') } }),
      );
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ key: true, host: srv.url.replace('http://', '') });
      expect(proxy.forwards).toEqual([`${srv.url}/v1/models?x=1`]);
      expect(proxy.connects).toEqual([]);
      expect(proxy.auth).toEqual(['Basic ' + Buffer.from('pu:pp-secret').toString('base64')]);
    },
  );

  it('reads a proxy given as bare host:port as http://host:port', async () => {
    const srv = await httpServer((_n, _req, res) => res.end('{}'));
    const proxy = await proxyServer();
    const r = await runProbe(
      request(`${srv.url}/v1/models`),
      { timeoutMs: 5000 },
      deps({ env: { http_proxy: proxy.url.replace('http://', '') } }),
    );
    expect(r.status).toBe(200);
    expect(proxy.forwards).toEqual([`${srv.url}/v1/models`]);
  });

  it('a proxy scheme it cannot speak is a proxy failure, and nothing is sent', async () => {
    const srv = await httpServer((_n, _req, res) => res.end('{}'));
    const r = await runProbe(
      request(`${srv.url}/v1/models`),
      { timeoutMs: 5000 },
      deps({ env: { HTTP_PROXY: 'socks5://127.0.0.1:1080' } }),
    );
    expect(r.network).toMatchObject({ kind: 'proxy', code: 'EPROXY' });
    expect(r.network?.message).toContain('socks5:');
    expect(r.attempts).toBe(0);
    expect(srv.hits()).toBe(0);
  });

  it.each([['NO_PROXY'], ['no_proxy']])('skips the proxy for a host in %s', async (name) => {
    const srv = await httpServer((_n, _req, res) => res.end('{}'));
    const proxy = await proxyServer();
    const r = await runProbe(
      request(`${srv.url}/v1/models`),
      { timeoutMs: 5000 },
      deps({ env: { http_proxy: proxy.url, [name]: 'example.com, 127.0.0.1' } }),
    );
    expect(r.status).toBe(200);
    expect([...proxy.forwards, ...proxy.connects]).toEqual([]);
    expect(srv.hits()).toBe(1);
  });

  it('a proxy that cannot be reached is a proxy failure, with its credentials hidden', async () => {
    const { server, port } = await listen(net.createServer());
    await new Promise((resolve) => server.close(resolve));
    servers.splice(servers.indexOf(server), 1);
    const srv = await httpServer((_n, _req, res) => res.end('{}'));
    const r = await runProbe(
      request(`${srv.url}/v1/models`),
      { timeoutMs: 5000 },
      deps({ env: { HTTP_PROXY: `http://proxyuser:proxy-pass-77@127.0.0.1:${port}` } }),
    );
    expect(r.network).toMatchObject({ kind: 'proxy', code: 'ECONNREFUSED' });
    expect(JSON.stringify(r)).not.toContain('proxy-pass-77');
    expect(srv.hits()).toBe(0);
  });

  it('a proxy that refuses the tunnel is a proxy failure', async () => {
    const proxy = await proxyServer({ refuseConnect: true });
    const r = await runProbe(
      request('https://127.0.0.1:45999/v1/models'),
      { timeoutMs: 5000 },
      deps({ env: { HTTPS_PROXY: proxy.url } }),
    );
    expect(proxy.connects).toEqual(['127.0.0.1:45999']);
    expect(r.network).toMatchObject({ kind: 'proxy', code: 'EPROXY' });
    expect(r.network?.message).toContain('407');
    expect(r.attempts).toBe(1);
  });

  it('a proxy that resets the CONNECT is a proxy failure, not a reset of the API', async () => {
    const { port } = await listen(net.createServer((socket) => socket.once('data', () => socket.resetAndDestroy())));
    const r = await runProbe(
      request('https://127.0.0.1:45999/v1/models'),
      { timeoutMs: 5000 },
      deps({ env: { HTTPS_PROXY: `http://127.0.0.1:${port}` } }),
    );
    expect(r.network).toMatchObject({ kind: 'proxy', code: 'ECONNRESET' });
  });

  it('a proxy that never answers the CONNECT times out', async () => {
    const proxy = await proxyServer({ hangConnect: true });
    const r = await runProbe(
      request('https://127.0.0.1:45999/v1/models'),
      { timeoutMs: 300 },
      deps({ env: { HTTPS_PROXY: proxy.url } }),
    );
    expect(proxy.connects).toEqual(['127.0.0.1:45999']);
    expect(r.network?.kind).toBe('timeout');
  });
});

describe('proxyFor', () => {
  it.each([
    ['https://api.anthropic.com/v1/models', { HTTPS_PROXY: 'http://p:1' }, 'http://p:1'],
    [
      'https://api.anthropic.com/v1/models',
      { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' },
      'http://lower:1',
    ],
    ['https://api.anthropic.com/v1/models', { HTTP_PROXY: 'http://p:2' }, 'http://p:2'],
    ['http://gw.local/v1', { HTTPS_PROXY: 'http://p:1' }, null],
    ['http://gw.local/v1', { http_proxy: 'http://p:2' }, 'http://p:2'],
    ['https://api.anthropic.com/', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'anthropic.com' }, null],
    ['https://api.anthropic.com/', { HTTPS_PROXY: 'http://p:1', no_proxy: '.anthropic.com' }, null],
    ['https://api.anthropic.com/', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '*.anthropic.com' }, null],
    ['https://api.anthropic.com/', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'API.Anthropic.COM:443' }, null],
    ['https://api.anthropic.com/', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'api.anthropic.com:8443' }, 'http://p:1'],
    ['https://api.anthropic.com/', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'thropic.com' }, 'http://p:1'],
    ['https://api.anthropic.com/', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' }, null],
    ['https://api.anthropic.com/', { HTTPS_PROXY: '' }, null],
    ['not a url', { HTTPS_PROXY: 'http://p:1' }, null],
  ] as const)('%s with %o -> %s', (url, env, expected) => {
    expect(proxyFor(url, env)).toBe(expected);
  });
});

describe('backoffMs', () => {
  it('grows exponentially with full jitter and stays under the cap', () => {
    expect(backoffMs(0, () => 0)).toBe(0);
    expect(backoffMs(0, () => 0.999)).toBeLessThan(500);
    expect(backoffMs(1, () => 0.999)).toBeGreaterThan(backoffMs(0, () => 0.999));
    expect(backoffMs(3, () => 0.5)).toBe(2000);
    for (const a of [4, 10, 100, 10_000]) expect(backoffMs(a, () => 0.999)).toBeLessThan(8000);
    expect(backoffMs(2, () => Number.NaN)).toBeLessThanOrEqual(2000);
  });
});
