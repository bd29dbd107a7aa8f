// The emulator's public shapes (re-exported by index.ts).

export interface EmulatorKey {
  id: string;
  value: string;
  name?: string;
  status: 'active' | 'inactive' | 'archived' | 'expired';
  createdAt: string; // ISO
  /** Rejected as invalid until createdAt + activeAfterMs of the emulator clock. */
  activeAfterMs?: number;
  expiresAt?: string | null;
  /** null = Default Workspace. */
  workspaceId: string | null;
  orgId: string;
  /** Allowed model ids (aliases allowed); undefined = all. */
  models?: string[];
  /** Must send `anthropic-workspace-id`. */
  identityLinked?: boolean;
  createdBy?: { id: string; type: 'user' };
}

export interface EmulatorOrg {
  id: string;
  name: string;
  disabled?: boolean;
  creditExhausted?: boolean;
  spendLimitReached?: boolean;
  /** false = the organization forbids OAuth. Default true. */
  oauthAllowed?: boolean;
  /** Individual account: the Admin API is unavailable. */
  individual?: boolean;
  /** The Default Workspace's `wrkspc_` id; filled in by startEmulator when absent. */
  defaultWorkspaceId?: string;
}

export interface EmulatorWorkspace {
  id: string;
  name: string;
  orgId: string;
  archivedAt?: string | null;
  createdAt?: string;
}

export interface EmulatorModel {
  id: string;
  display_name: string;
  created_at: string;
  max_input_tokens?: number;
  max_tokens?: number;
}

export type EmulatorMode =
  | 'api'
  | 'gateway-x-api-key-only'
  | 'gateway-authorization-only'
  | 'gateway-plain-text'
  | 'gateway-openai'
  | 'strip-x-api-key-proxy';

export interface EmulatorConfig {
  keys?: EmulatorKey[];
  oauthTokens?: { value: string; expired?: boolean; orgId: string; scopes?: string[] }[];
  adminKeys?: { value: string; orgId: string }[];
  orgs?: EmulatorOrg[];
  workspaces?: EmulatorWorkspace[];
  models?: EmulatorModel[];
  faults?: Fault[];
  mode?: EmulatorMode;
  now?: () => number;
  /** Hold every answer this long (wall clock), so that requests sent together are seen in flight together. */
  answerDelayMs?: number;
  /** The server's keep-alive idle timeout (Node's default is 5 s). */
  keepAliveTimeoutMs?: number;
}

/** What the emulator saw of the transport: concurrency and connections (for tests and benchmarks). */
export interface EmulatorTraffic {
  /** Requests received but not yet answered, now, and the most there ever were at once. */
  inFlight: number;
  maxInFlight: number;
  /** Connections accepted. */
  connections: number;
  /** Connections the client ended (its FIN arrived) and ones the server ended (its idle timer, a fault, close()). */
  closedByClient: number;
  closedByServer: number;
}

export type Fault = {
  match?: { method?: string; path?: string /* prefix */ };
  times?: number; /* default Infinity */
} & (
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'html502' }
  | { kind: 'overloaded' } /* 529 with x-should-retry: true */
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'request_not_allowed' } /* 403 forbidden */
  | { kind: 'server_error' } /* 500 api_error */
  | { kind: 'trickle'; bytesPerSecond: number }
  | { kind: 'spend_cap' } /* 429 enforced_spend_limit_reached, no retry-after */
  /* The normal answer's status line (`status`) or status line and headers (`headers`), then the
     connection is closed: a proxy or load balancer that drops the connection mid-answer. */
  | { kind: 'cut'; after: 'status' | 'headers' }
);

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string without the leading `?` ('' when none). */
  query: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** Emulator clock (config.now) when the request arrived. */
  at: number;
}

export interface Emulator {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Resolved config (defaults filled in). Mutable: changes apply to the next request. */
  config: EmulatorConfig;
  addFault(f: Fault): void;
  clearFaults(): void;
  /** A snapshot of what the emulator saw of the transport. */
  traffic(): EmulatorTraffic;
  /** Resolves when `n` connections in all have been closed (by either side). */
  connectionsClosed(n: number): Promise<void>;
  close(): Promise<void>;
}

/** One answer, before it is written to the socket. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A request as the API logic sees it (headers lower-case). */
export interface Incoming {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
}
