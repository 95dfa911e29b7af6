import { useId, useState } from 'react';
import { request } from '../../api/client';
import { useQuery } from '../../api/useQuery';
import { ErrorNotice } from '../../components/ErrorNotice';
import { t } from '../../i18n';
import { useSession } from '../../session';
import { manages, useStaffAccess } from '../staffAccess';
import { useAction } from '../useAction';
import { AssignTicket, TicketMembersQuery } from './operations';
import type { StaffTicket } from './TicketView';

/**
 * Who handles the ticket: anyone who works on it takes it; its organisation's managers (and
 * platform admins) hand it to a member by name, since only they read the staff list.
 */
export function TicketAssignment({ ticket, onChanged }: { ticket: StaffTicket; onChanged: (message: string) => void }) {
  const id = useId();
  const access = useStaffAccess();
  const session = useSession();
  const me = session.status === 'signedIn' ? session.user.id : '';
  const canList = ticket.organisationId != null && manages(access, ticket.organisationId);
  const members = useQuery(TicketMembersQuery, { id: ticket.organisationId ?? '' }, { skip: !canList });
  const list = members.data?.organisation.members ?? [];
  const [chosen, setChosen] = useState('');
  const [assign, state] = useAction((assignee: string | null) => request(AssignTicket, { id: ticket.id, assignee }));
  const nameOf = (userId: string) =>
    userId === me ? t.admin.support.you : (list.find((m) => m.userId === userId)?.name ?? t.admin.support.someone);
  const run = async (assignee: string | null) => {
    if (await assign(assignee)) {
      onChanged(assignee ? t.admin.support.assignedTo(nameOf(assignee)) : t.admin.support.unassigned);
    }
  };
  return (
    <section aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t.admin.support.assignee}</h3>
      <p data-testid="ticket-assignee">
        {ticket.assigneeId ? t.admin.support.assignedTo(nameOf(ticket.assigneeId)) : t.admin.support.unassigned}
      </p>
      {state.error ? <ErrorNotice error={state.error} /> : null}
      <div className="admin-actions">
        {ticket.assigneeId !== me && (
          <button type="button" disabled={state.busy} onClick={() => run(me)}>
            {t.admin.support.assignToMe}
          </button>
        )}
        {ticket.assigneeId && (
          <button type="button" disabled={state.busy} onClick={() => run(null)}>
            {t.admin.support.unassign}
          </button>
        )}
      </div>
      {members.status === 'error' && <ErrorNotice error={members.error} onRetry={members.retry} />}
      {list.length > 0 && (
        <div className="admin-actions">
          <label>
            {t.admin.support.assignTo}{' '}
            <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
              <option value="">—</option>
              {list.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.name}
                </option>
              ))}
            </select>
          </label>
          <button type="button" disabled={state.busy || !chosen} onClick={() => run(chosen)}>
            {t.admin.support.assign}
          </button>
        </div>
      )}
    </section>
  );
}
