import { useQuery } from '../api/useQuery';
import type { City } from '../city';
import { useTitleShowtimes } from '../components/ShowtimesSection';
import { Facts, TitleFallback, TitlePage } from '../components/TitlePage';
import { graphql } from '../gql';
import { t } from '../i18n';

const EventQuery = graphql(`
  query EventPage($id: ID!) {
    event(id: $id) {
      id
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
`);

export function EventPage({ id, city }: { id: string; city: City | null }) {
  const event = useQuery(EventQuery, { id });
  const showtimes = useTitleShowtimes({ eventId: id }, city);
  const e = event.data?.event;
  if (!e) return <TitleFallback query={event} />;

  return (
    <TitlePage
      query={event}
      title={e.title}
      posterUrl={e.posterUrl}
      meta={[e.ageRating, t.title.runtime(e.durationMinutes), e.language]}
      showtimes={showtimes}
      head={
        <>
          <p>{e.description}</p>
          <Facts
            items={[
              [t.title.performer, e.performer],
              [t.title.category, e.category],
              [t.title.genres, e.genres.join(', ')],
            ]}
          />
        </>
      }
    />
  );
}
