// The step list: finished steps collapse to one line, findings open under failed (and warned)
// steps; Unicode and ASCII marks; readable at 40 and at 200 columns; no colour when told so.
import { renderToString } from 'ink';
import { describe, expect, it } from 'vitest';
import { finding } from '../../source/core/findings.js';
import type { Look } from '../../source/core/present.js';
import { createRedactor } from '../../source/core/redact.js';
import type { Diagnosis, StepResult } from '../../source/core/types.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { Intro } from '../../source/ui/components/Intro.js';
import { StepLine } from '../../source/ui/components/StepLine.js';
import { Summary } from '../../source/ui/components/Summary.js';
import { makeUi, UiContext } from '../../source/ui/context.js';
import { ENVIRONMENT, HOME } from './harness.js';

const UNICODE: Look = { unicode: true, color: false };
const ASCII: Look = { unicode: false, color: false };

const key = fakeKey('api');
const redact = createRedactor({ secrets: [key], home: HOME });
const invalid = finding(
  'key.invalid',
  `${key} from env:ANTHROPIC_API_KEY: the API answered 401 invalid x-api-key (request-id req_011CTestRequestId0001).`,
);
const dotenv = finding('env.dotenv_not_ignored', '~/project/.env holds a credential and is not ignored by git.', {
  fix: ["echo '.env' >> .gitignore"],
});

const STEPS: { step: StepResult; findings: (typeof invalid)[] }[] = [
  { step: { id: 'key_format', status: 'warn', note: dotenv.title }, findings: [dotenv] },
  { step: { id: 'activation', status: 'fail', note: invalid.title }, findings: [invalid] },
  { step: { id: 'header', status: 'skip', note: 'nothing sent to check' }, findings: [] },
  { step: { id: 'provider', status: 'pass', note: 'requests go to the Anthropic API' }, findings: [] },
];

function draw(look: Look, columns: number): string {
  return renderToString(
    <UiContext.Provider value={makeUi(look, redact, columns)}>
      {STEPS.map((s, i) => (
        <StepLine key={i} step={s.step} findings={s.findings} />
      ))}
    </UiContext.Provider>,
    { columns },
  );
}

const width = (line: string) => [...line.replace(/\u001b\[[0-9;]*m/g, '')].length;

describe('step lines', () => {
  it('Unicode marks ✓ ! ✗ –, one line per finished step, findings under the failed one', () => {
    const out = draw(UNICODE, 100);
    expect(out).toContain('! Key format: A .env file holding a key is not ignored by git');
    expect(out).toContain('✗ Activation: The API rejects this key');
    expect(out).toContain('– Header: nothing sent to check');
    expect(out).toContain('✓ Provider: requests go to the Anthropic API');
    // Under the failure: title (id), the evidence (fingerprint, request-id), the fix lines.
    expect(out).toContain('(key.invalid)');
    expect(out).toContain(`sk-ant-api03-…${key.slice(-4)} (108 chars)`);
    expect(out).toContain('req_011CTestRequestId0001');
    expect(out).toContain('→ Create a new key');
    expect(out).toContain("→ echo '.env' >> .gitignore");
    // A passed step stays one line.
    const lines = out.split('\n');
    const provider = lines.findIndex((l) => l.includes('Provider:'));
    expect(lines.slice(provider + 1).join('')).toBe('');
  });

  it('ASCII marks [ok] [warn] [FAIL] [skip], and no Unicode symbol at all', () => {
    const out = draw(ASCII, 100);
    expect(out).toContain('[warn] Key format');
    expect(out).toContain('[FAIL] Activation');
    expect(out).toContain('[skip] Header');
    expect(out).toContain('[ok] Provider');
    expect(out).toContain('-> Create a new key');
    expect(out).toContain('sk-ant-api03-...');
    expect(out).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it('no secret reaches the screen: the detail is redacted to the fingerprint', () => {
    const out = draw(UNICODE, 200);
    const body = key.slice(13);
    for (let i = 0; i + 8 <= body.length; i++) expect(out).not.toContain(body.slice(i, i + 8));
  });

  it.each([40, 200])('at %i columns every line fits and no word is lost', (columns) => {
    for (const look of [UNICODE, ASCII]) {
      const out = draw(look, columns);
      for (const line of out.split('\n')) expect(width(line)).toBeLessThanOrEqual(columns);
      const words = (s: string) => s.split(/\s+/).filter(Boolean);
      const wide = words(draw(look, 1000));
      expect(words(out)).toEqual(wide);
    }
  });

  it('with colour: marks are coloured, and the mark is still there (colour is never the only signal)', () => {
    const out = renderToString(
      <UiContext.Provider value={{ look: { unicode: true, color: true }, redact }}>
        <StepLine step={STEPS[1]!.step} findings={STEPS[1]!.findings} />
      </UiContext.Provider>,
      { columns: 80 },
    );
    expect(out).toContain('\u001b[31m✗\u001b[39m');
    const plain = draw(UNICODE, 80);
    expect(plain).not.toContain('\u001b[');
  });
});

describe('intro', () => {
  it('says what is checked, where the key goes, that nothing is saved unasked; the demo title', () => {
    const out = renderToString(
      <UiContext.Provider value={{ look: UNICODE, redact, width: 40 }}>
        <Intro
          apiUrl="https://api.anthropic.com"
          demo={{ name: 'revoked-key', title: 'A key the API no longer knows' }}
        />
      </UiContext.Provider>,
      { columns: 40 },
    );
    const flat = out.replace(/\s+/g, ' ');
    expect(flat).toContain('sent only to https://api.anthropic.com (the Anthropic API)');
    expect(flat).toContain('Nothing is saved unless you say so');
    expect(flat).toContain('Demo: A key the API no longer knows');
    expect(flat).toMatch(/which key your program really uses/);
    for (const line of out.split('\n')) expect(width(line)).toBeLessThanOrEqual(40);
  });
});

describe('summary', () => {
  it('verdict, cause and what to do; network trouble listed', () => {
    const d = {
      verdict: 'problem',
      summary: `${invalid.title} — ${invalid.fix[0]}`,
      findings: [invalid, finding('network.timeout', 'GET /v1/models got no answer in 10000 ms.')],
      environment: ENVIRONMENT,
    } as unknown as Diagnosis;
    const out = renderToString(
      <UiContext.Provider value={makeUi(ASCII, redact)}>
        <Summary diagnosis={d} />
      </UiContext.Provider>,
      { columns: 60 },
    );
    const flat = out.replace(/\s+/g, ' ');
    expect(flat).toContain('[FAIL] PROBLEM: The API rejects this key');
    expect(flat).toContain('What to do: 1. Create a new key');
    expect(flat).toContain('[warn] Network');
    expect(flat).toContain('(network.timeout)');
  });
});
