// `demo` with no name on a terminal: let the person pick a scenario. Resolves null on q, Esc
// or Ctrl-C. Same look and keys as the wizard.
import { Box, render, Text, useApp } from 'ink';
import { supportsUnicode, type Look } from '../core/present.js';
import { Select } from './components/Select.js';
import { dim, glyph, makeUi, UiContext } from './context.js';
import { KeysProvider, useKeys } from './input.js';
import { isInterrupt } from './keys.js';

export interface PickOptions {
  look?: Look;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

function Pick({
  choices,
  look,
  onPick,
}: {
  choices: { value: string; label: string }[];
  look: Look;
  onPick: (v: string | null) => void;
}) {
  const { exit } = useApp();
  const done = (v: string | null) => {
    onPick(v);
    exit();
  };
  useKeys(
    (key) => {
      if (isInterrupt(key) || key.name === 'escape' || (key.name === 'text' && key.text.includes('q'))) done(null);
    },
    { layer: 'screen' },
  );
  const d = glyph(look, 'dot');
  return (
    <UiContext.Provider value={makeUi(look, (t) => t)}>
      <Box flexDirection="column">
        <Text bold={look.color}>Which made-up broken setup should the demo diagnose?</Text>
        <Select choices={choices} onSelect={done} />
        <Text {...dim(look)}>{`${look.unicode ? '↑↓' : 'Arrows'} and Enter ${d} q quits`}</Text>
      </Box>
    </UiContext.Provider>
  );
}

export async function pickScenario(
  choices: { value: string; label: string }[],
  o: PickOptions = {},
): Promise<string | null> {
  const stdout = o.stdout ?? process.stdout;
  const look = o.look ?? {
    unicode: supportsUnicode(process.env, process.platform),
    color: !!stdout.isTTY && process.env.NO_COLOR === undefined,
  };
  let picked: string | null = null;
  const pick = <Pick choices={choices} look={look} onPick={(v) => (picked = v)} />;
  const instance = render(<KeysProvider>{pick}</KeysProvider>, {
    stdin: o.stdin ?? process.stdin,
    stdout,
    stderr: o.stderr ?? process.stderr,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  await instance.waitUntilExit();
  return picked;
}
