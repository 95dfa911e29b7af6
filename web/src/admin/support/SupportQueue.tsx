import { useState } from 'react';
import { useQuery } from '../../api/useQuery';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { SupportQueueFilter, TicketStatus } from '../../gql/graphql';
import { t } from '../../i18n';
import { Link, paths } from '../../router';
import { useSession } from '../../session';
import { formatDateTime } from '../dateTime';
import { FilterButtons } from '../FilterButtons';
import { useOrganisationNames, useStaffAccess } from '../staffAccess';
import { SupportQueueQuery } from './operations';
import './support.css';

const STATUSES: (TicketStatus | null)[] = [null, 'OPEN', 'WAITING_ON_CUSTOMER', 'RESOLVED', 'CLOSED'];
const AGES = [0, 1, 24, 72];

type Assigned = 'anyone' | 'me' | 'nobody';

/** The tickets of the caller's organisations (every one for platform admins), oldest first, filtered. */
export function SupportQueue() {
  const access = useStaffAccess();
  const session = useSession();
  const me = session.status === 'signedIn' ? session.user.id : '';
  const several = access.platform || new Set(access.roles.map((r) => r.organisationId)).size > 1;
  const names = useOrganisationNames(several);
  const [status, setStatus] = useState<TicketStatus | null>(null);
  const [age, setAge] = useState(0);
  const [assigned, setAssigned] = useState<Assigned>('anyone');
  const [organisation, setOrganisation] = useState('');
  const [overdue, setOverdue] = useState(false);

  const filter: SupportQueueFilter = {
    ...(status ? { statuses: [status] } : {}),
    ...(age ? { olderThanHours: age } : {}),
    ...(assigned === 'me' ? { assigneeId: me } : assigned === 'nobody' ? { unassigned: true } : {}),
    ...(organisation ? { organisationId: organisation } : {}),
    ...(overdue ? { overdue: true } : {}),
  };
  const queue = useQuery(SupportQueueQuery, { filter });
  const tickets = queue.data?.supportQueue ?? [];

  return (
    <section aria-labelledby="admin-support-h">
      <h2 id="admin-support-h">{t.admin.nav.support}</h2>
      <FilterButtons
        label={t.admin.support.status}
        options={STATUSES.map((s) => ({ value: s, label: s ? t.admin.support.statuses[s] : t.admin.support.active }))}
        value={status}
        onChange={setStatus}
      />
      <div className="admin-filters" role="group" aria-label={t.admin.support.filters}>
        <label>
          {t.admin.support.age}
          <select value={age} onChange={(e) => setAge(Number(e.target.value))}>
            {AGES.map((h) => (
              <option key={h} value={h}>
                {h ? t.admin.support.olderThan(h) : t.admin.support.anyAge}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.admin.support.assigned}
          <select value={assigned} onChange={(e) => setAssigned(e.target.value as Assigned)}>
            <option value="anyone">{t.admin.support.anyone}</option>
            <option value="me">{t.admin.support.me}</option>
            <option value="nobody">{t.admin.support.nobody}</option>
          </select>
        </label>
        {several && names.size > 1 && (
          <label>
            {t.admin.support.organisation}
            <select value={organisation} onChange={(e) => setOrganisation(e.target.value)}>
              <option value="">{t.admin.support.allOrganisations}</option>
              {[...names].map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="admin-check">
          <input type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.target.checked)} />
          {t.admin.support.overdueOnly}
        </label>
      </div>
      {queue.status === 'error' && <ErrorNotice error={queue.error} onRetry={queue.retry} />}
      {queue.status === 'ok' && tickets.length === 0 && <p>{t.admin.support.none}</p>}
      {tickets.length > 0 && (
        <div className="admin-scroll" tabIndex={0} role="region" aria-label={t.admin.support.tableRegion}>
          <table className="admin-table" aria-busy={queue.status === 'loading'}>
            <caption className="visually-hidden">{t.admin.support.caption(tickets.length)}</caption>
            <thead>
              <tr>
                <th scope="col">{t.admin.support.subject}</th>
                <th scope="col">{t.admin.support.status}</th>
                <th scope="col">{t.admin.support.opened}</th>
                <th scope="col">{t.admin.support.firstResponse}</th>
                {several && <th scope="col">{t.admin.support.organisation}</th>}
                <th scope="col">{t.admin.support.assignee}</th>
              </tr>
            </thead>
            <tbody>
              {tickets.map((ticket) => (
                <tr key={ticket.id} className={ticket.overdue ? 'support-overdue' : undefined}>
                  <td>
                    <Link href={paths.admin('support', ticket.id)}>{ticket.subject}</Link>
                  </td>
                  <td>{t.admin.support.statuses[ticket.status] ?? ticket.status}</td>
                  <td>{formatDateTime(ticket.createdAt)}</td>
                  <td>
                    {ticket.firstResponseSeconds != null
                      ? t.admin.support.duration(ticket.firstResponseSeconds)
                      : t.admin.support.unanswered}
                    {ticket.overdue && <span className="admin-badge support-overdue-badge">{t.admin.support.overdue}</span>}
                  </td>
                  {several && <td>{(ticket.organisationId && names.get(ticket.organisationId)) || t.admin.support.platform}</td>}
                  <td>
                    {ticket.assigneeId == null
                      ? t.admin.support.nobody
                      : ticket.assigneeId === me
                        ? t.admin.support.me
                        : t.admin.support.someone}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
