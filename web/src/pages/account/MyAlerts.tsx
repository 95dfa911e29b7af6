import { useState } from 'react';
import { request } from '../../api/client';
import { describeError } from '../../api/errors';
import { useQuery } from '../../api/useQuery';
import { ErrorNotice } from '../../components/ErrorNotice';
import { CancelAlertMutation, MyAlertsQuery } from '../../components/alerts/operations';
import '../../components/waitlist/waitlist.css';
import { graphql } from '../../gql';
import type { MyAlertsQuery as MyAlerts } from '../../gql/graphql';
import { locale, t } from '../../i18n';
import { Link, paths } from '../../router';

type Alert = MyAlerts['myAlerts'][number];

const AlertTitleQuery = graphql(`
  query AlertTitle($movieId: ID!, $eventId: ID!, $movie: Boolean!) {
    movie(id: $movieId) @include(if: $movie) {
      id
      title
    }
    event(id: $eventId) @skip(if: $movie) {
      id
      title
    }
  }
`);

const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });

/** The buyer's "notify me" alerts, newest first, with a way to cancel one still waiting. */
export function MyAlertsSection() {
  const list = useQuery(MyAlertsQuery, {});
  const alerts = list.data?.myAlerts ?? [];
  return (
    <section className="account-section" aria-labelledby="alerts-mine-heading">
      <h2 id="alerts-mine-heading">{t.alerts.mine}</h2>
      {list.status === 'error' && <ErrorNotice error={list.error} onRetry={list.retry} />}
      {list.data && alerts.length === 0 && <p>{t.alerts.none}</p>}
      {alerts.length > 0 && (
        <ul className="alert-list" data-testid="my-alerts">
          {alerts.map((a) => (
            <AlertRow key={a.id} alert={a} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AlertRow({ alert: initial }: { alert: Alert }) {
  const [alert, setAlert] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const movie = alert.movieId !== null && alert.movieId !== undefined;
  const named = useQuery(AlertTitleQuery, { movieId: alert.movieId ?? '', eventId: alert.eventId ?? '', movie });
  const title = (movie ? named.data?.movie?.title : named.data?.event?.title) ?? t.alerts.unknownTitle;
  const href = alert.movieId ? paths.movie(alert.movieId) : alert.eventId ? paths.event(alert.eventId) : null;
  const where = alert.city ?? (alert.near ? t.alerts.near(alert.near.radiusKm) : '');

  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      const { cancelAlert } = await request(CancelAlertMutation, { id: alert.id });
      setAlert(cancelAlert);
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };

  return (
    <li data-testid="alert">
      <p>
        <strong>{href ? <Link href={href}>{title}</Link> : title}</strong> · {where}
        <span className="muted"> · {dateFormat.format(new Date(alert.createdAt))}</span>
      </p>
      <p data-testid="alert-status">{t.alerts.status[alert.status] ?? alert.status}</p>
      {error != null && (
        <p className="notice notice-error" role="alert">
          {describeError(error)}
        </p>
      )}
      {alert.status === 'NOTIFIED' && alert.notifiedShowtimeId && (
        <p>
          <Link href={paths.showtime(alert.notifiedShowtimeId)} className="button-link">
            {t.alerts.book}
          </Link>
        </p>
      )}
      {alert.status === 'ACTIVE' && (
        <button type="button" onClick={cancel} disabled={busy} aria-label={t.alerts.cancelOf(`${title}, ${where}`)}>
          {t.alerts.cancel}
        </button>
      )}
    </li>
  );
}
