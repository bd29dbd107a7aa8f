// The wizard's root: drives the machine (runs what `pending` asks for, turns keys into events),
// renders its state, offers the report, and alone decides when the run is over. Every decision
// about the diagnosis is the machine's; this file only shows it and relays input.
import { Box, Static, Text } from 'ink';
import { join, resolve } from 'node:path';
import { useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';
import { EXIT, exitCodeFor } from '../core/exit.js';
import { reduce, start, toDiagnosis, type Event, type Pending, type Question } from '../core/machine.js';
import { STEP_SHORT, type Look } from '../core/present.js';
import { toMarkdown } from '../core/report.js';
import type { Diagnosis, Finding, StepResult } from '../core/types.js';
import { startEffects, type Session } from '../session.js';
import { CurrentStep, currentStepOf } from './components/CurrentStep.js';
import { Intro } from './components/Intro.js';
import { SavePrompt, type SaveChoice } from './components/SavePrompt.js';
import { StepLine } from './components/StepLine.js';
import { Summary } from './components/Summary.js';
import { glyph, makeUi, UiContext, type Ui } from './context.js';
import { isInterrupt } from './keys.js';
import { KeysProvider, useKeys, useLatest } from './input.js';

export interface WizardResult {
  exitCode: number;
  diagnosis: Diagnosis | null;
  reportPath: string | null;
}

export interface DemoInfo {
  name: string;
  title: string;
  expectedFinding: string;
  /** The scenario gives the error its program printed, as if the person had pasted it. */
  pastedError?: boolean;
}

export interface AppProps {
  session: Session;
  look: Look;
  /** --report FILE: save there without asking; '-': the driver prints the Markdown after the UI. */
  reportPath: string | null;
  /** Where typed relative paths start. */
  cwd: string;
  /** Where the default report goes (outside a git work tree); the working directory if unset. */
  reportDir?: string;
  demo?: DemoInfo | null;
  onDone: (result: WizardResult & { markdown?: string }) => void;
  /** The App puts its cancel function here, for the driver's SIGINT handler. */
  cancelRef?: { current: (() => void) | null };
}

type LogItem = { key: string } & (
  | { kind: 'intro' }
  | { kind: 'step'; step: StepResult; findings: Finding[] }
  | { kind: 'back'; text: string }
  // The finished diagnosis is written once, like the steps: it never changes, and long commands
  // in it may be wider than the terminal (the live region below is redrawn by counting lines).
  | { kind: 'summary'; diagnosis: Diagnosis }
);

type Phase =
  | { kind: 'run' }
  | { kind: 'save'; entering: boolean; error: string | null }
  | { kind: 'saving'; path: string; asked: boolean }
  | { kind: 'end'; result: WizardResult; message: string | null; markdown?: string };

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The wizard's screen, under the one input layer that all its fields share. */
export function App(props: AppProps) {
  return (
    <KeysProvider>
      <Wizard {...props} />
    </KeysProvider>
  );
}

function Wizard({ session, look, reportPath, cwd, reportDir = cwd, demo, onDone, cancelRef }: AppProps) {
  const [state, dispatch] = useReducer(reduce, session.input, start);
  const [phase, setPhase] = useState<Phase>({ kind: 'run' });
  const [log, setLog] = useState<LogItem[]>([{ key: 'intro', kind: 'intro' }]);
  const ui: Ui = useMemo(() => makeUi(look, session.redact), [look, session]);
  const phaseRef = useRef(phase);
  useLayoutEffect(() => {
    phaseRef.current = phase;
  });

  const end = (result: WizardResult, message: string | null, markdown?: string) =>
    setPhase({ kind: 'end', result, message, ...(markdown !== undefined ? { markdown } : {}) });

  const cancel = () => {
    if (phaseRef.current.kind === 'end') return;
    dispatch({ type: 'cancel' }); // pending becomes done: the effect below aborts what runs
    session.discardPendingReports();
    phaseRef.current = {
      kind: 'end',
      result: { exitCode: EXIT.cancelled, diagnosis: null, reportPath: null },
      message: 'Stopped. Nothing was saved.',
    };
    setPhase(phaseRef.current);
  };
  useLayoutEffect(() => {
    if (cancelRef) cancelRef.current = cancel;
  });

  // Run what the machine asks for; a newer state (answer, Esc, cancel) aborts the old effect.
  const pending = state.pending;
  const waitSince = useMemo(() => session.now(), [pending, session]);
  // The delay the session chose for the wait now pending (a planned delay belongs to its wait).
  const [planned, setPlanned] = useState<{ for: Pending; ms: number } | null>(null);
  const plannedWait = planned?.for === pending ? planned.ms : null;
  useEffect(() => {
    if (
      pending.type !== 'probe' &&
      pending.type !== 'probes' &&
      pending.type !== 'wait' &&
      pending.type !== 'admin' &&
      pending.type !== 'observe'
    )
      return;
    const ac = new AbortController();
    let live = true;
    // A batch of probes runs all at once; each answer is dispatched as it arrives.
    for (const effect of startEffects(session, pending, ac.signal, (ms) => live && setPlanned({ for: pending, ms })))
      effect.then(
        (event: Event | null) => {
          if (!live) return;
          if (event) dispatch(event);
          else
            end(
              { exitCode: EXIT.usage, diagnosis: null, reportPath: null },
              `The wizard stopped: no outcome for the pending ${pending.type}.`,
            );
        },
        (err: unknown) =>
          live &&
          end({ exitCode: EXIT.usage, diagnosis: null, reportPath: null }, `The wizard stopped: ${messageOf(err)}`),
      );
    return () => {
      live = false;
      ac.abort();
    };
  }, [pending, session]);

  useEffect(() => {
    if (pending.type === 'done' && !state.cancelled && state.finishedAtMs === null)
      dispatch({ type: 'finished', nowMs: session.now() });
  }, [pending, state.cancelled, state.finishedAtMs, session]);

  // Finished steps go to <Static>, once. Going back past a finished step says so (the log is
  // append-only, like the terminal); the step is logged again when it finishes again.
  const loggedSteps = useRef(0);
  const logKey = useRef(0);
  useEffect(() => {
    const n = state.steps.length;
    const before = loggedSteps.current;
    if (n === before) return;
    loggedSteps.current = n;
    if (n > before) {
      const items: LogItem[] = state.steps.slice(before).map((step) => ({
        key: `step-${logKey.current++}`,
        kind: 'step',
        step,
        findings: state.findings.filter((f) => f.step === step.id),
      }));
      setLog((l) => [...l, ...items]);
    } else {
      const text = `Back to an earlier question: ${STEP_SHORT[currentStepOf(state)]} again`;
      setLog((l) => [...l, { key: `back-${logKey.current++}`, kind: 'back', text }]);
    }
  }, [state]);

  const diagnosis = useMemo(
    () => (state.finishedAtMs !== null && !state.cancelled ? toDiagnosis(state, state.finishedAtMs) : null),
    [state],
  );
  const defaultName = useMemo(() => session.defaultReportName(), [diagnosis, session]);

  useEffect(() => {
    if (!diagnosis || phase.kind !== 'run') return;
    // The finished summary joins the append-only <Static> log exactly once, the moment the diagnosis
    // appears; <Static> renders only what is in state, so this transition has to set it.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setLog((l) => [...l, { key: 'summary', kind: 'summary', diagnosis }]);
    if (reportPath === '-')
      end(
        { exitCode: exitCodeFor(diagnosis.verdict), diagnosis, reportPath: '-' },
        null,
        toMarkdown(diagnosis, session.redact),
      );
    else if (reportPath) setPhase({ kind: 'saving', path: reportPath, asked: false });
    else setPhase({ kind: 'save', entering: false, error: null });
  }, [diagnosis, phase.kind]);

  useEffect(() => {
    if (phase.kind !== 'saving' || !diagnosis) return;
    let live = true;
    const home = session.input.discovery.home;
    (async () => {
      // A typed path follows the path rules (~, folders); --report FILE is taken as given.
      const target = phase.asked
        ? await session.resolveReportPath(phase.path, { cwd, home, defaultName })
        : resolve(cwd, phase.path);
      // --report FILE replaces what is there (atomically); a name typed in the wizard never overwrites.
      return session.saveReport(target, diagnosis, { replace: !phase.asked });
    })().then(
      (target) =>
        live &&
        end({ exitCode: exitCodeFor(diagnosis.verdict), diagnosis, reportPath: target }, `Report saved: ${target}`),
      (err: unknown) => {
        if (!live) return;
        if (phase.asked) setPhase({ kind: 'save', entering: false, error: messageOf(err) });
        // --report FILE could not be written: the tool could not do what it was asked.
        else end({ exitCode: EXIT.usage, diagnosis, reportPath: null }, messageOf(err));
      },
    );
    return () => {
      live = false;
    };
  }, [phase]);

  useEffect(() => {
    if (phase.kind === 'end')
      onDone({ ...phase.result, ...(phase.markdown !== undefined ? { markdown: phase.markdown } : {}) });
  }, [phase]);

  // The screen's own keys, for what the focused field lets pass: Esc goes back, q quits where no
  // text is typed, Ctrl-C always quits. Read through refs: the keys of one read come before React
  // renders again.
  const typingRef = useLatest(
    (phase.kind === 'run' && pending.type === 'question' && pending.question.input !== 'select') ||
      (phase.kind === 'save' && phase.entering),
  );
  const diagnosisRef = useLatest(diagnosis);
  const pendingRef = useLatest(pending);
  useKeys(
    (key) => {
      if (isInterrupt(key)) return cancel();
      const ph = phaseRef.current;
      if (ph.kind === 'end') return;
      if (key.name === 'text' && key.text.includes('q') && !typingRef.current) {
        // After a finished diagnosis, q only declines the report: the verdict stands.
        const d = diagnosisRef.current;
        if (ph.kind === 'save' && d)
          return end({ exitCode: exitCodeFor(d.verdict), diagnosis: d, reportPath: null }, 'No report saved.');
        return cancel();
      }
      if (key.name !== 'escape') return;
      const p = pendingRef.current;
      if (ph.kind === 'save' && ph.entering) setPhase({ ...ph, entering: false });
      else if (ph.kind === 'run' && p.type === 'wait') dispatch({ type: 'skip' });
      else if (ph.kind === 'run' && p.type === 'question') dispatch({ type: 'back' });
    },
    { layer: 'screen' },
  );

  const onAnswer = (q: Question, value: string) => {
    // A key typed in is a secret from this moment: register it before it goes anywhere.
    if (q.input === 'secret') {
      session.addSecret(value);
      if (value.trim() !== value) session.addSecret(value.trim());
    }
    // A pasted error is outside text: every token-shaped run in it is a secret from now on.
    if (q.input === 'multiline') session.addOutside(value);
    dispatch({ type: 'answered', id: q.id, value });
  };
  const onSave = (choice: SaveChoice) => {
    if (choice === 'no')
      end({ exitCode: exitCodeFor(diagnosis!.verdict), diagnosis, reportPath: null }, 'No report saved.');
    else if (choice === 'other') setPhase({ kind: 'save', entering: true, error: null });
    else setPhase({ kind: 'saving', path: join(reportDir, defaultName), asked: true });
  };

  return (
    <UiContext.Provider value={ui}>
      {/* Absolute by default, Static would size to its content: hold it to the terminal width. */}
      <Static items={log} style={{ width: '100%' }}>
        {(item) =>
          item.kind === 'intro' ? (
            <Intro key={item.key} apiUrl={session.input.options.apiUrl} demo={demo ?? null} />
          ) : item.kind === 'step' ? (
            <StepLine key={item.key} step={item.step} findings={item.findings} />
          ) : item.kind === 'summary' ? (
            <Summary key={item.key} diagnosis={item.diagnosis} />
          ) : (
            <Text key={item.key}>{`${glyph(look, 'back')} ${item.text}`}</Text>
          )
        }
      </Static>
      {phase.kind === 'run' && pending.type !== 'done' ? (
        <CurrentStep
          state={state}
          now={session.now}
          waitSince={waitSince}
          plannedWait={plannedWait}
          onAnswer={onAnswer}
          onSkip={() => dispatch({ type: 'skip' })}
        />
      ) : null}
      {phase.kind === 'save' ? (
        <SavePrompt
          defaultPath={join(reportDir, defaultName)}
          outside={reportDir !== cwd}
          entering={phase.entering}
          error={phase.error}
          onChoose={onSave}
          onPath={(path) =>
            path.trim() === ''
              ? setPhase({ kind: 'save', entering: false, error: null })
              : setPhase({ kind: 'saving', path: path.trim(), asked: true })
          }
        />
      ) : null}
      {phase.kind === 'saving' ? <Text>{`Saving the report${look.unicode ? '…' : '...'}`}</Text> : null}
      {phase.kind === 'end' && phase.message ? (
        <Box marginTop={diagnosis ? 0 : 1}>
          <Text>{ui.redact(phase.message)}</Text>
        </Box>
      ) : null}
    </UiContext.Provider>
  );
}
