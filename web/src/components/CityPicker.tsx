import { useId, useMemo, useState } from 'react';
import { request } from '../api/client';
import { ApiError } from '../api/errors';
import { useQuery } from '../api/useQuery';
import { cityKey, type City } from '../city';
import { graphql } from '../gql';
import { t } from '../i18n';
import { ErrorNotice } from './ErrorNotice';

const CitiesQuery = graphql(`
  query Cities {
    theatres {
      id
      city
      state
      timezone
    }
  }
`);

const NearestTheatreQuery = graphql(`
  query NearestTheatre($near: NearInput!) {
    theatres(near: $near) {
      id
      city
      state
      timezone
      distanceKm
    }
  }
`);

const NEAR_RADIUS_KM = 100;

/** Chooses the city whose listings the buyer sees: from a list, or the nearest to them. */
export function CityPicker({ city, onChange }: { city: City | null; onChange: (c: City) => void }) {
  const id = useId();
  const cities = useQuery(CitiesQuery, {});
  const [locating, setLocating] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [nearError, setNearError] = useState<unknown>(null);

  const options = useMemo(() => {
    const seen = new Map<string, City>();
    for (const th of cities.data?.theatres ?? []) {
      const c = { name: th.city, state: th.state, timezone: th.timezone };
      if (!seen.has(cityKey(c))) seen.set(cityKey(c), c);
    }
    return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [cities.data]);

  const nearMe = () => {
    setProblem(null);
    setNearError(null);
    if (!('geolocation' in navigator)) {
      setProblem(t.city.unsupported);
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      async (pos) => {
        try {
          const data = await request(NearestTheatreQuery, {
            near: { lat: pos.coords.latitude, lon: pos.coords.longitude, radiusKm: NEAR_RADIUS_KM },
          });
          const nearest = data.theatres[0];
          if (nearest) onChange({ name: nearest.city, state: nearest.state, timezone: nearest.timezone });
          else setProblem(t.city.noneNear);
        } catch (e) {
          setNearError(e instanceof ApiError ? e : new ApiError('INTERNAL'));
        } finally {
          setLocating(false);
        }
      },
      () => {
        setLocating(false);
        setProblem(t.city.denied);
      },
      { timeout: 10_000, maximumAge: 600_000 },
    );
  };

  if (cities.status === 'error') return <ErrorNotice error={cities.error} onRetry={cities.retry} />;

  return (
    <div className="city-picker">
      <label htmlFor={id}>{t.city.label}</label>
      <select
        id={id}
        value={city ? cityKey(city) : ''}
        onChange={(e) => {
          const chosen = options.find((c) => cityKey(c) === e.target.value);
          if (chosen) onChange(chosen);
        }}
        disabled={cities.status === 'loading' && options.length === 0}
      >
        <option value="" disabled>
          {t.city.choose}
        </option>
        {options.map((c) => (
          <option key={cityKey(c)} value={cityKey(c)}>
            {c.state ? `${c.name}, ${c.state}` : c.name}
          </option>
        ))}
      </select>
      <button type="button" onClick={nearMe} disabled={locating} aria-busy={locating}>
        {locating ? t.city.locating : t.city.nearMe}
      </button>
      <div aria-live="polite" className="city-status">
        {problem && <p className="notice">{problem}</p>}
        {cities.status === 'ok' && options.length === 0 && <p className="notice">{t.city.none}</p>}
      </div>
      {nearError ? <ErrorNotice error={nearError} /> : null}
    </div>
  );
}
