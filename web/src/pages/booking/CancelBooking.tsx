import { useState } from 'react';
import { request } from '../../api/client';
import { describeError } from '../../api/errors';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatMoney } from '../../format';
import type { BookingPageQuery } from '../../gql/graphql';
import { t } from '../../i18n';
import { CancelBookingMutation } from './operations';
import { when } from './when';

type Booking = NonNullable<BookingPageQuery['booking']>;

/**
 * Cancelling by the policy: the refund it gives now (from `booking.cancellation`, the rule
 * `cancelBooking` applies) is shown before the buyer confirms, or why it is refused.
 */
export function CancelBooking({
  booking,
  timeZone,
  onCancelled,
}: {
  booking: Booking;
  timeZone: string;
  onCancelled: (status: string, refundCents: number) => void;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const c = booking.cancellation;
  const refund = formatMoney(c.refundCents, booking.currency);
  const startsAt = booking.showtime?.startsAt;
  const cancelledShow = booking.showtime?.status === 'CANCELLED';

  const deadlines = (
    <>
      {cancelledShow && <p>{t.bookings.showtimeCancelled}</p>}
      {c.fullRefundUntil && <p>{t.bookings.fullUntil(when(c.fullRefundUntil, timeZone))}</p>}
      {c.partialRefundUntil && <p>{t.bookings.halfUntil(when(c.partialRefundUntil, timeZone))}</p>}
    </>
  );

  if (!c.allowed) {
    const started = startsAt !== undefined && Date.parse(startsAt) <= Date.now();
    return (
      <section className="booking-cancel" aria-labelledby="cancel-heading">
        <h2 id="cancel-heading">{t.bookings.cancel}</h2>
        <p>
          {started || !c.partialRefundUntil
            ? t.bookings.cannotCancelStarted
            : t.bookings.cannotCancelLate(when(c.partialRefundUntil, timeZone))}
        </p>
      </section>
    );
  }

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const { cancelBooking } = await request(CancelBookingMutation, { bookingId: booking.id });
      setAsking(false);
      onCancelled(cancelBooking.status, c.refundCents);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="booking-cancel" aria-labelledby="cancel-heading">
      <h2 id="cancel-heading">{t.bookings.cancel}</h2>
      {deadlines}
      <button type="button" onClick={() => setAsking(true)}>
        {t.bookings.cancel}
      </button>
      {asking && (
        <ConfirmDialog
          title={t.bookings.cancelTitle}
          onClose={() => !busy && setAsking(false)}
          actions={
            <>
              <button type="button" className="danger" onClick={confirm} disabled={busy}>
                {busy ? t.bookings.cancelling : t.bookings.confirmCancel}
              </button>
              <button type="button" onClick={() => setAsking(false)} disabled={busy} autoFocus>
                {t.bookings.keep}
              </button>
            </>
          }
        >
          <p className="refund-amount">
            <strong>{c.refundShare === 'FULL' ? t.bookings.refundFull(refund) : t.bookings.refundHalf(refund)}</strong>
          </p>
          {deadlines}
          <div role="alert">{error && <p className="form-error">{error}</p>}</div>
        </ConfirmDialog>
      )}
    </section>
  );
}
