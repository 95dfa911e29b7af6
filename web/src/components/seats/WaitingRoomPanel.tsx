import { useEffect, useState } from 'react';
import { describeError } from '../../api/errors';
import { t } from '../../i18n';
import { Link, here, paths } from '../../router';
import type { Place } from './useWaitingRoom';

/** The line before a hot showtime's seats: place, an honest estimate, and a way out. */
export function WaitingRoomPanel({
  signedIn,
  place,
  minutes,
  error,
  left,
  lapsed,
  onLeave,
  onJoin,
}: {
  signedIn: boolean;
  place: Place | null;
  minutes: number | null;
  error: unknown;
  left: boolean;
  lapsed: boolean;
  onLeave: () => void;
  onJoin: () => void;
}) {
  return (
    <section className="waiting-room" aria-labelledby="waiting-room-heading" data-testid="waiting-room">
      <h2 id="waiting-room-heading">{t.waitingRoom.title}</h2>
      <p>{t.waitingRoom.intro}</p>
      {!signedIn ? (
        <p>
          <Link href={paths.signIn(here())} className="button-link button-primary">
            {t.waitingRoom.signIn}
          </Link>
        </p>
      ) : place?.status === 'WAITING' ? (
        <>
          <div role="status" aria-live="polite" aria-atomic="true" className="waiting-room-place">
            <p className="waiting-room-position">
              {place.position != null ? t.waitingRoom.position(place.position) : t.waitingRoom.joining}
            </p>
            <p>{minutes != null ? t.waitingRoom.eta(minutes) : t.waitingRoom.etaUnknown}</p>
          </div>
          <p className="muted">{t.waitingRoom.keepOpen}</p>
          <button type="button" onClick={onLeave}>
            {t.waitingRoom.leave}
          </button>
        </>
      ) : place?.status === 'NOT_IN_LINE' ? (
        <>
          <p role="status">{left ? t.waitingRoom.left : lapsed ? t.waitingRoom.lapsed : t.waitingRoom.notInLine}</p>
          <button type="button" onClick={onJoin}>
            {t.waitingRoom.join}
          </button>
        </>
      ) : (
        <p aria-busy="true">{t.waitingRoom.joining}</p>
      )}
      {error != null && (
        <p className="notice notice-error" role="alert">
          {describeError(error)}
        </p>
      )}
      <p className="muted">{t.waitingRoom.mapReadOnly}</p>
    </section>
  );
}

function remaining(until: string): number {
  return Math.max(0, Math.ceil((Date.parse(until) - Date.now()) / 1000));
}

/** How long the buyer's turn lasts; heard once a minute and in the last half minute. */
export function AdmissionCountdown({ until }: { until: string }) {
  const [left, setLeft] = useState(() => remaining(until));
  useEffect(() => {
    const timer = window.setInterval(() => setLeft(remaining(until)), 250);
    return () => window.clearInterval(timer);
  }, [until]);
  const minutes = Math.floor(left / 60);
  const seconds = left % 60;
  const announce = left <= 30 || seconds === 0;
  return (
    <p className="admission-countdown" data-testid="admission-countdown">
      <span aria-hidden="true">{t.waitingRoom.admittedUntil(`${minutes}:${String(seconds).padStart(2, '0')}`)}</span>
      <span className="visually-hidden" role="timer" aria-live={announce ? 'polite' : 'off'}>
        {t.waitingRoom.admittedSpoken(minutes, seconds)}
      </span>
    </p>
  );
}
