import { useState } from 'react';
import { useQuery } from '../api/useQuery';
import type { City } from '../city';
import { graphql } from '../gql';
import { t } from '../i18n';
import { NotifyMe } from './alerts/NotifyMe';
import { ErrorNotice } from './ErrorNotice';
import { Showtimes } from './Showtimes';

const TitleShowtimesQuery = graphql(`
  query TitleShowtimes($movieId: ID, $eventId: ID, $city: String) {
    showtimes(movieId: $movieId, eventId: $eventId, city: $city, first: 60) {
      ...ShowtimeRow
    }
  }
`);

/** Which title's showtimes: a movie's or a live event's. */
export type ShowtimesOf = { movieId: string } | { eventId: string };

/**
 * Asks for a title's showtimes in the buyer's city (or everywhere, on request). The page
 * calls it next to its own query so that both travel at once.
 */
export function useTitleShowtimes(of: ShowtimesOf, city: City | null) {
  const [allCities, setAllCities] = useState(false);
  const scope = city && !allCities ? city : null;
  const query = useQuery(TitleShowtimesQuery, { ...of, ...(scope ? { city: scope.name } : {}) });
  return { query, city, allCities, setAllCities, of };
}

/** A title's showtimes by date and theatre, with the switch between one city and all. */
export function ShowtimesSection({ showtimes }: { showtimes: ReturnType<typeof useTitleShowtimes> }) {
  const { query, city, allCities, setAllCities, of } = showtimes;
  const scoped = city && !allCities;
  const loading = query.status === 'loading';
  const error = query.status === 'error' ? query.error : null;
  const rows = query.data?.showtimes ?? [];
  return (
    <section aria-labelledby="showtimes-heading" className="showtimes-section">
      <h2 id="showtimes-heading">{scoped ? t.title.showtimesIn(city.name) : t.title.showtimes}</h2>
      {city && (
        <button type="button" className="link-button" onClick={() => setAllCities(!allCities)}>
          {allCities ? t.title.showtimesIn(city.name) : t.title.showAllCities}
        </button>
      )}
      {error ? <ErrorNotice error={error} onRetry={query.retry} /> : null}
      <div aria-busy={loading}>
        {!loading && !error && rows.length === 0 ? (
          <>
            <p>{scoped ? t.title.noShowtimesInCity(city.name) : t.title.noShowtimes}</p>
            {scoped ? <NotifyMe of={of} city={city} /> : !city && <p className="muted">{t.alerts.chooseCity}</p>}
          </>
        ) : (
          <Showtimes rows={rows} />
        )}
      </div>
    </section>
  );
}
