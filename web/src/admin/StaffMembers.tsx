import { useState } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatMoney } from '../format';
import { graphql } from '../gql';
import type { StaffRole } from '../gql/graphql';
import { t } from '../i18n';
import { formatDateTime } from './dateTime';
import { useAction } from './useAction';

const Members = graphql(`
  query OrganisationMembers($id: ID!) {
    organisation(id: $id) {
      id
      members {
        userId
        name
        email
        role
        refundLimitCents
        since
      }
      invitations {
        id
        email
        role
        expiresAt
      }
    }
  }
`);

const UpdateMember = graphql(`
  mutation AdminUpdateStaffMember($org: ID!, $user: ID!, $role: StaffRole!, $limit: Int) {
    updateStaffMember(organisationId: $org, userId: $user, role: $role, refundLimitCents: $limit) {
      role
    }
  }
`);

const RemoveMember = graphql(`
  mutation AdminRemoveStaffMember($org: ID!, $user: ID!) {
    removeStaffMember(organisationId: $org, userId: $user)
  }
`);

/** The organisation's staff with their roles, and the invitations still open. */
export function StaffMembers({ organisationId, currency }: { organisationId: string; currency: string }) {
  const members = useQuery(Members, { id: organisationId });
  const [status, setStatus] = useState('');
  const [change, changeState] = useAction((user: string, role: StaffRole, limit: number | null) =>
    request(UpdateMember, { org: organisationId, user, role, limit }),
  );
  const [remove, removeState] = useAction((user: string) => request(RemoveMember, { org: organisationId, user }));
  const failure = changeState.error ?? removeState.error;
  const busy = changeState.busy || removeState.busy;
  const org = members.data?.organisation;
  return (
    <section aria-labelledby="members-h">
      <h3 id="members-h">{t.admin.organisation.members}</h3>
      {members.status === 'error' && <ErrorNotice error={members.error} onRetry={members.retry} />}
      {failure !== null && <ErrorNotice error={failure} />}
      <p aria-live="polite" className="admin-status">
        {status}
      </p>
      {org && (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t.admin.organisation.name}</th>
              <th scope="col">{t.admin.organisation.role}</th>
              <th scope="col">{t.admin.organisation.limit}</th>
              <th scope="col">{t.admin.organisation.since}</th>
              <th scope="col">{t.admin.organisation.actions}</th>
            </tr>
          </thead>
          <tbody>
            {org.members.map((m) => (
              <tr key={m.userId}>
                <td>
                  {m.name}
                  <div className="muted">{m.email}</div>
                </td>
                <td>
                  <select
                    aria-label={t.admin.organisation.roleOf(m.name)}
                    value={m.role}
                    disabled={busy}
                    onChange={async (e) => {
                      const role = e.target.value as StaffRole;
                      if (await change(m.userId, role, role === 'SUPPORT' ? (m.refundLimitCents ?? 0) : null)) {
                        setStatus(t.admin.organisation.changed(m.name));
                        members.retry();
                      }
                    }}
                  >
                    <option value="MANAGER">{t.admin.organisation.roles.MANAGER}</option>
                    <option value="SUPPORT">{t.admin.organisation.roles.SUPPORT}</option>
                  </select>
                </td>
                <td>{m.role === 'SUPPORT' ? formatMoney(m.refundLimitCents ?? 0, currency) : '—'}</td>
                <td>{formatDateTime(m.since)}</td>
                <td>
                  <button
                    type="button"
                    disabled={busy}
                    onClick={async () => {
                      if ((await remove(m.userId)) !== undefined) {
                        setStatus(t.admin.organisation.removed(m.name));
                        members.retry();
                      }
                    }}
                  >
                    {t.admin.organisation.remove(m.name)}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {org && org.invitations.length > 0 && (
        <>
          <h4>{t.admin.organisation.pending}</h4>
          <ul>
            {org.invitations.map((i) => (
              <li key={i.id}>
                {i.email} · {t.admin.organisation.roles[i.role]} · {t.admin.organisation.expires(formatDateTime(i.expiresAt))}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
