import { useState } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { ErrorNotice } from '../components/ErrorNotice';
import { graphql } from '../gql';
import { t } from '../i18n';
import { Link, navigate, paths } from '../router';
import { ConfirmDialog } from './ConfirmDialog';
import { ScreenEditor } from './ScreenEditor';
import { TheatreForm, type TheatreFields } from './TheatreForm';
import { useAction } from './useAction';

const AdminTheatre = graphql(`
  query AdminTheatre($id: ID!) {
    theatre(id: $id) {
      id
      name
      address
      city
      state
      zip
      latitude
      longitude
      timezone
      screens {
        id
        name
        seatCount
        categories
      }
    }
  }
`);

const UpdateTheatre = graphql(`
  mutation AdminUpdateTheatre($id: ID!, $input: UpdateTheatreInput!) {
    updateTheatre(id: $id, input: $input) {
      id
      name
    }
  }
`);

const DeleteTheatre = graphql(`
  mutation AdminDeleteTheatre($id: ID!) {
    deleteTheatre(id: $id)
  }
`);

/** One theatre: its details to change, its screens, a new screen, or its removal. */
export function TheatrePage({ id }: { id: string }) {
  const theatre = useQuery(AdminTheatre, { id });
  const [status, setStatus] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [update, updateState] = useAction((input: TheatreFields) => request(UpdateTheatre, { id, input }));
  const [remove, removeState, clearRemove] = useAction(() => request(DeleteTheatre, { id }));

  if (theatre.status === 'error' && !theatre.data) return <ErrorNotice error={theatre.error} onRetry={theatre.retry} />;
  if (!theatre.data) return <p aria-busy="true">{t.loading}</p>;
  const th = theatre.data.theatre;
  if (!th) return <p>{t.admin.theatres.notFound}</p>;

  return (
    <section aria-labelledby="admin-theatre-h">
      <p>
        <Link href={paths.admin('theatres')}>{t.admin.theatres.back}</Link>
      </p>
      <h2 id="admin-theatre-h">{th.name}</h2>
      <p className="muted">
        {th.address}, {th.city}, {th.state} {th.zip} · {th.timezone}
      </p>
      <p>
        <Link href={paths.admin('showtimes', 'theatre', th.id)}>
          {t.admin.theatres.showtimes}
        </Link>
      </p>

      <section aria-labelledby="admin-screens-h">
        <h3 id="admin-screens-h">{t.admin.screens.title}</h3>
        {th.screens.length === 0 ? (
          <p>{t.admin.screens.none}</p>
        ) : (
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">{t.admin.screens.name}</th>
                <th scope="col">{t.admin.screens.seats}</th>
                <th scope="col">{t.admin.screens.categories}</th>
              </tr>
            </thead>
            <tbody>
              {th.screens.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td>{s.seatCount}</td>
                  <td>{s.categories.map((c) => t.seatCategory[c] ?? c).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <ScreenEditor theatreId={th.id} onCreated={theatre.retry} />
      </section>

      <section aria-labelledby="admin-theatre-edit-h">
        <h3 id="admin-theatre-edit-h">{t.admin.theatres.edit}</h3>
        <TheatreForm
          key={JSON.stringify(th)}
          initial={th}
          submitLabel={t.admin.save}
          state={updateState}
          onSubmit={async (input) => {
            const done = await update(input);
            if (!done) return false;
            setStatus(t.admin.saved);
            theatre.retry();
            return true;
          }}
        />
        <p aria-live="polite" className="admin-status">
          {status}
        </p>
      </section>

      <section aria-labelledby="admin-theatre-delete-h">
        <h3 id="admin-theatre-delete-h">{t.admin.theatres.delete}</h3>
        <p>{t.admin.theatres.deleteHelp}</p>
        <button type="button" className="admin-danger" onClick={() => setConfirming(true)}>
          {t.admin.theatres.delete}
        </button>
      </section>
      {confirming && (
        <ConfirmDialog
          title={t.admin.theatres.deleteConfirm(th.name)}
          confirmLabel={t.admin.theatres.delete}
          busy={removeState.busy}
          error={removeState.error}
          onClose={() => {
            clearRemove();
            setConfirming(false);
          }}
          onConfirm={async () => {
            if (await remove()) navigate(paths.admin('theatres'));
          }}
        >
          <p>{t.admin.theatres.deleteHelp}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
