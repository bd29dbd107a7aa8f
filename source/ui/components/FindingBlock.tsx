// One finding under a failed step: title (id), the evidence, and the fix lines to run.
import { Box, Text } from 'ink';
import { severityMark } from '../../core/present.js';
import type { Finding } from '../../core/types.js';
import { glyph, useUi } from '../context.js';

export function FindingBlock({ finding }: { finding: Finding }) {
  const { look, redact } = useUi();
  return (
    <Box flexDirection="column" paddingLeft={2}>
      <Text>
        {severityMark(finding, look)} {redact(finding.title)} ({finding.id})
      </Text>
      <Box paddingLeft={2}>
        <Text>{redact(finding.detail)}</Text>
      </Box>
      {finding.fix.map((line, i) => (
        <Box key={i} paddingLeft={2}>
          <Text>{glyph(look, 'arrow')} </Text>
          <Box flexShrink={1}>
            <Text bold={look.color}>{redact(line)}</Text>
          </Box>
        </Box>
      ))}
    </Box>
  );
}
