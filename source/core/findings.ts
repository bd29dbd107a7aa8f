// THE finding catalogue. Ids are stable (cli-contract.md): add freely, never rename.
// Producers call `finding(id, detail, fix?)`; step, default severity and title come from here.
import { API_VERSION, BEARER_KEY_VERSION } from './api.js';
import type { ClientModel, Finding, FindingStep, NetworkErrorKind, Provider, Severity } from './types.js';

interface CatalogueEntry {
  step: FindingStep;
  severity: Severity;
  title: string;
  /** Default fix lines when the producer has nothing more exact. */
  fix: string[];
}

const ROTATE = [
  'Create a new key: Console → Settings → API keys → Create key (it is shown once; copy it whole).',
  'Update every place the old key is used (the sources listed in this diagnosis).',
  'Verify: run `npx claude-401-wizard check` again.',
  'Revoke the old key in the Console.',
];

const CATALOGUE = {
  // key_format
  'key.missing': {
    step: 'key_format',
    severity: 'error',
    title: 'No credential found',
    fix: ['export ANTHROPIC_API_KEY=<your key>   # or set it where the failing program runs'],
  },
  'key.placeholder': {
    step: 'key_format',
    severity: 'error',
    title: 'The key is a placeholder, not a real key',
    fix: ['Replace the placeholder with a real key from Console → Settings → API keys.'],
  },
  'key.whitespace': {
    step: 'key_format',
    severity: 'error',
    title: 'The key contains whitespace, quotes or invisible characters',
    fix: ['Re-paste the key as plain text with nothing around it.'],
  },
  'key.bearer_prefix': {
    step: 'key_format',
    severity: 'error',
    title: 'The key value starts with "Bearer "',
    fix: ['Remove "Bearer " from the value: the client adds the scheme itself.'],
  },
  'key.truncated': {
    step: 'key_format',
    severity: 'error',
    title: 'The key is shorter than a whole key (truncated copy)',
    fix: ['Copy the key again in full; if it was not saved, create a new one.'],
  },
  'key.malformed': {
    step: 'key_format',
    severity: 'error',
    title: 'The key is not shaped like an Anthropic key',
    fix: ['Copy the key again from where it was created, or create a new one.'],
  },
  'key.wrong_provider': {
    step: 'key_format',
    severity: 'error',
    title: 'The key belongs to another provider',
    fix: ['Use an Anthropic key (sk-ant-api03-…) from Console → Settings → API keys.'],
  },
  'key.admin_key': {
    step: 'key_format',
    severity: 'error',
    title: 'An Admin API key is used where an API key belongs',
    fix: ['Admin keys only work on /v1/organizations/*. Use a normal API key (sk-ant-api03-…) for inference.'],
  },
  'key.oauth_token': {
    step: 'key_format',
    severity: 'error',
    title: 'An OAuth token is used where an API key belongs',
    fix: [
      'Use an API key (sk-ant-api03-…), or send the token as Authorization: Bearer with ' +
        'anthropic-beta: oauth-2025-04-20 (Claude Code: CLAUDE_CODE_OAUTH_TOKEN).',
    ],
  },
  'key.wrong_token': {
    step: 'key_format',
    severity: 'error',
    title: 'This token is not an API credential',
    fix: ['Refresh tokens and claude.ai session cookies never authenticate API requests. Use an API key.'],
  },
  'env.conflict': {
    step: 'key_format',
    severity: 'warning',
    title: 'Different credentials in different places',
    fix: [],
  },
  'env.empty_var': { step: 'key_format', severity: 'error', title: 'A credential variable is set but empty', fix: [] },
  'env.wrong_name': {
    step: 'key_format',
    severity: 'error',
    title: 'A key is stored under a name no client reads',
    fix: [],
  },
  'env.dotenv_parent': {
    step: 'key_format',
    severity: 'warning',
    title: 'A .env file above the project supplies a key',
    fix: [],
  },
  'env.auth_token_override': {
    step: 'key_format',
    severity: 'warning',
    title: 'ANTHROPIC_AUTH_TOKEN is set',
    fix: ['unset ANTHROPIC_AUTH_TOKEN'],
  },
  'env.api_key_overrides_login': {
    step: 'key_format',
    severity: 'warning',
    title: 'An API key outranks your Claude subscription login',
    fix: ['unset ANTHROPIC_API_KEY   # to use the subscription login in Claude Code'],
  },
  'env.api_key_helper': { step: 'key_format', severity: 'info', title: 'An apiKeyHelper is configured', fix: [] },
  'env.oauth_token_override': {
    step: 'key_format',
    severity: 'warning',
    title: 'CLAUDE_CODE_OAUTH_TOKEN is set',
    fix: ['unset CLAUDE_CODE_OAUTH_TOKEN   # to use the /login session instead'],
  },
  'key.leaked': {
    step: 'key_format',
    severity: 'error',
    title: 'The key is in a file tracked by git',
    fix: [
      'Revoke the key first (Console → Settings → API keys), then create a new one.',
      'Remove the key from the file and from git history; keep keys in an ignored .env or a secret store.',
    ],
  },
  'env.not_delivered': {
    step: 'key_format',
    severity: 'warning',
    title: "The failing program runs elsewhere: this shell's key may not reach it",
    fix: [],
  },
  'env.dotenv_not_ignored': {
    step: 'key_format',
    severity: 'warning',
    title: 'A .env file holding a key is not ignored by git',
    fix: [],
  },

  // activation
  'key.valid': { step: 'activation', severity: 'info', title: 'The credential is accepted', fix: [] },
  'key.invalid': {
    step: 'activation',
    severity: 'error',
    title: 'The API rejects this key (invalid, revoked or deleted)',
    fix: ROTATE,
  },
  'key.not_yet_active': {
    step: 'activation',
    severity: 'info',
    title: 'The key was new and became active while waiting',
    fix: [],
  },
  'key.expired': { step: 'activation', severity: 'error', title: 'The key has expired', fix: ROTATE },
  'key.inactive': {
    step: 'activation',
    severity: 'error',
    title: 'The key is deactivated or archived',
    fix: ['Reactivate it in the Console (inactive keys only), or create a new key.'],
  },

  // header
  'header.bearer': {
    step: 'header',
    severity: 'error',
    title: 'An API key is sent as Authorization: Bearer to a server that wants x-api-key',
    fix: [],
  },
  'header.x_api_key': {
    step: 'header',
    severity: 'error',
    title: 'The credential is sent as x-api-key to a gateway that reads only Authorization',
    fix: [],
  },
  'header.both': {
    step: 'header',
    severity: 'error',
    title: 'Both x-api-key and Authorization are sent, with different credentials',
    fix: [],
  },
  'header.missing_key': {
    step: 'header',
    severity: 'error',
    title: 'The request carried no credential header',
    fix: [],
  },
  'header.missing_version': {
    step: 'header',
    severity: 'error',
    title: 'The anthropic-version header is missing or invalid',
    fix: ['Send anthropic-version: 2023-06-01 (the SDKs do this for you).'],
  },
  'header.oauth_beta': {
    step: 'header',
    severity: 'error',
    title: 'An OAuth token is sent without anthropic-beta: oauth-2025-04-20',
    fix: [],
  },
  'header.stripped': {
    step: 'header',
    severity: 'error',
    title: 'Something between the client and the API removed the key header',
    fix: [],
  },

  // scope
  'scope.permission': {
    step: 'scope',
    severity: 'error',
    title: 'The credential is valid but not allowed to do this',
    fix: [],
  },
  'scope.model': {
    step: 'scope',
    severity: 'error',
    title: 'The model does not exist or this key cannot use it',
    fix: [
      'List the models this key can use: curl -s https://api.anthropic.com/v1/models -H ' +
        '"x-api-key: $ANTHROPIC_API_KEY" -H "anthropic-version: 2023-06-01"',
    ],
  },
  'org.disabled': {
    step: 'scope',
    severity: 'error',
    title: 'The organization behind this key is disabled',
    fix: ['Use a key from an active organization, or contact Anthropic support about this one.'],
  },
  'billing.credit': {
    step: 'scope',
    severity: 'error',
    title: 'The credit balance is too low',
    fix: ['Add credits: Console → Settings → Billing.'],
  },
  'billing.spend_limit': {
    step: 'scope',
    severity: 'error',
    title: 'A spend limit has been reached',
    fix: ['Raise the limit: Console → Settings → Limits (or the workspace limits), or wait for the next period.'],
  },
  'auth.subscription_vs_api': {
    step: 'scope',
    severity: 'error',
    title: 'A subscription credential is used outside Claude Code',
    fix: ['Claude Pro/Max tokens only work in Claude Code. Use an API key from the Console for the API and SDKs.'],
  },
  'region.blocked': {
    step: 'scope',
    severity: 'error',
    title: 'The request is refused from this location or network',
    fix: ['Check for a VPN, a corporate proxy, or a deployment region Anthropic does not serve.'],
  },
  'oauth.expired': {
    step: 'scope',
    severity: 'error',
    title: 'The OAuth token has expired',
    fix: ['claude /login   # or: claude setup-token, then update CLAUDE_CODE_OAUTH_TOKEN'],
  },

  // workspace
  'workspace.mismatch': {
    step: 'workspace',
    severity: 'error',
    title: 'The key belongs to a different workspace than expected',
    fix: [],
  },
  'workspace.archived': {
    step: 'workspace',
    severity: 'error',
    title: "The key's workspace is archived (all its keys are revoked)",
    fix: ['Create a new key in an active workspace; archived workspaces cannot be restored.'],
  },
  'workspace.required': {
    step: 'workspace',
    severity: 'error',
    title: 'This key must name its workspace (anthropic-workspace-id) on every request',
    fix: [],
  },
  'admin.key_not_in_org': {
    step: 'workspace',
    severity: 'error',
    title: "The key is not in the Admin key's organization",
    fix: [],
  },
  'admin.unavailable': {
    step: 'workspace',
    severity: 'info',
    title: 'Workspace and key status could not be looked up',
    fix: [],
  },

  // provider
  'endpoint.base_url': {
    step: 'provider',
    severity: 'warning',
    title: 'ANTHROPIC_BASE_URL sends requests somewhere other than the Anthropic API',
    fix: [],
  },
  'endpoint.gateway_response': {
    step: 'provider',
    severity: 'error',
    title: 'The answer did not come from the Anthropic API',
    fix: [],
  },
  'provider.bedrock': {
    step: 'provider',
    severity: 'warning',
    title: 'Requests go to Amazon Bedrock, which uses AWS credentials',
    fix: [],
  },
  'provider.vertex': {
    step: 'provider',
    severity: 'warning',
    title: 'Requests go to Google Vertex AI, which uses Google credentials',
    fix: [],
  },
  'provider.foundry': {
    step: 'provider',
    severity: 'warning',
    title: 'Requests go to Microsoft Foundry, which uses Azure credentials',
    fix: [],
  },

  // observed clients (cli-contract.md "Observing the real program")
  'client.no_request': {
    step: 'key_format',
    severity: 'error',
    title: 'The program sent no request to the API',
    fix: [
      "Read the program's own output in this report: it says why it stopped before calling the API.",
      'Give the program a credential where it runs (export ANTHROPIC_API_KEY=<your key>, or the apiKey option).',
    ],
  },
  'client.unknown_credential': {
    step: 'key_format',
    severity: 'error',
    title: 'The program sent a credential found in none of the places this tool reads',
    fix: [
      'Find where the program sets its key (an apiKey: "…" in the code, a secret manager, a ' +
        'config file) and put the key you mean there.',
      'Or let it read ANTHROPIC_API_KEY, so that one place decides.',
    ],
  },
  'client.bypasses_base_url': {
    step: 'provider',
    severity: 'error',
    title: 'The program sends its requests elsewhere, not to ANTHROPIC_BASE_URL',
    fix: [
      'Find the base URL the program sets itself (baseURL / base_url in the code, a ' +
        'framework setting) and fix it there: ANTHROPIC_BASE_URL does not reach it.',
    ],
  },

  // network
  'network.unreachable': { step: 'network', severity: 'warning', title: 'The API could not be reached', fix: [] },
  'network.timeout': { step: 'network', severity: 'warning', title: 'The API did not answer in time', fix: [] },
  'network.tls': {
    step: 'network',
    severity: 'warning',
    title: 'The TLS certificate could not be verified',
    fix: [
      'If a corporate proxy inspects TLS, point NODE_EXTRA_CA_CERTS at its CA bundle: ' +
        'export NODE_EXTRA_CA_CERTS=/path/to/corp-ca.pem',
    ],
  },
  'network.proxy': {
    step: 'network',
    severity: 'warning',
    title: 'The proxy in HTTPS_PROXY/HTTP_PROXY failed',
    fix: [],
  },
  'api.overloaded': {
    step: 'network',
    severity: 'warning',
    title: 'The API is overloaded (529)',
    fix: ['Transient: retry later. The SDKs retry this by themselves.'],
  },
  'api.server_error': {
    step: 'network',
    severity: 'warning',
    title: 'The API answered with a server error',
    fix: ['Transient: retry later; check status.anthropic.com.'],
  },
  'api.rate_limited': {
    step: 'network',
    severity: 'warning',
    title: 'Rate limited (429)',
    fix: ['Wait for the retry-after period, or lower the request rate.'],
  },
} satisfies Record<string, CatalogueEntry>;

export type FindingId = keyof typeof CATALOGUE;
export const FINDING_IDS = Object.keys(CATALOGUE) as FindingId[];

export function catalogueEntry(id: FindingId): CatalogueEntry {
  return CATALOGUE[id];
}

export function isFindingId(id: string): id is FindingId {
  return Object.prototype.hasOwnProperty.call(CATALOGUE, id);
}

/** Builds a finding from the catalogue. `fix` replaces the default when given and non-empty. */
export function finding(
  id: FindingId,
  detail: string,
  opts: { fix?: string[]; severity?: Severity; title?: string } = {},
): Finding {
  const entry: CatalogueEntry = CATALOGUE[id];
  return {
    id,
    severity: opts.severity ?? entry.severity,
    step: entry.step,
    title: opts.title ?? entry.title,
    detail,
    fix: opts.fix && opts.fix.length > 0 ? opts.fix : [...entry.fix],
  };
}

export const ROTATION_STEPS: readonly string[] = ROTATE;

/** Severities, most severe first: the one order every list, group and verdict uses. */
export const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info'];

/** Comparator, most severe first (negative when `a` is more severe than `b`). */
export function bySeverity(a: Severity, b: Severity): number {
  return SEVERITY_ORDER.indexOf(a) - SEVERITY_ORDER.indexOf(b);
}

/** The more severe of two (the first when equal). */
export function mostSevere(a: Severity, b: Severity): Severity {
  return bySeverity(b, a) < 0 ? b : a;
}

// ---------------------------------------------------------------------------------------------
// Fix text that depends on the evidence: producers pick the builder for what they saw and pass
// what it names (a variable, a file, the clients). The default fix of each id is in CATALOGUE.

/** Where the failing program runs (the `runs_elsewhere` answer), for env.not_delivered. */
export type DeliveryPlace = 'docker' | 'ci' | 'serverless' | 'ide';

const DELIVERY_FIX: Record<DeliveryPlace, string[]> = {
  docker: [
    "docker run -e ANTHROPIC_API_KEY …   # passes this shell's value in",
    'docker compose: add ANTHROPIC_API_KEY under environment: (or env_file: .env) for the service',
  ],
  ci: [
    'Store the key as a CI secret and map it to ANTHROPIC_API_KEY in the job ' +
      '(GitHub Actions: env: ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }})',
    'Check it there: npx claude-401-wizard check --json --key-env ANTHROPIC_API_KEY',
  ],
  serverless: [
    "Set ANTHROPIC_API_KEY in the platform's environment settings (Vercel/Netlify/Lambda) and redeploy: " +
      'running deployments keep the old value.',
  ],
  ide: [
    "GUI apps do not read ~/.bashrc or ~/.zshrc: set the variable in the IDE's run configuration, " +
      'or start the IDE from a terminal that has it.',
  ],
};

export const FIX = {
  /** env.not_delivered: how to get the key to where the program runs. */
  notDelivered: (place: DeliveryPlace): string[] => [...DELIVERY_FIX[place]],

  /** env.api_key_overrides_login: Claude Code prefers the key in `name` over the subscription. */
  apiKeyOverridesLogin: (name: string): string[] => [
    `unset ${name}   # then run claude and /login`,
    'In Claude Code, /status shows which credential is active.',
  ],

  /** env.dotenv_not_ignored: the file `rel` (named `name`) is not in .gitignore. */
  dotenvNotIgnored: (name: string, rel: string): string[] => [
    `echo '${name}' >> .gitignore`,
    `git rm --cached ${rel} 2>/dev/null   # if it was already added`,
  ],

  /** key.invalid for a key that may be new: before the usual steps. */
  mayStillActivate: [
    'The key may still be activating: check again for a few minutes: npx claude-401-wizard check --wait 180',
  ] as readonly string[],

  /** header.bearer proved by the differential probe: one line per client that sent the key as Bearer. */
  bearerByClient: (clients: readonly ClientModel[]): string[] => {
    const fix: string[] = [];
    if (clients.includes('claude-code'))
      fix.push(
        'Claude Code: unset ANTHROPIC_AUTH_TOKEN and export ANTHROPIC_API_KEY=<the key> instead ' +
          '(it is then sent as x-api-key).',
      );
    if (clients.includes('sdk-ts-0') || clients.includes('sdk-py'))
      fix.push(
        'SDK: pass the key as apiKey / api_key (ANTHROPIC_API_KEY), not authToken / auth_token (ANTHROPIC_AUTH_TOKEN).',
      );
    if (clients.includes('sdk-ts-1'))
      fix.push(
        '@anthropic-ai/sdk ≥ 1.0 sends keys as Bearer with anthropic-version 2026-10-21; if something in between ' +
          'wants x-api-key, send it there, or pin @anthropic-ai/sdk@0 until the gateway is updated.',
      );
    if (clients.includes('curl') || clients.includes('other'))
      fix.push('Send the key as -H "x-api-key: $ANTHROPIC_API_KEY" with -H "anthropic-version: 2023-06-01".');
    return fix;
  },

  /** workspace.mismatch seen on a live answer. */
  workspaceMismatch: (expected: string, seen: string): string[] => [
    `Use a key created in workspace ${expected} (Console → Settings → API keys, filter by workspace), ` +
      `or change the expected workspace to ${seen}.`,
  ],

  /** key.inactive when the Console says archived. */
  archivedKey: ['Archived keys cannot be restored: create a new key.'] as readonly string[],

  /** admin.unavailable: look the key (ending in `tail`) up by hand, or give an Admin key. */
  adminUnavailable: (tail: string): string[] => [
    `In the Console, open Settings → API keys and find the key ending in ${tail}: ` +
      'check its status (active / inactive / archived / expired) and its workspace.',
    'Or run again with an Admin key: ANTHROPIC_ADMIN_KEY=… npx claude-401-wizard check ' +
      '--admin-key-env ANTHROPIC_ADMIN_KEY',
  ],

  /** provider.*: the cloud's own credentials, or back to the Anthropic API. */
  provider: (p: Provider): string[] => {
    switch (p) {
      case 'bedrock':
        return [
          'Bedrock uses AWS credentials: aws sts get-caller-identity   # check them',
          'Or set AWS_BEARER_TOKEN_BEDROCK; to use the Anthropic API instead: unset CLAUDE_CODE_USE_BEDROCK',
        ];
      case 'vertex':
        return [
          'Vertex uses Google credentials: gcloud auth application-default login',
          'Set ANTHROPIC_VERTEX_PROJECT_ID and CLOUD_ML_REGION; ' +
            'to use the Anthropic API instead: unset CLAUDE_CODE_USE_VERTEX',
        ];
      case 'foundry':
        return [
          'Foundry uses Azure credentials: az login, or set ANTHROPIC_FOUNDRY_API_KEY',
          'To use the Anthropic API instead: unset CLAUDE_CODE_USE_FOUNDRY',
        ];
      case 'anthropic':
        return [];
      default: {
        const never: never = p;
        return never;
      }
    }
  },

  /**
   * header.bearer read from an answer: what the client that sent the key as Bearer should do.
   * `assumed`: the client model was assumed (none found in the project), so nothing is pinned.
   */
  bearerForClient: (client: ClientModel | undefined, gateway: boolean, assumed = false): string[] => {
    const moveToApiKey =
      'export ANTHROPIC_API_KEY="$ANTHROPIC_AUTH_TOKEN"; unset ANTHROPIC_AUTH_TOKEN   # sent as x-api-key';
    if (gateway) {
      if (client === 'claude-code' || client === 'sdk-py' || client === 'sdk-ts-0')
        return [moveToApiKey, 'Or configure the gateway to accept Authorization: Bearer as well as x-api-key.'];
      const sdk1 = client === 'sdk-ts-1';
      return [
        'Configure the gateway to accept Authorization: Bearer as well as x-api-key' +
          `${sdk1 ? ' (@anthropic-ai/sdk 1.x sends every key as Bearer)' : ''}.`,
        ...(sdk1 && !assumed
          ? [
              'Or pin a client that sends x-api-key: npm install @anthropic-ai/sdk@0   ' +
                '# 0.x sends x-api-key with anthropic-version 2023-06-01',
            ]
          : []),
      ];
    }
    if (client === 'claude-code' || client === 'sdk-py' || client === 'sdk-ts-0') return [moveToApiKey];
    if (client === 'curl' || client === 'other') {
      return [
        `Send the key as -H "x-api-key: $ANTHROPIC_API_KEY" -H "anthropic-version: ${API_VERSION}", ` +
          'not -H "Authorization: Bearer …".',
      ];
    }
    return [
      `Send the key as x-api-key with anthropic-version: ${API_VERSION}, or with Authorization: Bearer only ` +
        `together with anthropic-version: ${BEARER_KEY_VERSION} (as @anthropic-ai/sdk 1.x does).`,
    ];
  },

  /** header.stripped: no x-api-key reached the server (`viaBaseUrl`: the one behind ANTHROPIC_BASE_URL). */
  headerStripped: (viaBaseUrl: boolean): string[] => [
    viaBaseUrl
      ? 'The server at ANTHROPIC_BASE_URL drops x-api-key: let the header through there, ' +
        'or unset ANTHROPIC_BASE_URL to call the API directly.'
      : 'Check HTTPS_PROXY/HTTP_PROXY and any gateway in ANTHROPIC_BASE_URL: let the x-api-key header through.',
    'Compare with a direct call: curl -s https://api.anthropic.com/v1/models -H "x-api-key: $ANTHROPIC_API_KEY" ' +
      '-H "anthropic-version: 2023-06-01"',
  ],

  /** network.*: what to check for a transport fault, about the host that failed (never another one). */
  networkAt: (kind: NetworkErrorKind, host: string, origin = `https://${host}`): string[] => {
    switch (kind) {
      case 'dns':
        return [
          `Check the host name ${host} (in --api-url / ANTHROPIC_BASE_URL) and DNS: ` +
            `nslookup ${host.replace(/:\d+$/, '')}`,
        ];
      case 'unreachable':
        return [
          `Check that ${host} is up and reachable: curl -sI ${origin}`,
          ...ANSWER_FIX.networkUnreachable.slice(1),
        ];
      case 'reset':
        return [
          `Retry; if it repeats, a firewall, proxy or the server at ${host} closes the connection: curl -sI ${origin}`,
        ];
      case 'timeout':
        return [`Retry with a longer --timeout; check ${host}: curl -sI ${origin}`];
      case 'tls':
        return [];
      case 'proxy':
        return [...ANSWER_FIX.networkProxy];
      default: {
        const never: never = kind;
        return never;
      }
    }
  },

  /** endpoint.gateway_response: find (or check) what answered instead of the API. */
  gatewayAnswered: (viaBaseUrl: boolean): string[] => [
    viaBaseUrl
      ? 'Check the gateway: its URL, its own credentials, and which header it reads the key from.'
      : 'Find what answered: unset ANTHROPIC_BASE_URL and any proxy variables, ' +
        'then retry against https://api.anthropic.com.',
  ],

  /** header.x_api_key: a gateway that reads only Authorization: Bearer. */
  gatewayWantsBearer: (claudeCode: boolean): string[] => [
    claudeCode
      ? 'Claude Code: export ANTHROPIC_AUTH_TOKEN=<gateway token> (sent as Authorization: Bearer) ' +
        'and unset ANTHROPIC_API_KEY.'
      : 'SDK: new Anthropic({ authToken: … }) or ANTHROPIC_AUTH_TOKEN sends Authorization: Bearer; ' +
        '@anthropic-ai/sdk 1.x sends every key that way.',
    'Or configure the gateway to read x-api-key as well.',
  ],

  /** endpoint.base_url: a base URL other than the API's. */
  baseUrl: [
    `unset ANTHROPIC_BASE_URL   # if you meant to call the Anthropic API directly`,
    'Or check the gateway: which header it reads (x-api-key or Authorization) and which key it expects.',
  ] as readonly string[],

  /** endpoint.base_url error: the base URL at `host` does not answer; `remove` removes it where it is set. */
  deadBaseUrl: (remove: string, host: string, base: string): string[] => [
    remove,
    `Or start the server at ${host}, or correct the URL: curl -sI ${base}`,
  ],

  /** endpoint.base_url error: the server at `host` refuses a key the API accepts. */
  hopRefuses: (remove: string, host: string): string[] => [
    remove,
    `Or give the server at ${host} the key it expects (ask whoever runs it).`,
  ],

  /** env.not_delivered: a pasted refusal while the key found here (ending in `tail`) is accepted. */
  notThisKey: (tail: string, length: number): string[] => [
    'Check which key the failing program really sends, where it runs: ' +
      `node -e "const k=process.env.ANTHROPIC_API_KEY||'';console.log(k.length, k.slice(-4))"   ` +
      `# the one found here ends in ${tail} (${length} chars)`,
    'Then give it the key found here (ANTHROPIC_API_KEY in its environment, CI secret or container).',
  ],

  /** env.conflict error: remove the refused source and load the working one, in one line. */
  makeItWin: (remove: string, load: string | null, working: string): string[] => [
    `${remove}${load ? `; ${load}` : ''}   # ${working} holds the key the API accepts`,
  ],

  /**
   * auth.subscription_vs_api with a credit error: `remove` takes away the API key Claude Code
   * prefers (null: none found here, so /status shows which).
   */
  subscriptionLogin: (remove: string | null, plan: string): string[] =>
    remove
      ? [
          `${remove}   # Claude Code then uses your ${plan} login`,
          "Or add credits to the key's organization: Console → Settings → Billing.",
        ]
      : [
          'In Claude Code, run /status: an "API key" row means a key outranks your subscription; ' +
            'remove that key, or /logout and /login with your Claude account.',
          'Or add credits to the organization of the key in use: Console → Settings → Billing.',
        ],

  /** auth.subscription_vs_api: a subscription token given to a client other than Claude Code. */
  subscriptionToken: [
    'Put an API key (sk-ant-api03-…) from Console → Settings → API keys in ANTHROPIC_API_KEY: ' +
      'subscription tokens only work in Claude Code.',
  ] as readonly string[],
};

/**
 * Fix text for answers the classifier reads (classify.ts picks the entry for what it saw).
 * One entry per case; an API wording change never touches these.
 */
export const ANSWER_FIX = {
  oauthRelogin: [
    'claude /login   # Claude Code: sign in again',
    'claude setup-token   # for CLAUDE_CODE_OAUTH_TOKEN: make a new token and update the variable',
  ],
  lineBreakInKey: [
    'Remove the line break: export ANTHROPIC_API_KEY="$(printf %s "$ANTHROPIC_API_KEY" | tr -d ' + "'\\r\\n')\"",
    'Check where it is set (dotenv file, shell profile, settings.json env) and re-paste it on one ' + 'line.',
  ],
  oauthOrgForbids: [
    'Use an API key from the Console for this organization (ANTHROPIC_API_KEY), or ask an org ' +
      'admin to allow OAuth sign-in.',
  ],
  oauthBetaMissing: [
    'Claude Code: put the token in CLAUDE_CODE_OAUTH_TOKEN (not ANTHROPIC_AUTH_TOKEN); Claude ' +
      'Code adds the beta header itself.',
    'SDK/curl: send anthropic-beta: oauth-2025-04-20 with the token (new Anthropic({ authToken, ' +
      "defaultHeaders: { 'anthropic-beta': 'oauth-2025-04-20' } })), or use an API key.",
  ],
  oauthScope: [
    'claude /login   # a fresh login grants the current scopes',
    'Tokens from claude setup-token can only make model requests; use an API key for anything else.',
  ],
  corsOrg: [
    'Call the API from a server instead of the browser, or ask an org admin about the ' + 'browser-access setting.',
  ],
  corsHeader: [
    'Call the API from a server (a key in a web page is public), or opt in: new Anthropic({ ' +
      'dangerouslyAllowBrowser: true }) sends anthropic-dangerous-direct-browser-access: true.',
  ],
  credentialsRevoked: [
    'claude /login   # Claude Code: sign in again',
    'If it persists, ask an org admin whether your access was removed; for an API key, create a ' +
      'new one in the Console.',
  ],
  orgDisabledClaudeCode: [
    'unset ANTHROPIC_API_KEY   # Claude Code then uses your subscription login',
    'Or use a key from an active organization.',
  ],
  orgNoApiKeys: ['unset ANTHROPIC_API_KEY', 'claude /login   # sign in with your claude.ai account'],
  orgNoSubscription: [
    'Use an Anthropic API key (export ANTHROPIC_API_KEY=…), or ask an org admin to enable ' + 'subscription access.',
  ],
  versionOnce: [
    `Send anthropic-version: ${API_VERSION} exactly once (a proxy or ANTHROPIC_CUSTOM_HEADERS ` +
      `that adds a second one makes "${API_VERSION}, ${API_VERSION}").`,
  ],
  workspaceHeader: [
    'Claude Code: export ANTHROPIC_CUSTOM_HEADERS="anthropic-workspace-id: wrkspc_…"   # ' +
      'ANTHROPIC_WORKSPACE_ID alone is ignored',
    "SDK: new Anthropic({ defaultHeaders: { 'anthropic-workspace-id': 'wrkspc_…' } })   # curl: " +
      '-H "anthropic-workspace-id: wrkspc_…"',
  ],
  claudeCodeModel: ['Run /model in Claude Code and pick one from the list.'],
  requestNotAllowed: [
    'Pro/Max: check the subscription is active (claude.ai → Settings → Billing), then claude ' + '/login.',
    'Console: ask an admin for the Claude Code or Developer role.',
    'Try once without the VPN/corporate proxy, or from a supported region ' +
      '(https://www.anthropic.com/supported-countries).',
  ],
  notLoggedIn: ['claude /login   # or: export ANTHROPIC_API_KEY=<your key>'],
  /** Claude Code prints "Not logged in" also after the API rejected its token (fact sheet §6, observed). */
  notLoggedInToken: [
    'If ANTHROPIC_AUTH_TOKEN or CLAUDE_CODE_OAUTH_TOKEN is set, check that token: ' +
      'npx claude-401-wizard check --client claude-code',
  ],
  missingKeyHeader: [
    'export ANTHROPIC_API_KEY=<your key>   # in the shell or service that runs the failing program',
    'Check it arrives: node -e "console.log(Boolean(process.env.ANTHROPIC_API_KEY))"',
  ],
  bothHeaders: ['unset ANTHROPIC_AUTH_TOKEN   # keep one credential'],
  oauthInXApiKey: [
    'Send OAuth tokens as Authorization: Bearer with anthropic-beta: oauth-2025-04-20 (Claude ' +
      'Code: CLAUDE_CODE_OAUTH_TOKEN), or use an API key.',
  ],
  claudeCodeStatusKey: [
    'Claude Code: /status shows which API key it uses; unset ANTHROPIC_API_KEY to use your ' +
      'subscription login instead.',
  ],
  permission: [
    "Check the key's workspace and its access in Console → Settings (workspaces, members, roles); " +
      'an org admin can grant it.',
  ],
  gatewayLogs: [
    "Read the gateway's logs for this request, or compare with a direct call to " + 'https://api.anthropic.com.',
  ],
  bedrockIam: [
    'Grant the IAM role bedrock:InvokeModel (and the AWS Marketplace subscribe actions) for the ' +
      'Anthropic model, and enable model access in the Bedrock console.',
  ],
  bedrockCredentials: [
    'aws sso login   # or refresh AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN',
    'Or unset CLAUDE_CODE_USE_BEDROCK to use the Anthropic API instead.',
  ],
  vertexIam: [
    'gcloud projects add-iam-policy-binding PROJECT_ID --member=user:YOU@example.com ' + '--role=roles/aiplatform.user',
    'Enable the Claude model for the project in Vertex AI Model Garden.',
  ],
  vertexCredentials: [
    'gcloud auth application-default login',
    'Or unset CLAUDE_CODE_USE_VERTEX to use the Anthropic API instead.',
  ],
  foundry: [
    'export ANTHROPIC_FOUNDRY_API_KEY=<Foundry key>   # or: az login',
    'Or unset CLAUDE_CODE_USE_FOUNDRY to use the Anthropic API instead.',
  ],
  networkDns: ['Check the host name in --api-url / ANTHROPIC_BASE_URL, and DNS: nslookup api.anthropic.com'],
  networkUnreachable: [
    'Check the connection: curl -sI https://api.anthropic.com',
    'Behind a proxy? export HTTPS_PROXY=http://proxy.example:8080',
  ],
  networkReset: [
    'Retry; if it repeats, a firewall or proxy is closing the connection: curl -sI ' + 'https://api.anthropic.com',
  ],
  networkTimeout: ['Retry with a longer --timeout; check the connection: curl -sI https://api.anthropic.com'],
  networkProxy: [
    'Check the proxy URL and that it allows CONNECT to api.anthropic.com:443; or add the host to ' + 'NO_PROXY.',
  ],
} as const satisfies Record<string, readonly string[]>;

// ---------------------------------------------------------------------------------------------
// Fix text of the format lint (credential.ts): one line per fix, worded for where the value is
// set: an exact shell command for a variable, an edit instruction for a file, a re-paste.

/** The value the lint looked at: its variable name and where it came from (`env:NAME`, `file:…:12`). */
export interface LintAt {
  name: string;
  source: string;
}

interface Place {
  env?: string; // variable name, for env sources
  file?: string; // path as labelled
  line?: number;
}

function place(source: string): Place {
  const env = /^(?:env|key-env):(.+)$/.exec(source);
  if (env) return { env: env[1]! };
  const file = /^file:(.+?)(?::(\d+))?$/.exec(source);
  if (file) return { file: file[1]!, line: file[2] ? Number(file[2]) : undefined };
  return {};
}

/** One fix line: an exact shell command for env sources, an edit instruction for files. */
function fixLine(at: LintAt, action: string, command?: string): string {
  const p = place(at.source);
  if (p.env && command) return command;
  if (p.file) return `Edit ${p.file}${p.line ? ` line ${p.line}` : ''}: ${action}.`;
  if (at.source.startsWith('prompt')) return `Paste the key again and ${action}.`;
  return `Where ${at.name} is set (${at.source}): ${action}.`;
}

export const LINT_FIX = {
  /** key.whitespace with nothing but whitespace in the value. */
  emptyValue: (at: LintAt): string[] => [fixLine(at, 'put the whole key there')],

  /**
   * key.whitespace: remove `what`. `keep` is which characters the shell command keeps (only ASCII
   * whitespace to drop, an Anthropic key's alphabet, or any visible character); `bearer` is a
   * "Bearer " in front that the same command drops.
   */
  whitespace: (
    at: LintAt,
    e: { what: string; inner: boolean; keep: 'space' | 'key_alphabet' | 'graph'; bearer: string | null },
  ): string[] => {
    const p = place(at.source);
    const keep =
      e.keep === 'space'
        ? `tr -d '[:space:]'`
        : e.keep === 'key_alphabet'
          ? `LC_ALL=C tr -cd 'A-Za-z0-9_-'`
          : `LC_ALL=C tr -cd '[:graph:]' | tr -d "\\"'"`;
    // With a "Bearer " in front, drop it in the same command (tr alone would glue "Bearer" to the key).
    const input = p.env ? (e.bearer ? `\${${p.env}#*${e.bearer}}` : `$${p.env}`) : '';
    const command = p.env ? `export ${p.env}="$(printf %s "${input}" | ${keep})"` : undefined;
    const fix = [
      fixLine(
        at,
        e.inner
          ? `remove ${e.what} (easiest: delete the value and paste the key again from a plain-text source)`
          : `remove ${e.what}`,
        command,
      ),
    ];
    if (p.env)
      fix.push(
        `That fixes this shell only: also correct it where ${p.env} is set ` +
          '(shell start-up file, CI secret, container environment).',
      );
    return fix;
  },

  /** key.placeholder. */
  placeholder: (at: LintAt): string[] => [
    fixLine(at, 'replace the placeholder with a real key from Console → Settings → API keys'),
  ],

  /** key.bearer_prefix: `word` is the "Bearer " as written. */
  bearerPrefix: (at: LintAt, word: string): string[] => {
    const p = place(at.source);
    return [
      fixLine(
        at,
        `delete "${word.trimEnd()} " before the key`,
        p.env ? `export ${p.env}="\${${p.env}#*${word}}"` : undefined,
      ),
    ];
  },

  /** key.wrong_provider: a `provider` key, which that provider's tools read from `envVar`. */
  wrongProvider: (at: LintAt, provider: string, envVar: string): string[] => [
    fixLine(at, `put an Anthropic key (sk-ant-api03-…) from Console → Settings → API keys in ${at.name}`),
    `If another tool needs this ${provider} key, it reads it from ${envVar}.`,
  ],

  /** key.oauth_token in `name`, read by `consumers` (none known: both ways out). */
  oauthToken: (name: string, consumers: readonly ClientModel[]): string[] =>
    name !== 'ANTHROPIC_API_KEY'
      ? []
      : consumers.length > 0 && !consumers.includes('claude-code')
        ? [
            'Put an API key (sk-ant-api03-…) from Console → Settings → API keys in ANTHROPIC_API_KEY: ' +
              'subscription tokens only work in Claude Code (CLAUDE_CODE_OAUTH_TOKEN).',
          ]
        : [
            'For Claude Code: unset ANTHROPIC_API_KEY and set CLAUDE_CODE_OAUTH_TOKEN to the token instead.',
            'For the API and SDKs: use an API key (sk-ant-api03-…) from Console → Settings → API keys.',
          ],

  /** key.truncated; `oauth`: the value is an OAuth token, not a Console key. */
  truncated: (at: LintAt, oauth: boolean): string[] => [
    fixLine(at, 'replace the value with the whole key'),
    oauth
      ? 'claude setup-token prints a new token (Claude Code: claude /login signs in again).'
      : 'The Console shows a key only once: if the full key was not saved, create a new one.',
  ],
};

/**
 * Fix text of the findings about which credential each client uses (core/precedence.ts). The
 * commands themselves (`unset X`, `Edit file line N: …`, `Remove-Item Env:X`) are computed there,
 * for the user's shell and files; the words around them live here.
 */
export const SOURCE_FIX = {
  newTerminal: (at: string, name: string): string[] => [
    `Edit ${at}: set ${name} to the key you mean to use, or remove the line`,
  ],
  notSourced: (sourceCmd: string, name: string): string[] => [
    `${sourceCmd}   # or set ${name} where the program runs (IDE settings, CI secret, Docker env)`,
  ],
  overriddenBySettings: (settingsFile: string, name: string, source: string, removeOther: string): string[] => [
    `Edit ${settingsFile}: remove "${name}" from "env"   # if Claude Code should use ${source}`,
    `${removeOther}   # if the settings value is the right one`,
  ],
  cancelledBySettings: (settingsFile: string, name: string, source: string): string[] => [
    `Edit ${settingsFile}: remove "${name}" from "env"   # if Claude Code should use ${source}`,
  ],
  envWins: (unset: string, file: string, remove: string): string[] => [
    `${unset}   # if ${file} holds the right key (dotenv never overrides the environment)`,
    `${remove}   # if the environment's key is the right one`,
  ],
  /** A dotenv file the client does not load: drop it (the environment has the key) or export it. */
  notRead: (remove: string | null, exportFile: string | null, name: string): string[] => [
    remove
      ? `${remove}   # if the environment's key is the right one`
      : exportFile
        ? `set -a; . ${exportFile}; set +a   # export the .env values into this shell`
        : `Set ${name} in the environment the program runs in`,
  ],
  remove: (remove: string): string[] => [remove],
  dotenvParent: (at: string, name: string): string[] => [
    `Edit ${at}: remove ${name}, and keep the key in ./.env or the environment`,
  ],
  useLogin: (remove: string): string[] => [`${remove}   # to use the subscription login in Claude Code`],
  useLoginSession: (remove: string): string[] => [`${remove}   # to use the /login session instead`],
  apiKeyHelper: (settingsFile: string | null): string[] => [
    'Run the helper yourself and check its output: npx claude-401-wizard check --key-env <VAR holding its output>',
    ...(settingsFile ? [`Edit ${settingsFile}: remove "apiKeyHelper"   # to use the subscription login`] : []),
  ],
  /** header.both: two credentials in one request; leave one. */
  leaveOne: (removeBearer: string, removeKey: string): string[] => [
    `${removeBearer}   # keep ANTHROPIC_API_KEY (x-api-key)`,
    `${removeKey}   # or keep the Bearer token instead`,
  ],
  leaveKeyOrHelper: (removeKey: string, settingsFile: string | null): string[] => [
    `${removeKey}   # keep the apiKeyHelper`,
    ...(settingsFile ? [`Edit ${settingsFile}: remove "apiKeyHelper"   # or keep ANTHROPIC_API_KEY`] : []),
  ],
  /** header.bearer (SDK 1.x and a gateway): an assumed SDK is not in the project, so nothing is pinned. */
  gatewayWantsXApiKey: (assumed: boolean): string[] => [
    assumed
      ? 'Check which header the gateway reads; if only x-api-key, configure it to accept Authorization: Bearer too.'
      : 'Check which header the gateway reads; if only x-api-key: npm install @anthropic-ai/sdk@0   # 0.x sends x-api-key',
  ],
  /** header.oauth_beta for Claude Code: move the token to CLAUDE_CODE_OAUTH_TOKEN. */
  oauthTokenVariable: (rename: readonly string[]): string[] =>
    rename.map((x, i) => (i === 0 ? `${x}   # Claude Code sends this one with the beta` : x)),
  /** header.oauth_beta for an SDK: add the beta header. */
  oauthBetaHeader: (setHeaders: string, beta: string): string[] => [
    `${setHeaders}   # SDK: or pass defaultHeaders: { 'anthropic-beta': '${beta}' }`,
  ],
  /** key.missing: where a key could come from, per client. */
  sourceShellFile: (sourceCmd: string): string =>
    `${sourceCmd}   # it exports the key; or set it where the program runs (IDE settings, CI secret, Docker env)`,
  claudeLogin: (setKey: string): string => `claude /login   # or: ${setKey}`,
  setKeyOrDotenv: (setKey: string): string =>
    `${setKey}   # or put ANTHROPIC_API_KEY=<your key> in ./.env for a program that loads dotenv`,
};
