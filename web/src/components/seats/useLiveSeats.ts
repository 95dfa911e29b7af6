import { useEffect, useRef, useState } from 'react';
import { request } from '../../api/client';
import { liveClient, subscribe } from '../../api/live';
import { FirstSeatMapQuery, SeatMapQuery, SeatMapUpdates } from './operations';
import { applyChanges, buildLayout, type SeatLayout } from './seatLayout';

export type LiveState = 'connecting' | 'live' | 'polling';

/** How often the map is re-read when live updates have stopped. */
const POLL_MS = 5000;

/** User Timing marks, for measuring how fast a live change reaches the screen (devtools, tests). */
export const CHANGE_MARK = 'seat-map-change';

/**
 * The seat map of a showtime (or of one section of its venue), kept current: first as read,
 * then from `seatMapUpdates` (a snapshot replaces it, changes apply seat by seat); when the
 * subscription fails the map is re-read every few seconds instead. Nothing is read while
 * `enabled` is false (a large venue shows its sections first).
 */
export function useLiveSeats(showtimeId: string, sectionId: string | null, enabled = true) {
  const [layout, setLayout] = useState<SeatLayout | null>(null);
  const [live, setLive] = useState<LiveState>('connecting');
  // The subscription's whole map is newer than the first read: once heard, it wins.
  const heard = useRef(false);

  useEffect(() => {
    if (!enabled) return;
    let poll: number | undefined;
    let stopped = false;
    heard.current = false;
    setLayout(null);
    setLive('connecting');
    const reread = (first: boolean) =>
      request(first ? FirstSeatMapQuery : SeatMapQuery, { id: showtimeId, sectionId }).then(
        (data) => {
          const seats = data.showtime?.seatMap.seats;
          if (stopped || !seats || (first && heard.current)) return;
          setLayout((prev) => buildLayout(seats, prev ?? undefined));
        },
        () => {
          // The next round tries again; the map on screen stays as last known.
        },
      );
    const startPolling = () => {
      if (stopped || poll !== undefined) return;
      setLive('polling');
      void reread(false);
      poll = window.setInterval(() => void reread(false), POLL_MS);
    };
    const stopPolling = () => {
      if (poll !== undefined) window.clearInterval(poll);
      poll = undefined;
    };
    void reread(true);
    const unsubscribe = subscribe(
      SeatMapUpdates,
      { showtimeId, sectionId },
      ({ seatMapUpdates: update }) => {
        // A message means the connection is back: its first one is a whole map again.
        stopPolling();
        heard.current = true;
        setLive('live');
        if (update.snapshot) {
          const seats = update.snapshot.seats;
          performance.mark(CHANGE_MARK);
          setLayout((prev) => buildLayout(seats, prev ?? undefined));
        } else if (update.changes.length > 0) {
          performance.mark(CHANGE_MARK);
          setLayout((prev) => (prev ? applyChanges(prev, update.changes) : prev));
        }
      },
      startPolling,
    );
    // While the connection is down (and the client retries it), the map is re-read instead.
    const offClosed = liveClient().on('closed', startPolling);
    return () => {
      stopped = true;
      offClosed();
      unsubscribe();
      stopPolling();
    };
  }, [showtimeId, sectionId, enabled]);

  return { layout, live };
}
