// A multi-line paste field (Ink 6 has no bracketed paste; see editMultiline). Shows the
// redacted text, cut to a few lines.
import { Box, Text, useInput } from 'ink';
import { useRef, useState } from 'react';
import { dim, useUi } from '../context.js';
import { editMultiline, EMPTY_MULTILINE, multilineText, preview, type Multiline } from '../format.js';

export interface MultilineFieldProps {
  onSubmit: (value: string) => void;
  onSkip: () => void;
}

export function MultilineField({ onSubmit, onSkip }: MultilineFieldProps) {
  const { look, redact } = useUi();
  // In a ref as well: several chunks of one paste can arrive before React renders again.
  const ref = useRef<Multiline>(EMPTY_MULTILINE);
  const [state, setState] = useState<Multiline>(EMPTY_MULTILINE);
  const done = useRef(false);
  useInput((input, key) => {
    if (done.current) return;
    const r = editMultiline(ref.current, input, key);
    if ('state' in r) {
      ref.current = r.state;
      setState(r.state);
      return;
    }
    done.current = true;
    if ('skip' in r) onSkip();
    else onSubmit(r.submit);
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
      {more > 0 ? <Text {...dim(look)}>{`${bar}… ${more} more line${more === 1 ? '' : 's'}`}</Text> : null}
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
