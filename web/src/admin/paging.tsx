import { useState, type ReactNode } from 'react';
import type { ApiError } from '../api/errors';
import { ErrorNotice } from '../components/ErrorNotice';
import { graphql } from '../gql';
import { t } from '../i18n';

/** What a paged list's query asks of its page: spread into `pageInfo`. */
export const PageCursorFields = graphql(`
  fragment PageCursor on PageInfo {
    hasNextPage
    endCursor
  }
`);

interface Connection<N> {
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  nodes: N[];
}

/** Where a paged list stands, and the way back from there (none on the first page). */
export interface Paging {
  after: string | null;
  back?: { label: string; go: () => void };
  next: (cursor: string | null) => void;
  reset: () => void;
}

/** Pages one after another, and back to the first. */
export function useFirstPagePaging(): Paging {
  const [after, setAfter] = useState<string | null>(null);
  const reset = () => setAfter(null);
  return { after, back: after ? { label: t.admin.firstPage, go: reset } : undefined, next: setAfter, reset };
}

/** Pages one after another, and back one page at a time. */
export function usePreviousPagePaging(): Paging {
  // Cursors of the pages before this one, to go back.
  const [trail, setTrail] = useState<(string | null)[]>([]);
  const [after, setAfter] = useState<string | null>(null);
  const back = () => {
    setAfter(trail[trail.length - 1] ?? null);
    setTrail(trail.slice(0, -1));
  };
  return {
    after,
    back: trail.length > 0 ? { label: t.admin.previousPage, go: back } : undefined,
    next: (cursor) => {
      setTrail([...trail, after]);
      setAfter(cursor);
    },
    reset: () => {
      setAfter(null);
      setTrail([]);
    },
  };
}

/**
 * A paged list's states: its failure, loading, `empty` when there is nothing, else the
 * rows `children` draws; then the buttons to page.
 */
export function PagedResults<N>({
  query,
  page,
  paging,
  empty,
  children,
}: {
  query: { status: string; error?: ApiError; retry: () => void };
  page: Connection<N> | undefined;
  paging: Paging;
  empty: ReactNode;
  children: (nodes: N[]) => ReactNode;
}) {
  return (
    <>
      {query.status === 'error' && <ErrorNotice error={query.error} onRetry={query.retry} />}
      {!page && query.status === 'loading' && <p aria-busy="true">{t.loading}</p>}
      {page && page.nodes.length === 0 && <p>{empty}</p>}
      {page && page.nodes.length > 0 && children(page.nodes)}
      {page && (paging.back || page.pageInfo.hasNextPage) && (
        <div className="admin-actions">
          {paging.back && (
            <button type="button" onClick={paging.back.go}>
              {paging.back.label}
            </button>
          )}
          {page.pageInfo.hasNextPage && (
            <button type="button" onClick={() => paging.next(page.pageInfo.endCursor ?? null)}>
              {t.admin.nextPage}
            </button>
          )}
        </div>
      )}
    </>
  );
}
