import { useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { graphql } from '../gql';
import { t } from '../i18n';
import { Link, paths } from '../router';
import { AdminForm, Field, useDraft, WideTextField } from './AdminForm';
import { list, orNull } from './MovieForm';
import { PagedResults, useFirstPagePaging } from './paging';
import { useAction } from './useAction';

const AdminEvents = graphql(`
  query AdminEvents($after: String) {
    events(first: 100, after: $after) {
      pageInfo {
        ...PageCursor
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
  const paging = useFirstPagePaging();
  const events = useQuery(AdminEvents, { after: paging.after });
  const { draft: d, setDraft: setD, bind } = useDraft(BLANK);
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
        language: orNull(d.language),
        ageRating: orNull(d.ageRating),
        posterUrl: orNull(d.posterUrl),
      },
    }),
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await create();
    if (done) {
      setStatus(t.admin.titles.created(done.createEvent.title));
      setD(BLANK);
      events.retry();
    }
  };

  return (
    <section aria-labelledby="admin-events-h">
      <h2 id="admin-events-h">{t.admin.nav.events}</h2>
      <PagedResults query={events} page={events.data?.events} paging={paging} empty={t.admin.titles.noEvents}>
        {(nodes) => (
          <ul className="admin-list">
            {nodes.map((ev) => (
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
      </PagedResults>
      <p aria-live="polite" className="admin-status">
        {status}
      </p>
      <h3>{t.admin.titles.addEvent}</h3>
      <AdminForm onSubmit={submit} state={state} submitLabel={t.admin.titles.createEvent}>
        <Field label={t.admin.titles.title} {...bind('title')} required />
        <Field label={t.admin.titles.performer} {...bind('performer')} required />
        <Field label={t.admin.titles.category} {...bind('category')} required placeholder="concert" />
        <Field label={t.admin.titles.duration} type="number" min={1} {...bind('durationMinutes')} required />
        <Field label={t.admin.titles.language} {...bind('language')} />
        <Field label={t.admin.titles.ageRating} {...bind('ageRating')} />
        <Field label={t.admin.titles.genres} {...bind('genres')} />
        <Field label={t.admin.titles.posterUrl} type="url" {...bind('posterUrl')} />
        <WideTextField label={t.admin.titles.description} {...bind('description')} />
      </AdminForm>
    </section>
  );
}
