import { useState } from 'react';
import { request } from '../../api/client';
import { describeError } from '../../api/errors';
import { useQuery } from '../../api/useQuery';
import type { City } from '../../city';
import { t } from '../../i18n';
import { here, Link, paths } from '../../router';
import { useSession } from '../../session';
import type { ShowtimesOf } from '../ShowtimesSection';
import { MyAlertsQuery, NotifyMeMutation } from './operations';

/**
 * "Notify me" for a title with nothing on sale in the buyer's city: one alert per title and
 * city, told once by inbox and email when a showtime there opens for booking.
 */
export function NotifyMe({ of, city }: { of: ShowtimesOf; city: City }) {
  const session = useSession();
  if (session.status === 'loading') return null;
  if (session.status !== 'signedIn') {
    return (
      <p>
        <Link href={paths.signIn(here())} className="button-link">
          {t.alerts.signIn(city.name)}
        </Link>
      </p>
    );
  }
  return <Subscribe of={of} city={city} />;
}

function Subscribe({ of, city }: { of: ShowtimesOf; city: City }) {
  const mine = useQuery(MyAlertsQuery, {});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [made, setMade] = useState(false);
  const movieId = 'movieId' in of ? of.movieId : null;
  const eventId = 'eventId' in of ? of.eventId : null;
  const subscribed =
    made ||
    (mine.data?.myAlerts ?? []).some(
      (a) =>
        a.status === 'ACTIVE' &&
        (a.movieId ?? null) === movieId &&
        (a.eventId ?? null) === eventId &&
        a.city?.toLowerCase() === city.name.toLowerCase(),
    );

  const ask = async () => {
    setBusy(true);
    setError(null);
    try {
      await request(NotifyMeMutation, { input: { ...of, city: city.name } });
      setMade(true);
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };

  if (!mine.data && mine.status !== 'error') return <p aria-busy="true">{t.loading}</p>;
  return (
    <div className="notify-me" aria-live="polite" data-testid="notify-me">
      {subscribed ? (
        <p className="notice notice-ok" role="status">
          <span aria-hidden="true">✓ </span>
          {t.alerts.subscribed(city.name)}
        </p>
      ) : (
        <button type="button" className="button-primary" onClick={ask} disabled={busy}>
          {busy ? t.alerts.asking : t.alerts.notifyMe(city.name)}
        </button>
      )}
      {error != null && (
        <p className="notice notice-error" role="alert">
          {describeError(error)}
        </p>
      )}
    </div>
  );
}
