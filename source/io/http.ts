// The HTTP layer under runProbe: node:http over sockets of our own making, so proxies need no
// library. Loaded only when a request is sent (probe.ts imports it lazily). One connection per
// request, no agent, no redirects; TLS always verified (NODE_EXTRA_CA_CERTS adds trust,
// NODE_TLS_REJECT_UNAUTHORIZED=0 does not turn it off).
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { PROXY_CODE, PROXY_ERROR, type Transport } from './probe.js';

const endpoint = (url: URL) => ({
  host: url.hostname.replace(/^\[|\]$/g, ''),
  port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
});

/** A plain or TLS socket to `url`'s host; TLS verifies the certificate (NODE_EXTRA_CA_CERTS applies). */
function connect(url: URL, socket?: net.Socket): net.Socket {
  const { host, port } = endpoint(url);
  if (url.protocol !== 'https:') return net.connect({ host, port });
  // SNI may not carry an IP address; the certificate is checked against `host` either way.
  // rejectUnauthorized is explicit: Node's default would yield to NODE_TLS_REJECT_UNAUTHORIZED=0.
  return tls.connect({ socket, host, port, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: true });
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

/** A socket tunnelled through `proxy` to `target` with CONNECT (any 2xx opens the tunnel). */
function tunnel(proxy: URL, target: URL, signal: AbortSignal): Promise<net.Socket> {
  const { port } = endpoint(target);
  const authority = `${target.hostname}:${port}`;
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
          ? signal.reason
          : new ProxyError(`CONNECT ${authority} through the proxy failed: ${err.message}`, err),
      ),
    );
    req.end();
  });
}

/** An empty answer body. */
async function* nothing(): AsyncIterable<Uint8Array> {}

/**
 * Opens a connection to `url` (through the proxy's CONNECT tunnel for https) and completes the
 * TLS handshake for https, then closes it: no request, no header, no credential is sent. A plain
 * http target behind a proxy cannot be reached without a request: it counts as answering.
 */
function reach(
  url: URL,
  proxy: URL | null,
  signal: AbortSignal,
): Promise<{ status: number; headers: {}; body: AsyncIterable<Uint8Array> }> {
  const done = { status: 0, headers: {}, body: nothing() };
  if (proxy && url.protocol === 'http:') return Promise.resolve(done);
  return new Promise((resolve, reject) => {
    let socket: net.Socket | undefined;
    const fail = (err: unknown) => {
      socket?.destroy();
      reject(err);
    };
    const abort = () => fail(signal.reason);
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
    if (proxy) tunnel(proxy, url, signal).then((t) => open(connect(url, t)), fail);
    else open(connect(url));
  });
}

/**
 * node:http for every request. Through a proxy, an https target goes through a CONNECT tunnel
 * (TLS end to end, verified) and an http target is sent to the proxy with its absolute URI.
 */
export const httpTransport: Transport = ({ method, url, headers, body, signal, proxy, connectOnly }) =>
  new Promise((resolve, reject) => {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return reject(
        Object.assign(new Error(`unsupported URL scheme ${url.protocol}`), { code: 'ERR_INVALID_PROTOCOL' }),
      );
    }
    if (signal.aborted) return reject(signal.reason);
    if (connectOnly) return reach(url, proxy, signal).then(resolve, reject);
    const forward = proxy !== null && url.protocol === 'http:';
    let res: http.IncomingMessage | undefined;
    const req = http.request({
      method,
      path: (forward ? url.origin : '') + url.pathname + url.search,
      headers: { host: url.host, ...(forward ? proxyAuthorization(proxy) : {}), ...headers },
      // No agent: one connection per attempt, closed after it (a retry starts clean).
      createConnection: (_opts, done) => {
        if (!proxy) return connect(url);
        if (forward) return connect(proxy);
        tunnel(proxy, url, signal).then(
          (socket) => done(null, connect(url, socket)),
          (err: Error) => done(err, undefined as never),
        );
        return undefined;
      },
    });
    // One signal ends everything; the answer's stream fails with it too, so a trickling body
    // times out as a timeout (a bare socket close would read as a reset).
    const abort = () => {
      res?.destroy(signal.reason);
      req.destroy(signal.reason);
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
