// The one input layer: a read split into its keys, and every key of a read applied in order.
import { describe, expect, it } from 'vitest';
import { KeyRouter, type KeyHandler } from '../../source/ui/input.js';
import { parseKeys, type Key } from '../../source/ui/keys.js';
import { moveIndex } from '../../source/ui/components/Select.js';
import { editLine, type LineState } from '../../source/ui/components/TextField.js';
import { multilineStep } from '../../source/ui/components/MultilineField.js';
import { EMPTY_MULTILINE, type Multiline } from '../../source/ui/format.js';

const names = (chunk: string) => parseKeys(chunk).map((k) => (k.name === 'text' ? `text:${k.text}` : k.name));

describe('parseKeys', () => {
  it('splits arrows, Enter and text that arrive in one read, in order', () => {
    expect(names('\u001b[B\r')).toEqual(['down', 'return']);
    expect(names('\u001b[B\u001b[B\u001b[B')).toEqual(['down', 'down', 'down']);
    expect(names('\u001b[A\u001b[B\r')).toEqual(['up', 'down', 'return']);
    expect(names('abc\r')).toEqual(['text:abc', 'return']);
    expect(names('\r\r')).toEqual(['return', 'return']);
    expect(names('q')).toEqual(['text:q']);
  });

  it('reads SS3 arrows, modified arrows, Home/End/Delete/PageUp', () => {
    expect(names('\u001bOB\u001bOA')).toEqual(['down', 'up']);
    expect(names('\u001b[1;5B')).toEqual(['down']);
    expect(names('\u001b[H\u001b[F\u001b[3~\u001b[5~\u001b[6~')).toEqual([
      'home',
      'end',
      'delete',
      'pageup',
      'pagedown',
    ]);
  });

  it('Escape alone, Escape before a key, Ctrl-C, Ctrl-D, Backspace, Tab', () => {
    expect(names('\u001b')).toEqual(['escape']);
    expect(names('\u001b\u001b[B')).toEqual(['escape', 'down']);
    expect(parseKeys('\u0003')).toEqual([{ name: 'ctrl', text: 'c' }]);
    expect(parseKeys('\u0004')).toEqual([{ name: 'ctrl', text: 'd' }]);
    expect(names('a\u007fb\t')).toEqual(['text:a', 'backspace', 'text:b', 'tab']);
  });

  it('CRLF is one Enter; a lone LF is Enter too', () => {
    expect(parseKeys('x\r\ny')).toEqual([
      { name: 'text', text: 'x' },
      { name: 'return', text: '\r\n' },
      { name: 'text', text: 'y' },
    ]);
    expect(names('\n')).toEqual(['return']);
  });

  it('an unknown sequence is one ignored key, never text', () => {
    expect(names('\u001b[15~x')).toEqual(['other', 'text:x']);
    expect(names('\u001b[200~')).toEqual(['other']);
  });

  it('the text of every read survives the split (nothing typed is lost or invented)', () => {
    const chunk = 'ab\u001b[Bcd\rsk-ant-x\u007fz';
    const text = parseKeys(chunk)
      .filter((k) => k.name === 'text')
      .map((k) => k.text)
      .join('');
    expect(text).toBe('abcdsk-ant-xz');
  });
});

/** A router with one field and one screen handler that record what reached them. */
function routed(field: KeyHandler) {
  const seen: string[] = [];
  const router = new KeyRouter();
  router.add({ layer: 'field', handler: { current: field } });
  router.add({
    layer: 'screen',
    handler: {
      current: (k) => {
        seen.push(k.name === 'text' ? k.text : k.name);
      },
    },
  });
  return { router, seen };
}

/** A choice list over the router, as Select runs it: a ref index, closed after a choice. */
function choiceList(count: number) {
  const state = { index: 0, chosen: null as number | null };
  const handler: KeyHandler = (k: Key) => {
    if (state.chosen !== null) return 'pass';
    const moved = moveIndex(state.index, count, k);
    if (moved !== null) {
      state.index = moved;
      return 'used';
    }
    if (k.name === 'return') {
      state.chosen = state.index;
      return 'closed';
    }
    return 'pass';
  };
  return { state, handler };
}

describe('KeyRouter', () => {
  it('↓ and Enter in one read choose the second row, never the first', () => {
    const list = choiceList(2);
    routed(list.handler).router.feed('\u001b[B\r');
    expect(list.state.chosen).toBe(1);
  });

  it('three arrows in one read move three rows', () => {
    const list = choiceList(5);
    routed(list.handler).router.feed('\u001b[B\u001b[B\u001b[B');
    expect(list.state.index).toBe(3);
  });

  it('keys after the one that answered are dropped (no type-ahead into the next question); Ctrl-C still counts', () => {
    const list = choiceList(3);
    const { router, seen } = routed(list.handler);
    router.feed('\r\u001b[Bq\u001b\u0003');
    expect(list.state.chosen).toBe(0);
    expect(seen).toEqual(['ctrl']);
  });

  it('keys the field does not use go to the screen, in order (Esc, q)', () => {
    const list = choiceList(3);
    const { router, seen } = routed(list.handler);
    router.feed('\u001b[B\u001bq');
    expect(list.state.index).toBe(1);
    expect(seen).toEqual(['escape', 'q']);
  });

  it('the newest field takes keys first', () => {
    const a = choiceList(3);
    const b = choiceList(3);
    const router = new KeyRouter();
    router.add({ layer: 'field', handler: { current: a.handler } });
    const remove = router.add({ layer: 'field', handler: { current: b.handler } });
    router.feed('\u001b[B');
    expect([a.state.index, b.state.index]).toEqual([0, 1]);
    remove();
    router.feed('\u001b[B');
    expect([a.state.index, b.state.index]).toEqual([1, 1]);
  });
});

describe('fields on the layer', () => {
  it('text field: typed text and Enter in one read submit the text; editing keys apply in order', () => {
    const run = (chunk: string) => {
      let s: LineState = { value: '', cursor: 0 };
      for (const k of parseKeys(chunk)) {
        const r = editLine(s, k);
        if (r === null) continue;
        if ('submit' in r) return r.submit;
        s = r.state;
      }
      return `(open) ${s.value}`;
    };
    expect(run('claude-opus\r')).toBe('claude-opus');
    expect(run('abd\u001b[Dc\r')).toBe('abcd');
    expect(run('xy\u007f\u007fz\r')).toBe('z');
    expect(run('abc\u001b[H\u001b[3~\r')).toBe('bc');
    expect(run('abc')).toBe('(open) abc');
  });

  it('multi-line field: line breaks inside a paste are text; Enter alone on an empty line finishes', () => {
    const feed = (chunks: string[]) => {
      let s: Multiline = EMPTY_MULTILINE;
      for (const c of chunks) {
        const keys = parseKeys(c);
        for (const k of keys) {
          const r = multilineStep(s, k, { alone: keys.length === 1 });
          if (r === null) continue;
          if (!('state' in r)) return r;
          s = r.state;
        }
      }
      return { state: s };
    };
    expect(feed(['a\r\rb\r', '\r'])).toEqual({ submit: 'a\n\nb' });
    expect(feed(['line one\r', '\nline two', '\r', '\r'])).toEqual({ submit: 'line one\nline two' });
    expect(feed(['\r'])).toEqual({ skip: true });
    expect(feed(['401', '\u0004'])).toEqual({ submit: '401' });
  });
});
