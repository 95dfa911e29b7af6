import type { ReviewRowFragment } from '../gql/graphql';
import { t } from '../i18n';
import { here, Link, paths } from '../router';
import { useSession } from '../session';
import { ownReview } from './ownReviews';
import { OwnReviewPanel } from './OwnReviewPanel';
import { ReviewList } from './ReviewList';
import './reviews.css';

/**
 * A movie's reviews: the buyer's own to write, change or delete (or a way to sign in
 * first), then everybody's. `onChanged` refreshes the movie's rating after a change.
 */
export function ReviewsSection({
  movieId,
  reviews,
  onChanged,
}: {
  movieId: string;
  reviews: ReviewRowFragment[];
  onChanged: () => void;
}) {
  const session = useSession();
  const user = session.status === 'signedIn' ? session.user : null;
  const ownId = user ? (ownReview(user.id, movieId)?.id ?? null) : null;
  return (
    <section aria-labelledby="reviews-heading" className="reviews-section">
      <h2 id="reviews-heading">{t.title.reviews}</h2>
      {user ? (
        <OwnReviewPanel key={user.id} userId={user.id} movieId={movieId} onChanged={onChanged} />
      ) : session.status === 'anonymous' ? (
        <p>
          <Link href={paths.signIn(here())}>{t.reviews.signIn}</Link>
        </p>
      ) : null}
      <ReviewList reviews={reviews} ownId={ownId} />
    </section>
  );
}
