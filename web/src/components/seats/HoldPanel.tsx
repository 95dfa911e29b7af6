import { useEffect, useRef, useState } from 'react';
import { request } from '../../api/client';
import { ApiError, describeError } from '../../api/errors';
import { subscribe } from '../../api/live';
import { formatMoney } from '../../format';
import type { BookingStatus, HeldBookingFieldsFragment } from '../../gql/graphql';
import { t } from '../../i18n';
import { Link, paths } from '../../router';
import { HoldCountdown } from '../HoldCountdown';
import { BookingStatusUpdates, ReleaseHold } from './operations';

export type HoldEnd = 'expired' | 'released';

/**
 * The buyer's held seats: what they are, the total, how long they stay held (kept live
 * by `bookingStatus`), and the ways on: checkout, or giving the seats back.
 */
export function HoldPanel({ booking, onEnded }: { booking: HeldBookingFieldsFragment; onEnded: (how: HoldEnd) => void }) {
  const [status, setStatus] = useState<BookingStatus>(booking.status);
  const [expiresAt, setExpiresAt] = useState(booking.expiresAt);
  const [releasing, setReleasing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const ended = useRef(onEnded);
  ended.current = onEnded;

  useEffect(() => heading.current?.focus(), []);

  useEffect(
    () =>
      subscribe(
        BookingStatusUpdates,
        { bookingId: booking.id },
        ({ bookingStatus }) => {
          setStatus(bookingStatus.status);
          if (bookingStatus.expiresAt) setExpiresAt(bookingStatus.expiresAt);
          if (bookingStatus.status === 'EXPIRED') ended.current('expired');
          else if (bookingStatus.status === 'CANCELLED') ended.current('released');
        },
        () => {
          // The countdown goes on by the clock; the seat map says when the seats come back.
        },
      ),
    [booking.id],
  );

  const release = async () => {
    setReleasing(true);
    setError(null);
    try {
      await request(ReleaseHold, { bookingId: booking.id });
      ended.current('released');
    } catch (e) {
      if (e instanceof ApiError && e.code === 'HOLD_EXPIRED') ended.current('expired');
      else setError(e);
      setReleasing(false);
    }
  };

  return (
    <section className="hold-panel" aria-labelledby="hold-heading" data-testid="hold-panel">
      <h2 id="hold-heading" ref={heading} tabIndex={-1}>
        {t.hold.title}
      </h2>
      <HoldCountdown expiresAt={expiresAt} onExpired={() => ended.current('expired')} />
      <table className="hold-seats">
        <caption className="visually-hidden">{t.hold.seats}</caption>
        <tbody>
          {booking.seats.map((s) => (
            <tr key={s.id}>
              <th scope="row">
                {s.section ? t.sections.seatIn(s.section, s.row, s.number) : t.seatPicker.seatShort(s.row, s.number)}
              </th>
              <td>{t.seatCategory[s.category] ?? s.category}</td>
              <td className="hold-price">{formatMoney(s.priceCents, booking.currency)}</td>
            </tr>
          ))}
          {booking.places.map((p) => (
            <tr key={p.sectionId}>
              <th scope="row">{t.sections.placesOf(p.label, p.quantity)}</th>
              <td>{t.seatCategory[p.category] ?? p.category}</td>
              <td className="hold-price">{formatMoney(p.priceCents * p.quantity, booking.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              {t.hold.total}
            </th>
            <td className="hold-price" data-testid="hold-total">
              {formatMoney(booking.totalCents, booking.currency)}
            </td>
          </tr>
        </tfoot>
      </table>
      {status === 'PAYMENT_PENDING' && <p className="notice">{t.hold.paying}</p>}
      {error != null && (
        <p className="notice notice-error" role="alert">
          {describeError(error)}
        </p>
      )}
      <div className="hold-actions">
        <Link href={paths.checkout(booking.id)} className="button-link button-primary">
          {t.hold.continue}
        </Link>
        {status === 'HELD' && (
          <button type="button" onClick={release} disabled={releasing}>
            {releasing ? t.hold.releasing : t.hold.release}
          </button>
        )}
      </div>
    </section>
  );
}
