// The leak fuzz suite, in-process share: every case runs the real (pure) machine headless on a
// discovery that holds the secret where the case puts it, with live answers that echo it when the
// case is a server echo, then renders the diagnosis the way `check` does (text, JSON, Markdown)
// through one redactor built from the same context the session builds. The oracle
// (test/helpers/leak.ts) shares no code with the redactor.
import { describe, expect, it } from 'vitest';
import type { Event } from '../../source/core/machine.js';
import { renderText } from '../../source/core/present.js';
import { commandDisplay, createRedactor, discoveryContext } from '../../source/core/redact.js';
import { toJson, toMarkdown } from '../../source/core/report.js';
import type { ApiKeyHelperInfo, Candidate, Discovery } from '../../source/core/types.js';
import { runMachine } from '../../source/headless.js';
import { reportMethods, servedText, type Session } from '../../source/session.js';
import { discovery as makeDiscovery, ENVIRONMENT, options } from '../helpers/discovery.js';
import { leaks } from '../helpers/leak.js';
import { answer } from '../helpers/machine.js';
import { makeCase, RUNS, SEED, tally, type Case } from './gen.js';

const HOME = '/home/user';

function candidate(c: Case, origin: Candidate['origin'], source: string): Candidate {
  return { source, origin, name: c.detail, value: c.secret };
}

/** What discovery would have found for this case. */
function discoveryFor(c: Case): { d: Discovery; errorText: string | null } {
  const d = makeDiscovery({ home: HOME, cwd: `${HOME}/project` });
  let errorText: string | null = null;
  switch (c.placement) {
    case 'env':
      d.candidates.push(candidate(c, 'env', `env:${c.detail}`));
      break;
    case 'dotenv':
      d.candidates.push(candidate(c, 'dotenv', 'file:.env:1'));
      break;
    case 'shell':
      d.candidates.push(candidate(c, 'shell', 'file:~/.bashrc:3'));
      break;
    case 'settings-env':
      d.claudeSettingsEnv.push({
        origin: 'claude-user',
        source: 'file:~/.claude/settings.json',
        env: { [c.detail]: c.secret },
      });
      d.candidates.push(candidate(c, 'claude-user', 'file:~/.claude/settings.json:3'));
      break;
    case 'helper': {
      const info: ApiKeyHelperInfo = { source: 'file:~/.claude/settings.json', command: commandDisplay(c.text) };
      Object.defineProperty(info, 'raw', { value: c.text, enumerable: false });
      d.apiKeyHelper = info;
      break;
    }
    case 'custom-header':
      d.env.ANTHROPIC_CUSTOM_HEADERS = c.text;
      d.candidates.push({ source: 'env:ANTHROPIC_API_KEY', origin: 'env', name: 'ANTHROPIC_API_KEY', value: 'x' });
      break;
    case 'proxy':
      d.env.HTTPS_PROXY = c.text;
      break;
    case 'pasted':
      errorText = c.text;
      break;
    case 'echo':
      // The echoed value is unknown to the tool: a gateway's own token, say.
      d.candidates.push({
        source: 'env:ANTHROPIC_API_KEY',
        origin: 'env',
        name: 'ANTHROPIC_API_KEY',
        value: 'x'.repeat(30),
      });
      break;
  }
  return { d, errorText };
}

/** A session like createSession's (the same context, rebuilt on every served text) over canned answers. */
function fakeSession(c: Case): Session {
  const { d, errorText } = discoveryFor(c);
  const secrets = d.candidates.map((x) => x.value).filter(Boolean);
  const context = discoveryContext(d, errorText);
  let redact = createRedactor({ ...context, secrets, home: HOME });
  const o = options({ client: 'curl', errorText, apiUrl: 'http://127.0.0.1:1' });
  return {
    input: {
      options: o,
      discovery: d,
      environment: ENVIRONMENT,
      nowMs: Date.parse('2026-12-04T20:00:00Z'),
      interactive: false,
      adminKey: null,
    },
    redact: (t) => redact(t),
    addSecret: () => undefined,
    addOutside: () => undefined,
    close: () => undefined,
    prefetch: () => undefined,
    now: () => Date.parse('2026-12-04T20:00:05Z'),
    ...reportMethods(
      (t) => redact(t),
      () => Date.parse('2026-12-04T20:00:05Z'),
    ),
    run: (pending) => {
      if (pending.type !== 'probe')
        return Promise.resolve(pending.type === 'wait' ? { type: 'waitTick', elapsedMs: 1 } : null);
      const echo = c.placement === 'echo' ? c.text : 'invalid x-api-key';
      const result = answer(401, echo, { bodySnippet: c.placement === 'echo' ? c.text : '{}' });
      const event: Event = { type: 'probeFinished', result };
      const served = servedText(event);
      if (served.length > 0) {
        context.outside.push(...served);
        redact = createRedactor({ ...context, secrets, home: HOME });
      }
      return Promise.resolve(event);
    },
  };
}

describe('leak fuzz, in-process (machine + renderers + the one redactor)', () => {
  it(`${RUNS} generated cases, seed ${SEED}: no 8-character window of any secret in text, JSON or Markdown`, async () => {
    const cases: Case[] = [];
    const failures: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const c = makeCase(SEED, i);
      cases.push(c);
      const session = fakeSession(c);
      const { diagnosis } = await runMachine(session);
      const outputs = {
        text: session.redact(renderText(diagnosis, { unicode: true, color: false })),
        // An escaped line break (\n) is read as the break it stands for, not as the letter n.
        json: JSON.stringify(toJson(diagnosis, session.redact), null, 2).replace(/\\[nrt]/g, ' '),
        markdown: toMarkdown(diagnosis, session.redact),
        'the input itself': session.redact(c.text),
      };
      for (const l of leaks(outputs, [c.secret]))
        failures.push(
          `case ${i} (${c.shape} in ${c.placement}, ${JSON.stringify(c.damage)}): ${l}\n  input: ${JSON.stringify(c.text)}`,
        );
      if (failures.length >= 5) break;
    }
    console.log(
      `leak fuzz in-process: ${cases.length} cases, seed ${SEED} (C401_FUZZ_SEED to replay)\n${tally(cases)}`,
    );
    expect(failures, failures.join('\n')).toEqual([]);
  }, 600_000);
});
