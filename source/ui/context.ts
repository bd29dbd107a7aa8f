// What every screen component needs: the look (Unicode/ASCII marks, colour or not) and THE
// redactor of this run. Everything shown passes through `redact`, user input included.
import { createContext, useContext } from 'react';
import type { Look } from '../core/present.js';
import { toAscii } from './format.js';

export interface Ui {
  look: Look;
  redact: (text: string) => string;
  /** Columns to lay text out in; unset: the terminal's (Ink's stdout). */
  width?: number;
}

export const UiContext = createContext<Ui>({ look: { unicode: false, color: false }, redact: (t) => t });

/** The run's look and redactor; without Unicode, redacted text is also made ASCII. */
export function makeUi(look: Look, redact: (text: string) => string, width?: number): Ui {
  return { look, redact: look.unicode ? redact : (t) => toAscii(redact(t)), ...(width ? { width } : {}) };
}

export function useUi(): Ui {
  return useContext(UiContext);
}

type Tone = 'green' | 'yellow' | 'red' | 'cyan' | 'gray';

/** Text props for a colour, or none without colour; meaning never rests on the colour alone. */
export function tone(look: Look, color: Tone): { color?: Tone } {
  return look.color ? { color } : {};
}

export function dim(look: Look): { dimColor?: boolean } {
  return look.color ? { dimColor: true } : {};
}

/** Small glyphs with an ASCII twin. */
export function glyph(look: Look, name: 'arrow' | 'pointer' | 'dot' | 'answered' | 'back' | 'bullet'): string {
  const u = { arrow: '→', pointer: '❯', dot: '·', answered: '›', back: '↩', bullet: '•' };
  const a = { arrow: '->', pointer: '>', dot: '-', answered: '>', back: '<-', bullet: '*' };
  return (look.unicode ? u : a)[name];
}
