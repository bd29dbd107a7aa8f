import { renderToString, Static, Box, Text } from 'ink';
import { it } from 'vitest';
import { StepLine } from '../../source/ui/components/StepLine.js';
import { UiContext, makeUi } from '../../source/ui/context.js';
it('dbg', () => {
  const step = { id: 'scope', status: 'skip', note: 'not checked: the credential was not accepted' } as const;
  const ui = makeUi({ unicode: false, color: false }, (t) => t);
  const a = renderToString(<UiContext.Provider value={ui}><StepLine step={step} findings={[]} /></UiContext.Provider>, { columns: 40 });
  const b = renderToString(<UiContext.Provider value={ui}><Static items={[1]}>{(i) => <StepLine key={i} step={step} findings={[]} />}</Static></UiContext.Provider>, { columns: 40 });
  const c = renderToString(<Text>[skip] <Text bold>Scope</Text>: not checked: the credential was not accepted</Text>, { columns: 40 });
  const d = renderToString(<Text>[skip] Scope: not checked: the credential was not accepted</Text>, { columns: 40 });
  for (const x of [a, b, c, d]) console.log(JSON.stringify(x.split('\n')));
});
