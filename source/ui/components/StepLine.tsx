// A finished step, collapsed to one line; the findings only under a failed or warned step.
import { Box, Text } from 'ink';
import { groupFindings, mark, STEP_SHORT } from '../../core/present.js';
import type { Finding, StepResult } from '../../core/types.js';
import { useUi } from '../context.js';
import { FindingBlock } from './FindingBlock.js';

export function StepLine({ step, findings }: { step: StepResult; findings: Finding[] }) {
  const { look, redact } = useUi();
  const open = step.status === 'fail' || step.status === 'warn';
  return (
    <Box flexDirection="column">
      <Text>
        {mark(step.status, look)} <Text bold={look.color}>{STEP_SHORT[step.id]}</Text>: {redact(step.note)}
      </Text>
      {open
        ? groupFindings(findings.filter((f) => f.severity !== 'info')).map((g) => (
            <FindingBlock key={g.id} finding={g} />
          ))
        : null}
    </Box>
  );
}
