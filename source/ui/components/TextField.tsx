// One line of text on the one input layer: typing, ←/→/Home/End, Backspace/Delete, Ctrl-U
// (clear), Enter submits (typed text and Enter in one read: the text, then Enter). What is shown
// is the redacted value: when redaction changes the text (a key or a home path typed in), the
// field shows the redacted form, without a cursor, and keeps taking keys.
import { Text } from 'ink';
import { useRef, useState } from 'react';
import { dim, useUi } from '../context.js';
import { useKeys } from '../input.js';
import type { Key } from '../keys.js';

export interface TextFieldProps {
  onSubmit: (value: string) => void;
}

export interface LineState {
  value: string;
  /** Cursor position in code points. */
  cursor: number;
}

const EMPTY_LINE: LineState = { value: '', cursor: 0 };

/** One key applied to a line; `submit` on Enter, `null` for a key the line does not use. */
export function editLine(s: LineState, key: Key): { state: LineState } | { submit: string } | null {
  const chars = [...s.value];
  const at = (value: string[], cursor: number) => ({ state: { value: value.join(''), cursor } });
  switch (key.name) {
    case 'return':
      return { submit: s.value };
    case 'text': {
      const add = [...key.text];
      return at([...chars.slice(0, s.cursor), ...add, ...chars.slice(s.cursor)], s.cursor + add.length);
    }
    case 'backspace':
      return s.cursor === 0
        ? at(chars, 0)
        : at([...chars.slice(0, s.cursor - 1), ...chars.slice(s.cursor)], s.cursor - 1);
    case 'delete':
      return at([...chars.slice(0, s.cursor), ...chars.slice(s.cursor + 1)], s.cursor);
    case 'left':
      return at(chars, Math.max(0, s.cursor - 1));
    case 'right':
      return at(chars, Math.min(chars.length, s.cursor + 1));
    case 'home':
      return at(chars, 0);
    case 'end':
      return at(chars, chars.length);
    case 'ctrl':
      if (key.text === 'a') return at(chars, 0);
      if (key.text === 'e') return at(chars, chars.length);
      if (key.text === 'u') return at(chars.slice(s.cursor), 0);
      if (key.text === 'k') return at(chars.slice(0, s.cursor), s.cursor);
      return at(chars, s.cursor);
    case 'escape':
      return null;
    default:
      return at(chars, s.cursor);
  }
}

export function TextField({ onSubmit }: TextFieldProps) {
  const { look, redact } = useUi();
  const ref = useRef<LineState>(EMPTY_LINE);
  const [line, setLine] = useState<LineState>(EMPTY_LINE);
  const done = useRef(false);
  useKeys((key) => {
    if (done.current) return 'pass';
    const r = editLine(ref.current, key);
    if (r === null) return 'pass';
    if ('submit' in r) {
      done.current = true;
      onSubmit(r.submit);
      return 'closed';
    }
    ref.current = r.state;
    setLine(r.state);
    return 'used';
  });
  const shown = redact(line.value);
  const bar = look.unicode ? '▏' : '_';
  if (shown !== line.value)
    return (
      <Text>
        {shown}
        <Text {...dim(look)}>{bar}</Text>
      </Text>
    );
  const chars = [...line.value];
  const under = chars[line.cursor];
  // The cursor: the character under it in reverse video, or a bar at the end of the line.
  return (
    <Text>
      {chars.slice(0, line.cursor).join('')}
      {under === undefined ? <Text {...dim(look)}>{bar}</Text> : <Text inverse>{under}</Text>}
      {chars.slice(line.cursor + 1).join('')}
    </Text>
  );
}
