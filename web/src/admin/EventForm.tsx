import type { FormEvent } from 'react';
import { ApiError } from '../api/errors';
import { ErrorNotice } from '../components/ErrorNotice';
import { t } from '../i18n';
import { AdminForm, Field, useDraft, WideTextField } from './AdminForm';
import { list, orNull } from './MovieForm';
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
  const { draft: d, setDraft: setD, bind } = useDraft(blank);

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
    <AdminForm
      onSubmit={submit}
      state={state}
      submitLabel={submitLabel}
      failure={(error) => <EventErrorNotice error={error} conflict={t.admin.titles.eventDurationLocked} />}
    >
      <Field label={t.admin.titles.title} {...bind('title')} required />
      <Field label={t.admin.titles.performer} {...bind('performer')} required />
      <Field label={t.admin.titles.category} {...bind('category')} required placeholder="concert" />
      <Field label={t.admin.titles.duration} type="number" min={1} {...bind('durationMinutes')} required />
      <Field label={t.admin.titles.language} {...bind('language')} />
      <Field label={t.admin.titles.ageRating} {...bind('ageRating')} />
      <Field label={t.admin.titles.genres} {...bind('genres')} />
      <Field label={t.admin.titles.posterUrl} type="url" {...bind('posterUrl')} />
      <WideTextField label={t.admin.titles.description} {...bind('description')} />
    </AdminForm>
  );
}
