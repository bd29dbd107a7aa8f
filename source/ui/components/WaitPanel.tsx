// The activation wait: a countdown to the next check, each attempt's result, Esc to stop.
import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';
import { useEffect, useState } from 'react';
import type { Pending } from '../../core/machine.js';
import type { ProbeResult } from '../../core/types.js';
import { activationDelayMs } from '../../session.js';
import { dim, glyph, useUi } from '../context.js';
import { attemptLine, clock } from '../format.js';

export interface WaitPanelProps {
  pending: Extract<Pending, { type: 'wait' }>;
  /** The first answer and every poll so far, oldest first. */
  attempts: ProbeResult[];
  /** The session clock, and when this wait began on it. */
  now: () => number;
  since: number;
  /** The exact delay the session chose (with its jitter), once it has said. */
  planned?: number | null;
}

const TICK_MS = 250;

export function WaitPanel({ pending, attempts, now, since, planned = null }: WaitPanelProps) {
  const { look, redact } = useUi();
  const [t, setT] = useState(now());
  useEffect(() => {
    const id = setInterval(() => setT(now()), TICK_MS);
    return () => clearInterval(id);
  }, [now]);
  const spent = Math.max(0, t - since);
  const left = pending.budgetMs - pending.elapsedMs - spent;
  // The session says the delay it chose (±20 % jitter); until it has, the nominal one, marked "~".
  const delay = planned ?? activationDelayMs(pending.attempt, pending.budgetMs - pending.elapsedMs, () => 0.5);
  const next = delay - spent;
  const about = planned === null ? '~' : '';
  const d = glyph(look, 'dot');
  return (
    <Box flexDirection="column" paddingLeft={2}>
      <Text>
        <Spinner type={look.unicode ? 'dots' : 'line'} /> Waiting for the key to activate {d}{' '}
        {next > 0 ? `next check in ${about}${Math.ceil(next / 1000)} s` : 'checking soon'} {d} {clock(left)} left
      </Text>
      {attempts.map((r, i) => (
        <Text key={i}>{`  attempt ${i + 1}: ${redact(attemptLine(r))}`}</Text>
      ))}
      <Text {...dim(look)}>{`Esc stops waiting ${d} q quits`}</Text>
    </Box>
  );
}
