import { useId, useState, type FormEvent } from 'react';
import { request } from '../../api/client';
import { ApiError } from '../../api/errors';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatMoney } from '../../format';
import { t } from '../../i18n';
import { when } from '../../pages/booking/when';
import { toMinor } from '../money';
import { useStaffAccess, type StaffAccess } from '../staffAccess';
import { useAction } from '../useAction';
import { RefundFromTicket } from './operations';
import type { StaffTicket } from './TicketView';

/** The most the caller may refund for a ticket of `organisationId` (null: no limit), as the API applies it. */
function refundLimit(access: StaffAccess, organisationId: string | null | undefined): number | null {
  if (access.platform) return null;
  const role = access.roles.find((r) => r.organisationId === organisationId);
  if (!role) return 0;
  return role.role === 'MANAGER' ? null : (role.refundLimitCents ?? 0);
}

/** The booking the ticket is about, and a refund of it within the caller's limit. */
export function TicketBooking({ ticket, onRefunded }: { ticket: StaffTicket; onRefunded: (message: string) => void }) {
  const id = useId();
  const access = useStaffAccess();
  const [amount, setAmount] = useState('');
  const [problem, setProblem] = useState('');
  const [asked, setAsked] = useState(0);
  const [refund, state] = useAction((cents: number | null) => request(RefundFromTicket, { id: ticket.id, amount: cents }));
  const booking = ticket.booking;
  if (!booking) {
    return (
      <section aria-labelledby={`${id}-h`}>
        <h3 id={`${id}-h`}>{t.admin.support.booking}</h3>
        <p>{t.admin.support.noBooking}</p>
      </section>
    );
  }
  const limit = refundLimit(access, ticket.organisationId);
  const money = (cents: number) => formatMoney(cents, booking.currency);
  const s = booking.showtime;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const cents = amount.trim() ? toMinor(amount, booking.currency) : null;
    if (amount.trim() && (cents === null || cents <= 0)) return setProblem(t.admin.support.badAmount);
    setProblem('');
    setAsked(cents ?? booking.totalCents);
    if (await refund(cents)) {
      setAmount('');
      onRefunded(t.admin.support.refunded(money(cents ?? booking.totalCents)));
    }
  };
  const overLimit = state.error instanceof ApiError && state.error.errors[0]?.extensions?.reason === 'REFUND_LIMIT';
  return (
    <section aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t.admin.support.booking}</h3>
      <dl className="facts">
        {s && (
          <>
            <dt>{t.bookings.untitled}</dt>
            <dd>{s.movie?.title ?? s.event?.title ?? t.bookings.untitled}</dd>
            <dt>{t.bookings.when}</dt>
            <dd>{when(s.startsAt, s.theatre?.timezone ?? 'UTC')}</dd>
            <dt>{t.bookings.where}</dt>
            <dd>{[s.theatre?.name, s.screen?.name].filter(Boolean).join(' · ')}</dd>
          </>
        )}
        <dt>{t.bookings.seats}</dt>
        <dd>{booking.seats.map((seat) => t.bookings.ticket(seat.row, seat.number)).join('; ')}</dd>
        <dt>{t.bookings.total}</dt>
        <dd>{money(booking.totalCents)}</dd>
        <dt>{t.admin.support.bookingStatus}</dt>
        <dd data-testid="ticket-booking-status">{t.bookings.status[booking.status] ?? booking.status}</dd>
      </dl>
      {booking.status === 'CONFIRMED' && (
        <form onSubmit={submit} className="support-refund">
          <h4>{t.admin.support.refund}</h4>
          <p className="admin-help">{limit === null ? t.admin.support.noLimit : t.admin.support.limit(money(limit))}</p>
          <label>
            {t.admin.support.refundAmount(booking.currency)}
            <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
          </label>
          {problem && <p role="alert">{problem}</p>}
          {overLimit && limit !== null ? (
            <p role="alert" className="admin-error-text">
              {t.admin.support.overLimit(money(asked), money(limit))}
            </p>
          ) : state.error ? (
            <ErrorNotice error={state.error} />
          ) : null}
          <div className="admin-actions">
            <button type="submit" disabled={state.busy}>
              {t.admin.support.doRefund}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
