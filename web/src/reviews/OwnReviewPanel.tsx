import { useEffect, useRef, useState } from 'react';
import { request } from '../api/client';
import { ApiError, describeError } from '../api/errors';
import { graphql } from '../gql';
import { t } from '../i18n';
import type { OwnReviewFragment } from '../gql/graphql';
import { ReviewForm } from './ReviewForm';
import { Stars } from './Stars';

/** What the panel shows of the buyer's own review; the movie page spreads it into its query. */
export const OwnReviewFields = graphql(`
  fragment OwnReview on Review {
    id
    rating
    body
    hidden
  }
`);

type OwnReview = OwnReviewFragment;

const AddReview = graphql(`
  mutation AddReview($movieId: ID!, $rating: Int!, $body: String) {
    addReview(movieId: $movieId, rating: $rating, body: $body) {
      ...OwnReview
    }
  }
`);

const UpdateReview = graphql(`
  mutation UpdateReview($id: ID!, $rating: Int, $body: String) {
    updateReview(id: $id, rating: $rating, body: $body) {
      ...OwnReview
    }
  }
`);

const DeleteReview = graphql(`
  mutation DeleteReview($id: ID!) {
    deleteReview(id: $id)
  }
`);

type Mode = 'view' | 'edit' | 'confirmDelete';

/** A failed change in plain words, with the review-specific meanings of the API's codes. */
function problemText(error: unknown, action: 'add' | 'change'): string {
  if (error instanceof ApiError) {
    if (action === 'add' && error.code === 'CONFLICT') return t.reviews.alreadyReviewed;
    if (action === 'change' && error.code === 'NOT_FOUND') return t.reviews.gone;
  }
  return describeError(error);
}

/**
 * The signed-in buyer's own review of a movie (`myReview`, written on any device): the form
 * to write one, or theirs with ways to change or delete it. The answer of the buyer's own
 * change is shown at once; `onChanged` refreshes the movie's rating, list and `review`.
 */
export function OwnReviewPanel({
  movieId,
  review,
  onChanged,
}: {
  movieId: string;
  review: OwnReview | null;
  onChanged: () => void;
}) {
  const [mine, setMine] = useState<OwnReview | null>(review);
  // The movie read again (after a change here, or a reload): its copy is the latest.
  const seen = review ? `${review.id}:${review.rating}:${review.hidden}:${review.body}` : '';
  useEffect(() => setMine(review), [seen]);
  const [mode, setMode] = useState<Mode>('view');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  const [moveFocus, setMoveFocus] = useState(0);

  // After a change the part that held the focus is gone: move it to the new part's heading.
  useEffect(() => {
    if (moveFocus > 0) heading.current?.focus();
  }, [moveFocus]);

  const keep = (next: OwnReview | null) => setMine(next);

  const run = async (
    action: 'add' | 'change',
    work: () => Promise<OwnReview | null>,
    done: string,
  ) => {
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      keep(await work());
      setMode('view');
      setStatus(done);
      setMoveFocus((n) => n + 1);
      onChanged();
    } catch (error) {
      // Written meanwhile elsewhere: read the movie again, and that review shows here.
      if (action === 'add' && error instanceof ApiError && error.code === 'CONFLICT') onChanged();
      if (action === 'change' && error instanceof ApiError && error.code === 'NOT_FOUND') {
        keep(null);
        setMode('view');
        onChanged();
      }
      setProblem(problemText(error, action));
    } finally {
      setBusy(false);
    }
  };

  const add = (rating: number, body: string) =>
    run('add', async () => (await request(AddReview, { movieId, rating, body })).addReview, t.reviews.posted);
  const update = (rating: number, body: string) =>
    mine &&
    run('change', async () => (await request(UpdateReview, { id: mine.id, rating, body })).updateReview, t.reviews.updated);
  const remove = () =>
    mine &&
    run(
      'change',
      async () => {
        await request(DeleteReview, { id: mine.id });
        return null;
      },
      t.reviews.deleted,
    );

  return (
    <div className="own-review">
      <p role="status" className="review-status">
        {status}
      </p>
      {problem && (
        <div className="notice notice-error" role="alert">
          <p>{problem}</p>
        </div>
      )}
      {!mine ? (
        <>
          <h3 ref={heading} tabIndex={-1}>
            {t.reviews.write}
          </h3>
          <ReviewForm
            key="new"
            submitLabel={t.reviews.post}
            busyLabel={t.reviews.posting}
            busy={busy}
            onSubmit={add}
          />
        </>
      ) : (
        <>
          <h3 ref={heading} tabIndex={-1}>
            {t.reviews.yours}
          </h3>
          {mode === 'edit' ? (
            <ReviewForm
              key={mine.id}
              initial={mine}
              submitLabel={t.reviews.save}
              busyLabel={t.reviews.saving}
              busy={busy}
              onSubmit={update}
              onCancel={() => {
                setMode('view');
                setMoveFocus((n) => n + 1);
              }}
            />
          ) : (
            <div className="own-review-card" data-testid="own-review">
              <p>
                <Stars rating={mine.rating} />
              </p>
              <p>{mine.body || <span className="muted">{t.reviews.noBody}</span>}</p>
              {mine.hidden && <p className="notice">{t.reviews.hiddenByStaff}</p>}
              {mode === 'confirmDelete' ? (
                <div className="review-actions" role="group" aria-labelledby={`${movieId}-confirm-delete`}>
                  <p id={`${movieId}-confirm-delete`} className="review-confirm">
                    {t.reviews.confirmDelete}
                  </p>
                  <button type="button" className="danger" onClick={remove} disabled={busy} aria-busy={busy}>
                    {busy ? t.reviews.deleting : t.reviews.delete}
                  </button>
                  <button type="button" onClick={() => setMode('view')} disabled={busy} autoFocus>
                    {t.reviews.keep}
                  </button>
                </div>
              ) : (
                <div className="review-actions">
                  <button
                    type="button"
                    onClick={() => {
                      setMode('edit');
                      setMoveFocus((n) => n + 1);
                    }}
                  >
                    {t.reviews.edit}
                  </button>
                  <button type="button" onClick={() => setMode('confirmDelete')}>
                    {t.reviews.delete}
                  </button>
                </div>
              )}
            </div>
          )}
        </>
      )}
    </div>
  );
}
