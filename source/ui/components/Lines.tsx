// Lines laid out by core/present.ts (wrapped to the terminal, commands whole). Each is its own
// box as wide as the line: Ink never wraps it again, and a command wider than the terminal stays
// one line at column 0 that the terminal folds and a copy gives back whole.
import { Box, Text, useStdout } from 'ink';
import { useUi } from '../context.js';

/** The columns to lay out in: the Ui's, else the terminal's. */
export function useWidth(): number {
  const { stdout } = useStdout();
  const ui = useUi();
  return Math.max(20, ui.width ?? (stdout.columns || 80));
}

const visible = (s: string) => [...s.replace(/\u001b\[[0-9;]*m/g, '')].length;

export function Lines({ lines, bold = false }: { lines: string[]; bold?: boolean }) {
  return (
    <Box flexDirection="column" width="100%">
      {lines.map((l, i) => (
        <Box key={i} width={Math.max(1, visible(l))} flexShrink={0}>
          <Text bold={bold}>{l}</Text>
        </Box>
      ))}
    </Box>
  );
}
