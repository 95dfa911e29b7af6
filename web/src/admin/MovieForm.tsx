import type { FormEvent } from 'react';
import { t } from '../i18n';
import { AdminForm, Field, useDraft, WideTextField } from './AdminForm';
import type { ActionState } from './useAction';

export interface MovieFields {
  title: string;
  synopsis: string;
  genres: string[];
  cast: string[];
  runtimeMinutes: number;
  certificate: string | null;
  language: string | null;
  releaseDate: string;
  posterUrl: string | null;
  trailerUrl: string | null;
}

/** "a, b ,c" → ["a", "b", "c"]. */
export const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Blank text → null, which the API takes as none. */
export const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/** A movie's fields, for a new one or a change. */
export function MovieForm({
  initial,
  submitLabel,
  state,
  onSubmit,
}: {
  initial?: Partial<MovieFields>;
  submitLabel: string;
  state: ActionState;
  onSubmit: (fields: MovieFields) => Promise<boolean>;
}) {
  const blank = {
    title: initial?.title ?? '',
    synopsis: initial?.synopsis ?? '',
    genres: (initial?.genres ?? []).join(', '),
    cast: (initial?.cast ?? []).join(', '),
    runtimeMinutes: initial?.runtimeMinutes ? String(initial.runtimeMinutes) : '',
    certificate: initial?.certificate ?? '',
    language: initial?.language ?? '',
    releaseDate: initial?.releaseDate ?? '',
    posterUrl: initial?.posterUrl ?? '',
    trailerUrl: initial?.trailerUrl ?? '',
  };
  const { draft: d, setDraft: setD, bind } = useDraft(blank);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await onSubmit({
      title: d.title.trim(),
      synopsis: d.synopsis.trim(),
      genres: list(d.genres),
      cast: list(d.cast),
      runtimeMinutes: Number(d.runtimeMinutes),
      certificate: orNull(d.certificate),
      language: orNull(d.language),
      releaseDate: d.releaseDate,
      posterUrl: orNull(d.posterUrl),
      trailerUrl: orNull(d.trailerUrl),
    });
    if (ok && !initial) setD(blank);
  };

  return (
    <AdminForm onSubmit={submit} state={state} submitLabel={submitLabel}>
      <Field label={t.admin.titles.title} {...bind('title')} required />
      <Field label={t.admin.titles.runtime} type="number" min={1} {...bind('runtimeMinutes')} required />
      <Field label={t.admin.titles.releaseDate} type="date" {...bind('releaseDate')} required />
      <Field label={t.admin.titles.certificate} {...bind('certificate')} />
      <Field label={t.admin.titles.language} {...bind('language')} />
      <Field label={t.admin.titles.genres} {...bind('genres')} />
      <Field label={t.admin.titles.cast} {...bind('cast')} />
      <Field label={t.admin.titles.posterUrl} type="url" {...bind('posterUrl')} />
      <Field label={t.admin.titles.trailerUrl} type="url" {...bind('trailerUrl')} />
      <WideTextField label={t.admin.titles.synopsis} {...bind('synopsis')} />
    </AdminForm>
  );
}
