import { useEffect, useState } from 'react';
import { subscribe } from '../api/live';
import { useQuery } from '../api/useQuery';
import { ErrorNotice } from '../components/ErrorNotice';
import { RequireSignIn } from '../components/RequireSignIn';
import { formatMoney } from '../format';
import type { BookingPageQuery } from '../gql/graphql';
import { t } from '../i18n';
import { forgetBooking, saveBooking, savedBooking, type SavedBooking } from '../offline/savedTickets';
import { Link, paths } from '../router';
import type { SessionUser } from '../session';
import { CancelBooking } from './booking/CancelBooking';
import { BookingStatusSubscription, BookingPageQuery as BookingDocument } from './booking/operations';
import { TicketList } from './booking/TicketList';
import { when } from './booking/when';
import './booking/booking.css';

type Booking = NonNullable<BookingPageQuery['booking']>;

export function BookingPage({ id }: { id: string }) {
  return <RequireSignIn>{(user) => <BookingScreen id={id} user={user} />}</RequireSignIn>;
}

/** What the device keeps of a booking to show at the door without a network. */
function toSaved(b: Booking, userId: string): SavedBooking {
  const s = b.showtime;
  return {
    id: b.id,
    userId,
    status: b.status,
    totalCents: b.totalCents,
    currency: b.currency,
    title: s?.movie?.title ?? s?.event?.title ?? '',
    startsAt: s?.startsAt ?? null,
    timezone: s?.theatre?.timezone ?? 'UTC',
    theatre: [s?.theatre?.name, s?.theatre?.city].filter(Boolean).join(', '),
    screen: s?.screen?.name ?? null,
    seats: b.seats.map((seat) => ({ row: seat.row, number: seat.number })),
    tickets: b.tickets
      .filter((ticket) => ticket.status === 'valid')
      .map(({ code, row, number, status, qrSvg }) => ({ code, row, number, status, qrSvg })),
    savedAt: new Date().toISOString(),
  };
}

function BookingScreen({ id, user }: { id: string; user: SessionUser }) {
  const loaded = useQuery(BookingDocument, { id });
  const [liveStatus, setLiveStatus] = useState<string | null>(null);
  const [cancelled, setCancelled] = useState<{ refundCents: number } | null>(null);
  const booking = loaded.data?.booking ?? null;
  const { retry } = loaded;

  // Keep the tickets on this device while they are valid; forget them once they are not.
  useEffect(() => {
    if (!booking || loaded.status !== 'ok') return;
    const saved = toSaved(booking, user.id);
    if (booking.status === 'CONFIRMED' && saved.tickets.length > 0) saveBooking(saved);
    else forgetBooking(booking.id);
  }, [booking, loaded.status, user.id]);

  // The status, live: a pending payment settling, a refund, a cancelled show.
  const loadedStatus = booking?.status;
  useEffect(() => {
    if (!loadedStatus) return;
    return subscribe(
      BookingStatusSubscription,
      { bookingId: id },
      ({ bookingStatus }) => {
        setLiveStatus(bookingStatus.status);
        // Tickets, refunds and the cancellation terms change with the status: read them again.
        if (bookingStatus.status !== loadedStatus) retry();
      },
      () => {},
    );
  }, [id, loadedStatus, retry]);

  if (loaded.status === 'error' && !booking) {
    if (loaded.error.code === 'NETWORK') return <OfflineBooking id={id} userId={user.id} />;
    return <ErrorNotice error={loaded.error} onRetry={retry} />;
  }
  if (!loaded.data) return <p aria-busy="true">{t.loading}</p>;
  if (!booking) {
    return (
      <section>
        <h1>{t.bookings.booking}</h1>
        <p>{t.bookings.notFound}</p>
        <p>
          <Link href={paths.bookings()}>{t.bookings.title}</Link>
        </p>
      </section>
    );
  }

  const status = liveStatus ?? booking.status;
  const s = booking.showtime;
  const zone = s?.theatre?.timezone ?? 'UTC';
  const title = s?.movie?.title ?? s?.event?.title ?? t.bookings.untitled;
  return (
    <article className="booking-page" aria-labelledby="booking-heading">
      <h1 id="booking-heading">{title}</h1>
      <p className={`booking-status booking-status-${status.toLowerCase()}`} role="status" data-testid="booking-status">
        {t.bookings.liveStatus(t.bookings.status[status] ?? status)}
      </p>
      {cancelled && (
        <p className="notice notice-ok" role="status">
          {t.bookings.cancelled(formatMoney(cancelled.refundCents, booking.currency))}
        </p>
      )}
      <dl className="facts booking-facts">
        {s && (
          <>
            <dt>{t.bookings.when}</dt>
            <dd>{when(s.startsAt, zone)}</dd>
            <dt>{t.bookings.where}</dt>
            <dd>
              {[s.theatre?.name, s.theatre?.address, s.theatre?.city].filter(Boolean).join(', ')}
              {s.screen && ` · ${s.screen.name}`}
            </dd>
          </>
        )}
        <dt>{t.bookings.seats}</dt>
        <dd>{booking.seats.map((seat) => t.bookings.ticket(seat.row, seat.number)).join('; ')}</dd>
        <dt>{t.bookings.total}</dt>
        <dd>{formatMoney(booking.totalCents, booking.currency)}</dd>
        {booking.payment && booking.payment.giftCardCents > 0 && (
          <>
            <dt>{t.giftCard.paidByGiftCard}</dt>
            <dd data-testid="booking-gift-card-part">{formatMoney(booking.payment.giftCardCents, booking.currency)}</dd>
            <dt>{t.giftCard.paidByCard}</dt>
            <dd data-testid="booking-card-part">{formatMoney(booking.payment.cardCents, booking.currency)}</dd>
          </>
        )}
      </dl>
      {(status === 'HELD' || status === 'PAYMENT_PENDING') && (
        <p>
          <Link href={paths.checkout(booking.id)}>{t.bookings.payNow}</Link>
        </p>
      )}
      <p>
        <Link href={paths.contactSupport(booking.id)}>{t.help.bookingHelp}</Link>
      </p>
      {booking.tickets.length > 0 && (
        <section aria-labelledby="tickets-heading">
          <h2 id="tickets-heading">{t.bookings.tickets}</h2>
          <TicketList tickets={booking.tickets} />
        </section>
      )}
      {booking.status === 'CONFIRMED' && !cancelled && (
        <CancelBooking
          booking={booking}
          timeZone={zone}
          onCancelled={(next, refundCents) => {
            setLiveStatus(next);
            setCancelled({ refundCents });
            forgetBooking(booking.id);
            retry();
          }}
        />
      )}
    </article>
  );
}

/** The booking as this device saved it, when the network is gone (at the door). */
function OfflineBooking({ id, userId }: { id: string; userId: string }) {
  const saved = savedBooking(id, userId);
  if (!saved) {
    return (
      <section>
        <h1>{t.bookings.booking}</h1>
        <p className="notice" role="status">
          {t.bookings.offlineNone}
        </p>
      </section>
    );
  }
  return (
    <article className="booking-page" aria-labelledby="booking-heading">
      <h1 id="booking-heading">{saved.title || t.bookings.untitled}</h1>
      <p className="notice offline-note" role="status">
        {t.bookings.offline}
      </p>
      <dl className="facts booking-facts">
        {saved.startsAt && (
          <>
            <dt>{t.bookings.when}</dt>
            <dd>{when(saved.startsAt, saved.timezone)}</dd>
          </>
        )}
        <dt>{t.bookings.where}</dt>
        <dd>
          {saved.theatre}
          {saved.screen && ` · ${saved.screen}`}
        </dd>
        <dt>{t.bookings.seats}</dt>
        <dd>{saved.seats.map((seat) => t.bookings.ticket(seat.row, seat.number)).join('; ')}</dd>
        <dt>{t.bookings.total}</dt>
        <dd>{formatMoney(saved.totalCents, saved.currency)}</dd>
      </dl>
      <section aria-labelledby="tickets-heading">
        <h2 id="tickets-heading">{t.bookings.tickets}</h2>
        <TicketList tickets={saved.tickets} />
      </section>
    </article>
  );
}
