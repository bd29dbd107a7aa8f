// THE finding catalogue. Ids are stable (cli-contract.md): add freely, never rename.
// Producers call `finding(id, detail, fix?)`; step, default severity and title come from here.
import type { ClientModel, Finding, FindingStep, Provider, Severity } from './types.js';

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
      'Use an API key (sk-ant-api03-…), or send the token as Authorization: Bearer with anthropic-beta: oauth-2025-04-20 (Claude Code: CLAUDE_CODE_OAUTH_TOKEN).',
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
      'List the models this key can use: curl -s https://api.anthropic.com/v1/models -H "x-api-key: $ANTHROPIC_API_KEY" -H "anthropic-version: 2023-06-01"',
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
      'Find where the program sets its key (an apiKey: "…" in the code, a secret manager, a config file) and put the key you mean there.',
      'Or let it read ANTHROPIC_API_KEY, so that one place decides.',
    ],
  },
  'client.bypasses_base_url': {
    step: 'provider',
    severity: 'error',
    title: 'The program sends its requests elsewhere, not to ANTHROPIC_BASE_URL',
    fix: [
      'Find the base URL the program sets itself (baseURL / base_url in the code, a framework setting) and fix it there: ANTHROPIC_BASE_URL does not reach it.',
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
      'If a corporate proxy inspects TLS, point NODE_EXTRA_CA_CERTS at its CA bundle: export NODE_EXTRA_CA_CERTS=/path/to/corp-ca.pem',
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
    'Or run again with an Admin key: ANTHROPIC_ADMIN_KEY=… npx claude-401-wizard check --admin-key-env ANTHROPIC_ADMIN_KEY',
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

  /** endpoint.base_url: a base URL other than the API's. */
  baseUrl: [
    `unset ANTHROPIC_BASE_URL   # if you meant to call the Anthropic API directly`,
    'Or check the gateway: which header it reads (x-api-key or Authorization) and which key it expects.',
  ] as readonly string[],
};
