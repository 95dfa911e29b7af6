import { useId, useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { ApiError } from '../api/errors';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatDay, formatMoney, formatTime, zoneName } from '../format';
import type { AdminShowtimeBookingsQuery, AdminShowtimesQuery } from '../gql/graphql';
import { t } from '../i18n';
import { Link, paths } from '../router';
import { ConfirmDialog } from './ConfirmDialog';
import { PricesForm, type PriceFields } from './PricesForm';
import { SectionPricesForm } from './SectionPricesForm';
import { CancelShowtime, MoveShowtime, SetPrices, ShowtimeBookings } from './showtimeQueries';
import { useAction } from './useAction';
import { utcToZoned, zonedToUtc } from './zoneTime';

type Showtime = AdminShowtimesQuery['showtimes'][number];
type Bookings = NonNullable<AdminShowtimeBookingsQuery['showtime']>['bookings'];

/** "Sat, Dec 12, 7:30 PM MST" on the theatre's clock. */
export function whenText(iso: string, timeZone: string): string {
  return `${formatDay(iso, timeZone)}, ${formatTime(iso, timeZone)} ${zoneName(iso, timeZone)}`;
}

type Pending =
  | { kind: 'move'; bookings: Bookings; startsAt: string | null; screenId: string | null }
  | { kind: 'cancel'; bookings: Bookings };

/** One showtime with what staff can do to it: move it, cancel it, change its prices. */
export function ShowtimeRow({
  showtime: s,
  screens,
  onChanged,
}: {
  showtime: Showtime;
  /** The theatre's screens: where it may move. */
  screens: { id: string; name: string }[];
  onChanged: (message: string) => void;
}) {
  const zone = s.theatre?.timezone ?? 'UTC';
  const title = s.movie?.title ?? s.event?.title ?? '';
  const cancelled = s.status === 'CANCELLED';
  const [open, setOpen] = useState<'move' | 'prices' | 'sections' | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [newStart, setNewStart] = useState(() => utcToZoned(s.startsAt, zone));
  const [newScreen, setNewScreen] = useState(s.screen?.id ?? '');
  const id = useId();

  const [readBookings, readState] = useAction(async () => {
    const { showtime } = await request(ShowtimeBookings, { id: s.id });
    if (!showtime) throw new ApiError('NOT_FOUND');
    return showtime.bookings;
  });
  const [move, moveState, clearMove] = useAction((startsAt: string | null, screenId: string | null) =>
    request(MoveShowtime, {
      id: s.id,
      input: { ...(startsAt ? { startsAt } : {}), ...(screenId ? { screenId } : {}) },
    }),
  );
  const [cancel, cancelState, clearCancel] = useAction(() => request(CancelShowtime, { id: s.id }));
  const [setPrices, pricesState] = useAction((prices: PriceFields[]) =>
    request(SetPrices, { showtimeId: s.id, prices }),
  );

  const askMove = async (e: FormEvent) => {
    e.preventDefault();
    const startsAt = zonedToUtc(newStart, zone);
    const changedStart = startsAt && Date.parse(startsAt) !== Date.parse(s.startsAt) ? startsAt : null;
    const changedScreen = newScreen && newScreen !== s.screen?.id ? newScreen : null;
    if (!changedStart && !changedScreen) return;
    const bookings = await readBookings();
    if (bookings) setPending({ kind: 'move', bookings, startsAt: changedStart, screenId: changedScreen });
  };
  const askCancel = async () => {
    const bookings = await readBookings();
    if (bookings) setPending({ kind: 'cancel', bookings });
  };
  const close = () => {
    clearMove();
    clearCancel();
    setPending(null);
  };

  return (
    <li className={`admin-showtime${cancelled ? ' admin-cancelled' : ''}`}>
      <div className="admin-row">
        <div>
          <p className="admin-showtime-when">
            <strong>{whenText(s.startsAt, zone)}</strong>{' '}
            {cancelled && <span className="admin-badge">{t.admin.showtimes.cancelled}</span>}
          </p>
          <p>
            {s.movie ? (
              <Link href={paths.movie(s.movie.id)}>{title}</Link>
            ) : s.event ? (
              <Link href={paths.event(s.event.id)}>{title}</Link>
            ) : null}{' '}
            · {s.theatre?.name} · {s.screen?.name}
            {s.waitingRoom ? ` · ${t.admin.showtimes.waitingRoomOn}` : ''}
          </p>
          <p className="muted">
            {s.prices.map((p) => `${t.seatCategory[p.category] ?? p.category} ${formatMoney(p.priceCents, s.currency)}`).join(' · ')}
          </p>
        </div>
        {!cancelled && (
          <div className="admin-actions">
            <Link href={paths.showtime(s.id)}>{t.admin.showtimes.seatMap}</Link>
            <button
              type="button"
              aria-expanded={open === 'move'}
              aria-controls={`${id}-panel`}
              onClick={() => setOpen(open === 'move' ? null : 'move')}
            >
              {t.admin.showtimes.move}
            </button>
            <button
              type="button"
              aria-expanded={open === 'prices'}
              aria-controls={`${id}-panel`}
              onClick={() => setOpen(open === 'prices' ? null : 'prices')}
            >
              {t.admin.showtimes.prices}
            </button>
            <button
              type="button"
              aria-expanded={open === 'sections'}
              aria-controls={`${id}-panel`}
              onClick={() => setOpen(open === 'sections' ? null : 'sections')}
            >
              {t.admin.showtimes.sectionPricesButton}
            </button>
            <button type="button" className="admin-danger" onClick={askCancel} disabled={readState.busy}>
              {t.admin.showtimes.cancel}
            </button>
          </div>
        )}
      </div>
      {readState.error ? <ErrorNotice error={readState.error} /> : null}
      <div id={`${id}-panel`}>
        {open === 'move' && !cancelled && (
          <form className="admin-form admin-inline-form" onSubmit={askMove} aria-labelledby={`${id}-move-h`}>
            <h4 id={`${id}-move-h`}>{t.admin.showtimes.moveTitle(title)}</h4>
            <div className="admin-fields">
              <label>
                {t.admin.showtimes.startsAtIn(zone)}
                <input
                  type="datetime-local"
                  value={newStart}
                  onChange={(e) => setNewStart(e.target.value)}
                  required
                />
              </label>
              <label>
                {t.admin.showtimes.screen}
                <select value={newScreen} onChange={(e) => setNewScreen(e.target.value)}>
                  {(screens.some((sc) => sc.id === s.screen?.id) ? screens : s.screen ? [s.screen] : []).map((sc) => (
                    <option key={sc.id} value={sc.id}>
                      {sc.name}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <div className="admin-actions">
              <button type="submit" disabled={readState.busy}>
                {t.admin.showtimes.reviewMove}
              </button>
            </div>
          </form>
        )}
        {open === 'prices' && !cancelled && (
          <PricesForm
            categories={s.screen?.categories ?? s.prices.map((p) => p.category)}
            currency={s.currency}
            current={s.prices}
            state={pricesState}
            onSubmit={async (prices) => {
              if (await setPrices(prices)) {
                setOpen(null);
                onChanged(t.admin.showtimes.pricesSaved(title));
              }
            }}
          />
        )}
        {open === 'sections' && !cancelled && (
          <SectionPricesForm
            showtimeId={s.id}
            categories={s.screen?.categories ?? s.prices.map((p) => p.category)}
            currency={s.currency}
            onSaved={(message) => {
              setOpen(null);
              onChanged(message);
            }}
          />
        )}
      </div>
      {pending && (
        <ConfirmDialog
          title={pending.kind === 'move' ? t.admin.showtimes.confirmMove(title) : t.admin.showtimes.confirmCancel(title)}
          confirmLabel={pending.kind === 'move' ? t.admin.showtimes.doMove : t.admin.showtimes.doCancel}
          busy={moveState.busy || cancelState.busy}
          error={moveState.error ?? cancelState.error}
          onClose={close}
          onConfirm={async () => {
            if (pending.kind === 'move') {
              const moved = await move(pending.startsAt, pending.screenId);
              if (moved) {
                setPending(null);
                setOpen(null);
                onChanged(
                  t.admin.showtimes.moved(
                    title,
                    whenText(moved.updateShowtime.startsAt, zone),
                    moved.updateShowtime.screen?.name ?? '',
                  ),
                );
              }
            } else if (await cancel()) {
              setPending(null);
              onChanged(t.admin.showtimes.cancelledNow(title));
            }
          }}
        >
          <p className="admin-affected">
            <strong>{t.admin.showtimes.affected(pending.bookings.confirmed + pending.bookings.paymentPending + pending.bookings.held)}</strong>
          </p>
          <p>{t.admin.showtimes.affectedDetail(pending.bookings)}</p>
          {pending.kind === 'move' ? (
            <p>
              {t.admin.showtimes.moveTo(
                whenText(pending.startsAt ?? s.startsAt, zone),
                screens.find((sc) => sc.id === (pending.screenId ?? s.screen?.id))?.name ?? '',
              )}
            </p>
          ) : (
            <p>{t.admin.showtimes.cancelHelp}</p>
          )}
        </ConfirmDialog>
      )}
    </li>
  );
}
