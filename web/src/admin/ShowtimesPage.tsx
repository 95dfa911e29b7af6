import { useState } from 'react';
import { useQuery } from '../api/useQuery';
import { ErrorNotice } from '../components/ErrorNotice';
import { t } from '../i18n';
import { navigate, paths } from '../router';
import { ShowtimeCreateForm } from './ShowtimeCreateForm';
import { ShowtimeRow, whenText } from './ShowtimeRow';
import { AdminShowtimes, ShowtimeChoices } from './showtimeQueries';

export type ShowtimeScope = { kind: 'all' } | { kind: 'theatre' | 'movie' | 'event'; id: string };

/** `showtimes/theatre/:id`, `showtimes/movie/:id`, `showtimes/event/:id` or all of them. */
export function scopeOf(rest: string[]): ShowtimeScope {
  const [kind, id] = rest;
  if ((kind === 'theatre' || kind === 'movie' || kind === 'event') && id) return { kind, id };
  return { kind: 'all' };
}

const scopePath = (value: string) => {
  const [kind, id] = value.split(':');
  return kind && id ? paths.admin('showtimes', kind, id) : paths.admin('showtimes');
};

/** Upcoming showtimes of a theatre or a title (or all), and a form for a new one. */
export function ShowtimesPage({ scope }: { scope: ShowtimeScope }) {
  const [includeCancelled, setIncludeCancelled] = useState(true);
  const [screenId, setScreenId] = useState('');
  const [status, setStatus] = useState('');
  const choices = useQuery(ShowtimeChoices, {});
  const showtimes = useQuery(AdminShowtimes, {
    theatreId: scope.kind === 'theatre' ? scope.id : null,
    movieId: scope.kind === 'movie' ? scope.id : null,
    eventId: scope.kind === 'event' ? scope.id : null,
    includeCancelled,
  });
  const c = choices.data;
  const scopeValue = scope.kind === 'all' ? '' : `${scope.kind}:${scope.id}`;
  const theatreScreens = scope.kind === 'theatre' ? (c?.theatres.find((th) => th.id === scope.id)?.screens ?? []) : [];
  const shown = (showtimes.data?.showtimes ?? []).filter((s) => !screenId || s.screen?.id === screenId);

  return (
    <section aria-labelledby="admin-showtimes-h">
      <h2 id="admin-showtimes-h">{t.admin.nav.showtimes}</h2>
      {choices.status === 'error' && <ErrorNotice error={choices.error} onRetry={choices.retry} />}
      <div className="admin-filters">
        <label>
          {t.admin.showtimes.showFor}
          <select
            value={scopeValue}
            onChange={(e) => {
              setScreenId('');
              navigate(scopePath(e.target.value));
            }}
          >
            <option value="">{t.admin.showtimes.everything}</option>
            {c && (
              <>
                <optgroup label={t.admin.nav.theatres}>
                  {c.theatres.map((th) => (
                    <option key={th.id} value={`theatre:${th.id}`}>
                      {th.name}
                    </option>
                  ))}
                </optgroup>
                <optgroup label={t.admin.nav.movies}>
                  {c.movies.nodes.map((m) => (
                    <option key={m.id} value={`movie:${m.id}`}>
                      {m.title}
                    </option>
                  ))}
                </optgroup>
                <optgroup label={t.admin.nav.events}>
                  {c.events.nodes.map((ev) => (
                    <option key={ev.id} value={`event:${ev.id}`}>
                      {ev.title}
                    </option>
                  ))}
                </optgroup>
              </>
            )}
          </select>
        </label>
        {theatreScreens.length > 1 && (
          <label>
            {t.admin.showtimes.onScreen}
            <select value={screenId} onChange={(e) => setScreenId(e.target.value)}>
              <option value="">{t.admin.showtimes.allScreens}</option>
              {theatreScreens.map((sc) => (
                <option key={sc.id} value={sc.id}>
                  {sc.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="admin-check">
          <input
            type="checkbox"
            checked={includeCancelled}
            onChange={(e) => setIncludeCancelled(e.target.checked)}
          />
          {t.admin.showtimes.includeCancelled}
        </label>
      </div>
      <p aria-live="polite" className="admin-status">
        {status}
      </p>
      {showtimes.status === 'error' && <ErrorNotice error={showtimes.error} onRetry={showtimes.retry} />}
      {!showtimes.data && showtimes.status === 'loading' && <p aria-busy="true">{t.loading}</p>}
      {showtimes.data &&
        (shown.length === 0 ? (
          <p>{t.admin.showtimes.none}</p>
        ) : (
          <ul className="admin-list">
            {shown.map((s) => (
              <ShowtimeRow
                key={s.id}
                showtime={s}
                screens={c?.theatres.find((th) => th.id === s.theatre?.id)?.screens ?? []}
                onChanged={(message) => {
                  setStatus(message);
                  showtimes.retry();
                }}
              />
            ))}
          </ul>
        ))}
      {c && (
        <ShowtimeCreateForm
          key={scopeValue}
          choices={c}
          initialTheatre={scope.kind === 'theatre' ? scope.id : undefined}
          initialTitle={scope.kind === 'movie' || scope.kind === 'event' ? { kind: scope.kind, id: scope.id } : undefined}
          onCreated={(startsAt, zone) => {
            setStatus(t.admin.showtimes.created(whenText(startsAt, zone)));
            showtimes.retry();
          }}
        />
      )}
    </section>
  );
}
