// The one input layer of the wizard. Ink hands over what one read of the terminal held; every key
// in it is applied in order (./keys.ts splits it), first to the field that has the focus (the
// choice list or text field of the question on screen), then — if the field lets it pass — to
// the screen's own keys (Esc back, q quit). Ctrl-C goes straight to the screen. A key that answers
// a question closes its field: the keys after it in the same read are dropped, so nothing typed
// ahead answers a question that was never shown (the next one may ask consent).
//
// Fields keep what they edit in refs, not only in React state: the keys of one read arrive before
// React renders again, and each must see what the previous one did.
import { useStdin } from 'ink';
import { createContext, useContext, useEffect, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';
import { isInterrupt, parseKeys, type Key } from './keys.js';

/** What a handler did with a key: `pass` lets it go on; `closed` = it answered, drop the rest of the read. */
export type KeyResult = 'used' | 'pass' | 'closed';

export interface ReadInfo {
  /** The key came alone in its read (pressed, not pasted or typed ahead with others). */
  alone: boolean;
}

export type KeyHandler = (key: Key, read: ReadInfo) => KeyResult | void;

/** `field`: the focused choice list or text field; `screen`: the keys of the whole screen. */
export type KeyLayer = 'field' | 'screen';

interface Entry {
  layer: KeyLayer;
  handler: { readonly current: KeyHandler };
}

/** Routes the keys of each read, in order. Plain TS (no React) so the rules are testable alone. */
export class KeyRouter {
  private entries: Entry[] = [];

  add(entry: Entry): () => void {
    this.entries.push(entry);
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
  }

  /** One read of the terminal. */
  feed(chunk: string): void {
    const keys = parseKeys(chunk);
    const alone = keys.length === 1;
    let closed = false;
    for (const key of keys) {
      if (isInterrupt(key)) {
        this.offer('screen', key, alone);
        continue;
      }
      if (closed) continue;
      const r = this.offer('field', key, alone);
      if (r === 'closed') closed = true;
      else if (r === 'pass') this.offer('screen', key, alone);
    }
  }

  /** The newest handler of the layer first; the first that does not pass takes the key. */
  private offer(layer: KeyLayer, key: Key, alone: boolean): KeyResult {
    const list = this.entries.filter((e) => e.layer === layer).reverse();
    for (const e of list) {
      const r = e.handler.current(key, { alone }) ?? 'used';
      if (r !== 'pass') return r;
    }
    return 'pass';
  }
}

const RouterContext = createContext<KeyRouter | null>(null);

/** Listens to Ink's input (raw mode on while mounted) and feeds each read to the router. */
function useFeed(router: KeyRouter, active: boolean): void {
  const { internal_eventEmitter: events, setRawMode, isRawModeSupported } = useStdin();
  useEffect(() => {
    if (!active) return;
    if (isRawModeSupported) setRawMode(true);
    const onInput = (data: string) => router.feed(data);
    events?.on('input', onInput);
    return () => {
      events?.off('input', onInput);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [router, active, events, setRawMode, isRawModeSupported]);
}

/** The screen's input: every field and key handler under it shares one router. */
export function KeysProvider({ children }: { children: ReactNode }) {
  const router = useMemo(() => new KeyRouter(), []);
  useFeed(router, true);
  return <RouterContext.Provider value={router}>{children}</RouterContext.Provider>;
}

/**
 * Takes keys while mounted and `active`. Under a KeysProvider the keys come through its router;
 * alone (a component rendered by itself, as in a test) through a router of its own.
 */
export function useKeys(handler: KeyHandler, o: { layer?: KeyLayer; active?: boolean } = {}): void {
  const shared = useContext(RouterContext);
  const own = useMemo(() => new KeyRouter(), []);
  const ref = useLatest(handler);
  const active = o.active ?? true;
  const layer = o.layer ?? 'field';
  const router = shared ?? own;
  useFeed(own, active && shared === null);
  // Registered while the frame is committed, before Ink writes it: a key pressed the moment a
  // question is on screen finds its field listening (a passive effect came a few ms later).
  useLayoutEffect(() => {
    if (!active) return;
    return router.add({ layer, handler: ref });
  }, [router, layer, active, ref]);
}

/** A ref that holds the latest value after each render, for handlers that run between renders. */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
