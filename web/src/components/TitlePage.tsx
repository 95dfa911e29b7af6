import { Fragment, type ReactNode } from 'react';
import type { QueryState } from '../api/useQuery';
import { t } from '../i18n';
import { NotFound } from '../pages/NotFound';
import { ErrorNotice } from './ErrorNotice';
import { Poster } from './Poster';
import { ShowtimesSection, type useTitleShowtimes } from './ShowtimesSection';

type TitleQuery = QueryState<unknown> & { retry: () => void };

/**
 * What a movie or event page shows while it has no title to show: the wait, a failure with
 * a way to try again, or "not found".
 */
export function TitleFallback({ query }: { query: TitleQuery }) {
  if (query.status === 'error') return <ErrorNotice error={query.error} onRetry={query.retry} />;
  if (query.status === 'loading') return <p aria-busy="true">{t.loading}</p>;
  return <NotFound message={t.title.notFound} />;
}

/**
 * The frame a movie and an event page share: poster, title and its one-line facts, what the
 * page puts beside them (`head`), the showtimes, then the page's own sections (`children`).
 * A failed refresh of a page already shown is told above it, the page kept.
 */
export function TitlePage({
  query,
  title,
  posterUrl,
  meta,
  head,
  showtimes,
  children,
}: {
  query: TitleQuery;
  title: string;
  posterUrl: string | null;
  meta: (string | null | undefined)[];
  head: ReactNode;
  showtimes: ReturnType<typeof useTitleShowtimes>;
  children?: ReactNode;
}) {
  return (
    <article aria-labelledby="title-heading" className="title-page">
      {query.status === 'error' && <ErrorNotice error={query.error} onRetry={query.retry} />}
      <div className="title-head">
        <Poster
          url={posterUrl}
          title={title}
          alt={t.title.poster(title)}
          className="title-poster"
          width={240}
          height={360}
          priority
        />
        <div>
          <h1 id="title-heading">{title}</h1>
          <p className="title-meta">{meta.filter(Boolean).join(' · ')}</p>
          {head}
        </div>
      </div>
      <ShowtimesSection showtimes={showtimes} />
      {children}
    </article>
  );
}

/** A title's labelled facts (genres, cast…); empty ones are left out. */
export function Facts({ items }: { items: [label: string, value: string | null | undefined][] }) {
  return (
    <dl className="facts">
      {items
        .filter(([, value]) => value)
        .map(([label, value]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
    </dl>
  );
}
