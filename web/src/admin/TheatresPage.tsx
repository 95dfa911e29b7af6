import { useState } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { ErrorNotice } from '../components/ErrorNotice';
import { graphql } from '../gql';
import { t } from '../i18n';
import { Link, paths } from '../router';
import { TheatreForm, type TheatreFields } from './TheatreForm';
import { useOrganisationNames, useStaffAccess, worksFor } from './staffAccess';
import { useAction } from './useAction';

export const AdminTheatres = graphql(`
  query AdminTheatres {
    theatres {
      id
      organisationId
      name
      city
      state
      timezone
      screens {
        id
        name
        seatCount
      }
    }
  }
`);

const CreateTheatre = graphql(`
  mutation AdminCreateTheatre($input: CreateTheatreInput!) {
    createTheatre(input: $input) {
      id
      name
    }
  }
`);

/** The theatres the caller works for (every one, for a platform admin), and a form for a new one. */
export function TheatresPage() {
  const access = useStaffAccess();
  const theatres = useQuery(AdminTheatres, {});
  const [status, setStatus] = useState('');
  // A manager of several organisations says which one a new theatre belongs to.
  const managedOrgs = access.roles.filter((r) => r.role === 'MANAGER').map((r) => r.organisationId);
  const [owner, setOwner] = useState(managedOrgs[0] ?? '');
  const names = useOrganisationNames(!access.platform && managedOrgs.length > 1);
  const [create, state] = useAction((input: TheatreFields) =>
    request(CreateTheatre, {
      input: { ...input, ...(!access.platform && managedOrgs.length > 1 ? { organisationId: owner } : {}) },
    }),
  );
  const mine = theatres.data?.theatres.filter((th) => worksFor(access, th.organisationId)) ?? [];
  const canAdd = access.platform || managedOrgs.length > 0;

  return (
    <section aria-labelledby="admin-theatres-h">
      <h2 id="admin-theatres-h">{t.admin.nav.theatres}</h2>
      {theatres.status === 'error' && <ErrorNotice error={theatres.error} onRetry={theatres.retry} />}
      {theatres.data ? (
        mine.length === 0 ? (
          <p>{t.admin.theatres.none}</p>
        ) : (
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">{t.admin.theatres.name}</th>
                <th scope="col">{t.admin.theatres.city}</th>
                <th scope="col">{t.admin.theatres.timezone}</th>
                <th scope="col">{t.admin.theatres.screens}</th>
              </tr>
            </thead>
            <tbody>
              {mine.map((th) => (
                <tr key={th.id}>
                  <td>
                    <Link href={paths.admin('theatres', th.id)}>{th.name}</Link>
                  </td>
                  <td>
                    {th.city}, {th.state}
                  </td>
                  <td>{th.timezone}</td>
                  <td>{th.screens.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : (
        theatres.status === 'loading' && <p aria-busy="true">{t.loading}</p>
      )}
      {canAdd && <h3>{t.admin.theatres.add}</h3>}
      {!access.platform && managedOrgs.length > 1 && (
        <label>
          {t.admin.organisation.pick}
          <select value={owner} onChange={(e) => setOwner(e.target.value)}>
            {managedOrgs.map((id) => (
              <option key={id} value={id}>
                {names.get(id) ?? id}
              </option>
            ))}
          </select>
        </label>
      )}
      {canAdd && <TheatreForm
        submitLabel={t.admin.theatres.create}
        state={state}
        onSubmit={async (fields) => {
          const done = await create(fields);
          if (!done) return false;
          setStatus(t.admin.theatres.created(done.createTheatre.name));
          theatres.retry();
          return true;
        }}
      />}
      <p aria-live="polite" className="admin-status">
        {status}
      </p>
    </section>
  );
}
