// One finding under a failed step: title (id), the evidence, and the fix lines to run.
import { Box, Text } from 'ink';
import { severityMark, type FindingGroup } from '../../core/present.js';
import { glyph, useUi } from '../context.js';

/** One cause (a finding id) with every piece of evidence for it, and its fix lines once. */
export function FindingBlock({ finding }: { finding: FindingGroup }) {
  const { look, redact } = useUi();
  return (
    <Box flexDirection="column" paddingLeft={2}>
      <Text>
        {severityMark(finding, look)} {redact(finding.title)} ({finding.id})
      </Text>
      {finding.details.map((detail, i) => (
        <Box key={`d${i}`} paddingLeft={2}>
          <Text>
            {finding.details.length > 1 ? `${glyph(look, 'bullet')} ` : ''}
            {redact(detail)}
          </Text>
        </Box>
      ))}
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
