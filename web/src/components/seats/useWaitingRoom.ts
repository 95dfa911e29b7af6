import { useCallback, useEffect, useRef, useState } from 'react';
import { request } from '../../api/client';
import type { WaitingRoomFieldsFragment } from '../../gql/graphql';
import { EnterWaitingRoom, LeaveWaitingRoom, WaitingRoomPlace } from './operations';

/** How long one ask waits on the server for an admission (the API allows up to 30 s). */
const WAIT_MS = 10_000;

export type Place = WaitingRoomFieldsFragment;

interface Sample {
  at: number;
  position: number;
}

/**
 * Minutes left in line, judged only from how fast this buyer's own place has moved since
 * they joined; null until it has moved at all (then there is nothing honest to say).
 */
export function estimateMinutes(samples: Sample[], now = Date.now()): number | null {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || last.position >= first.position) return null;
  const perMs = (first.position - last.position) / Math.max(1, last.at - first.at);
  const msLeft = last.position / perMs - (now - last.at);
  return Math.max(0, Math.round(msLeft / 60_000));
}

const sleep = (ms: number) => new Promise((r) => window.setTimeout(r, ms));

/**
 * The buyer's place in a showtime's waiting room: entered on arrival, then asked again
 * and again with a long poll that the server answers as soon as the buyer is admitted.
 */
export function useWaitingRoom(showtimeId: string, enabled: boolean) {
  const [place, setPlace] = useState<Place | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [minutes, setMinutes] = useState<number | null>(null);
  const [run, setRun] = useState<{ round: number; enter: boolean }>({ round: 0, enter: true });
  const samples = useRef<Sample[]>([]);

  useEffect(() => {
    if (!enabled) return;
    let alive = true;
    (async () => {
      try {
        let next = await request(WaitingRoomPlace, { showtimeId, waitMs: 0 }).then((d) => d.waitingRoom);
        if (next.status === 'NOT_IN_LINE' && run.enter) {
          next = await request(EnterWaitingRoom, { showtimeId }).then((d) => d.enterWaitingRoom);
        }
        while (alive) {
          setPlace(next);
          setError(null);
          if (next.status !== 'WAITING') break;
          if (next.position != null) {
            samples.current.push({ at: Date.now(), position: next.position });
            setMinutes(estimateMinutes(samples.current));
          }
          const asked = Date.now();
          next = await request(WaitingRoomPlace, { showtimeId, waitMs: WAIT_MS }).then((d) => d.waitingRoom);
          // A server that answered at once (no long poll) asks to be given some time.
          const early = next.retryAfterMs - (Date.now() - asked);
          if (next.status === 'WAITING' && early > 0) await sleep(Math.min(early, WAIT_MS));
        }
      } catch (e) {
        if (!alive) return;
        setError(e);
        // Try again shortly: a passing failure must not drop the buyer out of line.
        await sleep(3000);
        if (alive) setRun((r) => ({ round: r.round + 1, enter: r.enter }));
      }
    })();
    return () => {
      alive = false;
    };
  }, [showtimeId, enabled, run]);

  // An unused admission lapses at its end: look again then.
  useEffect(() => {
    if (place?.status !== 'ADMITTED' || !place.admittedUntil) return;
    const timer = window.setTimeout(
      () => setRun((r) => ({ round: r.round + 1, enter: false })),
      Math.max(0, Date.parse(place.admittedUntil) - Date.now()) + 500,
    );
    return () => window.clearTimeout(timer);
  }, [place]);

  const join = useCallback(() => {
    samples.current = [];
    setMinutes(null);
    setRun((r) => ({ round: r.round + 1, enter: true }));
  }, []);

  /** Look again without taking a place, e.g. after a hold has used the admission. */
  const refresh = useCallback(() => setRun((r) => ({ round: r.round + 1, enter: false })), []);

  const leave = useCallback(async () => {
    try {
      const { leaveWaitingRoom } = await request(LeaveWaitingRoom, { showtimeId });
      samples.current = [];
      setMinutes(null);
      // Stop the long poll: the place it asks about is gone.
      setRun((r) => ({ round: r.round + 1, enter: false }));
      setPlace(leaveWaitingRoom);
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  }, [showtimeId]);

  return { place, error, minutes, join, leave, refresh };
}
