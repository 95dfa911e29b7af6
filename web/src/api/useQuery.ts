import { useCallback, useEffect, useRef, useState } from 'react';
import type { TypedDocumentString } from '../gql/graphql';
import { request } from './client';
import { ApiError } from './errors';

export type QueryState<R> =
  | { status: 'loading'; data: R | undefined; error?: undefined }
  | { status: 'ok'; data: R; error?: undefined }
  | { status: 'error'; data: R | undefined; error: ApiError };

/**
 * Runs a typed query whenever its variables change (compared by value), keeping the
 * previous data while the next loads; `skip` waits. Answers to superseded requests are dropped.
 */
export function useQuery<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  options: { skip?: boolean } = {},
): QueryState<R> & { retry: () => void } {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<QueryState<R>>({ status: 'loading', data: undefined });
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    if (options.skip) return;
    const id = ++latest.current;
    setState((s) => ({ status: 'loading', data: s.data }));
    (request as (d: TypedDocumentString<R, V>, v: V) => Promise<R>)(document, JSON.parse(key) as V).then(
      (data) => id === latest.current && setState({ status: 'ok', data }),
      (error: unknown) =>
        id === latest.current &&
        setState((s) => ({
          status: 'error',
          data: s.data,
          error: error instanceof ApiError ? error : new ApiError('INTERNAL'),
        })),
    );
  }, [document, key, options.skip, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, retry };
}
