// The headless driver: the machine run to `done` with no prompts. Questions are answered from
// flags (already in the machine's answers) or "unknown"; effects run through the session.
import { reduce, start, toDiagnosis, UNKNOWN, type State } from './core/machine.js';
import type { Diagnosis } from './core/types.js';
import { startEffects, type Session } from './session.js';

export interface HeadlessProgress {
  /** Called with a one-line, already redacted, description of each live check as it starts. */
  onProbe?: (label: string) => void;
}

export async function runMachine(
  session: Session,
  progress: HeadlessProgress = {},
  signal?: AbortSignal,
): Promise<{ state: State; diagnosis: Diagnosis }> {
  let state = start(session.input);
  for (let guard = 0; state.pending.type !== 'done'; guard++) {
    if (guard > 500) throw new Error('internal: the diagnosis did not finish (over 500 effects)');
    if (signal?.aborted) {
      state = reduce(state, { type: 'cancel' });
      break;
    }
    const pending = state.pending;
    if (pending.type === 'question') {
      state = reduce(state, { type: 'answered', id: pending.question.id, value: UNKNOWN });
      continue;
    }
    if (pending.type === 'probe') progress.onProbe?.(session.redact(pending.label));
    if (pending.type === 'probes') for (const p of pending.probes) progress.onProbe?.(session.redact(p.label));
    // A batch runs all at once; each answer is reduced as it arrives (the machine orders them).
    await Promise.all(
      startEffects(session, pending, signal).map((effect) =>
        effect.then((event) => {
          if (event) state = reduce(state, event);
        }),
      ),
    );
  }
  const finishedAt = session.now();
  state = reduce(state, { type: 'finished', nowMs: finishedAt });
  return { state, diagnosis: toDiagnosis(state, finishedAt) };
}
