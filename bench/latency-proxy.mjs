// A local TCP proxy that makes loopback behave like a slow link (issue 22): every chunk is held
// `oneWayMs` in each direction, so one round trip costs 2 × oneWayMs. Opening a connection costs
// one round trip too, as a TCP handshake on a real link does: the client's local connect
// succeeds at once, so its first bytes are held until the emulated handshake is over. Order is
// kept in each direction; an end or a reset travels like a chunk.
//   import { startLatencyProxy } from './latency-proxy.mjs';
//   const proxy = await startLatencyProxy({ port: emulatorPort, oneWayMs: 50 });   // proxy.url, proxy.connections
//   node bench/latency-proxy.mjs TARGET_PORT ONE_WAY_MS [LISTEN_PORT]              (stand-alone)
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

/**
 * @param {{ port: number, host?: string, oneWayMs: number, listenPort?: number }} o
 * @returns {Promise<{ url: string, port: number, connections: () => number, close: () => Promise<void> }>}
 */
export async function startLatencyProxy({ port, host = '127.0.0.1', oneWayMs, listenPort = 0 }) {
  const sockets = new Set();
  let connections = 0;
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    connections++;
    const upstream = net.connect({ port, host, allowHalfOpen: true });
    sockets.add(client).add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    // The client's data may leave only after the emulated handshake (one round trip).
    const openAt = performance.now() + 2 * oneWayMs;
    const pipe = (from, to, notBefore) => {
      let last = 0;
      const later = (fn) => {
        const at = Math.max(performance.now(), notBefore, last) + oneWayMs;
        last = at;
        setTimeout(fn, Math.max(0, at - performance.now()));
      };
      let ended = false;
      from.on('data', (chunk) => later(() => !to.destroyed && to.write(chunk)));
      from.on('end', () => {
        ended = true;
        later(() => !to.destroyed && to.end());
      });
      from.on('error', () => {}); // reported by 'close' without an end: a reset travels as a reset
      from.on('close', () => {
        sockets.delete(from);
        if (!ended) later(() => to.destroy());
      });
    };
    pipe(client, upstream, openAt);
    pipe(upstream, client, 0);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', resolve);
  });
  const actual = server.address().port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [target, oneWay, listen] = process.argv.slice(2).map(Number);
  if (!target || !Number.isFinite(oneWay)) {
    console.error('usage: node bench/latency-proxy.mjs TARGET_PORT ONE_WAY_MS [LISTEN_PORT]');
    process.exit(2);
  }
  const p = await startLatencyProxy({ port: target, oneWayMs: oneWay, listenPort: listen || 0 });
  console.log(`${p.url} -> 127.0.0.1:${target}, ${oneWay} ms each way`);
}
