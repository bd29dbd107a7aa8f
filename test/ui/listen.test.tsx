// A field listens from the frame that shows it: a key pressed the moment a question appears is
// the question's (the field registers while the frame is committed, not in a later effect).
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { KeysProvider, useKeys } from '../../source/ui/input.js';

function Field({ onEnter }: { onEnter: () => void }) {
  useKeys((key) => {
    if (key.name !== 'return') return 'pass';
    onEnter();
    return 'closed';
  });
  return <Text>question ready</Text>;
}

function Screen({ onEnter }: { onEnter: () => void }) {
  const [shown, setShown] = useState(false);
  useKeys((key) => (key.text === 'x' ? (setShown(true), 'used') : 'pass'), { layer: 'screen' });
  return shown ? <Field onEnter={onEnter} /> : <Text>waiting</Text>;
}

describe('a question listens as soon as it is drawn', () => {
  it('Enter written the instant the question frame appears is taken', async () => {
    let entered = 0;
    const app = render(
      <KeysProvider>
        <Screen onEnter={() => entered++} />
      </KeysProvider>,
    );
    await new Promise((r) => setTimeout(r, 20));
    app.stdin.write('x');
    // Poll without yielding to timers: the first moment the frame shows the question, press Enter.
    for (let i = 0; i < 10_000 && !app.lastFrame()?.includes('question ready'); i++) await Promise.resolve();
    for (let i = 0; i < 200 && !app.lastFrame()?.includes('question ready'); i++)
      await new Promise((r) => setImmediate(r));
    expect(app.lastFrame()).toContain('question ready');
    app.stdin.write('\r');
    await new Promise((r) => setTimeout(r, 20));
    expect(entered).toBe(1);
    app.unmount();
  });
});
