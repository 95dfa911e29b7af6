import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../components/ErrorNotice';
import { t } from '../i18n';
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

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

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
  const [d, setD] = useState(blank);
  const set = (key: keyof typeof blank) => (e: { target: { value: string } }) =>
    setD((old) => ({ ...old, [key]: e.target.value }));

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
    <form className="admin-form" onSubmit={submit}>
      <div className="admin-fields">
        <label>
          {t.admin.titles.title}
          <input value={d.title} onChange={set('title')} required />
        </label>
        <label>
          {t.admin.titles.runtime}
          <input type="number" min={1} value={d.runtimeMinutes} onChange={set('runtimeMinutes')} required />
        </label>
        <label>
          {t.admin.titles.releaseDate}
          <input type="date" value={d.releaseDate} onChange={set('releaseDate')} required />
        </label>
        <label>
          {t.admin.titles.certificate}
          <input value={d.certificate} onChange={set('certificate')} />
        </label>
        <label>
          {t.admin.titles.language}
          <input value={d.language} onChange={set('language')} />
        </label>
        <label>
          {t.admin.titles.genres}
          <input value={d.genres} onChange={set('genres')} />
        </label>
        <label>
          {t.admin.titles.cast}
          <input value={d.cast} onChange={set('cast')} />
        </label>
        <label>
          {t.admin.titles.posterUrl}
          <input type="url" value={d.posterUrl} onChange={set('posterUrl')} />
        </label>
        <label>
          {t.admin.titles.trailerUrl}
          <input type="url" value={d.trailerUrl} onChange={set('trailerUrl')} />
        </label>
        <label className="admin-wide">
          {t.admin.titles.synopsis}
          <textarea value={d.synopsis} onChange={set('synopsis')} rows={3} />
        </label>
      </div>
      {state.error ? <ErrorNotice error={state.error} /> : null}
      <div className="admin-actions">
        <button type="submit" disabled={state.busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
