// The HTTP layer under runProbe: node:http/https with keep-alive agents of our own, so proxies
// need no library. Loaded only when a request is sent (probe.ts imports it lazily). A pool (one
// per run, made by the session) keeps one connection per host alive across probes, reuses TLS
// sessions and CONNECT tunnels, and close() ends every socket at once so the process can exit.
// No redirects are followed; TLS is always verified (NODE_EXTRA_CA_CERTS adds trust,
// NODE_TLS_REJECT_UNAUTHORIZED=0 does not turn it off).
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { PROXY_CODE, PROXY_ERROR, type Transport, type TransportResponse } from './probe.js';

/** Sockets per host at most: one batch of parallel probes fits, and a run stays polite. */
export const MAX_SOCKETS_PER_HOST = 6;
/** An idle socket is closed by us after this, under most servers' idle timeouts: reuse never races their close. */
const IDLE_MS = 4_000;

const endpoint = (url: URL) => ({
  host: url.hostname.replace(/^\[|\]$/g, ''),
  port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
});

/**
 * TLS options for `url`'s host. SNI may not carry an IP address; the certificate is checked
 * against the host either way. rejectUnauthorized is explicit: Node's default would yield to
 * NODE_TLS_REJECT_UNAUTHORIZED=0.
 */
function tlsOptions(url: URL): { servername?: string; rejectUnauthorized: true } {
  const { host } = endpoint(url);
  return { ...(net.isIP(host) ? {} : { servername: host }), rejectUnauthorized: true };
}

/** A plain or TLS socket to `url`'s host (the proxy, for a CONNECT). */
function connect(url: URL): net.Socket {
  const { host, port } = endpoint(url);
  if (url.protocol !== 'https:') return net.connect({ host, port });
  return tls.connect({ host, port, ...tlsOptions(url) });
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username && !proxy.password) return {};
  const pair = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(pair).toString('base64')}` };
}

/** A failure of the proxy itself; its message names the target, never the proxy's user-info. */
class ProxyError extends Error {
  override name = PROXY_ERROR;
  code: string;
  constructor(message: string, cause?: Error & { code?: string }) {
    super(message, { cause });
    this.code = cause?.code ?? PROXY_CODE;
  }
}

/** Why a signal aborted, as an Error (a timeout is a DOMException named TimeoutError, an Error too). */
const reasonOf = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));

/** A socket tunnelled through `proxy` to host:port with CONNECT (any 2xx opens the tunnel). */
function tunnel(proxy: URL, host: string, port: number, signal: AbortSignal): Promise<net.Socket> {
  const authority = `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
  return new Promise((resolve, reject) => {
    const req = http.request({
      method: 'CONNECT',
      path: authority,
      signal,
      createConnection: () => connect(proxy),
      headers: { host: authority, ...proxyAuthorization(proxy) },
    });
    req.on('connect', (res: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        if (head.length > 0) socket.unshift(head);
        return resolve(socket);
      }
      socket.destroy();
      reject(new ProxyError(`the proxy answered ${status} ${res.statusMessage ?? ''} to CONNECT ${authority}`.trim()));
    });
    req.on('error', (err) =>
      reject(
        signal.aborted
          ? reasonOf(signal)
          : new ProxyError(`CONNECT ${authority} through the proxy failed: ${err.message}`, err),
      ),
    );
    req.end();
  });
}

type ConnectOptions = tls.ConnectionOptions & { host: string; port: number; tunnelSignal: AbortSignal };
/** An empty answer body. */
async function* nothing(): AsyncIterable<Uint8Array> {}

/**
 * Opens a connection to `url` (through the proxy's CONNECT tunnel for https) and completes the
 * TLS handshake for https, then closes it: no request, no header, no credential is sent. A plain
 * http target behind a proxy cannot be reached without a request: it counts as answering.
 */
function reach(url: URL, proxy: URL | null, signal: AbortSignal): Promise<TransportResponse> {
  const done: TransportResponse = { status: 0, headers: {}, body: nothing() };
  if (proxy && url.protocol === 'http:') return Promise.resolve(done);
  return new Promise((resolve, reject) => {
    let socket: net.Socket | undefined;
    const fail = (err: Error) => {
      socket?.destroy();
      reject(err);
    };
    const abort = () => fail(reasonOf(signal));
    signal.addEventListener('abort', abort, { once: true });
    const open = (s: net.Socket) => {
      socket = s;
      s.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
        signal.removeEventListener('abort', abort);
        s.destroy();
        resolve(done);
      });
      s.once('error', (err) => {
        signal.removeEventListener('abort', abort);
        fail(err);
      });
    };
    const { host, port } = endpoint(url);
    const overTunnel = (t: net.Socket) =>
      url.protocol === 'https:' ? tls.connect({ socket: t, host, port, ...tlsOptions(url) }) : t;
    if (proxy) tunnel(proxy, host, port, signal).then((t) => open(overTunnel(t)), fail);
    else open(connect(url));
  });
}

/**
 * An https agent whose connections go through a CONNECT tunnel of `proxy`: TLS end to end
 * (verified), the tunnelled TLS socket kept alive and reused like any other.
 */
class TunnelAgent extends https.Agent {
  constructor(
    private readonly proxy: URL,
    options: https.AgentOptions,
  ) {
    super(options);
  }

  // Node's agent accepts a socket handed to the callback later (the tunnel takes a round trip).
  override createConnection(
    requestOptions: http.RequestOptions,
    onSocket?: (err: Error | null, socket: Duplex) => void,
  ): undefined {
    const options = requestOptions as ConnectOptions;
    const done = onSocket!;
    tunnel(this.proxy, options.host, options.port, options.tunnelSignal).then(
      // https.Agent's own createConnection: TLS over the tunnel, with its session cache.
      (socket) => done(null, super.createConnection({ ...options, socket } as http.RequestOptions)!),
      (err: Error) => done(err, undefined as never),
    );
    return undefined;
  }
}

export interface HttpPool {
  transport: Transport;
  /** Ends every socket of the pool (in flight or idle) and refuses later requests. */
  close: () => void;
}

/**
 * Keep-alive agents for one run: plain, TLS, and one tunnelling agent per proxy. Through a proxy
 * an https target goes through a CONNECT tunnel and an http target is sent to the proxy with its
 * absolute URI.
 */
export function createHttpPool(): HttpPool {
  const options = { keepAlive: true, maxSockets: MAX_SOCKETS_PER_HOST, scheduling: 'lifo' as const, timeout: IDLE_MS };
  const plain = new http.Agent(options);
  const secure = new https.Agent({ ...options, rejectUnauthorized: true });
  const tunnels = new Map<string, TunnelAgent>();
  const closing = new AbortController();
  const tunnelAgent = (proxy: URL) => {
    let agent = tunnels.get(proxy.href);
    if (!agent) tunnels.set(proxy.href, (agent = new TunnelAgent(proxy, { ...options, rejectUnauthorized: true })));
    return agent;
  };

  const transport: Transport = ({ method, url, headers, body, signal: probeSignal, proxy, connectOnly }) =>
    new Promise((resolve, reject) => {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return reject(
          Object.assign(new Error(`unsupported URL scheme ${url.protocol}`), { code: 'ERR_INVALID_PROTOCOL' }),
        );
      }
      if (closing.signal.aborted) return reject(reasonOf(closing.signal));
      if (probeSignal.aborted) return reject(reasonOf(probeSignal));
      const signal = AbortSignal.any([probeSignal, closing.signal]);
      // Reach only: a connection of its own (not the pool's), opened and closed, nothing sent.
      if (connectOnly) return void reach(url, proxy, signal).then(resolve, reject);
      const forward = proxy !== null && url.protocol === 'http:';
      // Where the socket goes: the target, the proxy (absolute URI), or the target through a tunnel.
      const hop = forward ? proxy : url;
      const agent = proxy && !forward ? tunnelAgent(proxy) : hop.protocol === 'https:' ? secure : plain;
      let res: http.IncomingMessage | undefined;
      const req = http.request({
        agent,
        protocol: agent === plain ? 'http:' : 'https:',
        method,
        ...endpoint(hop),
        ...(hop.protocol === 'https:' ? tlsOptions(hop) : {}),
        tunnelSignal: signal,
        path: (forward ? url.origin : '') + url.pathname + url.search,
        headers: { host: url.host, ...(forward ? proxyAuthorization(proxy) : {}), ...headers },
      } as http.RequestOptions);
      // One signal ends everything; the answer's stream fails with it too, so a trickling body
      // times out as a timeout (a bare socket close would read as a reset). A destroyed request
      // takes its socket with it: a socket is reused only after a whole answer.
      const abort = () => {
        res?.destroy(reasonOf(signal));
        req.destroy(reasonOf(signal));
      };
      const settle = () => signal.removeEventListener('abort', abort);
      signal.addEventListener('abort', abort, { once: true });
      req.on('error', (err) => {
        settle();
        reject(err);
      });
      req.on('response', (answer: http.IncomingMessage) => {
        res = answer;
        answer.on('close', settle);
        resolve({ status: answer.statusCode ?? 0, headers: answer.headers, body: answer });
      });
      req.end(body);
    });

  return {
    transport,
    close: () => {
      closing.abort(Object.assign(new Error('the run ended; its connections are closed'), { code: 'ERR_POOL_CLOSED' }));
      plain.destroy();
      secure.destroy();
      for (const agent of tunnels.values()) agent.destroy();
    },
  };
}

/**
 * One request on a pool of its own, closed when the answer has been read (or failed): for callers
 * without a run (tests, one-off look-ups). A run uses the session's pool instead.
 */
export const httpTransport: Transport = async (req) => {
  const pool = createHttpPool();
  try {
    const res = await pool.transport(req);
    (res.body as http.IncomingMessage).once('close', pool.close);
    return res;
  } catch (err) {
    pool.close();
    throw err;
  }
};
