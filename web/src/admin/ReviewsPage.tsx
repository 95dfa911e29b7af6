import { useState } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { ErrorNotice } from '../components/ErrorNotice';
import { graphql } from '../gql';
import type { AdminReviewsQuery } from '../gql/graphql';
import { t } from '../i18n';
import { Link, paths } from '../router';
import { formatDateTime } from './dateTime';
import { FilterButtons } from './FilterButtons';
import { PagedResults, usePreviousPagePaging } from './paging';
import { useAction } from './useAction';

const AdminReviews = graphql(`
  query AdminReviews($hidden: Boolean, $after: String) {
    reviews(hidden: $hidden, first: 25, after: $after) {
      pageInfo {
        ...PageCursor
      }
      nodes {
        id
        rating
        body
        authorName
        verified
        hidden
        createdAt
        movie {
          id
          title
        }
      }
    }
  }
`);

const HideReview = graphql(`
  mutation AdminHideReview($id: ID!, $hidden: Boolean!) {
    hideReview(id: $id, hidden: $hidden) {
      id
      hidden
    }
  }
`);

type Review = AdminReviewsQuery['reviews']['nodes'][number];

const FILTERS: { value: boolean | null; label: () => string }[] = [
  { value: null, label: () => t.admin.reviews.all },
  { value: false, label: () => t.admin.reviews.visible },
  { value: true, label: () => t.admin.reviews.hiddenOnly },
];

/** Recent reviews of every movie, to hide what breaks the rules (or show it again). */
export function ReviewsPage() {
  const [hidden, setHidden] = useState<boolean | null>(null);
  const paging = usePreviousPagePaging();
  const reviews = useQuery(AdminReviews, { hidden, after: paging.after });
  const [changed, setChanged] = useState<Record<string, boolean>>({});
  const [message, setMessage] = useState('');
  const [hide, hideState] = useAction((id: string, to: boolean) => request(HideReview, { id, hidden: to }));

  const toggle = async (r: Review, isHidden: boolean) => {
    const done = await hide(r.id, !isHidden);
    if (!done) return;
    setChanged((c) => ({ ...c, [r.id]: done.hideReview.hidden }));
    const title = r.movie?.title ?? '';
    setMessage(done.hideReview.hidden ? t.admin.reviews.hidNow(r.authorName, title) : t.admin.reviews.shownNow(r.authorName, title));
  };

  return (
    <section aria-labelledby="admin-reviews-h">
      <h2 id="admin-reviews-h">{t.admin.nav.reviews}</h2>
      <FilterButtons
        label={t.admin.reviews.filter}
        options={FILTERS.map((f) => ({ value: f.value, label: f.label() }))}
        value={hidden}
        onChange={(next) => {
          setHidden(next);
          paging.reset();
          setChanged({});
        }}
      />
      <p aria-live="polite" className="admin-status">
        {message}
      </p>
      {hideState.error ? <ErrorNotice error={hideState.error} /> : null}
      <PagedResults query={reviews} page={reviews.data?.reviews} paging={paging} empty={t.admin.reviews.none}>
        {(nodes) => (
          <ul className="admin-list">
            {nodes.map((r) => {
              const isHidden = changed[r.id] ?? r.hidden;
              return (
                <li key={r.id} className={`admin-review${isHidden ? ' admin-review-hidden' : ''}`}>
                  <div className="admin-row">
                    <div>
                      <p>
                        <span className="stars" role="img" aria-label={t.title.stars(r.rating)}>
                          {'★'.repeat(r.rating)}
                          {'☆'.repeat(5 - r.rating)}
                        </span>{' '}
                        <strong>{r.authorName}</strong>
                        {r.verified && <span className="badge">{t.title.verified}</span>}{' '}
                        {isHidden && <span className="admin-badge">{t.admin.reviews.hiddenBadge}</span>}
                      </p>
                      <p className="muted">
                        {r.movie ? <Link href={paths.movie(r.movie.id)}>{r.movie.title}</Link> : null} ·{' '}
                        {formatDateTime(r.createdAt)}
                      </p>
                      {r.body && <p>{r.body}</p>}
                    </div>
                    <button
                      type="button"
                      disabled={hideState.busy}
                      onClick={() => toggle(r, isHidden)}
                      aria-label={
                        isHidden
                          ? t.admin.reviews.unhideNamed(r.authorName, r.movie?.title ?? '')
                          : t.admin.reviews.hideNamed(r.authorName, r.movie?.title ?? '')
                      }
                    >
                      {isHidden ? t.admin.reviews.unhide : t.admin.reviews.hide}
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </PagedResults>
    </section>
  );
}
