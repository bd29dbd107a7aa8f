// A choice list in the run's look, on the one input layer: every key of a read moves or chooses
// in order (↓ then Enter in one read chooses the second row). The pointer marks the choice;
// colour only repeats it. The first row is the default: Enter alone picks it.
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import { glyph, tone, useUi } from '../context.js';
import { useKeys, type KeyResult } from '../input.js';
import type { Key } from '../keys.js';

export interface SelectProps {
  choices: { value: string; label: string }[];
  onSelect: (value: string) => void;
}

/** Where the pointer goes for a key; `null` when the key is not a move. Wraps around. */
export function moveIndex(index: number, count: number, key: { name: string; text: string }): number | null {
  if (count === 0) return null;
  if (key.name === 'up' || (key.name === 'text' && key.text === 'k')) return (index - 1 + count) % count;
  if (key.name === 'down' || (key.name === 'text' && key.text === 'j')) return (index + 1) % count;
  if (key.name === 'home' || key.name === 'pageup') return 0;
  if (key.name === 'end' || key.name === 'pagedown') return count - 1;
  return null;
}

export function Select({ choices, onSelect }: SelectProps) {
  const { look, redact } = useUi();
  // The pointer lives in a ref: the keys of one read arrive before React renders again.
  const index = useRef(0);
  const chosen = useRef(false);
  const [shown, setShown] = useState(0);
  const onKey = (key: Key): KeyResult => {
    if (chosen.current) return 'pass';
    // Letters typed together are each a key here (j, k, a digit, q).
    if (key.name === 'text' && [...key.text].length > 1) {
      for (const ch of key.text) {
        const r = onKey({ name: 'text', text: ch });
        if (r !== 'used') return r;
      }
      return 'used';
    }
    const moved = moveIndex(index.current, choices.length, key);
    if (moved !== null) {
      index.current = moved;
      setShown(moved);
      return 'used';
    }
    const digit = key.name === 'text' && /^[1-9]$/.test(key.text) ? Number(key.text) - 1 : -1;
    if (key.name === 'return' || (digit >= 0 && digit < choices.length)) {
      const at = digit >= 0 ? digit : index.current;
      const choice = choices[at];
      if (!choice) return 'pass';
      chosen.current = true;
      index.current = at;
      setShown(at);
      onSelect(choice.value);
      return 'closed';
    }
    return 'pass';
  };
  useKeys(onKey);
  const pointer = glyph(look, 'pointer');
  return (
    <Box flexDirection="column">
      {choices.map((c, i) => {
        const on = i === shown;
        // A fixed-width pointer column and a shrinking label box: a long label wraps under itself.
        return (
          <Box key={c.value}>
            <Box width={pointer.length + 1} flexShrink={0}>
              <Text {...(on ? tone(look, 'cyan') : {})}>{on ? pointer : ' '}</Text>
            </Box>
            <Box flexShrink={1}>
              <Text {...(on ? tone(look, 'cyan') : {})}>{redact(c.label)}</Text>
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}
