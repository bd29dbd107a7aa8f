// The run's connection pool (openConnections -> http.ts keep-alive agents) against the real
// emulator: what the server sees of connections, concurrency and who closed the socket.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ProbeRequest } from '../../source/core/types.js';
import { emulatorKey } from '../../source/emulator/index.js';
import { MAX_SOCKETS_PER_HOST } from '../../source/io/http.js';
import { openConnections, runProbe } from '../../source/io/probe.js';
import { start } from '../emulator/helpers.js';

function models(url: string, key: string): ProbeRequest {
  return {
    purpose: 'models',
    method: 'GET',
    url: `${url}/v1/models`,
    headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
    sentAs: 'x-api-key',
    anthropicVersion: '2023-06-01',
    oauthBeta: false,
    credentialKind: 'api_key',
  };
}

const opts = { timeoutMs: 10_000, retries: 0 };

/** One GET on a socket of its own, resolved on the first bytes of the answer, the socket left open till then. */
function rawRequest(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write('GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n'),
    );
    socket.once('data', () => {
      resolve();
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

describe('openConnections: one pool of kept-alive connections per run', () => {
  it('sends probes one after another over one connection', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key], keepAliveTimeoutMs: 60_000 });
    const connections = openConnections();
    try {
      for (let i = 0; i < 3; i++) {
        const r = await runProbe(models(emu.url, key.value), opts, { env: {}, transport: connections.transport });
        expect(r.status).toBe(200);
      }
      expect(emu.requests).toHaveLength(3);
      expect(emu.traffic().connections).toBe(1);
    } finally {
      connections.close();
    }
  });

  it('close() ends the idle socket from the client side at once, not by the server idle timer', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key], keepAliveTimeoutMs: 60_000 });
    const connections = openConnections();
    const r = await runProbe(models(emu.url, key.value), opts, { env: {}, transport: connections.transport });
    expect(r.status).toBe(200);
    // Kept alive: still open after the answer.
    expect(emu.traffic()).toMatchObject({ connections: 1, closedByClient: 0, closedByServer: 0 });
    connections.close();
    // No clock: a request on a fresh socket, sent after close(), is answered only after the
    // server has already seen the pool's socket closed by the client (its FIN went first).
    await rawRequest(emu.port);
    expect(emu.traffic()).toMatchObject({ connections: 2, closedByClient: 1, closedByServer: 0 });
  });

  it('close() with a request in flight ends it as a network result, and later requests are refused', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key], faults: [{ kind: 'hang' }] });
    const connections = openConnections();
    const pending = runProbe(models(emu.url, key.value), opts, { env: {}, transport: connections.transport });
    while (emu.traffic().inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    connections.close();
    const r = await pending;
    expect(r.status).toBeNull();
    expect(r.network).not.toBeNull();
    await emu.connectionsClosed(1);
    expect(emu.traffic().closedByClient).toBe(1);
    const after = await runProbe(models(emu.url, key.value), opts, { env: {}, transport: connections.transport });
    expect(after.network).not.toBeNull();
    expect(emu.requests).toHaveLength(1);
  });

  it('probes sent together are in flight together, on at most MAX_SOCKETS_PER_HOST connections', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key], answerDelayMs: 100 });
    const connections = openConnections();
    try {
      const n = MAX_SOCKETS_PER_HOST + 2;
      const results = await Promise.all(
        Array.from({ length: n }, () =>
          runProbe(models(emu.url, key.value), opts, { env: {}, transport: connections.transport }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(n).fill(200));
      expect(emu.traffic()).toMatchObject({ maxInFlight: MAX_SOCKETS_PER_HOST, connections: MAX_SOCKETS_PER_HOST });
    } finally {
      connections.close();
    }
  });
});
