// A multi-line paste field (Ink 6 has no bracketed paste; see editMultiline). Shows the
// redacted text, cut to a few lines. Keys come from the one input layer: a line break that
// arrives together with other keys is part of a paste; Enter pressed alone on an empty line
// finishes.
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import { dim, useUi } from '../context.js';
import { editMultiline, EMPTY_MULTILINE, multilineText, NO_KEY, preview, type Multiline } from '../format.js';
import { useKeys, type ReadInfo } from '../input.js';
import type { Key } from '../keys.js';

export interface MultilineFieldProps {
  onSubmit: (value: string) => void;
  onSkip: () => void;
}

/** One key of the input layer as the chunk-level editor reads it (`null`: not for this field). */
export function multilineStep(s: Multiline, key: Key, read: ReadInfo): ReturnType<typeof editMultiline> | null {
  switch (key.name) {
    case 'text':
      return editMultiline(s, key.text, NO_KEY);
    case 'return':
      // The `\n` of a CRLF whose `\r` came at the end of the previous read.
      if (key.text === '\n' && s.afterCr) return { state: { ...s, afterCr: false } };
      // Pressed alone: Enter (a line ends; on an empty line the field finishes).
      if (read.alone) return editMultiline(s, '', { ...NO_KEY, return: true });
      // Together with other keys: a line break inside a paste.
      return editMultiline(s, key.text === '\r' ? '\r' : '\r\n', NO_KEY);
    case 'backspace':
    case 'delete':
      return editMultiline(s, '', { ...NO_KEY, backspace: true });
    case 'ctrl':
      return key.text === 'd' ? editMultiline(s, 'd', { ...NO_KEY, ctrl: true }) : { state: s };
    case 'escape':
      return null;
    default:
      return { state: s };
  }
}

export function MultilineField({ onSubmit, onSkip }: MultilineFieldProps) {
  const { look, redact } = useUi();
  // In a ref as well: several keys of one paste arrive before React renders again.
  const ref = useRef<Multiline>(EMPTY_MULTILINE);
  const [state, setState] = useState<Multiline>(EMPTY_MULTILINE);
  const done = useRef(false);
  useKeys((key, read) => {
    if (done.current) return 'pass';
    const r = multilineStep(ref.current, key, read);
    if (r === null) return 'pass';
    if ('state' in r) {
      ref.current = r.state;
      setState(r.state);
      return 'used';
    }
    done.current = true;
    if ('skip' in r) onSkip();
    else onSubmit(r.submit);
    return 'closed';
  });
  const bar = look.unicode ? '│ ' : '| ';
  const { lines, more } = preview(redact(multilineText(state)));
  const empty = state.lines.length === 0 && state.current === '';
  return (
    <Box flexDirection="column">
      {empty ? <Text {...dim(look)}>(paste here; Enter on an empty field skips)</Text> : null}
      {lines.map((l, i) => (
        <Text key={i}>
          {bar}
          {l}
        </Text>
      ))}
      {more > 0 ? (
        <Text {...dim(look)}>{`${bar}${look.unicode ? '…' : '...'} ${more} more line${more === 1 ? '' : 's'}`}</Text>
      ) : null}
      {more > 0 && state.current !== '' ? (
        <Text>{`${bar}${preview(redact(state.current), 1).lines[0] ?? ''}`}</Text>
      ) : null}
      {!empty ? (
        <Text {...dim(look)}>
          {state.current === ''
            ? 'Enter on this empty line (or Ctrl-D) finishes.'
            : 'Enter ends the line; an empty line (or Ctrl-D) finishes.'}
        </Text>
      ) : null}
    </Box>
  );
}
