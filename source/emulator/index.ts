// A faithful fake Anthropic API on node:http, in-process on 127.0.0.1 and a free port.
// Used by tests, benchmarks and `demo`. It imports nothing from source/core (see README.md).
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { defaultWorkspaceId, fail, newRequestId, partialKeyHint } from './api.js';
import { SERVER_ERROR } from './messages.js';
import { faultReply, respond, takeFault } from './gateway.js';
import { fakeKey } from './keys.js';
import type {
  Emulator,
  EmulatorConfig,
  EmulatorKey,
  EmulatorModel,
  Fault,
  Incoming,
  RecordedRequest,
  Reply,
} from './types.js';

export type * from './types.js';
export { newRequestId, partialKeyHint };

export const DEFAULT_ORG_ID = '5d1c8a0e-3f7b-4c29-9e61-0a4b2f8c7d35';
export const DEFAULT_WORKSPACE_ID = 'wrkspc_01EmuLatedTeamWorkspace0';

export const DEFAULT_MODELS: readonly EmulatorModel[] = [
  {
    id: 'claude-haiku-4-5-20251001',
    display_name: 'Claude Haiku 4.5',
    created_at: '2025-10-01T00:00:00Z',
    max_input_tokens: 200000,
    max_tokens: 64000,
  },
  {
    id: 'claude-sonnet-4-5-20250929',
    display_name: 'Claude Sonnet 4.5',
    created_at: '2025-09-29T00:00:00Z',
    max_input_tokens: 200000,
    max_tokens: 64000,
  },
  {
    id: 'claude-opus-4-1-20250805',
    display_name: 'Claude Opus 4.1',
    created_at: '2025-08-05T00:00:00Z',
    max_input_tokens: 200000,
    max_tokens: 32000,
  },
  {
    id: 'claude-3-5-haiku-20241022',
    display_name: 'Claude Haiku 3.5',
    created_at: '2024-10-22T00:00:00Z',
    max_input_tokens: 200000,
    max_tokens: 8192,
  },
];

/** A key in the default org and Default Workspace, active since a day ago; override any field. */
export function emulatorKey(over: Partial<EmulatorKey> = {}, now = Date.now()): EmulatorKey {
  return {
    id: 'apikey_01' + newRequestId().slice(4),
    value: fakeKey('api'),
    name: 'emulated key',
    status: 'active',
    createdAt: new Date(now - 86_400_000).toISOString(),
    workspaceId: null,
    orgId: DEFAULT_ORG_ID,
    createdBy: { id: 'user_01EmuLatedUser0000000000', type: 'user' },
    ...over,
  };
}

/** Fills in defaults. Arrays and objects given by the caller are kept (not copied), so a test may
 *  change them while the emulator runs; faults are copied because their `times` counts down. */
function resolveConfig(config: EmulatorConfig): EmulatorConfig {
  const orgs = config.orgs ?? [{ id: DEFAULT_ORG_ID, name: 'Emulated Org' }];
  for (const org of orgs) org.defaultWorkspaceId ??= defaultWorkspaceId(org);
  return {
    ...config,
    keys: config.keys ?? [],
    oauthTokens: config.oauthTokens ?? [],
    adminKeys: config.adminKeys ?? [],
    orgs,
    workspaces: config.workspaces ?? [
      {
        id: DEFAULT_WORKSPACE_ID,
        name: 'Emulated Team',
        orgId: orgs[0]!.id,
        archivedAt: null,
        createdAt: '2025-06-01T00:00:00Z',
      },
    ],
    models: config.models ?? DEFAULT_MODELS.map((m) => ({ ...m })),
    faults: (config.faults ?? []).map((f) => ({ ...f })),
    mode: config.mode ?? 'api',
  };
}

function record(req: IncomingMessage, body: string, at: number): RecordedRequest & { url: URL } {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.search.slice(1),
    headers,
    body,
    at,
    url,
  };
}

/** Writes the answer's status line (and its headers), then closes the connection mid-answer. */
function cut(socket: Socket, reply: Reply, after: 'status' | 'headers'): void {
  const lines = [`HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? 'Unknown'}`];
  if (after === 'headers') {
    const headers = { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) };
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    lines.push('', '');
  } else lines.push('');
  socket.end(lines.join('\r\n'), () => socket.destroy());
}

function write(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) });
  res.end(reply.body);
}

export async function startEmulator(config: EmulatorConfig = {}): Promise<Emulator> {
  const cfg = resolveConfig(config);
  const now = () => (cfg.now ?? Date.now)();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  /** Sends a valid answer at `bytesPerSecond`, in ten slices a second. */
  const trickle = (res: ServerResponse, reply: Reply, bytesPerSecond: number): void => {
    const body = Buffer.from(reply.body);
    const slice = Math.max(1, Math.ceil(bytesPerSecond / 10));
    res.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) });
    let sent = 0;
    const timer = setInterval(() => {
      if (res.destroyed) sent = body.length;
      else res.write(body.subarray(sent, (sent += slice)));
      if (sent >= body.length) {
        clearInterval(timer);
        timers.delete(timer);
        if (!res.destroyed) res.end();
      }
    }, 100);
    timers.add(timer);
  };

  const traffic = { inFlight: 0, maxInFlight: 0, connections: 0, closedByClient: 0, closedByServer: 0 };
  const closeWaiters: { n: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    traffic.maxInFlight = Math.max(traffic.maxInFlight, ++traffic.inFlight);
    res.once('close', () => traffic.inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (cfg.answerDelayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, cfg.answerDelayMs);
        timers.add(timer);
      } else answer();
    });
    const answer = () => {
      const { url, ...recorded } = record(req, Buffer.concat(chunks).toString('utf8'), now());
      requests.push(recorded);
      const incoming: Incoming = {
        method: recorded.method,
        path: recorded.path,
        query: url.searchParams,
        headers: recorded.headers,
        body: recorded.body,
      };
      const fault = takeFault(cfg.faults!, incoming.method, incoming.path);
      if (fault?.kind === 'hang') return; // answered never; close() ends the socket
      if (fault?.kind === 'reset') return void req.socket.destroy();
      let reply: Reply;
      try {
        reply = (fault && faultReply(fault, cfg, now())) ?? respond(incoming, cfg, now());
      } catch {
        // A bug or odd input must not take the test process down with it.
        reply = fail(SERVER_ERROR);
      }
      if (fault?.kind === 'trickle') trickle(res, reply, fault.bytesPerSecond);
      else if (fault?.kind === 'cut') cut(req.socket, reply, fault.after);
      else write(res, reply);
    };
  });
  if (cfg.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = cfg.keepAliveTimeoutMs;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    traffic.connections++;
    // The client's FIN arrives as 'end' before the socket closes; anything else is the server's doing.
    let clientEnded = false;
    s.on('end', () => (clientEnded = true));
    s.on('close', () => {
      sockets.delete(s);
      if (clientEnded) traffic.closedByClient++;
      else traffic.closedByServer++;
      const closed = traffic.closedByClient + traffic.closedByServer;
      for (const w of closeWaiters.splice(0))
        if (closed >= w.n) w.resolve();
        else closeWaiters.push(w);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('emulator: no TCP address');
  const port = address.port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    config: cfg,
    addFault: (f: Fault) => void cfg.faults!.push({ ...f }),
    clearFaults: () => void cfg.faults!.splice(0),
    traffic: () => ({ ...traffic }),
    connectionsClosed: (n) =>
      new Promise<void>((resolve) => {
        if (traffic.closedByClient + traffic.closedByServer >= n) resolve();
        else closeWaiters.push({ n, resolve });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        // Hanging and keep-alive sockets would hold server.close() open: end them first.
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
