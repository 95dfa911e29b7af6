import type { OwnReviewFragment, ReviewRowFragment } from '../gql/graphql';
import { t } from '../i18n';
import { here, Link, paths } from '../router';
import { useSession } from '../session';
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
  myReview,
  onChanged,
}: {
  movieId: string;
  reviews: ReviewRowFragment[];
  myReview: OwnReviewFragment | null;
  onChanged: () => void;
}) {
  const session = useSession();
  const user = session.status === 'signedIn' ? session.user : null;
  return (
    <section aria-labelledby="reviews-heading" className="reviews-section">
      <h2 id="reviews-heading">{t.title.reviews}</h2>
      {user ? (
        <OwnReviewPanel key={user.id} movieId={movieId} review={myReview} onChanged={onChanged} />
      ) : session.status === 'anonymous' ? (
        <p>
          <Link href={paths.signIn(here())}>{t.reviews.signIn}</Link>
        </p>
      ) : null}
      <ReviewList reviews={reviews} />
    </section>
  );
}
