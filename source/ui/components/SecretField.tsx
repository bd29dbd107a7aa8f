// A masked field for a key: a fixed mask however long the input (never its length, never an
// echo). The value is handed over once, on Enter; the caller registers it as a secret first.
// Keys come from the one input layer: a pasted key with its line break is the key, then Enter.
import { Text } from 'ink';
import { useRef, useState } from 'react';
import { dim, useUi } from '../context.js';
import { SECRET_MASK } from '../format.js';
import { useKeys } from '../input.js';

export interface SecretFieldProps {
  onSubmit: (value: string) => void;
  onSkip: () => void;
}

export function SecretField({ onSubmit, onSkip }: SecretFieldProps) {
  const { look } = useUi();
  // The value lives in a ref: several keys of one paste arrive before React renders again.
  const value = useRef('');
  const [typed, setTyped] = useState(false);
  const done = useRef(false);
  useKeys((key) => {
    if (done.current) return 'pass';
    switch (key.name) {
      case 'return': {
        done.current = true;
        const v = value.current;
        value.current = '';
        if (v.trim() === '') onSkip();
        else onSubmit(v);
        return 'closed';
      }
      case 'backspace':
      case 'delete':
        value.current = [...value.current].slice(0, -1).join('');
        setTyped(value.current !== '');
        return 'used';
      case 'text':
        value.current += key.text;
        setTyped(value.current !== '');
        return 'used';
      case 'escape':
        return 'pass';
      default:
        return 'used';
    }
  });
  return typed ? (
    <Text>{look.unicode ? SECRET_MASK.unicode : SECRET_MASK.ascii}</Text>
  ) : (
    <Text {...dim(look)}>(paste it, then Enter; Enter alone skips)</Text>
  );
}
