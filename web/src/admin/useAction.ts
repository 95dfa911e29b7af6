import { useCallback, useRef, useState } from 'react';

export interface ActionState {
  busy: boolean;
  error: unknown;
}

/**
 * Runs a mutation from a form or button: tracks that it is under way (to disable the
 * control against double submits) and keeps its failure to show. Resolves to the result,
 * or undefined when it failed.
 */
export function useAction<A extends unknown[], R>(
  action: (...args: A) => Promise<R>,
): [(...args: A) => Promise<R | undefined>, ActionState, () => void] {
  const [state, setState] = useState<ActionState>({ busy: false, error: null });
  const latest = useRef(action);
  latest.current = action;
  const run = useCallback(async (...args: A) => {
    setState({ busy: true, error: null });
    try {
      const result = await latest.current(...args);
      setState({ busy: false, error: null });
      return result;
    } catch (error) {
      setState({ busy: false, error });
      return undefined;
    }
  }, []);
  const clear = useCallback(() => setState({ busy: false, error: null }), []);
  return [run, state, clear];
}
