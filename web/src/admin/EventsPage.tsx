import { useState } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { graphql } from '../gql';
import type { AdminEventsQuery } from '../gql/graphql';
import { t } from '../i18n';
import { paths } from '../router';
import { ConfirmDialog } from './ConfirmDialog';
import { EventErrorNotice, EventForm, type EventFields } from './EventForm';
import { PagedResults, useFirstPagePaging } from './paging';
import { TitleRow } from './TitleRow';
import { manages, useStaffAccess } from './staffAccess';
import { useAction } from './useAction';

const AdminEvents = graphql(`
  query AdminEvents($after: String) {
    events(first: 100, after: $after) {
      pageInfo {
        ...PageCursor
      }
      nodes {
        id
        organisationId
        title
        description
        performer
        category
        genres
        language
        durationMinutes
        ageRating
        posterUrl
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

const UpdateEvent = graphql(`
  mutation AdminUpdateEvent($id: ID!, $input: UpdateEventInput!) {
    updateEvent(id: $id, input: $input) {
      id
      title
    }
  }
`);

const DeleteEvent = graphql(`
  mutation AdminDeleteEvent($id: ID!) {
    deleteEvent(id: $id)
  }
`);

type Event = AdminEventsQuery['events']['nodes'][number];

/** Live events by title: a new one, changes, and retiring one. */
export function EventsPage() {
  const access = useStaffAccess();
  const paging = useFirstPagePaging();
  const events = useQuery(AdminEvents, { after: paging.after });
  // A manager changes only their organisation's events (the platform's are shown to admins).
  const page = events.data && {
    ...events.data.events,
    nodes: events.data.events.nodes.filter((ev) => manages(access, ev.organisationId)),
  };
  const [status, setStatus] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Event | null>(null);
  const [create, createState] = useAction((input: EventFields) => request(CreateEvent, { input }));
  const [update, updateState] = useAction((id: string, input: EventFields) => request(UpdateEvent, { id, input }));
  const [remove, removeState, clearRemove] = useAction((id: string) => request(DeleteEvent, { id }));

  return (
    <section aria-labelledby="admin-events-h">
      <h2 id="admin-events-h">{t.admin.nav.events}</h2>
      <PagedResults query={events} page={page} paging={paging} empty={t.admin.titles.noEvents}>
        {(nodes) => (
          <ul className="admin-list">
            {nodes.map((ev) => (
              <TitleRow
                key={ev.id}
                href={paths.event(ev.id)}
                title={ev.title}
                details={[ev.performer, ev.category, t.title.runtime(ev.durationMinutes)].join(' · ')}
                showtimesHref={paths.admin('showtimes', 'event', ev.id)}
                editing={editing === ev.id}
                onToggleEdit={() => setEditing(editing === ev.id ? null : ev.id)}
                onDelete={() => setDeleting(ev)}
              >
                <EventForm
                  initial={ev}
                  submitLabel={t.admin.save}
                  state={updateState}
                  onSubmit={async (input) => {
                    if (!(await update(ev.id, input))) return false;
                    setStatus(t.admin.titles.saved(input.title));
                    setEditing(null);
                    events.retry();
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
      <h3>{t.admin.titles.addEvent}</h3>
      <EventForm
        submitLabel={t.admin.titles.createEvent}
        state={createState}
        onSubmit={async (input) => {
          const done = await create(input);
          if (!done) return false;
          setStatus(t.admin.titles.created(done.createEvent.title));
          events.retry();
          return true;
        }}
      />
      {deleting && (
        <ConfirmDialog
          title={t.admin.titles.deleteConfirm(deleting.title)}
          confirmLabel={t.admin.delete}
          busy={removeState.busy}
          error={null}
          onClose={() => {
            clearRemove();
            setDeleting(null);
          }}
          onConfirm={async () => {
            if (await remove(deleting.id)) {
              setStatus(t.admin.titles.deleted(deleting.title));
              setDeleting(null);
              events.retry();
            }
          }}
        >
          <p>{t.admin.titles.deleteEventHelp}</p>
          {removeState.error ? (
            <EventErrorNotice error={removeState.error} conflict={t.admin.titles.eventHasShowtimes} />
          ) : null}
        </ConfirmDialog>
      )}
    </section>
  );
}
