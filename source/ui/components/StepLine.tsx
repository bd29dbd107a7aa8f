// A finished step, collapsed to one line; the findings only under a failed or warned step.
import { Box } from 'ink';
import { groupFindings, mark, markedLines, STEP_SHORT } from '../../core/present.js';
import type { Finding, StepResult } from '../../core/types.js';
import { useUi } from '../context.js';
import { FindingBlock } from './FindingBlock.js';
import { Lines, useWidth } from './Lines.js';

export function StepLine({ step, findings }: { step: StepResult; findings: Finding[] }) {
  const { look, redact } = useUi();
  const width = useWidth();
  const open = step.status === 'fail' || step.status === 'warn';
  // The step name in bold: measured plain, so the wrap is the same with or without it.
  const head = markedLines(mark(step.status, look), `${STEP_SHORT[step.id]}: ${step.note}`, {
    plain: redact,
    width,
    indent: 0,
  });
  return (
    <Box flexDirection="column" width="100%">
      <Lines lines={head} />
      {open
        ? groupFindings(findings.filter((f) => f.severity !== 'info')).map((g) => (
            <FindingBlock key={g.id} finding={g} />
          ))
        : null}
    </Box>
  );
}
