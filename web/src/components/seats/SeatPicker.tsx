import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { request } from '../../api/client';
import { ApiError, describeError } from '../../api/errors';
import { useQuery } from '../../api/useQuery';
import { formatDay, formatMoney, formatTime, zoneName } from '../../format';
import type { HeldBookingFieldsFragment, SeatCategory } from '../../gql/graphql';
import { t } from '../../i18n';
import { NotFound } from '../../pages/NotFound';
import { Link, here, paths } from '../../router';
import { useSession } from '../../session';
import { ErrorNotice } from '../ErrorNotice';
import { BestAvailable } from './BestAvailable';
import { HoldPanel, type HoldEnd } from './HoldPanel';
import { idempotencyKey } from './idempotencyKey';
import { HoldBest, HoldSeats, MyHeldBookings, ShowtimeQuery } from './operations';
import { SeatLegend } from './SeatLegend';
import { SeatMap } from './SeatMap';
import { GeneralAdmission } from './GeneralAdmission';
import { SectionOverview, useSections, type Section } from './SectionOverview';
import { seatAt, type Seat, type SeatLayout } from './seatLayout';
import { useLiveSeats } from './useLiveSeats';
import { useWaitingRoom } from './useWaitingRoom';
import { WaitlistPanel } from '../waitlist/WaitlistPanel';
import { AdmissionCountdown, WaitingRoomPanel } from './WaitingRoomPanel';
import './seat-picker.css';

/** A chosen seat as last seen, with its section's name in a venue of several. */
interface Chosen {
  seat: Seat;
  section: string | null;
}

const seatName = (seat: Pick<Seat, 'row' | 'number'>, section: string | null) =>
  section ? t.sections.seatIn(section, seat.row, seat.number) : t.seatPicker.seatShort(seat.row, seat.number);

const names = (layout: SeatLayout | null, known: ReadonlyMap<string, Chosen>, ids: string[]) =>
  t.seatPicker.and(
    ids.map((id) => {
      const c = known.get(id);
      const s = (layout && seatAt(layout, id)) ?? c?.seat;
      return s ? seatName(s, c?.section ?? null) : id;
    }),
  );

/** The seat picker of one showtime, with its waiting room when it has one. */
export default function SeatPicker({ id }: { id: string }) {
  const query = useQuery(ShowtimeQuery, { id });
  const showtime = query.data?.showtime;
  const session = useSession();
  const signedIn = session.status === 'signedIn';
  // A venue of several sections opens on its overview; one section's seats are read on demand.
  const [zoom, setZoom] = useState<Section | null>(null);
  const [sectionsRead, setSectionsRead] = useState(0);
  const venue = (showtime?.sections.length ?? 0) > 1;
  const general = zoom?.kind === 'GENERAL';
  const sections = useSections(id, showtime?.sections, venue && (!zoom || general), sectionsRead);
  const { layout, live } = useLiveSeats(
    id,
    venue ? (zoom?.id ?? null) : null,
    !!showtime && (!venue || (!!zoom && !general)),
  );
  // General-admission places chosen, per section: held with the chosen seats as one booking.
  const [places, setPlaces] = useState<ReadonlyMap<string, { section: Section; quantity: number }>>(() => new Map());
  const known = useRef(new Map<string, Chosen>());

  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [hold, setHold] = useState<HeldBookingFieldsFragment | null>(null);
  const [holdChecked, setHoldChecked] = useState(false);
  const [holding, setHolding] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState<{ text: string; n: number }>({ text: '', n: 0 });
  const [fit, setFit] = useState(false);
  const [left, setLeft] = useState(false);
  const [lapsed, setLapsed] = useState(false);
  // Once the show is seen sold out (or seats together could not be found), the waitlist stays offered.
  const [soldOut, setSoldOut] = useState(false);
  const pickHeading = useRef<HTMLHeadingElement>(null);
  const mapHeading = useRef<HTMLHeadingElement>(null);

  const announce = useCallback((text: string) => setAnnouncement((a) => ({ text, n: a.n + 1 })), []);

  // A hold of this buyer for this showtime still running (a reload, another tab) comes back.
  useEffect(() => {
    if (session.status === 'loading') return;
    if (!signedIn) {
      setHoldChecked(true);
      return;
    }
    let alive = true;
    request(MyHeldBookings).then(
      ({ myBookings }) => {
        if (!alive) return;
        const open = myBookings.find(
          (b) => b.status === 'HELD' && b.showtime?.id === id && Date.parse(b.expiresAt) > Date.now(),
        );
        if (open) setHold(open);
        setHoldChecked(true);
      },
      () => alive && setHoldChecked(true),
    );
    return () => {
      alive = false;
    };
  }, [id, signedIn, session.status]);

  const hot = !!showtime?.waitingRoom && showtime.status === 'SCHEDULED';
  const room = useWaitingRoom(id, hot && signedIn && holdChecked && !hold);
  const admitted = room.place?.status === 'ADMITTED' || room.place?.status === 'NOT_REQUIRED';
  const canHold = showtime?.status === 'SCHEDULED' && !hold && (!hot || admitted);
  const readOnly = showtime?.status !== 'SCHEDULED' || !!hold || (hot && !admitted);

  // The picker opens by itself when the line lets the buyer in; a turn left unused ends.
  const lastStatus = useRef<string | null>(null);
  useEffect(() => {
    const now = room.place?.status ?? null;
    const before = lastStatus.current;
    lastStatus.current = now;
    if (now === 'ADMITTED' && before === 'WAITING') {
      setLapsed(false);
      announce(t.waitingRoom.admitted);
      pickHeading.current?.focus();
    } else if (now === 'NOT_IN_LINE' && before === 'ADMITTED' && !hold) {
      setLapsed(true);
    }
  }, [room.place, hold, announce]);

  // A chosen seat that someone else takes meanwhile is let go, and the buyer told so.
  useEffect(() => {
    if (!layout || holding || selected.size === 0) return;
    // Seats chosen in another section of the venue are not on this map: left as they are.
    const taken = [...selected].filter((sid) => {
      const seat = seatAt(layout, sid);
      return seat && seat.status !== 'AVAILABLE';
    });
    if (taken.length === 0) return;
    setSelected((prev) => new Set([...prev].filter((sid) => !taken.includes(sid))));
    const list = names(layout, known.current, taken);
    announce(taken.length === 1 ? t.seatPicker.taken(list) : t.seatPicker.takenMany(list));
  }, [layout, holding, selected, announce]);

  const mine = useMemo(() => new Set(hold?.seats.map((s) => s.id) ?? []), [hold]);

  const sectionName = venue ? (zoom?.name ?? null) : null;
  const toggle = useCallback((seat: Seat) => {
    setProblem(null);
    known.current.set(seat.id, { seat, section: sectionName });
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(seat.id)) next.delete(seat.id);
      else next.add(seat.id);
      return next;
    });
  }, [sectionName]);

  const refused = useCallback(
    (seat: Seat) => announce(t.seatPicker.alreadyTaken(seatName(seat, sectionName))),
    [announce, sectionName],
  );

  const attempt = async (send: () => Promise<HeldBookingFieldsFragment>, placesAsked = false) => {
    setHolding(true);
    setProblem(null);
    try {
      const booking = await send();
      setHold(booking);
      setSelected(new Set());
      setPlaces(new Map());
      setSectionsRead((n) => n + 1);
      announce(
        t.hold.heldNow(
          t.seatPicker.and([
            ...booking.seats.map((s) => seatName(s, s.section ?? null)),
            ...booking.places.map((p) => t.sections.placesOf(p.label, p.quantity)),
          ]),
        ),
      );
    } catch (e) {
      if (e instanceof ApiError && e.code === 'SEAT_UNAVAILABLE') {
        const ids = e.errors[0]?.extensions?.seats;
        const taken = Array.isArray(ids) ? ids.map(String) : [];
        if (e.errors[0]?.extensions?.reason === 'RESERVED_FOR_WAITLIST') {
          setSelected(new Set());
          setProblem(t.waitlist.reserved);
          setSoldOut(true);
        } else if (taken.length === 0 && placesAsked) {
          // A general-admission area fuller than asked: the overview is read again.
          setProblem(describeError(e));
          setSectionsRead((n) => n + 1);
        } else if (taken.length > 0) {
          setSelected((prev) => new Set([...prev].filter((sid) => !taken.includes(sid))));
          setProblem(t.seatPicker.unavailableNamed(names(layout, known.current, taken), taken.length));
        } else {
          setProblem(describeError(e));
          setSoldOut(true);
        }
      } else {
        if (e instanceof ApiError && e.code === 'ADMISSION_REQUIRED') room.refresh();
        setProblem(describeError(e));
      }
    } finally {
      setHolding(false);
    }
  };

  const holdChosen = () =>
    attempt(
      () =>
        request(HoldSeats, {
          showtimeId: id,
          seatIds: [...selected],
          places: [...places.values()].map((p) => ({ sectionId: p.section.id, quantity: p.quantity })),
          key: idempotencyKey(),
        }).then((d) => d.holdSeats),
      places.size > 0,
    );
  const choosePlaces = (section: Section, quantity: number) =>
    setPlaces((prev) => {
      const next = new Map(prev);
      if (quantity > 0) next.set(section.id, { section, quantity });
      else next.delete(section.id);
      return next;
    });
  const holdBest = (count: number, category: string) =>
    attempt(() =>
      request(HoldBest, {
        showtimeId: id,
        count,
        category: category as SeatCategory,
        key: idempotencyKey(),
      }).then((d) => d.holdBestAvailable),
    );

  const holdEnded = useCallback(
    (how: HoldEnd) => {
      setHold(null);
      announce(how === 'expired' ? t.hold.expired : t.hold.released);
      if (hot) room.refresh();
      window.setTimeout(() => pickHeading.current?.focus(), 0);
    },
    [announce, hot, room.refresh],
  );

  // Seats offered from the waitlist are an ordinary hold of this buyer: shown as one.
  const offered = useCallback(
    (bookingId: string) =>
      request(MyHeldBookings).then(
        ({ myBookings }) => {
          const offer = myBookings.find((b) => b.id === bookingId && b.status === 'HELD');
          if (offer) {
            setHold(offer);
            announce(t.waitlist.offered);
          }
        },
        () => {
          // The waitlist panel still shows the offer and its way to checkout.
        },
      ),
    [announce],
  );

  const leave = async () => {
    if (await room.leave()) {
      setLeft(true);
      setLapsed(false);
    }
  };
  const join = () => {
    setLeft(false);
    setLapsed(false);
    room.join();
  };

  if (query.status === 'error' && !showtime) return <ErrorNotice error={query.error} onRetry={query.retry} />;
  if (!query.data) return <p aria-busy="true">{t.loading}</p>;
  if (!showtime) return <NotFound message={t.seatPicker.notFound} />;

  const title = showtime.movie ?? showtime.event;
  const titleHref = showtime.movie ? paths.movie(showtime.movie.id) : showtime.event ? paths.event(showtime.event.id) : null;
  const zone = showtime.theatre?.timezone ?? 'UTC';
  const prices = showtime.prices;
  const chosen: Chosen[] = [...selected].flatMap((sid) => {
    const c = known.current.get(sid);
    const seat = (layout && seatAt(layout, sid)) ?? c?.seat;
    return seat ? [{ seat, section: c?.section ?? null }] : [];
  });
  const chosenPlaces = [...places.values()];
  const placeCount = chosenPlaces.reduce((n, p) => n + p.quantity, 0);
  const chosenTotal =
    chosen.reduce((sum, c) => sum + (c.seat.priceCents ?? 0), 0) +
    chosenPlaces.reduce((sum, p) => sum + (p.section.priceMin ?? 0) * p.quantity, 0);
  const tickets = chosen.length + placeCount;
  const mapAvailable = layout
    ? layout.rows.reduce((n, r) => n + r.seats.filter((s) => s.status === 'AVAILABLE').length, 0)
    : null;
  const available = venue ? (sections ?? []).reduce((n, s) => n + s.available, 0) : (mapAvailable ?? 0);
  const counted = venue ? !!sections : mapAvailable !== null;
  if (counted && available === 0 && !soldOut && showtime.status === 'SCHEDULED') setSoldOut(true);
  const open = (s: Section) => {
    setZoom(s);
    window.setTimeout(() => mapHeading.current?.focus(), 0);
  };
  const back = () => {
    setZoom(null);
    setSectionsRead((n) => n + 1);
  };
  const waitlist = soldOut && !hold && showtime.status === 'SCHEDULED' && (!hot || admitted);

  return (
    <article className="seat-picker" aria-labelledby="showtime-title">
      <header className="seat-picker-head">
        <h1 id="showtime-title">
          {title && titleHref ? <Link href={titleHref}>{title.title}</Link> : (title?.title ?? t.seatPicker.title)}
        </h1>
        <p className="seat-picker-meta">
          {showtime.theatre && (
            <span>
              {showtime.theatre.name}, {showtime.theatre.city}
            </span>
          )}
          {showtime.screen && <span>{t.seatPicker.screen(showtime.screen.name)}</span>}
          <span>
            {t.seatPicker.startsAt}{' '}
            <time dateTime={showtime.startsAt} data-testid="showtime-start">
              {formatDay(showtime.startsAt, zone)} {formatTime(showtime.startsAt, zone)}{' '}
              <abbr title={zone}>{zoneName(showtime.startsAt, zone)}</abbr>
            </time>
          </span>
        </p>
        <p className="seat-picker-status">
          {live === 'polling' ? (
            <span role="status" className="notice">
              {t.seatPicker.liveLost}
            </span>
          ) : (
            <span className={`live-indicator live-${live}`} title={t.seatPicker.liveTitle} data-testid="live-indicator">
              <span aria-hidden="true">● </span>
              {live === 'live' ? t.seatPicker.live : t.seatPicker.liveConnecting}
            </span>
          )}
          <span className="muted" data-testid="available-count">
            {' '}
            · {venue ? t.sections.available(available) : t.seatPicker.available(available)}
          </span>
        </p>
      </header>

      <div className="seat-announcer" role="status" aria-live="polite" aria-atomic="true" data-testid="seat-announcer">
        {announcement.text && <p key={announcement.n}>{announcement.text}</p>}
      </div>

      {showtime.status !== 'SCHEDULED' && <p className="notice">{t.seatPicker.cancelled}</p>}

      <div className={`seat-picker-body${hot && !admitted && !hold ? ' seat-picker-waiting' : ''}`}>
        <div className="seat-picker-map">
          {venue && !zoom ? (
            sections && <SectionOverview sections={sections} currency={showtime.currency} onOpen={open} />
          ) : (
            <>
              {venue && zoom && (
                <div className="section-zoom-head">
                  <button type="button" onClick={back}>
                    ← {t.sections.back}
                  </button>
                  <h2 ref={mapHeading} tabIndex={-1}>
                    {general ? t.sections.generalHeading(zoom.name) : t.sections.heading(zoom.name)}
                  </h2>
                </div>
              )}
              {zoom && general ? (
                <GeneralAdmission
                  section={sections?.find((s) => s.id === zoom.id) ?? zoom}
                  currency={showtime.currency}
                  quantity={places.get(zoom.id)?.quantity ?? 0}
                  readOnly={readOnly}
                  onChange={(n) => choosePlaces(sections?.find((s) => s.id === zoom.id) ?? zoom, n)}
                />
              ) : (
                <>
                  <div className="seat-map-tools">
                    <button type="button" aria-pressed={fit} onClick={() => setFit((f) => !f)}>
                      {t.seatPicker.zoomFit}
                    </button>
                  </div>
                  {layout ? (
                    <SeatMap
                      layout={layout}
                      currency={showtime.currency}
                      selected={selected}
                      mine={mine}
                      readOnly={readOnly}
                      fit={fit}
                      onToggle={toggle}
                      onRefused={refused}
                    />
                  ) : (
                    <p aria-busy="true">{t.seatPicker.loadingMap}</p>
                  )}
                </>
              )}
            </>
          )}
        </div>

        <div className="seat-picker-side">
          {waitlist && <WaitlistPanel showtimeId={id} signedIn={signedIn} onOffered={offered} />}
          {hold ? (
            <HoldPanel key={hold.id} booking={hold} onEnded={holdEnded} />
          ) : hot && !admitted ? (
            <WaitingRoomPanel
              signedIn={signedIn}
              place={room.place}
              minutes={room.minutes}
              error={room.error}
              left={left}
              lapsed={lapsed}
              onLeave={leave}
              onJoin={join}
            />
          ) : showtime.status === 'SCHEDULED' ? (
            <section className="seat-choice" aria-labelledby="pick-heading">
              <h2 id="pick-heading" ref={pickHeading} tabIndex={-1}>
                {t.seatPicker.title}
              </h2>
              {hot && room.place?.status === 'ADMITTED' && room.place.admittedUntil && (
                <>
                  <AdmissionCountdown until={room.place.admittedUntil} />
                  <button type="button" onClick={leave}>
                    {t.waitingRoom.giveUp}
                  </button>
                </>
              )}
              <p data-testid="selection-summary">
                {placeCount > 0
                  ? t.sections.selection(tickets, formatMoney(chosenTotal, showtime.currency))
                  : t.seatPicker.selection(chosen.length, formatMoney(chosenTotal, showtime.currency))}
              </p>
              {tickets > 0 && (
                <ul className="seat-chosen">
                  {chosen.map(({ seat: s, section }) => (
                    <li key={s.id}>
                      {seatName(s, section)} · {t.seatCategory[s.category] ?? s.category}
                    </li>
                  ))}
                  {chosenPlaces.map((p) => (
                    <li key={p.section.id}>{t.sections.chosenPlaces(p.section.name, p.quantity)}</li>
                  ))}
                </ul>
              )}
              {problem && (
                <p className="notice notice-error" role="alert">
                  {problem}
                </p>
              )}
              {signedIn ? (
                <div className="seat-choice-actions">
                  <button
                    type="button"
                    className="button-primary"
                    disabled={!canHold || holding || tickets === 0}
                    onClick={holdChosen}
                  >
                    {holding
                      ? t.seatPicker.holding
                      : placeCount > 0
                        ? t.sections.holdTickets(tickets)
                        : t.seatPicker.hold(chosen.length)}
                  </button>
                  {tickets > 0 && (
                    <button
                      type="button"
                      onClick={() => {
                        setSelected(new Set());
                        setPlaces(new Map());
                      }}
                    >
                      {t.seatPicker.clear}
                    </button>
                  )}
                </div>
              ) : (
                <p>
                  <Link href={paths.signIn(here())} className="button-link button-primary">
                    {t.seatPicker.signInToHold}
                  </Link>
                </p>
              )}
              {signedIn && prices.length > 0 && (
                <BestAvailable categories={prices} currency={showtime.currency} busy={holding || !canHold} onHold={holdBest} />
              )}
            </section>
          ) : null}
          <SeatLegend prices={prices} currency={showtime.currency} />
        </div>
      </div>
    </article>
  );
}
