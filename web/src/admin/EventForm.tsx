import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors';
import { ErrorNotice } from '../components/ErrorNotice';
import { t } from '../i18n';
import { list } from './MovieForm';
import type { ActionState } from './useAction';

export interface EventFields {
  title: string;
  performer: string;
  category: string;
  durationMinutes: number;
  description: string;
  genres: string[];
  language: string | null;
  ageRating: string | null;
  /** An empty string clears the poster. */
  posterUrl: string;
}

/**
 * A failure in plain words: a refusal because of the event's showtimes (`CONFLICT`) is
 * told as `conflict`, anything else as usual.
 */
export function EventErrorNotice({ error, conflict }: { error: unknown; conflict: string }) {
  if (error instanceof ApiError && error.code === 'CONFLICT') {
    return (
      <div className="notice notice-error" role="alert">
        <p>{conflict}</p>
      </div>
    );
  }
  return <ErrorNotice error={error} />;
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/** A live event's fields, for a new one or a change. */
export function EventForm({
  initial,
  submitLabel,
  state,
  onSubmit,
}: {
  initial?: Partial<Omit<EventFields, 'posterUrl'>> & { posterUrl?: string | null };
  submitLabel: string;
  state: ActionState;
  onSubmit: (fields: EventFields) => Promise<boolean>;
}) {
  const blank = {
    title: initial?.title ?? '',
    performer: initial?.performer ?? '',
    category: initial?.category ?? '',
    durationMinutes: initial?.durationMinutes ? String(initial.durationMinutes) : '',
    description: initial?.description ?? '',
    genres: (initial?.genres ?? []).join(', '),
    language: initial?.language ?? '',
    ageRating: initial?.ageRating ?? '',
    posterUrl: initial?.posterUrl ?? '',
  };
  const [d, setD] = useState(blank);
  const set = (key: keyof typeof blank) => (e: { target: { value: string } }) =>
    setD((old) => ({ ...old, [key]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await onSubmit({
      title: d.title.trim(),
      performer: d.performer.trim(),
      category: d.category.trim(),
      durationMinutes: Number(d.durationMinutes),
      description: d.description.trim(),
      genres: list(d.genres),
      language: orNull(d.language),
      ageRating: orNull(d.ageRating),
      posterUrl: d.posterUrl.trim(),
    });
    if (ok && !initial) setD(blank);
  };

  return (
    <form className="admin-form" onSubmit={submit}>
      <div className="admin-fields">
        <label>
          {t.admin.titles.title}
          <input value={d.title} onChange={set('title')} required />
        </label>
        <label>
          {t.admin.titles.performer}
          <input value={d.performer} onChange={set('performer')} required />
        </label>
        <label>
          {t.admin.titles.category}
          <input value={d.category} onChange={set('category')} required placeholder="concert" />
        </label>
        <label>
          {t.admin.titles.duration}
          <input type="number" min={1} value={d.durationMinutes} onChange={set('durationMinutes')} required />
        </label>
        <label>
          {t.admin.titles.language}
          <input value={d.language} onChange={set('language')} />
        </label>
        <label>
          {t.admin.titles.ageRating}
          <input value={d.ageRating} onChange={set('ageRating')} />
        </label>
        <label>
          {t.admin.titles.genres}
          <input value={d.genres} onChange={set('genres')} />
        </label>
        <label>
          {t.admin.titles.posterUrl}
          <input type="url" value={d.posterUrl} onChange={set('posterUrl')} />
        </label>
        <label className="admin-wide">
          {t.admin.titles.description}
          <textarea value={d.description} onChange={set('description')} rows={3} />
        </label>
      </div>
      {state.error ? <EventErrorNotice error={state.error} conflict={t.admin.titles.eventDurationLocked} /> : null}
      <div className="admin-actions">
        <button type="submit" disabled={state.busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
