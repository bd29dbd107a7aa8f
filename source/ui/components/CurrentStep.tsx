// The step in progress: its title with a live status, the answers given in it, and what it is
// doing now (a check with a spinner, a question, the activation wait, an Admin look-up).
import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';
import type { Question, State } from '../../core/machine.js';
import { STEP_TITLES } from '../../core/present.js';
import { STEP_ORDER, type StepId } from '../../core/types.js';
import { dim, glyph, tone, useUi } from '../context.js';
import { answerText } from '../format.js';
import { QuestionView } from './QuestionView.js';
import { ObservePanel } from './ObservePanel.js';
import { WaitPanel } from './WaitPanel.js';

export interface CurrentStepProps {
  state: State;
  now: () => number;
  /** When the current wait began (session clock), and the delay the session chose for it. */
  waitSince: number;
  plannedWait?: number | null;
  onAnswer: (q: Question, value: string) => void;
  onSkip: () => void;
}

/** The questions answered so far, each with the question as it was asked. */
export function answered(state: State): { question: Question; value: string | undefined }[] {
  return state.asked.flatMap((id, i) => {
    const p = state.history[i]?.pending;
    return p?.type === 'question' && p.question.id === id ? [{ question: p.question, value: state.answers[id] }] : [];
  });
}

export function currentStepOf(state: State): StepId {
  const p = state.pending;
  if (p.type === 'question') return p.question.step;
  if (p.type === 'probe' || p.type === 'wait') return p.step;
  if (p.type === 'probes') return p.probes[0]!.step;
  return STEP_ORDER[Math.min(state.stepIndex, STEP_ORDER.length - 1)]!;
}

export function CurrentStep({ state, now, waitSince, plannedWait = null, onAnswer, onSkip }: CurrentStepProps) {
  const { look, redact } = useUi();
  const p = state.pending;
  const step = currentStepOf(state);
  const busy =
    p.type === 'probe' || p.type === 'probes' || p.type === 'wait' || p.type === 'admin' || p.type === 'observe';
  const spin = <Spinner type={look.unicode ? 'dots' : 'line'} />;
  return (
    <Box flexDirection="column">
      <Text>
        {busy ? spin : <Text {...tone(look, 'cyan')}>{look.unicode ? '?' : '[?]'}</Text>}{' '}
        <Text bold={look.color}>{redact(STEP_TITLES[step])}</Text>
      </Text>
      {answered(state)
        .filter((a) => a.question.step === step)
        .map((a, i) => (
          <Text key={i} {...dim(look)}>
            {`  ${glyph(look, 'answered')} ${redact(a.question.prompt)} ` + answerText(a.question, a.value, redact)}
          </Text>
        ))}
      {p.type === 'probe' ? <Text>{`  ${redact(p.label)}`}</Text> : null}
      {p.type === 'probes' ? p.probes.map((x) => <Text key={x.id}>{`  ${redact(x.label)}`}</Text>) : null}
      {p.type === 'admin' ? <Text>{`  Looking up the key with the Admin API`}</Text> : null}
      {p.type === 'observe' ? <ObservePanel label={redact(p.label)} /> : null}
      {p.type === 'wait' ? (
        <WaitPanel
          pending={p}
          now={now}
          since={waitSince}
          planned={plannedWait}
          attempts={state.probes
            .filter(
              (r) => r.subject === p.subject && (r.result.purpose === 'models' || r.result.purpose === 'activation'),
            )
            .map((r) => r.result)}
        />
      ) : null}
      {p.type === 'question' ? (
        <QuestionView
          key={`${p.question.id}-${state.history.length}`}
          question={p.question}
          canGoBack={state.history.length > 0}
          onAnswer={(v) => onAnswer(p.question, v)}
          onSkip={onSkip}
        />
      ) : null}
    </Box>
  );
}
