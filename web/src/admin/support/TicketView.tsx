import { useId, useState, type FormEvent } from 'react';
import { request } from '../../api/client';
import { useQuery } from '../../api/useQuery';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { AdminSupportTicketQuery } from '../../gql/graphql';
import { t } from '../../i18n';
import { Link, paths } from '../../router';
import { useSession } from '../../session';
import { formatDateTime } from '../dateTime';
import { useOrganisationNames, useStaffAccess } from '../staffAccess';
import { useAction } from '../useAction';
import { AddTicketNote, ReplyToTicket, ResolveTicket, SupportTicketQuery } from './operations';
import { TicketAssignment } from './TicketAssignment';
import { TicketBooking } from './TicketBooking';
import './support.css';

export type StaffTicket = AdminSupportTicketQuery['supportTicket'];

/** One ticket as staff work on it: the conversation with internal notes, answers, assignment, the booking. */
export function TicketView({ id }: { id: string }) {
  const found = useQuery(SupportTicketQuery, { id });
  const access = useStaffAccess();
  const names = useOrganisationNames(access.platform || access.roles.length > 1);
  const [status, setStatus] = useState('');
  const [resolve, resolveState] = useAction(() => request(ResolveTicket, { id }));
  const back = (
    <p>
      <Link href={paths.admin('support')}>{t.admin.support.back}</Link>
    </p>
  );
  if (found.status === 'error' && !found.data) {
    return (
      <section>
        {back}
        {found.error.code === 'NOT_FOUND' ? <p>{t.admin.support.notFound}</p> : <ErrorNotice error={found.error} onRetry={found.retry} />}
      </section>
    );
  }
  if (!found.data) return <p aria-busy="true">{t.loading}</p>;
  const ticket = found.data.supportTicket;
  const done = (message: string) => {
    setStatus(message);
    found.retry();
  };
  const open = ticket.status !== 'RESOLVED' && ticket.status !== 'CLOSED';
  return (
    <section aria-labelledby="admin-ticket-h">
      {back}
      <h2 id="admin-ticket-h">{ticket.subject}</h2>
      <dl className="facts" aria-label={t.admin.support.details}>
        <dt>{t.admin.support.status}</dt>
        <dd data-testid="admin-ticket-status">{t.admin.support.statuses[ticket.status] ?? ticket.status}</dd>
        <dt>{t.admin.support.opened}</dt>
        <dd>{formatDateTime(ticket.createdAt)}</dd>
        <dt>{t.admin.support.firstResponse}</dt>
        <dd>
          {ticket.firstResponseSeconds != null
            ? t.admin.support.answeredAfter(t.admin.support.duration(ticket.firstResponseSeconds))
            : t.admin.support.unanswered}
          {ticket.overdue && <span className="admin-badge support-overdue-badge">{t.admin.support.overdue}</span>}
        </dd>
        {names.size > 1 && (
          <>
            <dt>{t.admin.support.organisation}</dt>
            <dd>{(ticket.organisationId && names.get(ticket.organisationId)) || t.admin.support.platform}</dd>
          </>
        )}
      </dl>
      <p aria-live="polite" className="admin-status">
        {status}
      </p>
      <div className="support-layout">
        <div>
          <h3 id="admin-thread-h">{t.admin.support.conversation}</h3>
          <Thread ticket={ticket} />
          <div className="support-forms">
            <MessageForm ticketId={ticket.id} kind="reply" onDone={done} />
            <MessageForm ticketId={ticket.id} kind="note" onDone={done} />
          </div>
        </div>
        <div className="support-side">
          <TicketAssignment ticket={ticket} onChanged={done} />
          {open && (
            <section aria-label={t.admin.support.resolve}>
              {resolveState.error ? <ErrorNotice error={resolveState.error} /> : null}
              <button
                type="button"
                disabled={resolveState.busy}
                onClick={async () => {
                  if (await resolve()) done(t.admin.support.resolvedNow);
                }}
              >
                {t.admin.support.resolve}
              </button>
            </section>
          )}
          <TicketBooking ticket={ticket} onRefunded={done} />
        </div>
      </div>
    </section>
  );
}

function Thread({ ticket }: { ticket: StaffTicket }) {
  const session = useSession();
  const me = session.status === 'signedIn' ? session.user.id : '';
  return (
    <ol className="support-thread" aria-labelledby="admin-thread-h">
      {ticket.messages.map((m) => {
        const author = m.fromStaff ? (m.authorId === me ? t.admin.support.me : t.admin.support.staff) : t.admin.support.customer;
        const kind = m.internal ? 'support-message-note' : m.fromStaff ? 'support-message-staff' : 'support-message-customer';
        return (
          <li key={m.id} className={`support-message ${kind}`}>
            <header>
              {m.internal && <strong>{t.admin.support.note} · </strong>}
              {author} · {formatDateTime(m.createdAt)}
              {m.source === 'EMAIL' && ` · ${t.admin.support.byEmail}`}
            </header>
            <p>{m.body}</p>
          </li>
        );
      })}
    </ol>
  );
}

function MessageForm({ ticketId, kind, onDone }: { ticketId: string; kind: 'reply' | 'note'; onDone: (message: string) => void }) {
  const id = useId();
  const [body, setBody] = useState('');
  const [send, state] = useAction(async (text: string): Promise<boolean> => {
    if (kind === 'reply') await request(ReplyToTicket, { id: ticketId, body: text });
    else await request(AddTicketNote, { id: ticketId, body: text });
    return true;
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await send(body.trim())) {
      setBody('');
      onDone(kind === 'reply' ? t.admin.support.replied : t.admin.support.noted);
    }
  };
  return (
    <form onSubmit={submit} className={kind === 'note' ? 'support-note-form' : undefined}>
      <label htmlFor={`${id}-body`}>{kind === 'reply' ? t.admin.support.reply : t.admin.support.addNote}</label>
      <textarea id={`${id}-body`} value={body} onChange={(e) => setBody(e.target.value)} required maxLength={10000} />
      {state.error ? <ErrorNotice error={state.error} /> : null}
      <div>
        <button type="submit" disabled={state.busy}>
          {kind === 'reply' ? t.admin.support.sendReply : t.admin.support.saveNote}
        </button>
      </div>
    </form>
  );
}
