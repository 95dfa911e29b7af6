import { useEffect, useRef, useState, type FormEvent } from 'react';
import { request } from '../../api/client';
import { ApiError, describeError } from '../../api/errors';
import type { WaitlistEntryFieldsFragment } from '../../gql/graphql';
import { t } from '../../i18n';
import { here, Link, paths } from '../../router';
import { JoinWaitlistMutation, LeaveWaitlistMutation, MyWaitlistQuery } from './operations';
import { useLiveEntry } from './useLiveEntry';
import { WaitlistOffer } from './WaitlistOffer';
import './waitlist.css';

const COUNTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/**
 * The waitlist of a sold-out showtime on its seat picker: join it for N seats together,
 * see one's place in line, and take the seats when they are offered.
 */
export function WaitlistPanel({
  showtimeId,
  signedIn,
  onOffered,
}: {
  showtimeId: string;
  signedIn: boolean;
  /** Told the offered booking's id once seats are offered, to show them as the buyer's hold. */
  onOffered?: (bookingId: string) => void;
}) {
  const [entry, setEntry] = useState<WaitlistEntryFieldsFragment | null>(null);
  const [checked, setChecked] = useState(false);

  // A place in this line taken earlier (another visit, another tab) comes back.
  useEffect(() => {
    if (!signedIn) return;
    let alive = true;
    request(MyWaitlistQuery).then(
      ({ myWaitlist }) => {
        if (!alive) return;
        const open = myWaitlist.find(
          (e) => e.showtimeId === showtimeId && (e.status === 'WAITING' || e.status === 'OFFERED'),
        );
        if (open) setEntry(open);
        setChecked(true);
      },
      () => alive && setChecked(true),
    );
    return () => {
      alive = false;
    };
  }, [showtimeId, signedIn]);

  return (
    <section className="waitlist-panel" aria-labelledby="waitlist-heading" data-testid="waitlist-panel">
      <h2 id="waitlist-heading">{t.waitlist.title}</h2>
      {!signedIn ? (
        <>
          <p>{t.waitlist.intro}</p>
          <p>
            <Link href={paths.signIn(here())} className="button-link button-primary">
              {t.waitlist.signIn}
            </Link>
          </p>
        </>
      ) : entry ? (
        <InLine key={entry.id} entry={entry} onLeft={() => setEntry(null)} onOffered={onOffered} />
      ) : checked ? (
        <JoinForm showtimeId={showtimeId} onJoined={setEntry} />
      ) : (
        <p aria-busy="true">{t.loading}</p>
      )}
    </section>
  );
}

function JoinForm({ showtimeId, onJoined }: { showtimeId: string; onJoined: (e: WaitlistEntryFieldsFragment) => void }) {
  const [seats, setSeats] = useState(2);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const join = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const { joinWaitlist } = await request(JoinWaitlistMutation, { showtimeId, seats });
      onJoined(joinWaitlist);
    } catch (err) {
      const reason = err instanceof ApiError ? err.errors[0]?.extensions?.reason : undefined;
      // The line's refusals (already in line, not on sale, the seat cap) are worded for buyers.
      const worded = err instanceof ApiError && (err.code === 'CONFLICT' || err.code === 'LIMIT_REACHED');
      setProblem(reason === 'SEATS_AVAILABLE' ? t.waitlist.seatsAvailable : worded ? err.message : describeError(err));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={join} className="waitlist-join">
      <p>{t.waitlist.intro}</p>
      <label>
        {t.waitlist.seats}
        <select value={seats} onChange={(e) => setSeats(Number(e.target.value))} disabled={busy}>
          {COUNTS.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" className="button-primary" disabled={busy}>
        {busy ? t.waitlist.joining : t.waitlist.join}
      </button>
    </form>
  );
}

function InLine({
  entry: initial,
  onLeft,
  onOffered,
}: {
  entry: WaitlistEntryFieldsFragment;
  onLeft: () => void;
  onOffered?: (bookingId: string) => void;
}) {
  const { entry, refresh } = useLiveEntry(initial);
  const offeredRef = useRef(onOffered);
  offeredRef.current = onOffered;
  useEffect(() => {
    if (entry.status === 'OFFERED') offeredRef.current?.(entry.offerBookingId);
  }, [entry.status, entry.offerBookingId]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const leave = async () => {
    setBusy(true);
    setError(null);
    try {
      await request(LeaveWaitlistMutation, { entryId: entry.id });
      onLeft();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div role="status" aria-live="polite" data-testid="waitlist-entry">
      {entry.status === 'WAITING' && <p>{t.waitlist.waiting(entry.position, entry.seats)}</p>}
      {entry.status === 'OFFERED' && <WaitlistOffer entry={entry} onLapsed={refresh} />}
      {entry.status === 'LAPSED' && <p className="notice">{t.waitlist.lapsed}</p>}
      {entry.status === 'CLAIMED' && <p className="notice notice-ok">{t.waitlist.claimed}</p>}
      {error != null && (
        <p className="notice notice-error" role="alert">
          {describeError(error)}
        </p>
      )}
      {entry.status === 'WAITING' && (
        <button type="button" onClick={leave} disabled={busy}>
          {busy ? t.waitlist.leaving : t.waitlist.leave}
        </button>
      )}
    </div>
  );
}
