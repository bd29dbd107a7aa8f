// While the wizard watches a program against the local stand-in: what runs, and that nothing leaves.
import { Box, Text } from 'ink';
import { dim, useUi } from '../context.js';

export function ObservePanel({ label }: { label: string }) {
  const { look } = useUi();
  return (
    <Box flexDirection="column">
      <Text>{`  Watching ${label} against a local stand-in of the API`}</Text>
      <Text {...dim(look)}>{'  Its requests are answered here and forwarded nowhere; Ctrl-C stops it.'}</Text>
    </Box>
  );
}
