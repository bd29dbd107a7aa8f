// The wizard's key parser: one read of the terminal (which may hold several keys — fast typing,
// a paste, a slow SSH link) split into the keys it holds, in order. Pure. Every choice list and
// text field takes its keys from here (through ./input.tsx), so "↓ then Enter" in one read is a
// move and then a choice, never a choice of the first row.

export type KeyName =
  | 'text'
  | 'return'
  | 'escape'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'home'
  | 'end'
  | 'pageup'
  | 'pagedown'
  | 'backspace'
  | 'delete'
  | 'tab'
  /** Ctrl and a letter; the letter (lower case) is in `text`. */
  | 'ctrl'
  /** An escape sequence no field uses (function keys, focus reports, …): ignored by everyone. */
  | 'other';

export interface Key {
  name: KeyName;
  /** The typed text for `text`, the letter for `ctrl`, the raw sequence otherwise. */
  text: string;
}

const ESC = '\u001b';

const CSI_NAMES: Record<string, KeyName> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  '1~': 'home',
  '7~': 'home',
  '4~': 'end',
  '8~': 'end',
  '3~': 'delete',
  '5~': 'pageup',
  '6~': 'pagedown',
  Z: 'other', // Shift-Tab
};

/** The key an escape sequence (CSI `ESC [ … final` or SS3 `ESC O x`) stands for. */
function sequenceName(params: string, final: string): KeyName {
  // Modifiers (`1;5A` = Ctrl-↑) do not change which way an arrow goes.
  const bare = params.replace(/^1;\d+$/, '').replace(/;\d+$/, '');
  return CSI_NAMES[bare + final] ?? (bare === '' ? (CSI_NAMES[final] ?? 'other') : 'other');
}

/**
 * The keys in one read, in order. A run of printable characters is one `text` key (a typed or
 * pasted word); every control character and escape sequence is a key of its own. `\r\n` is one
 * Enter. A lone ESC at the end is Escape (the terminal sends a whole sequence in one write).
 */
export function parseKeys(chunk: string): Key[] {
  const keys: Key[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') keys.push({ name: 'text', text });
    text = '';
  };
  const push = (name: KeyName, raw: string) => {
    flush();
    keys.push({ name, text: raw });
  };
  let i = 0;
  while (i < chunk.length) {
    const c = chunk[i]!;
    if (c === ESC) {
      const next = chunk[i + 1];
      if (next === '[' || next === 'O') {
        // CSI: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, one final byte 0x40–0x7E.
        // SS3: one final byte. Legacy `ESC [ [ A` (Linux console F-keys) has an extra `[`.
        let j = i + 2;
        if (next === '[' && chunk[j] === '[') j++;
        const start = j;
        if (next === '[') while (j < chunk.length && /[\x20-\x3f]/.test(chunk[j]!)) j++;
        const final = chunk[j];
        if (final !== undefined && /[\x40-\x7e]/.test(final)) {
          push(sequenceName(chunk.slice(start, j), final), chunk.slice(i, j + 1));
          i = j + 1;
          continue;
        }
        // A sequence cut off or malformed: the ESC alone, the rest as it comes.
        push('escape', ESC);
        i++;
        continue;
      }
      // ESC before anything else (ESC, a letter, nothing): Escape, then that key on its own.
      // Terminals send Alt-x the same way, but nothing here uses Alt, and Esc then q typed fast
      // must go back and then quit.
      push('escape', ESC);
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      const crlf = c === '\r' && chunk[i + 1] === '\n';
      push('return', crlf ? '\r\n' : c);
      i += crlf ? 2 : 1;
      continue;
    }
    if (c === '\t') {
      push('tab', c);
      i++;
      continue;
    }
    if (c === '\u007f' || c === '\b') {
      push('backspace', c);
      i++;
      continue;
    }
    const code = c.charCodeAt(0);
    if (code < 0x20) {
      // Ctrl-A … Ctrl-Z (Ctrl-H, -I, -J, -M are backspace, tab, Enter above).
      if (code >= 1 && code <= 26) push('ctrl', String.fromCharCode(code + 96));
      else push('other', c);
      i++;
      continue;
    }
    if ((code >= 0x80 && code < 0xa0) || code === 0x9b) {
      // C1 controls are never typed text.
      push('other', c);
      i++;
      continue;
    }
    text += c;
    i++;
  }
  flush();
  return keys;
}

/** Whether the key is Ctrl-C (the terminal sends it as a byte, not a signal, in raw mode). */
export function isInterrupt(k: Key): boolean {
  return k.name === 'ctrl' && k.text === 'c';
}
