import { useState } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { ErrorNotice } from '../components/ErrorNotice';
import { graphql } from '../gql';
import { t } from '../i18n';
import { Link, paths } from '../router';
import { TheatreForm, type TheatreFields } from './TheatreForm';
import { useAction } from './useAction';

export const AdminTheatres = graphql(`
  query AdminTheatres {
    theatres {
      id
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

/** Every theatre, and a form for a new one. */
export function TheatresPage() {
  const theatres = useQuery(AdminTheatres, {});
  const [status, setStatus] = useState('');
  const [create, state] = useAction((input: TheatreFields) => request(CreateTheatre, { input }));

  return (
    <section aria-labelledby="admin-theatres-h">
      <h2 id="admin-theatres-h">{t.admin.nav.theatres}</h2>
      {theatres.status === 'error' && <ErrorNotice error={theatres.error} onRetry={theatres.retry} />}
      {theatres.data ? (
        theatres.data.theatres.length === 0 ? (
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
              {theatres.data.theatres.map((th) => (
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
      <h3>{t.admin.theatres.add}</h3>
      <TheatreForm
        submitLabel={t.admin.theatres.create}
        state={state}
        onSubmit={async (fields) => {
          const done = await create(fields);
          if (!done) return false;
          setStatus(t.admin.theatres.created(done.createTheatre.name));
          theatres.retry();
          return true;
        }}
      />
      <p aria-live="polite" className="admin-status">
        {status}
      </p>
    </section>
  );
}
