import { useState } from 'react';
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

/** What is on in the chosen city: this week (every upcoming showtime) or one local date. */
export function Home({ city }: { city: City | null }) {
  const [date, setDate] = useState<string | null>(null);
  const dates = city ? nextDates(city.timezone, WEEK) : [];
  const listing = useQuery(
    WhatsOnQuery,
    { filter: { city: city?.name ?? '', ...(date ? { date } : {}) } },
    { skip: !city },
  );

  if (!city) {
    return (
      <section aria-labelledby="whats-on">
        <h1 id="whats-on">{t.home.title}</h1>
        <p>{t.home.pickCityFirst}</p>
      </section>
    );
  }

  const dayLabel = (d: string, i: number) => (i === 0 ? t.home.today : i === 1 ? t.home.tomorrow : formatDateKey(d));
  const movies = listing.data?.movies.nodes ?? [];
  const events = listing.data?.events.nodes ?? [];

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
        </section>
      </div>
    </section>
  );
}
