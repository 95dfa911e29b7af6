import { useState } from 'react';
import type { City } from '../city';
import { t } from '../i18n';
import { ErrorNotice } from './ErrorNotice';
import { Showtimes, type ShowtimeRow } from './Showtimes';

/** A title's showtimes in the buyer's city, or everywhere on request. */
export function ShowtimesSection({
  city,
  rows,
  loading,
  error,
  onRetry,
  allCities,
  onAllCities,
}: {
  city: City | null;
  rows: ShowtimeRow[];
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  allCities: boolean;
  onAllCities: (all: boolean) => void;
}) {
  const scoped = city && !allCities;
  return (
    <section aria-labelledby="showtimes-heading" className="showtimes-section">
      <h2 id="showtimes-heading">{scoped ? t.title.showtimesIn(city.name) : t.title.showtimes}</h2>
      {city && (
        <button type="button" className="link-button" onClick={() => onAllCities(!allCities)}>
          {allCities ? t.title.showtimesIn(city.name) : t.title.showAllCities}
        </button>
      )}
      {error ? <ErrorNotice error={error} onRetry={onRetry} /> : null}
      <div aria-busy={loading}>
        {!loading && !error && rows.length === 0 ? (
          <p>{scoped ? t.title.noShowtimesInCity(city.name) : t.title.noShowtimes}</p>
        ) : (
          <Showtimes rows={rows} />
        )}
      </div>
    </section>
  );
}

export function useAllCities(): [boolean, (v: boolean) => void] {
  return useState(false);
}
