import { useId, useState, type FormEvent } from 'react';
import { request } from '../../api/client';
import { useQuery } from '../../api/useQuery';
import { ErrorNotice } from '../../components/ErrorNotice';
import { RequireSignIn } from '../../components/RequireSignIn';
import { t } from '../../i18n';
import { Link, navigate, paths } from '../../router';
import { when } from '../booking/when';
import { ContactBookingsQuery, OpenTicketMutation } from './operations';
import './help.css';

/** Opening a support ticket, optionally about one of the buyer's bookings (signed-in buyers only). */
export function ContactSupport({ bookingId }: { bookingId: string | null }) {
  return <RequireSignIn>{() => <ContactForm bookingId={bookingId} />}</RequireSignIn>;
}

function ContactForm({ bookingId }: { bookingId: string | null }) {
  const id = useId();
  const bookings = useQuery(ContactBookingsQuery, {});
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [booking, setBooking] = useState(bookingId ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const input = { subject: subject.trim(), body: body.trim(), ...(booking ? { bookingId: booking } : {}) };
      const { openTicket } = await request(OpenTicketMutation, { input });
      navigate(paths.myTicket(openTicket.id));
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  const options = (bookings.data?.myBookings ?? []).filter((b) => b.status !== 'EXPIRED');
  return (
    <section aria-labelledby="contact-heading">
      <p>
        <Link href={paths.help()}>{t.help.back}</Link>
      </p>
      <h1 id="contact-heading">{t.help.contact}</h1>
      <p>{t.help.contactIntro}</p>
      <form className="help-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-booking`}>{t.help.aboutBooking}</label>
          <select id={`${id}-booking`} value={booking} onChange={(e) => setBooking(e.target.value)}>
            <option value="">{t.help.noBooking}</option>
            {/* The booking asked about stays choosable while the list loads. */}
            {bookingId && !options.some((b) => b.id === bookingId) && <option value={bookingId}>{t.bookings.booking}</option>}
            {options.map((b) => {
              const s = b.showtime;
              const title = s?.movie?.title ?? s?.event?.title ?? t.bookings.untitled;
              return (
                <option key={b.id} value={b.id}>
                  {s ? t.help.bookingOption(title, when(s.startsAt, s.theatre?.timezone ?? 'UTC')) : title}
                </option>
              );
            })}
          </select>
        </div>
        {bookings.status === 'error' && <ErrorNotice error={bookings.error} onRetry={bookings.retry} />}
        <div className="field">
          <label htmlFor={`${id}-subject`}>{t.help.subject}</label>
          <input id={`${id}-subject`} value={subject} onChange={(e) => setSubject(e.target.value)} required maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-body`}>{t.help.message}</label>
          <textarea id={`${id}-body`} value={body} onChange={(e) => setBody(e.target.value)} required maxLength={10000} />
        </div>
        {error !== null && <ErrorNotice error={error} />}
        <div>
          <button type="submit" disabled={busy}>
            {t.help.send}
          </button>
        </div>
      </form>
    </section>
  );
}
