import { useId, useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import type { AdminShowtimeChoicesQuery, CreateShowtimeInput } from '../gql/graphql';
import { t } from '../i18n';
import { isCurrency } from './money';
import { PriceInputs, readPrices } from './PricesForm';
import { CreateShowtime } from './showtimeQueries';
import { useAction } from './useAction';
import { zonedToUtc } from './zoneTime';

type Choices = AdminShowtimeChoicesQuery;

/**
 * A new showtime: the start (and the sale's opening) typed on the theatre's clock, prices
 * for the categories the chosen screen has.
 */
export function ShowtimeCreateForm({
  choices,
  initialTheatre,
  initialTitle,
  onCreated,
}: {
  choices: Choices;
  initialTheatre?: string;
  initialTitle?: { kind: 'movie' | 'event'; id: string };
  onCreated: (startsAt: string, timeZone: string) => void;
}) {
  const [theatreId, setTheatreId] = useState(initialTheatre ?? choices.theatres[0]?.id ?? '');
  const theatre = choices.theatres.find((th) => th.id === theatreId);
  const [screenId, setScreenId] = useState('');
  const screen = theatre?.screens.find((sc) => sc.id === screenId) ?? theatre?.screens[0];
  const [kind, setKind] = useState<'movie' | 'event'>(initialTitle?.kind ?? 'movie');
  const [titleId, setTitleId] = useState(initialTitle?.id ?? '');
  const titles = kind === 'movie' ? choices.movies.nodes : choices.events.nodes;
  const title = titles.find((x) => x.id === titleId) ?? titles[0];
  const [startsAt, setStartsAt] = useState('');
  const [onSaleAt, setOnSaleAt] = useState('');
  const [waitingRoom, setWaitingRoom] = useState(false);
  const [currency, setCurrency] = useState('USD');
  const [prices, setPrices] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState('');
  const id = useId();
  const zone = theatre?.timezone ?? 'UTC';
  const [submitCreate, submitState] = useAction((input: CreateShowtimeInput) => request(CreateShowtime, { input }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const code = currency.trim().toUpperCase();
    const start = zonedToUtc(startsAt, zone);
    const sale = onSaleAt ? zonedToUtc(onSaleAt, zone) : null;
    const read = screen ? readPrices(screen.categories, code, prices) : null;
    if (!theatre || !screen || !title) return setProblem(t.admin.showtimes.chooseAll);
    if (!start) return setProblem(t.admin.showtimes.badStart);
    if (!isCurrency(code)) return setProblem(t.admin.showtimes.badCurrency);
    if (!read) return setProblem(t.admin.showtimes.badPrice);
    setProblem('');
    const done = await submitCreate({
      screenId: screen.id,
      ...(kind === 'movie' ? { movieId: title.id } : { eventId: title.id }),
      startsAt: start,
      ...(sale ? { onSaleAt: sale } : {}),
      waitingRoom,
      currency: code,
      prices: read,
    });
    if (done) onCreated(done.createShowtime.startsAt, zone);
  };

  return (
    <form className="admin-form" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t.admin.showtimes.add}</h3>
      <div className="admin-fields">
        <label>
          {t.admin.showtimes.theatre}
          <select
            value={theatreId}
            onChange={(e) => {
              setTheatreId(e.target.value);
              setScreenId('');
            }}
            required
          >
            {choices.theatres.map((th) => (
              <option key={th.id} value={th.id}>
                {th.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.admin.showtimes.screen}
          <select value={screen?.id ?? ''} onChange={(e) => setScreenId(e.target.value)} required>
            {(theatre?.screens ?? []).map((sc) => (
              <option key={sc.id} value={sc.id}>
                {sc.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="admin-radios">
          <legend>{t.admin.showtimes.kind}</legend>
          <label>
            <input
              type="radio"
              name={`${id}-kind`}
              checked={kind === 'movie'}
              onChange={() => {
                setKind('movie');
                setTitleId('');
              }}
            />
            {t.admin.showtimes.movie}
          </label>
          <label>
            <input
              type="radio"
              name={`${id}-kind`}
              checked={kind === 'event'}
              onChange={() => {
                setKind('event');
                setTitleId('');
              }}
            />
            {t.admin.showtimes.event}
          </label>
        </fieldset>
        <label>
          {kind === 'movie' ? t.admin.showtimes.movie : t.admin.showtimes.event}
          <select value={title?.id ?? ''} onChange={(e) => setTitleId(e.target.value)} required>
            {titles.map((x) => (
              <option key={x.id} value={x.id}>
                {x.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.admin.showtimes.startsAtIn(zone)}
          <input type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} required />
        </label>
        <label>
          {t.admin.showtimes.onSaleAtIn(zone)}
          <input type="datetime-local" value={onSaleAt} onChange={(e) => setOnSaleAt(e.target.value)} />
        </label>
        <label>
          {t.admin.showtimes.currency}
          <input
            value={currency}
            onChange={(e) => setCurrency(e.target.value)}
            required
            maxLength={3}
            autoCapitalize="characters"
          />
        </label>
        <label className="admin-check">
          <input type="checkbox" checked={waitingRoom} onChange={(e) => setWaitingRoom(e.target.checked)} />
          {t.admin.showtimes.waitingRoom}
        </label>
      </div>
      {screen && (
        <PriceInputs
          categories={screen.categories}
          currency={isCurrency(currency.trim().toUpperCase()) ? currency.trim().toUpperCase() : 'USD'}
          values={prices}
          onChange={setPrices}
        />
      )}
      {problem && <p role="alert">{problem}</p>}
      {submitState.error ? <ErrorNotice error={submitState.error} /> : null}
      <div className="admin-actions">
        <button type="submit" disabled={submitState.busy}>
          {t.admin.showtimes.create}
        </button>
      </div>
    </form>
  );
}
