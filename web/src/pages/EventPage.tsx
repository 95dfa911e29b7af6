import { useQuery } from '../api/useQuery';
import type { City } from '../city';
import { ErrorNotice } from '../components/ErrorNotice';
import { Poster } from '../components/Poster';
import { ShowtimesSection, useAllCities } from '../components/ShowtimesSection';
import { graphql } from '../gql';
import { t } from '../i18n';
import { NotFound } from './NotFound';

const EventQuery = graphql(`
  query EventPage($id: ID!) {
    event(id: $id) {
      id
      title
      description
      performer
      category
      genres
      language
      durationMinutes
      ageRating
      posterUrl
    }
  }
`);

const EventShowtimesQuery = graphql(`
  query EventShowtimes($eventId: ID!, $city: String) {
    showtimes(eventId: $eventId, city: $city, first: 60) {
      id
      startsAt
      currency
      theatre {
        id
        name
        city
        state
        timezone
      }
      screen {
        name
      }
      prices {
        category
        priceCents
      }
    }
  }
`);

export function EventPage({ id, city }: { id: string; city: City | null }) {
  const event = useQuery(EventQuery, { id });
  const [allCities, setAllCities] = useAllCities();
  const showtimes = useQuery(EventShowtimesQuery, {
    eventId: id,
    ...(city && !allCities ? { city: city.name } : {}),
  });

  if (event.status === 'error') return <ErrorNotice error={event.error} onRetry={event.retry} />;
  if (event.status === 'loading' && !event.data) return <p aria-busy="true">{t.loading}</p>;
  const e = event.data?.event;
  if (!e) return <NotFound message={t.title.notFound} />;

  return (
    <article aria-labelledby="title-heading" className="title-page">
      <div className="title-head">
        <Poster
          url={e.posterUrl}
          title={e.title}
          alt={t.title.poster(e.title)}
          className="title-poster"
          width={240}
          height={360}
        />
        <div>
          <h1 id="title-heading">{e.title}</h1>
          <p className="title-meta">
            {[e.ageRating, t.title.runtime(e.durationMinutes), e.language].filter(Boolean).join(' · ')}
          </p>
          <p>{e.description}</p>
          <dl className="facts">
            <dt>{t.title.performer}</dt>
            <dd>{e.performer}</dd>
            <dt>{t.title.category}</dt>
            <dd>{e.category}</dd>
            {e.genres.length > 0 && (
              <>
                <dt>{t.title.genres}</dt>
                <dd>{e.genres.join(', ')}</dd>
              </>
            )}
          </dl>
        </div>
      </div>
      <ShowtimesSection
        city={city}
        rows={showtimes.data?.showtimes ?? []}
        loading={showtimes.status === 'loading'}
        error={showtimes.status === 'error' ? showtimes.error : null}
        onRetry={showtimes.retry}
        allCities={allCities}
        onAllCities={setAllCities}
      />
    </article>
  );
}
