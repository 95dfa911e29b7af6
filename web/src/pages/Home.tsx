import { useState } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import type { City } from '../city';
import { ErrorNotice } from '../components/ErrorNotice';
import { TitleCard } from '../components/TitleCard';
import { formatDateKey, nextDates } from '../format';
import { graphql } from '../gql';
import { t } from '../i18n';
import { paths } from '../router';

const WhatsOnQuery = graphql(`
  query WhatsOn($filter: TitleFilterInput!) {
    movies(filter: $filter, first: 24) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        title
        posterUrl
        certificate
        runtimeMinutes
        genres
      }
    }
    events(filter: $filter, first: 24) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        title
        posterUrl
        performer
        durationMinutes
      }
    }
  }
`);

const MoreMoviesQuery = graphql(`
  query MoreMovies($filter: TitleFilterInput!, $after: String!) {
    movies(filter: $filter, first: 24, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        title
        posterUrl
        certificate
        runtimeMinutes
        genres
      }
    }
  }
`);

const MoreEventsQuery = graphql(`
  query MoreEvents($filter: TitleFilterInput!, $after: String!) {
    events(filter: $filter, first: 24, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        title
        posterUrl
        performer
        durationMinutes
      }
    }
  }
`);

const WEEK = 7;

interface MorePages {
  hasMore: boolean;
  loadMore: () => void;
  loading: boolean;
  error: unknown;
}

type Page<T> = { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: T[] };

/**
 * A listing's first page from the shared query, then further pages on request; starts
 * again whenever the first page changes (another city or date).
 */
function usePages<T>(first: Page<T> | undefined, more: (after: string) => Promise<Page<T>>) {
  const [extra, setExtra] = useState<{ base: Page<T> | undefined; pages: Page<T>[] }>({ base: first, pages: [] });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const pages = extra.base === first ? extra.pages : [];
  const last = pages[pages.length - 1] ?? first;
  const nodes = [...(first?.nodes ?? []), ...pages.flatMap((p) => p.nodes)];
  const loadMore = async () => {
    const after = last?.pageInfo.endCursor;
    if (!after) return;
    setLoading(true);
    setError(null);
    try {
      const page = await more(after);
      setExtra({ base: first, pages: [...pages, page] });
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  return { nodes, hasMore: !!last?.pageInfo.hasNextPage, loadMore, loading, error };
}

function MoreButton({ label, pages }: { label: string; pages: MorePages }) {
  if (!pages.hasMore && !pages.error) return null;
  return (
    <div className="more">
      {pages.error ? <ErrorNotice error={pages.error} /> : null}
      {pages.hasMore ? (
        <button type="button" onClick={pages.loadMore} disabled={pages.loading} aria-busy={pages.loading}>
          {label}
        </button>
      ) : null}
    </div>
  );
}

/** What is on in the chosen city: this week (every upcoming showtime) or one local date. */
export function Home({ city }: { city: City | null }) {
  const [date, setDate] = useState<string | null>(null);
  const dates = city ? nextDates(city.timezone, WEEK) : [];
  const filter = { city: city?.name ?? '', ...(date ? { date } : {}) };
  const listing = useQuery(WhatsOnQuery, { filter }, { skip: !city });
  const moviePages = usePages(listing.data?.movies, async (after) => (await request(MoreMoviesQuery, { filter, after })).movies);
  const eventPages = usePages(listing.data?.events, async (after) => (await request(MoreEventsQuery, { filter, after })).events);

  if (!city) {
    return (
      <section aria-labelledby="whats-on">
        <h1 id="whats-on">{t.home.title}</h1>
        <p>{t.home.pickCityFirst}</p>
      </section>
    );
  }

  const dayLabel = (d: string, i: number) => (i === 0 ? t.home.today : i === 1 ? t.home.tomorrow : formatDateKey(d));
  const movies = moviePages.nodes;
  const events = eventPages.nodes;

  return (
    <section aria-labelledby="whats-on">
      <h1 id="whats-on">{t.home.inCity(city.name)}</h1>
      <div role="group" aria-label={t.home.dates} className="date-chips">
        <button type="button" aria-pressed={date === null} onClick={() => setDate(null)}>
          {t.home.allWeek}
        </button>
        {dates.map((d, i) => (
          <button key={d} type="button" aria-pressed={date === d} onClick={() => setDate(d)}>
            {dayLabel(d, i)}
          </button>
        ))}
      </div>
      {listing.status === 'error' && <ErrorNotice error={listing.error} onRetry={listing.retry} />}
      <div aria-busy={listing.status === 'loading'} aria-live="polite">
        <section aria-labelledby="movies-heading">
          <h2 id="movies-heading">{t.home.movies}</h2>
          {listing.status === 'ok' && movies.length === 0 ? (
            <p>{t.home.noMovies}</p>
          ) : (
            <ul className="cards" aria-labelledby="movies-heading">
              {movies.map((m) => (
                <TitleCard
                  key={m.id}
                  href={paths.movie(m.id)}
                  title={m.title}
                  posterUrl={m.posterUrl}
                  details={[m.certificate, t.title.runtime(m.runtimeMinutes)].filter(Boolean).join(' · ')}
                />
              ))}
            </ul>
          )}
          <MoreButton label={t.home.moreMovies} pages={moviePages} />
        </section>
        <section aria-labelledby="events-heading">
          <h2 id="events-heading">{t.home.events}</h2>
          {listing.status === 'ok' && events.length === 0 ? (
            <p>{t.home.noEvents}</p>
          ) : (
            <ul className="cards" aria-labelledby="events-heading">
              {events.map((e) => (
                <TitleCard
                  key={e.id}
                  href={paths.event(e.id)}
                  title={e.title}
                  posterUrl={e.posterUrl}
                  details={[e.performer, t.title.runtime(e.durationMinutes)].filter(Boolean).join(' · ')}
                />
              ))}
            </ul>
          )}
          <MoreButton label={t.home.moreEvents} pages={eventPages} />
        </section>
      </div>
    </section>
  );
}
