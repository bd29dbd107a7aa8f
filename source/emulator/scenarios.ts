// The `demo` scenarios: a made-up broken setup each, with the finding the diagnosis should reach.
//
// How a runner uses one (startScenario does the emulator part):
// - start the API emulator with `setup.config`; point the tool's API URL (`--api-url`) at it;
// - if `setup.gateway` is set, start a second emulator with the same config plus `mode:
//   gateway.mode`: it stands for whatever ANTHROPIC_BASE_URL points at;
// - replace "{{EMULATOR_URL}}" / "{{GATEWAY_URL}}" in env values, file contents and errorText;
// - write `files` under a temporary root (`home/…` is $HOME, `project/…` the working directory),
//   and run the diagnosis with `env` as the environment and `options` as the flags.
// Credentials are made with fakeKey() at setup() time, never written as literals.
import { DEFAULT_ORG_ID, emulatorKey, newRequestId, startEmulator } from './index.js';
import { fakeKey } from './keys.js';
import * as M from './messages.js';
import type { Emulator, EmulatorConfig, EmulatorMode, EmulatorOrg } from './types.js';

export const EMULATOR_URL = '{{EMULATOR_URL}}';
export const GATEWAY_URL = '{{GATEWAY_URL}}';

export interface ScenarioOptions {
  client?: string;
  errorText?: string;
  keyAgeMinutes?: number;
  waitSeconds?: number;
  model?: string;
  provider?: string;
}

export interface ScenarioSetup {
  config: EmulatorConfig;
  /** Ask for a second emulator in this mode; its URL replaces {{GATEWAY_URL}}. */
  gateway?: { mode: Exclude<EmulatorMode, 'api'> };
  /** Environment variables of the broken setup. */
  env: Record<string, string>;
  /** File contents by path relative to a temporary root: 'home/.bashrc', 'project/.env', … */
  files: Record<string, string>;
  options: ScenarioOptions;
  /**
   * The failing program, observed before the diagnosis without asking (argv in the project
   * directory; a leading `node` is this Node). Its file is among `files`.
   */
  observe?: string[];
}

export interface Scenario {
  name: string;
  title: string;
  description: string;
  /** The finding id a correct diagnosis names. */
  expectedFinding: string;
  setup(): ScenarioSetup;
}

// --- pieces of broken setups -------------------------------------------------------------------

const org = (over: Partial<EmulatorOrg> = {}): EmulatorOrg[] => [{ id: DEFAULT_ORG_ID, name: 'Emulated Org', ...over }];

const PYTHON_PROJECT = {
  'project/requirements.txt': 'anthropic==1.13.0\n',
  'project/app.py': 'import anthropic\n\nclient = anthropic.Anthropic()\n',
};

const tsProject = (version: string): Record<string, string> => ({
  'project/package.json':
    JSON.stringify(
      { name: 'my-app', private: true, type: 'module', dependencies: { '@anthropic-ai/sdk': `^${version}` } },
      null,
      2,
    ) + '\n',
  'project/node_modules/@anthropic-ai/sdk/package.json':
    JSON.stringify({ name: '@anthropic-ai/sdk', version }, null, 2) + '\n',
});

/** The Anthropic error body as the API writes it. */
const errorJson = (spec: M.ErrorSpec): string =>
  JSON.stringify({ type: 'error', error: { type: spec.type, message: spec.message }, request_id: newRequestId() });

/** How the Python SDK prints the same error (a dict repr). Messages here hold no quote characters. */
const pythonError = (cls: string, spec: M.ErrorSpec): string =>
  `anthropic.${cls}: Error code: ${spec.status} - {'type': 'error', 'error': {'type': '${spec.type}', 'message': '${spec.message}'}, 'request_id': '${newRequestId()}'}`;

// --- the scenarios -----------------------------------------------------------------------------

export const SCENARIOS: Scenario[] = [
  {
    name: 'trailing-newline',
    title: 'A line break pasted into the key',
    description: 'project/.env holds the key with a trailing "\\n"; the Python SDK refuses to send it.',
    expectedFinding: 'key.whitespace',
    setup() {
      const key = emulatorKey();
      return {
        config: { keys: [key] },
        env: {},
        files: { ...PYTHON_PROJECT, 'project/.env': `ANTHROPIC_API_KEY="${key.value}\\n"\n` },
        options: { client: 'sdk' },
      };
    },
  },
  {
    name: 'revoked-key',
    title: 'A key the API no longer knows',
    description: 'A well-formed key in ~/.bashrc that was revoked (the API has never heard of it).',
    expectedFinding: 'key.invalid',
    setup() {
      const revoked = fakeKey('api');
      return {
        config: { keys: [emulatorKey()] }, // some other, working key exists; this one does not
        env: { ANTHROPIC_API_KEY: revoked },
        files: { ...PYTHON_PROJECT, 'home/.bashrc': `export ANTHROPIC_API_KEY=${revoked}\n` },
        options: { client: 'sdk', errorText: pythonError('AuthenticationError', M.INVALID_X_API_KEY) },
      };
    },
  },
  {
    name: 'bearer-header',
    title: 'An API key in ANTHROPIC_AUTH_TOKEN',
    description: 'Claude Code sends ANTHROPIC_AUTH_TOKEN as Authorization: Bearer, where an API key is refused.',
    expectedFinding: 'header.bearer',
    setup() {
      const key = emulatorKey();
      return {
        config: { keys: [key] },
        env: { ANTHROPIC_AUTH_TOKEN: key.value },
        files: { 'home/.zshrc': `export ANTHROPIC_AUTH_TOKEN=${key.value}\n` },
        options: {
          client: 'claude-code',
          errorText: `Failed to authenticate. API Error: 401 ${errorJson(M.INVALID_BEARER)}`,
        },
      };
    },
  },
  {
    name: 'new-key',
    title: 'A key created a minute ago',
    description: 'A brand-new key is refused for a few seconds until it becomes active.',
    expectedFinding: 'key.not_yet_active',
    setup() {
      const key = emulatorKey({ createdAt: new Date().toISOString(), activeAfterMs: 4000 });
      return {
        config: { keys: [key] },
        env: { ANTHROPIC_API_KEY: key.value },
        files: { ...PYTHON_PROJECT, 'home/.bashrc': `export ANTHROPIC_API_KEY=${key.value}\n` },
        options: {
          client: 'sdk',
          keyAgeMinutes: 1,
          waitSeconds: 20,
          errorText: pythonError('AuthenticationError', M.INVALID_X_API_KEY),
        },
      };
    },
  },
  {
    name: 'disabled-org',
    title: 'A key from a disabled organization',
    description: 'The key authenticates, but its organization is disabled, so every model call fails.',
    expectedFinding: 'org.disabled',
    setup() {
      const key = emulatorKey();
      return {
        config: { keys: [key], orgs: org({ disabled: true }) },
        env: { ANTHROPIC_API_KEY: key.value },
        files: { 'home/.bashrc': `export ANTHROPIC_API_KEY=${key.value}\n` },
        options: { client: 'claude-code', errorText: `API Error: 400 ${errorJson(M.ORG_DISABLED)}` },
      };
    },
  },
  {
    name: 'gateway-base-url',
    title: 'ANTHROPIC_BASE_URL points at a gateway',
    description: 'A leftover ANTHROPIC_BASE_URL sends requests to an OpenAI-style gateway that answers 401.',
    expectedFinding: 'endpoint.gateway_response',
    setup() {
      const key = emulatorKey();
      return {
        config: { keys: [key] },
        gateway: { mode: 'gateway-openai' },
        env: { ANTHROPIC_API_KEY: key.value, ANTHROPIC_BASE_URL: GATEWAY_URL },
        files: { 'home/.bashrc': `export ANTHROPIC_API_KEY=${key.value}\nexport ANTHROPIC_BASE_URL=${GATEWAY_URL}\n` },
        options: { client: 'claude-code', errorText: `API Error: 401 ${JSON.stringify(M.GATEWAY_INVALID_KEY)}` },
      };
    },
  },
  {
    name: 'sdk-upgrade-gateway',
    title: 'SDK 1.x behind a gateway that reads only x-api-key',
    description: '@anthropic-ai/sdk 1.12.0 sends the key as Bearer; the gateway in ANTHROPIC_BASE_URL wants x-api-key.',
    expectedFinding: 'header.bearer',
    setup() {
      const key = emulatorKey();
      return {
        config: { keys: [key] },
        gateway: { mode: 'gateway-x-api-key-only' },
        env: { ANTHROPIC_API_KEY: key.value, ANTHROPIC_BASE_URL: GATEWAY_URL },
        files: {
          ...tsProject('1.12.0'),
          'project/.env': `ANTHROPIC_API_KEY=${key.value}\nANTHROPIC_BASE_URL=${GATEWAY_URL}\n`,
        },
        options: {
          client: 'sdk',
          errorText: `AuthenticationError: 401 ${JSON.stringify(M.GATEWAY_MISSING_X_API_KEY)}`,
        },
      };
    },
  },
  {
    name: 'credit-exhausted',
    title: 'The credit balance is used up',
    description: 'The key is valid, but the organization has no prepaid credit left.',
    expectedFinding: 'billing.credit',
    setup() {
      const key = emulatorKey();
      return {
        config: { keys: [key], orgs: org({ creditExhausted: true }) },
        env: { ANTHROPIC_API_KEY: key.value },
        files: { ...PYTHON_PROJECT, 'home/.bashrc': `export ANTHROPIC_API_KEY=${key.value}\n` },
        options: { client: 'sdk', errorText: pythonError('BadRequestError', M.CREDIT_TOO_LOW) },
      };
    },
  },
  {
    name: 'oauth-no-beta',
    title: 'A Claude login token in ANTHROPIC_AUTH_TOKEN',
    description: 'SDK 0.x sends an OAuth token from ANTHROPIC_AUTH_TOKEN without the oauth beta header.',
    expectedFinding: 'header.oauth_beta',
    setup() {
      const oat = fakeKey('oat');
      return {
        config: { oauthTokens: [{ value: oat, orgId: DEFAULT_ORG_ID }] },
        env: { ANTHROPIC_AUTH_TOKEN: oat },
        files: { ...tsProject('0.120.0'), 'home/.bashrc': `export ANTHROPIC_AUTH_TOKEN=${oat}\n` },
        options: { client: 'sdk', errorText: `AuthenticationError: 401 ${errorJson(M.OAUTH_NOT_SUPPORTED)}` },
      };
    },
  },
  {
    name: 'custom-key-variable',
    title: 'The program reads its key from a variable of its own',
    description:
      'app.mjs passes process.env.MY_CLAUDE_KEY to the client: no configuration says so, and that key is rejected.',
    expectedFinding: 'key.invalid',
    setup() {
      const key = fakeKey('api'); // unknown to the emulator: rejected
      return {
        config: { keys: [] },
        env: { MY_CLAUDE_KEY: key },
        files: { 'home/.bashrc': `export MY_CLAUDE_KEY=${key}\n`, 'project/app.mjs': CUSTOM_VARIABLE_PROGRAM },
        options: {},
        observe: ['node', 'app.mjs'],
      };
    },
  },
];

/**
 * The custom-key-variable demo's failing program: what an app wrapping a client does, with no SDK
 * to install — it reads MY_CLAUDE_KEY (a name no client reads) and calls GET /v1/models.
 */
const CUSTOM_VARIABLE_PROGRAM = [
  "import http from 'node:http';",
  "const base = process.env.ANTHROPIC_BASE_URL ?? 'http://127.0.0.1:9';",
  'const headers = {',
  "  'x-api-key': process.env.MY_CLAUDE_KEY ?? '',",
  "  'anthropic-version': '2023-06-01',",
  "  'user-agent': 'my-app/1.0',",
  '};',
  "const req = http.get(new URL('/v1/models', base), { headers }, (res) => {",
  "  let body = '';",
  "  res.on('data', (c) => (body += c));",
  "  res.on('end', () => {",
  '    console.error(`my-app: the API said ${res.statusCode} ${body}`);',
  '    process.exit(res.statusCode === 200 ? 0 : 1);',
  '  });',
  '});',
  "req.on('error', (e) => {",
  '  console.error(`my-app: ${e.message}`);',
  '  process.exit(1);',
  '});',
  '',
].join('\n');

export const findScenario = (name: string): Scenario | undefined => SCENARIOS.find((s) => s.name === name);

export interface RunningScenario {
  api: Emulator;
  gateway?: Emulator;
  /** `setup()` with the placeholders replaced by the running emulators' URLs. */
  env: Record<string, string>;
  files: Record<string, string>;
  options: ScenarioOptions;
  observe?: string[];
  close(): Promise<void>;
}

/** Runs `setup()`, starts the emulator(s) and fills in their URLs. Always close() it. */
export async function startScenario(scenario: Scenario): Promise<RunningScenario> {
  const setup = scenario.setup();
  const api = await startEmulator(setup.config);
  // The gateway shares the config objects, so keys and org state are the same behind both.
  const gateway = setup.gateway ? await startEmulator({ ...setup.config, mode: setup.gateway.mode }) : undefined;
  const fill = (s: string) => s.replaceAll(EMULATOR_URL, api.url).replaceAll(GATEWAY_URL, gateway?.url ?? GATEWAY_URL);
  const mapValues = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fill(v)]));
  return {
    api,
    gateway,
    env: mapValues(setup.env),
    files: mapValues(setup.files),
    options: { ...setup.options, ...(setup.options.errorText ? { errorText: fill(setup.options.errorText) } : {}) },
    ...(setup.observe ? { observe: [...setup.observe] } : {}),
    close: async () => {
      await Promise.all([api.close(), gateway?.close()]);
    },
  };
}
