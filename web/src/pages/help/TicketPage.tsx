import { useId, useState, type FormEvent } from 'react';
import { request } from '../../api/client';
import { useQuery } from '../../api/useQuery';
import { ErrorNotice } from '../../components/ErrorNotice';
import { RequireSignIn } from '../../components/RequireSignIn';
import { formatMoment } from '../../format';
import type { MyTicketQuery as MyTicketResult } from '../../gql/graphql';
import { t } from '../../i18n';
import { Link, paths } from '../../router';
import { AddTicketMessageMutation, MyTicketQuery } from './operations';
import './help.css';

type Ticket = MyTicketResult['myTicket'];

/** One of the buyer's tickets: the conversation with support (never staff's notes), and an answer box. */
export function TicketPage({ id }: { id: string }) {
  return <RequireSignIn>{() => <TicketScreen id={id} />}</RequireSignIn>;
}

function TicketScreen({ id }: { id: string }) {
  const found = useQuery(MyTicketQuery, { id });
  if (found.status === 'error' && !found.data) return <ErrorNotice error={found.error} onRetry={found.retry} />;
  if (!found.data) return <p aria-busy="true">{t.loading}</p>;
  const ticket = found.data.myTicket;
  return (
    <article aria-labelledby="ticket-heading">
      <p>
        <Link href={paths.myTickets()}>{t.help.myTickets}</Link>
      </p>
      <h1 id="ticket-heading">{ticket.subject}</h1>
      <p role="status" data-testid="ticket-status">
        {t.help.statusLabel}: <strong>{t.help.status[ticket.status] ?? ticket.status}</strong>
      </p>
      <p className="muted">
        {t.help.opened(formatMoment(ticket.createdAt))}
        {ticket.bookingId && (
          <>
            {' · '}
            <Link href={paths.booking(ticket.bookingId)}>{t.help.aboutThisBooking}</Link>
          </>
        )}
      </p>
      <h2 id="conversation-heading">{t.help.conversation}</h2>
      <Conversation ticket={ticket} />
      {ticket.status === 'CLOSED' ? (
        <p className="notice">{t.help.closedNote}</p>
      ) : (
        <>
          {ticket.status === 'RESOLVED' && <p className="notice">{t.help.resolvedNote}</p>}
          <AnswerForm ticketId={ticket.id} onSent={found.retry} />
        </>
      )}
    </article>
  );
}

function Conversation({ ticket }: { ticket: Ticket }) {
  return (
    <ol className="conversation" aria-labelledby="conversation-heading">
      {ticket.messages.map((m) => (
        <li key={m.id} className={`message ${m.fromStaff ? 'message-staff' : 'message-own'}`}>
          <header>
            {t.help.wrote(m.fromStaff ? t.help.support : t.help.you, formatMoment(m.createdAt))}
            {m.source === 'EMAIL' && ` · ${t.help.byEmail}`}
          </header>
          <p>{m.body}</p>
        </li>
      ))}
    </ol>
  );
}

function AnswerForm({ ticketId, onSent }: { ticketId: string; onSent: () => void }) {
  const id = useId();
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setStatus('');
    try {
      await request(AddTicketMessageMutation, { ticketId, body: body.trim() });
      setBody('');
      setStatus(t.help.answered);
      onSent();
    } catch (failure) {
      setError(failure);
    }
    setBusy(false);
  };
  return (
    <form className="help-form" onSubmit={submit}>
      <div className="field">
        <label htmlFor={`${id}-answer`}>{t.help.answer}</label>
        <textarea id={`${id}-answer`} value={body} onChange={(e) => setBody(e.target.value)} required maxLength={10000} />
      </div>
      {error !== null && <ErrorNotice error={error} />}
      <p aria-live="polite" className="muted">
        {status}
      </p>
      <div>
        <button type="submit" disabled={busy}>
          {t.help.sendAnswer}
        </button>
      </div>
    </form>
  );
}
