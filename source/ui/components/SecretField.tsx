// A masked field for a key: a fixed mask however long the input (never its length, never an
// echo). The value is handed over once, on Enter; the caller registers it as a secret first.
import { Text } from 'ink';
import { useInput } from 'ink';
import { useRef, useState } from 'react';
import { dim, useUi } from '../context.js';
import { SECRET_MASK } from '../format.js';

export interface SecretFieldProps {
  onSubmit: (value: string) => void;
  onSkip: () => void;
}

export function SecretField({ onSubmit, onSkip }: SecretFieldProps) {
  const { look } = useUi();
  // The value lives in a ref: two chunks of one paste can arrive before React renders again.
  const value = useRef('');
  const [typed, setTyped] = useState(false);
  const done = useRef(false);
  const finish = (v: string) => {
    if (done.current) return;
    done.current = true;
    value.current = '';
    if (v.trim() === '') onSkip();
    else onSubmit(v);
  };
  useInput((input, key) => {
    if (
      done.current ||
      key.ctrl ||
      key.escape ||
      key.tab ||
      key.upArrow ||
      key.downArrow ||
      key.leftArrow ||
      key.rightArrow
    )
      return;
    if (key.return) return finish(value.current);
    if (key.backspace || key.delete) {
      value.current = [...value.current].slice(0, -1).join('');
      setTyped(value.current !== '');
      return;
    }
    // A pasted key often carries its line break: the text before it is the key, then submit.
    const br = input.search(/[\r\n]/);
    if (br >= 0) return finish(value.current + input.slice(0, br));
    value.current += input;
    setTyped(value.current !== '');
  });
  return typed ? (
    <Text>{look.unicode ? SECRET_MASK.unicode : SECRET_MASK.ascii}</Text>
  ) : (
    <Text {...dim(look)}>(paste it, then Enter; Enter alone skips)</Text>
  );
}
