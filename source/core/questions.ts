// The questions the wizard asks where no check can tell. Pure data; the machine decides when.
import type { StepId } from './types.js';

// ---------------------------------------------------------------------------------------------
// Questions

export type QuestionId =
  | 'client'
  | 'error'
  | 'key_age'
  | 'wait'
  | 'subscription'
  | 'model'
  | 'provider'
  | 'runs_elsewhere'
  | 'paste_key'
  | 'probe_base_url'
  | 'admin_key'
  | 'workspace_expected'
  | 'console_status'
  | 'observe_clients'
  | 'observe_command';

export interface Choice {
  value: string;
  label: string;
}

/**
 * A select question's first choice is its default (Enter alone picks it), and it is the answer
 * that adds no assumption (cli-contract.md, "The wizard's defaults assume nothing"): "not sure",
 * "no wait", "no" to sending a credential anywhere else. What `check` answers by itself.
 */
export interface Question {
  id: QuestionId;
  step: StepId;
  prompt: string;
  /** select: one of choices; text: one line; multiline: a paste; secret: masked, never echoed. */
  input: 'select' | 'text' | 'multiline' | 'secret';
  choices?: Choice[];
  /** A short hint under the prompt. */
  hint?: string;
}

/** Answers the machine understands as "no answer". */
export const UNKNOWN = 'unknown';

// ---------------------------------------------------------------------------------------------
// Questions the wizard asks (the headless driver answers them from flags, or "unknown")

export const QUESTIONS = {
  client: (): Question => ({
    id: 'client',
    step: 'key_format',
    prompt: 'Which program gets the 401?',
    input: 'select',
    choices: [
      { value: 'auto', label: 'Not sure — check each of them' },
      { value: 'claude-code', label: 'Claude Code' },
      { value: 'sdk', label: 'My code, with an Anthropic SDK' },
      { value: 'curl', label: 'curl or another HTTP tool' },
      { value: 'other', label: 'Another app' },
    ],
  }),
  error: (): Question => ({
    id: 'error',
    step: 'key_format',
    prompt: 'Paste the error you saw (optional)',
    input: 'multiline',
    hint:
      'Multi-line is fine. Finish with an empty line, or press Enter on an empty field to skip. ' +
      'Keys in it are removed before anything is shown or saved.',
  }),
  key_age: (): Question => ({
    id: 'key_age',
    step: 'activation',
    prompt: 'The API does not know this key. When was it created?',
    input: 'select',
    choices: [
      { value: UNKNOWN, label: 'Earlier / not sure' },
      { value: 'new', label: 'In the last 15 minutes' },
    ],
  }),
  wait: (): Question => ({
    id: 'wait',
    step: 'activation',
    prompt: 'New keys can take a few minutes to activate. Wait and re-check?',
    input: 'select',
    choices: [
      { value: '0', label: 'No' },
      { value: '120', label: 'Yes, re-check for up to 2 minutes' },
      { value: '300', label: 'Yes, up to 5 minutes' },
    ],
  }),
  probe_base_url: (url: string): Question => ({
    id: 'probe_base_url',
    step: 'provider',
    prompt: `Your client sends requests to ${url}. Send the key there too, to see what it answers?`,
    input: 'select',
    hint: 'Only if you trust that server: the key is sent to it.',
    choices: [
      { value: 'no', label: 'No' },
      { value: 'yes', label: 'Yes, probe it' },
    ],
  }),
  console_status: (fp: string): Question => ({
    id: 'console_status',
    step: 'workspace',
    prompt: `In the Console (Settings → API keys), find the key ${fp}. What does it show?`,
    input: 'select',
    choices: [
      { value: UNKNOWN, label: "Skip / I don't know" },
      { value: 'active', label: 'Listed, active' },
      { value: 'inactive', label: 'Listed, inactive' },
      { value: 'archived', label: 'Listed, archived' },
      { value: 'expired', label: 'Listed, expired' },
      { value: 'workspace_archived', label: 'Its workspace is archived' },
      { value: 'missing', label: 'Not listed' },
    ],
  }),
  paste_key: (apiUrl: string): Question => ({
    id: 'paste_key',
    step: 'key_format',
    prompt: 'No key was found here. Paste the key to test (optional)',
    input: 'secret',
    hint: `It is masked, never shown or saved, and sent only to ${apiUrl}. Enter on an empty field skips.`,
  }),
  runs_elsewhere: (): Question => ({
    id: 'runs_elsewhere',
    step: 'key_format',
    prompt: 'Where does the failing program run?',
    input: 'select',
    choices: [
      { value: UNKNOWN, label: 'Not sure' },
      { value: 'here', label: 'Here, from this terminal' },
      { value: 'docker', label: 'In Docker' },
      { value: 'ci', label: 'In CI (GitHub Actions, GitLab, …)' },
      { value: 'serverless', label: 'Serverless (Vercel, Netlify, Lambda, …)' },
      { value: 'ide', label: 'From an IDE or a GUI app' },
    ],
  }),
  subscription: (): Question => ({
    id: 'subscription',
    step: 'key_format',
    prompt: 'Do you have a Claude Pro or Max subscription you log in to Claude Code with?',
    input: 'select',
    choices: [
      { value: UNKNOWN, label: 'Not sure' },
      { value: 'yes', label: 'Yes' },
      { value: 'no', label: 'No, I use an API key' },
    ],
  }),
  model: (): Question => ({
    id: 'model',
    step: 'scope',
    prompt: 'Which model do you call? (optional)',
    input: 'text',
    hint: 'e.g. claude-sonnet-4-5. Enter on an empty field uses the first model your key can list.',
  }),
  provider: (): Question => ({
    id: 'provider',
    step: 'provider',
    prompt: 'Where do you mean to send requests?',
    input: 'select',
    choices: [
      { value: UNKNOWN, label: 'Not sure' },
      { value: 'anthropic', label: 'The Anthropic API (a Console key or a Claude login)' },
      { value: 'bedrock', label: 'Amazon Bedrock' },
      { value: 'vertex', label: 'Google Vertex AI' },
      { value: 'foundry', label: 'Microsoft Foundry' },
    ],
  }),
  admin_key: (): Question => ({
    id: 'admin_key',
    step: 'workspace',
    prompt: "Paste an Admin API key to look up the key's status and workspace (optional)",
    input: 'secret',
    hint:
      'sk-ant-admin01-… from Console → Settings → Admin keys. ' +
      'Masked, never saved, sent only to the API. Enter skips.',
  }),
  workspace_expected: (seen: string): Question => ({
    id: 'workspace_expected',
    step: 'workspace',
    prompt: `This key answers from workspace ${seen}. Which workspace should it belong to? (optional)`,
    input: 'text',
    hint: 'Its wrkspc_… id or its name from Console → Settings → Workspaces. Enter skips.',
  }),
  // Watching the real program (cli-contract.md "Observing the real program"). Watching sends
  // nothing out, so its default is Yes; a command of the person's own is asked for, never assumed.
  observe_clients: (names: string): Question => ({
    id: 'observe_clients',
    step: 'key_format',
    prompt: `Watch ${names} send one request? Nothing leaves this machine.`,
    input: 'select',
    choices: [
      { value: 'yes', label: 'Yes — a local stand-in answers it; no token is spent' },
      { value: 'no', label: 'No' },
    ],
    hint: 'Running Claude Code may add a session record to its own history, as any run of it does.',
  }),
  observe_command: (): Question => ({
    id: 'observe_command',
    step: 'key_format',
    prompt: 'Which command fails? (Enter skips)',
    input: 'text',
    hint:
      'It runs once, here, against a local stand-in of the API that answers and forwards nothing. A program ' +
      'that ignores both ANTHROPIC_BASE_URL and the proxy variables reaches the network ' +
      'as it does whenever you run it.',
  }),
} satisfies Partial<Record<QuestionId, (...args: string[]) => Question>>;

/** Answers typed into masked prompts never go into a report. */
export const SECRET_QUESTIONS: readonly QuestionId[] = ['paste_key', 'admin_key'];
