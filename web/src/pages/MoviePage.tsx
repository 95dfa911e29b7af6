import { useQuery } from '../api/useQuery';
import type { City } from '../city';
import { RatingHistogram } from '../components/RatingHistogram';
import { useTitleShowtimes } from '../components/ShowtimesSection';
import { Facts, TitleFallback, TitlePage } from '../components/TitlePage';
import { formatDateKey, formatRating } from '../format';
import { graphql } from '../gql';
import { t } from '../i18n';
import { ReviewsSection } from '../reviews/ReviewsSection';

const MovieQuery = graphql(`
  query MoviePage($id: ID!) {
    movie(id: $id) {
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
      rating {
        average
        count
        histogram
      }
      reviews(first: 5) {
        nodes {
          ...ReviewRow
        }
      }
      myReview {
        ...OwnReview
      }
    }
  }
`);

export function MoviePage({ id, city }: { id: string; city: City | null }) {
  const movie = useQuery(MovieQuery, { id });
  const showtimes = useTitleShowtimes({ movieId: id }, city);
  const m = movie.data?.movie;
  if (!m) return <TitleFallback query={movie} />;

  return (
    <TitlePage
      query={movie}
      title={m.title}
      posterUrl={m.posterUrl}
      meta={[m.certificate, t.title.runtime(m.runtimeMinutes), m.language]}
      showtimes={showtimes}
      head={
        <>
          <p className="rating" aria-live="polite">
            {t.title.rating(formatRating(m.rating.average), m.rating.count)}
          </p>
          <RatingHistogram histogram={m.rating.histogram} />
          <p>{m.synopsis}</p>
          <Facts
            items={[
              [t.title.genres, m.genres.join(', ')],
              [t.title.cast, m.cast.join(', ')],
              [t.title.released, formatDateKey(m.releaseDate)],
            ]}
          />
          {m.trailerUrl ? (
            <p>
              <a href={m.trailerUrl} rel="noopener noreferrer">
                {t.title.trailer}
              </a>
            </p>
          ) : null}
        </>
      }
    >
      <ReviewsSection movieId={m.id} reviews={m.reviews.nodes} myReview={m.myReview} onChanged={movie.retry} />
    </TitlePage>
  );
}
