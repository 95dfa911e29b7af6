import { useId, useMemo, useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { graphql } from '../gql';
import { t } from '../i18n';
import { hasSections, parseLayout, parseLines, parseVenue, sectionsInput } from './layout';
import { SeatMapPreview, VenuePreview } from './SeatMapPreview';
import { useAction } from './useAction';

const CreateScreen = graphql(`
  mutation AdminCreateScreen($theatreId: ID!, $name: String!, $layout: ScreenLayoutInput!) {
    createScreen(theatreId: $theatreId, name: $name, layout: $layout) {
      id
      name
      seatCount
    }
  }
`);

const EXAMPLE = 'A: AC__SSSS__CA\nB: SSSS__SSSS\nC: PPPP__PPPP';

/** A new screen from its layout, one row per line, with the seat map drawn as it is typed. */
export function ScreenEditor({ theatreId, onCreated }: { theatreId: string; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [text, setText] = useState(EXAMPLE);
  const [created, setCreated] = useState<string | null>(null);
  // A `#` line makes it a venue of sections; otherwise the rows are one screen's.
  const venue = useMemo(() => (hasSections(text) ? parseVenue(text) : null), [text]);
  const layout = useMemo(() => (venue ? null : parseLayout(parseLines(text))), [text, venue]);
  const problems = venue?.problems ?? layout?.problems ?? [];
  const ids = useId();
  const [create, state] = useAction(() =>
    request(CreateScreen, {
      theatreId,
      name: name.trim(),
      layout: venue
        ? { sections: sectionsInput(venue) }
        : { rows: parseLines(text).map((r) => ({ label: r.label.trim(), seats: r.seats.trim() })) },
    }),
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problems.length > 0) return;
    const result = await create();
    if (result) {
      setCreated(t.admin.screens.created(result.createScreen.name, result.createScreen.seatCount));
      setName('');
      onCreated();
    }
  };

  return (
    <form className="admin-form admin-screen-editor" onSubmit={submit} aria-labelledby={`${ids}-h`}>
      <h3 id={`${ids}-h`}>{t.admin.screens.add}</h3>
      <label>
        {t.admin.screens.name}
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
      </label>
      <div className="admin-layout-grid">
        <div>
          <label htmlFor={`${ids}-rows`}>{t.admin.layout.rows}</label>
          <p id={`${ids}-help`} className="admin-help">
            {t.admin.layout.help}
          </p>
          <p id={`${ids}-sections-help`} className="admin-help">
            {t.admin.layout.sectionsHelp}
          </p>
          <textarea
            id={`${ids}-rows`}
            className="admin-layout-text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={Math.min(24, Math.max(6, text.split('\n').length + 1))}
            spellCheck={false}
            autoCapitalize="characters"
            aria-describedby={`${ids}-help ${ids}-sections-help ${ids}-problems`}
            aria-invalid={problems.length > 0}
          />
          <div id={`${ids}-problems`} aria-live="polite" className="admin-problems">
            {problems.length > 0 ? (
              <ul>
                {problems.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            ) : (
              <p>{t.admin.layout.valid}</p>
            )}
          </div>
        </div>
        {venue ? <VenuePreview venue={venue} /> : layout ? <SeatMapPreview rows={layout.rows} seatCount={layout.seatCount} /> : null}
      </div>
      {state.error ? <ErrorNotice error={state.error} /> : null}
      <div className="admin-actions">
        <button type="submit" disabled={state.busy || problems.length > 0}>
          {t.admin.screens.create}
        </button>
      </div>
      <p aria-live="polite" className="admin-status">
        {created}
      </p>
    </form>
  );
}
