import { useId, useRef, useState, type FormEvent } from 'react';
import { locale, t } from '../i18n';

/** The longest review the API takes. */
export const MAX_BODY_CHARS = 4000;

const STARS = [1, 2, 3, 4, 5] as const;

/**
 * Stars (a radio group: arrow keys move between them, each named "3 stars") and optional
 * text. A missing rating is said in words next to the group, which gets the focus.
 */
export function ReviewForm({
  initial,
  submitLabel,
  busyLabel,
  busy,
  onSubmit,
  onCancel,
}: {
  initial?: { rating: number; body: string };
  submitLabel: string;
  busyLabel: string;
  busy: boolean;
  onSubmit: (rating: number, body: string) => void;
  onCancel?: () => void;
}) {
  const id = useId();
  const [rating, setRating] = useState(initial?.rating ?? 0);
  const [body, setBody] = useState(initial?.body ?? '');
  const [missing, setMissing] = useState(false);
  const firstStar = useRef<HTMLInputElement>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (rating < 1) {
      setMissing(true);
      firstStar.current?.focus();
      return;
    }
    onSubmit(rating, body.trim());
  };

  return (
    <form className="review-form" onSubmit={submit} noValidate>
      <fieldset
        className="star-input"
        aria-describedby={missing ? `${id}-missing` : undefined}
      >
        <legend>{t.reviews.rating}</legend>
        <div className="star-input-options">
          {STARS.map((n) => (
            <span key={n} className="star-input-option">
              <input
                ref={n === 1 ? firstStar : undefined}
                type="radio"
                id={`${id}-star-${n}`}
                name={`${id}-rating`}
                value={n}
                checked={rating === n}
                onChange={() => {
                  setRating(n);
                  setMissing(false);
                }}
              />
              <label htmlFor={`${id}-star-${n}`} className={n <= rating ? 'filled' : undefined}>
                <span aria-hidden="true">{n <= rating ? '★' : '☆'}</span>
                <span className="visually-hidden">{t.reviews.starOption(n)}</span>
              </label>
            </span>
          ))}
          <span className="star-input-chosen" aria-hidden="true">
            {rating > 0 ? t.title.stars(rating) : ''}
          </span>
        </div>
        {missing && (
          <p id={`${id}-missing`} className="field-error" role="alert">
            {t.reviews.chooseRating}
          </p>
        )}
      </fieldset>
      <label htmlFor={`${id}-body`}>{t.reviews.body}</label>
      <textarea
        id={`${id}-body`}
        value={body}
        maxLength={MAX_BODY_CHARS}
        rows={4}
        aria-describedby={`${id}-hint`}
        onChange={(e) => setBody(e.target.value)}
      />
      <p id={`${id}-hint`} className="muted review-hint">
        {t.reviews.bodyHint(new Intl.NumberFormat(locale).format(MAX_BODY_CHARS))}
      </p>
      <div className="review-actions">
        <button type="submit" disabled={busy} aria-busy={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel} disabled={busy}>
            {t.reviews.cancel}
          </button>
        )}
      </div>
    </form>
  );
}
