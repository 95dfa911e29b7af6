import { useQuery } from '../api/useQuery';
import type { City } from '../city';
import { ErrorNotice } from '../components/ErrorNotice';
import { Poster } from '../components/Poster';
import { RatingHistogram } from '../components/RatingHistogram';
import { ShowtimesSection, useAllCities } from '../components/ShowtimesSection';
import { formatDateKey, formatRating } from '../format';
import { graphql } from '../gql';
import { t } from '../i18n';
import { NotFound } from './NotFound';

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
          id
          rating
          body
          authorName
          verified
          createdAt
        }
      }
    }
  }
`);

const MovieShowtimesQuery = graphql(`
  query MovieShowtimes($movieId: ID!, $city: String) {
    showtimes(movieId: $movieId, city: $city, first: 60) {
      id
      startsAt
      currency
      theatre {
        id
        name
        city
        state
        timezone
      }
      screen {
        name
      }
      prices {
        category
        priceCents
      }
    }
  }
`);

export function MoviePage({ id, city }: { id: string; city: City | null }) {
  const movie = useQuery(MovieQuery, { id });
  const [allCities, setAllCities] = useAllCities();
  const showtimes = useQuery(MovieShowtimesQuery, {
    movieId: id,
    ...(city && !allCities ? { city: city.name } : {}),
  });

  if (movie.status === 'error') return <ErrorNotice error={movie.error} onRetry={movie.retry} />;
  if (movie.status === 'loading' && !movie.data) return <p aria-busy="true">{t.loading}</p>;
  const m = movie.data?.movie;
  if (!m) return <NotFound message={t.title.notFound} />;

  return (
    <article aria-labelledby="title-heading" className="title-page">
      <div className="title-head">
        <Poster
          url={m.posterUrl}
          title={m.title}
          alt={t.title.poster(m.title)}
          className="title-poster"
          width={240}
          height={360}
        />
        <div>
          <h1 id="title-heading">{m.title}</h1>
          <p className="title-meta">
            {[m.certificate, t.title.runtime(m.runtimeMinutes), m.language].filter(Boolean).join(' · ')}
          </p>
          <p className="rating">{t.title.rating(formatRating(m.rating.average), m.rating.count)}</p>
          <RatingHistogram histogram={m.rating.histogram} />
          <p>{m.synopsis}</p>
          <dl className="facts">
            {m.genres.length > 0 && (
              <>
                <dt>{t.title.genres}</dt>
                <dd>{m.genres.join(', ')}</dd>
              </>
            )}
            {m.cast.length > 0 && (
              <>
                <dt>{t.title.cast}</dt>
                <dd>{m.cast.join(', ')}</dd>
              </>
            )}
            <dt>{t.title.released}</dt>
            <dd>{formatDateKey(m.releaseDate)}</dd>
          </dl>
          {m.trailerUrl ? (
            <p>
              <a href={m.trailerUrl} rel="noopener noreferrer">
                {t.title.trailer}
              </a>
            </p>
          ) : null}
        </div>
      </div>
      <ShowtimesSection
        city={city}
        rows={showtimes.data?.showtimes ?? []}
        loading={showtimes.status === 'loading'}
        error={showtimes.status === 'error' ? showtimes.error : null}
        onRetry={showtimes.retry}
        allCities={allCities}
        onAllCities={setAllCities}
      />
      <section aria-labelledby="reviews-heading">
        <h2 id="reviews-heading">{t.title.reviews}</h2>
        {m.reviews.nodes.length === 0 ? (
          <p>{t.title.noReviews}</p>
        ) : (
          <ul className="reviews">
            {m.reviews.nodes.map((r) => (
              <li key={r.id}>
                <p>
                  <span className="stars" role="img" aria-label={t.title.stars(r.rating)}>
                    {'★'.repeat(r.rating)}
                    {'☆'.repeat(5 - r.rating)}
                  </span>{' '}
                  <strong>{r.authorName}</strong>
                  {r.verified && <span className="badge">{t.title.verified}</span>}
                </p>
                {r.body && <p>{r.body}</p>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
