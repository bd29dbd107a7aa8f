import { describe, expect, it } from 'vitest';
import { QUESTIONS, UNKNOWN, type Question } from '../../source/core/machine.js';
import { createRedactor } from '../../source/core/redact.js';
import { fakeKey } from '../../source/emulator/keys.js';
import {
  answerText,
  attemptLine,
  clock,
  editMultiline,
  EMPTY_MULTILINE,
  multilineText,
  NO_KEY,
  preview,
  type Multiline,
  type MultilineResult,
} from '../../source/ui/format.js';

/** Feeds chunks the way Ink's useInput reports them (a lone \r is Enter; a lone \x7f is Delete). */
function feed(chunks: string[]): MultilineResult {
  let s: Multiline = EMPTY_MULTILINE;
  let r: MultilineResult = { state: s };
  for (const c of chunks) {
    const key = { ...NO_KEY, return: c === '\r', delete: c === '\u007f', ctrl: c === '\u0004' };
    r = editMultiline(s, c === '\r' || c === '\u007f' ? '' : c === '\u0004' ? 'd' : c, key);
    if (!('state' in r)) return r;
    s = r.state;
  }
  return r;
}

describe('multi-line paste field', () => {
  it('Enter on an empty field skips', () => {
    expect(feed(['\r'])).toEqual({ skip: true });
  });

  it('accepts a paste in one chunk with \\r line breaks and finishes on an empty line', () => {
    const r = feed(['Error: 401\r{"type":"error"}\r', '\r']);
    expect(r).toEqual({ submit: 'Error: 401\n{"type":"error"}' });
  });

  it('joins a paste split over several chunks, CRLF split between chunks included', () => {
    const r = feed(['line one\r', '\nline two\r\nline', ' three\n', '\r']);
    expect(r).toEqual({ submit: 'line one\nline two\nline three' });
  });

  it('keeps blank lines inside a pasted chunk (only a lone Enter on an empty line finishes)', () => {
    const r = feed(['a\n\nb\n', '\r']);
    expect(r).toEqual({ submit: 'a\n\nb' });
  });

  it('typed lines: Enter ends a line; Ctrl-D finishes at once', () => {
    expect(feed(['4', '0', '1', '\r', 'x', '\u0004'])).toEqual({ submit: '401\nx' });
  });

  it('Ctrl-D on nothing skips; backspace edits across a line break', () => {
    expect(feed(['\u0004'])).toEqual({ skip: true });
    const r = feed(['ab\r', '\u007f', '\u007f', 'c', '\u0004']);
    expect(r).toEqual({ submit: 'ac' });
  });

  it('multilineText drops trailing empty lines', () => {
    expect(multilineText({ lines: ['a', ''], current: '', afterCr: false })).toBe('a');
  });
});

describe('preview', () => {
  it('cuts to a few lines and says how many more', () => {
    const text = Array.from({ length: 9 }, (_, i) => `line ${i + 1}`).join('\n');
    expect(preview(text, 4)).toEqual({ lines: ['line 1', 'line 2', 'line 3', 'line 4'], more: 5 });
  });
  it('cuts very long lines', () => {
    const { lines } = preview('x'.repeat(500));
    expect(lines[0]!.length).toBeLessThan(200);
  });
});

describe('answerText', () => {
  const id = (t: string) => t;
  it('a select answer reads as its label, an unknown as its label or "skipped"', () => {
    expect(answerText(QUESTIONS.client(), 'sdk', id)).toBe('My code, with an Anthropic SDK');
    expect(answerText(QUESTIONS.key_age(), UNKNOWN, id)).toBe('Earlier / not sure');
    expect(answerText(QUESTIONS.error(), UNKNOWN, id)).toBe('skipped');
  });

  it('a secret answer is only its fingerprint: no 8 characters of the key beyond the prefix', () => {
    const key = fakeKey('api');
    const q: Question = { id: 'paste_key', step: 'key_format', prompt: 'Paste', input: 'secret' };
    const shown = answerText(q, key, id);
    expect(shown).toMatch(/^sk-ant-api03-…\S{4} \(108 chars\)$/);
    const body = key.slice('sk-ant-api03-'.length);
    for (let i = 0; i + 8 <= body.length; i++) expect(shown).not.toContain(body.slice(i, i + 8));
  });

  it('a long pasted line is redacted before it is cut (no cut can split a key past the redactor)', () => {
    const key = fakeKey('api');
    const redact = createRedactor({ secrets: [key] });
    const shown = answerText(QUESTIONS.error(), `${'x'.repeat(10)} ${key}\nmore`, redact);
    expect(shown).not.toContain(key.slice(13, 21));
    expect(shown).toContain('(+1 more lines)');
  });

  it('a multi-line paste reads as its first line and a count', () => {
    expect(answerText(QUESTIONS.error(), 'Error 401\nat foo\nat bar', id)).toBe('Error 401 (+2 more lines)');
  });
});

describe('small formats', () => {
  it('clock', () => {
    expect(clock(65_000)).toBe('1:05');
    expect(clock(-5)).toBe('0:00');
    expect(clock(1)).toBe('0:01');
  });
  it('attemptLine names status, message and request-id', () => {
    expect(attemptLine({ status: 401, errorMessage: 'invalid x-api-key', requestId: 'req_1', network: null })).toBe(
      '401 invalid x-api-key · request-id req_1',
    );
    expect(attemptLine({ status: null, errorMessage: null, requestId: null, network: { kind: 'timeout' } })).toBe(
      'no answer (timeout)',
    );
  });
});
