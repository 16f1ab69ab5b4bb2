// Connects the widget's UI to its state: re-renders through Preact's own scheduler whenever the
// connection or the open/closed flag changes. (Calling render() again from outside would re-enter
// Preact mid-commit, which duplicated DOM nodes; a state update is batched safely instead.)
import { useEffect, useReducer } from 'preact/hooks';
import type { ChatConnection } from '../connection';
import { Widget, type WidgetText } from './Widget';

export interface ViewState {
  open: boolean;
  setOpen(open: boolean): void;
  /** Call after any change the UI should show. */
  changed(): void;
  subscribe(listener: () => void): () => void;
}

export function createViewState(): ViewState {
  const listeners = new Set<() => void>();
  const view: ViewState = {
    open: false,
    setOpen(open) {
      view.open = open;
      view.changed();
    },
    changed() {
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return view;
}

export function Root({ connection, view, text }: { connection: ChatConnection; view: ViewState; text: WidgetText }) {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const rerender = () => bump(undefined);
    const unsubscribe = view.subscribe(rerender);
    rerender(); // catch anything that changed before this effect ran
    return unsubscribe;
  }, [view]);
  return <Widget connection={connection} open={view.open} setOpen={view.setOpen} text={text} />;
}
