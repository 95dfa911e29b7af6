import { useState } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { formatDateKey } from '../format';
import { graphql } from '../gql';
import type { AdminMoviesQuery } from '../gql/graphql';
import { t } from '../i18n';
import { paths } from '../router';
import { ConfirmDialog } from './ConfirmDialog';
import { MovieForm, type MovieFields } from './MovieForm';
import { PagedResults, useFirstPagePaging } from './paging';
import { TitleRow } from './TitleRow';
import { useAction } from './useAction';

const AdminMovies = graphql(`
  query AdminMovies($after: String) {
    movies(first: 100, after: $after) {
      pageInfo {
        ...PageCursor
      }
      nodes {
        id
        title
        synopsis
        genres
        cast
        runtimeMinutes
        certificate
        language
        releaseDate
        posterUrl
        trailerUrl
      }
    }
  }
`);

const CreateMovie = graphql(`
  mutation AdminCreateMovie($input: CreateMovieInput!) {
    createMovie(input: $input) {
      id
      title
    }
  }
`);

const UpdateMovie = graphql(`
  mutation AdminUpdateMovie($id: ID!, $input: UpdateMovieInput!) {
    updateMovie(id: $id, input: $input) {
      id
      title
    }
  }
`);

const DeleteMovie = graphql(`
  mutation AdminDeleteMovie($id: ID!) {
    deleteMovie(id: $id)
  }
`);

type Movie = AdminMoviesQuery['movies']['nodes'][number];

/** Movies by title: a new one, changes, and retiring one. */
export function MoviesPage() {
  const paging = useFirstPagePaging();
  const movies = useQuery(AdminMovies, { after: paging.after });
  const [status, setStatus] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Movie | null>(null);
  const [create, createState] = useAction((input: MovieFields) => request(CreateMovie, { input }));
  const [update, updateState] = useAction((id: string, input: MovieFields) => request(UpdateMovie, { id, input }));
  const [remove, removeState, clearRemove] = useAction((id: string) => request(DeleteMovie, { id }));

  return (
    <section aria-labelledby="admin-movies-h">
      <h2 id="admin-movies-h">{t.admin.nav.movies}</h2>
      <PagedResults query={movies} page={movies.data?.movies} paging={paging} empty={t.admin.titles.noMovies}>
        {(nodes) => (
          <ul className="admin-list">
            {nodes.map((m) => (
              <TitleRow
                key={m.id}
                href={paths.movie(m.id)}
                title={m.title}
                details={[m.certificate, t.title.runtime(m.runtimeMinutes), formatDateKey(m.releaseDate)].filter(Boolean).join(' · ')}
                showtimesHref={paths.admin('showtimes', 'movie', m.id)}
                editing={editing === m.id}
                onToggleEdit={() => setEditing(editing === m.id ? null : m.id)}
                onDelete={() => setDeleting(m)}
              >
                <MovieForm
                  initial={m}
                  submitLabel={t.admin.save}
                  state={updateState}
                  onSubmit={async (input) => {
                    if (!(await update(m.id, input))) return false;
                    setStatus(t.admin.titles.saved(input.title));
                    setEditing(null);
                    movies.retry();
                    return true;
                  }}
                />
              </TitleRow>
            ))}
          </ul>
        )}
      </PagedResults>
      <p aria-live="polite" className="admin-status">
        {status}
      </p>
      <h3>{t.admin.titles.addMovie}</h3>
      <MovieForm
        submitLabel={t.admin.titles.createMovie}
        state={createState}
        onSubmit={async (input) => {
          const done = await create(input);
          if (!done) return false;
          setStatus(t.admin.titles.created(done.createMovie.title));
          movies.retry();
          return true;
        }}
      />
      {deleting && (
        <ConfirmDialog
          title={t.admin.titles.deleteConfirm(deleting.title)}
          confirmLabel={t.admin.delete}
          busy={removeState.busy}
          error={removeState.error}
          onClose={() => {
            clearRemove();
            setDeleting(null);
          }}
          onConfirm={async () => {
            if (await remove(deleting.id)) {
              setStatus(t.admin.titles.deleted(deleting.title));
              setDeleting(null);
              movies.retry();
            }
          }}
        >
          <p>{t.admin.titles.deleteHelp}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
