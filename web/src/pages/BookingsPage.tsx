import { useQuery } from '../api/useQuery';
import { ErrorNotice } from '../components/ErrorNotice';
import { RequireSignIn } from '../components/RequireSignIn';
import { formatMoney } from '../format';
import type { MyBookingsQuery } from '../gql/graphql';
import { t } from '../i18n';
import { savedBookings } from '../offline/savedTickets';
import { Link, paths } from '../router';
import type { SessionUser } from '../session';
import { MyBookingsQuery as MyBookingsDocument } from './booking/operations';
import { when } from './booking/when';
import './booking/booking.css';

type Row = MyBookingsQuery['myBookings'][number];

const LIVE = new Set(['CONFIRMED', 'HELD', 'PAYMENT_PENDING']);

export function BookingsPage() {
  return <RequireSignIn>{(user) => <Bookings user={user} />}</RequireSignIn>;
}

function Bookings({ user }: { user: SessionUser }) {
  const loaded = useQuery(MyBookingsDocument, {});
  if (loaded.status === 'error' && !loaded.data) {
    if (loaded.error.code === 'NETWORK') return <OfflineBookings userId={user.id} />;
    return <ErrorNotice error={loaded.error} onRetry={loaded.retry} />;
  }
  if (!loaded.data) return <p aria-busy="true">{t.loading}</p>;
  const now = Date.now();
  const rows = loaded.data.myBookings;
  const isUpcoming = (b: Row) => LIVE.has(b.status) && !!b.showtime && Date.parse(b.showtime.startsAt) > now;
  const upcoming = rows
    .filter(isUpcoming)
    .sort((a, b) => (a.showtime?.startsAt ?? '').localeCompare(b.showtime?.startsAt ?? ''));
  const past = rows.filter((b) => !isUpcoming(b));
  return (
    <section aria-labelledby="bookings-heading">
      <h1 id="bookings-heading">{t.bookings.title}</h1>
      {rows.length === 0 ? (
        <p>
          {t.bookings.none} <Link href={paths.home()}>{t.bookings.browse}</Link>
        </p>
      ) : (
        <>
          <h2 id="upcoming-heading">{t.bookings.upcoming}</h2>
          {upcoming.length === 0 ? <p>{t.bookings.noneUpcoming}</p> : <BookingList rows={upcoming} labelledBy="upcoming-heading" />}
          <h2 id="past-heading">{t.bookings.past}</h2>
          {past.length === 0 ? <p>{t.bookings.nonePast}</p> : <BookingList rows={past} labelledBy="past-heading" />}
        </>
      )}
    </section>
  );
}

function BookingList({ rows, labelledBy }: { rows: Row[]; labelledBy: string }) {
  return (
    <ul className="booking-list" aria-labelledby={labelledBy}>
      {rows.map((b) => {
        const s = b.showtime;
        const title = s?.movie?.title ?? s?.event?.title ?? t.bookings.untitled;
        return (
          <li key={b.id} className="booking-item">
            <div>
              <Link href={paths.booking(b.id)}>
                {title}
                {/* Links to several bookings of one title must not all sound alike. */}
                {s && <span className="visually-hidden">, {when(s.startsAt, s.theatre?.timezone ?? 'UTC')}</span>}
              </Link>
              {s && (
                <p>
                  {when(s.startsAt, s.theatre?.timezone ?? 'UTC')}
                  {s.theatre && ` · ${s.theatre.name}`}
                </p>
              )}
            </div>
            <div>
              <p>
                <span className="visually-hidden">{t.bookings.statusLabel}: </span>
                <strong>{t.bookings.status[b.status] ?? b.status}</strong>
              </p>
              <p>
                {t.bookings.seatsCount(b.seats.length)} · {formatMoney(b.totalCents, b.currency)}
              </p>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/** The tickets this device kept, when the network is gone. */
function OfflineBookings({ userId }: { userId: string }) {
  const saved = savedBookings(userId);
  return (
    <section aria-labelledby="bookings-heading">
      <h1 id="bookings-heading">{t.bookings.title}</h1>
      <p className="notice offline-note" role="status">
        {saved.length > 0 ? t.bookings.offline : t.bookings.offlineNone}
      </p>
      {saved.length > 0 && (
        <ul className="booking-list" aria-labelledby="bookings-heading">
          {saved.map((b) => (
            <li key={b.id} className="booking-item">
              <div>
                <Link href={paths.booking(b.id)}>{b.title || t.bookings.untitled}</Link>
                {b.startsAt && (
                  <p>
                    {when(b.startsAt, b.timezone)} · {b.theatre}
                  </p>
                )}
              </div>
              <p>{t.bookings.seatsCount(b.seats.length)}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
