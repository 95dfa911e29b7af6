import { graphql } from '../gql';
import type { ReviewRowFragment } from '../gql/graphql';
import { t } from '../i18n';
import { Stars } from './Stars';

/** What the list shows of a review; the movie page spreads it into its query. */
export const ReviewRowFields = graphql(`
  fragment ReviewRow on Review {
    id
    rating
    body
    authorName
    verified
    mine
    createdAt
  }
`);

/** A movie's reviews, newest first, ticket holders' marked; the buyer's own marked as theirs. */
export function ReviewList({ reviews }: { reviews: ReviewRowFragment[] }) {
  if (reviews.length === 0) return <p>{t.title.noReviews}</p>;
  return (
    <ul className="reviews">
      {reviews.map((r) => (
        <li key={r.id} data-testid="review">
          <p>
            <Stars rating={r.rating} /> <strong>{r.authorName}</strong>
            {r.verified && <span className="badge">{t.title.verified}</span>}
            {r.mine && <span className="badge badge-own">{t.reviews.yoursBadge}</span>}
          </p>
          {r.body && <p>{r.body}</p>}
        </li>
      ))}
    </ul>
  );
}
