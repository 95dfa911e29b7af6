import { useQuery } from '../../api/useQuery';
import { ErrorNotice } from '../../components/ErrorNotice';
import { RequireSignIn } from '../../components/RequireSignIn';
import { formatMoment } from '../../format';
import { t } from '../../i18n';
import { Link, paths } from '../../router';
import { MyTicketsQuery } from './operations';
import './help.css';

/** The buyer's support tickets, newest first, with where each stands. */
export function MyTickets() {
  return <RequireSignIn>{() => <TicketList />}</RequireSignIn>;
}

function TicketList() {
  const list = useQuery(MyTicketsQuery, {});
  if (list.status === 'error') return <ErrorNotice error={list.error} onRetry={list.retry} />;
  if (!list.data) return <p aria-busy="true">{t.loading}</p>;
  const tickets = list.data.myTickets;
  return (
    <section aria-labelledby="tickets-heading">
      <p>
        <Link href={paths.help()}>{t.help.back}</Link>
      </p>
      <h1 id="tickets-heading">{t.help.myTickets}</h1>
      {tickets.length === 0 && <p>{t.help.noTickets}</p>}
      <ul className="ticket-list" aria-labelledby="tickets-heading">
        {tickets.map((ticket) => (
          <li key={ticket.id}>
            <div>
              <Link href={paths.myTicket(ticket.id)}>{ticket.subject}</Link>
              <p className="muted">{t.help.opened(formatMoment(ticket.createdAt))}</p>
            </div>
            <p>
              <span className="visually-hidden">{t.help.statusLabel}: </span>
              <strong>{t.help.status[ticket.status] ?? ticket.status}</strong>
            </p>
          </li>
        ))}
      </ul>
      <p>
        <Link href={paths.contactSupport()}>{t.help.contact}</Link>
      </p>
    </section>
  );
}
