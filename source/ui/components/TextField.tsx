// One line of text (ink-text-input). What is shown is the redacted value: when redaction changes
// the text (a key or a home path typed in), the field shows the redacted form instead of the
// editable one, and keeps taking keys.
import { Box, Text } from 'ink';
import TextInput from 'ink-text-input';
import { useState } from 'react';
import { dim, useUi } from '../context.js';

export interface TextFieldProps {
  onSubmit: (value: string) => void;
}

// No placeholder: ink-text-input paints it grey through chalk, which ignores NO_COLOR.
export function TextField({ onSubmit }: TextFieldProps) {
  const { look, redact } = useUi();
  const [value, setValue] = useState('');
  // A paste arrives as one chunk and may end in a line break: it belongs to no one-line answer.
  const change = (v: string) => setValue(v.replace(/[\r\n]+/g, ' '));
  const shown = redact(value);
  const input = <TextInput value={value} onChange={change} onSubmit={onSubmit} />;
  if (shown === value) return input;
  return (
    <Box>
      <Box display="none">{input}</Box>
      <Text>
        {shown}
        <Text {...dim(look)}>{look.unicode ? '▏' : '_'}</Text>
      </Text>
    </Box>
  );
}
