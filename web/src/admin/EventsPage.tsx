import { useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { ErrorNotice } from '../components/ErrorNotice';
import { graphql } from '../gql';
import { t } from '../i18n';
import { Link, paths } from '../router';
import { list } from './MovieForm';
import { useAction } from './useAction';

const AdminEvents = graphql(`
  query AdminEvents($after: String) {
    events(first: 100, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        title
        performer
        category
        durationMinutes
      }
    }
  }
`);

const CreateEvent = graphql(`
  mutation AdminCreateEvent($input: CreateEventInput!) {
    createEvent(input: $input) {
      id
      title
    }
  }
`);

const BLANK = {
  title: '',
  performer: '',
  category: '',
  durationMinutes: '',
  description: '',
  genres: '',
  language: '',
  ageRating: '',
  posterUrl: '',
};

/** Live events by title, and a form for a new one (the API offers no changes to events yet). */
export function EventsPage() {
  const [after, setAfter] = useState<string | null>(null);
  const events = useQuery(AdminEvents, { after });
  const [d, setD] = useState(BLANK);
  const [status, setStatus] = useState('');
  const [create, state] = useAction(() =>
    request(CreateEvent, {
      input: {
        title: d.title.trim(),
        performer: d.performer.trim(),
        category: d.category.trim(),
        durationMinutes: Number(d.durationMinutes),
        description: d.description.trim(),
        genres: list(d.genres),
        language: d.language.trim() || null,
        ageRating: d.ageRating.trim() || null,
        posterUrl: d.posterUrl.trim() || null,
      },
    }),
  );
  const set = (key: keyof typeof BLANK) => (e: { target: { value: string } }) =>
    setD((old) => ({ ...old, [key]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await create();
    if (done) {
      setStatus(t.admin.titles.created(done.createEvent.title));
      setD(BLANK);
      events.retry();
    }
  };
  const page = events.data?.events;

  return (
    <section aria-labelledby="admin-events-h">
      <h2 id="admin-events-h">{t.admin.nav.events}</h2>
      {events.status === 'error' && <ErrorNotice error={events.error} onRetry={events.retry} />}
      {!page && events.status === 'loading' && <p aria-busy="true">{t.loading}</p>}
      {page && page.nodes.length === 0 && <p>{t.admin.titles.noEvents}</p>}
      {page && page.nodes.length > 0 && (
        <ul className="admin-list">
          {page.nodes.map((ev) => (
            <li key={ev.id} className="admin-row">
              <span>
                <Link href={paths.event(ev.id)}>{ev.title}</Link>{' '}
                <span className="muted">
                  {[ev.performer, ev.category, t.title.runtime(ev.durationMinutes)].join(' · ')}
                </span>
              </span>
              <Link href={paths.admin('showtimes', 'event', ev.id)}>{t.admin.titles.showtimes}</Link>
            </li>
          ))}
        </ul>
      )}
      {page && (after || page.pageInfo.hasNextPage) && (
        <div className="admin-actions">
          {after && (
            <button type="button" onClick={() => setAfter(null)}>
              {t.admin.firstPage}
            </button>
          )}
          {page.pageInfo.hasNextPage && (
            <button type="button" onClick={() => setAfter(page.pageInfo.endCursor ?? null)}>
              {t.admin.nextPage}
            </button>
          )}
        </div>
      )}
      <p aria-live="polite" className="admin-status">
        {status}
      </p>
      <h3>{t.admin.titles.addEvent}</h3>
      <form className="admin-form" onSubmit={submit}>
        <div className="admin-fields">
          <label>
            {t.admin.titles.title}
            <input value={d.title} onChange={set('title')} required />
          </label>
          <label>
            {t.admin.titles.performer}
            <input value={d.performer} onChange={set('performer')} required />
          </label>
          <label>
            {t.admin.titles.category}
            <input value={d.category} onChange={set('category')} required placeholder="concert" />
          </label>
          <label>
            {t.admin.titles.duration}
            <input type="number" min={1} value={d.durationMinutes} onChange={set('durationMinutes')} required />
          </label>
          <label>
            {t.admin.titles.language}
            <input value={d.language} onChange={set('language')} />
          </label>
          <label>
            {t.admin.titles.ageRating}
            <input value={d.ageRating} onChange={set('ageRating')} />
          </label>
          <label>
            {t.admin.titles.genres}
            <input value={d.genres} onChange={set('genres')} />
          </label>
          <label>
            {t.admin.titles.posterUrl}
            <input type="url" value={d.posterUrl} onChange={set('posterUrl')} />
          </label>
          <label className="admin-wide">
            {t.admin.titles.description}
            <textarea value={d.description} onChange={set('description')} rows={3} />
          </label>
        </div>
        {state.error ? <ErrorNotice error={state.error} /> : null}
        <div className="admin-actions">
          <button type="submit" disabled={state.busy}>
            {t.admin.titles.createEvent}
          </button>
        </div>
      </form>
    </section>
  );
}
