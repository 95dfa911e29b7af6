import { useEffect, useRef, useState } from 'react';
import { request } from '../../api/client';
import { liveClient, subscribe } from '../../api/live';
import { SeatMapQuery, SeatMapUpdates } from './operations';
import { applyChanges, buildLayout, type Seat, type SeatLayout } from './seatLayout';

export type LiveState = 'connecting' | 'live' | 'polling';

/** How often the map is re-read when live updates have stopped. */
const POLL_MS = 5000;

/** User Timing marks, for measuring how fast a live change reaches the screen (devtools, tests). */
export const CHANGE_MARK = 'seat-map-change';

/**
 * The seat map, kept current: first as read with the showtime, then from `seatMapUpdates`
 * (a snapshot replaces it, changes apply seat by seat); when the subscription fails the map
 * is re-read every few seconds instead.
 */
export function useLiveSeats(showtimeId: string, initial: Seat[] | undefined) {
  const [layout, setLayout] = useState<SeatLayout | null>(() => (initial ? buildLayout(initial) : null));
  const [live, setLive] = useState<LiveState>('connecting');

  // The subscription's whole map is newer than the page's first read: once heard, it wins.
  const heard = useRef(false);
  useEffect(() => {
    if (initial && !heard.current) setLayout((prev) => buildLayout(initial, prev ?? undefined));
  }, [initial]);

  useEffect(() => {
    let poll: number | undefined;
    let stopped = false;
    const reread = () =>
      request(SeatMapQuery, { id: showtimeId }).then(
        (data) => {
          const seats = data.showtime?.seatMap.seats;
          if (!stopped && seats) setLayout((prev) => buildLayout(seats, prev ?? undefined));
        },
        () => {
          // The next round tries again; the map on screen stays as last known.
        },
      );
    const startPolling = () => {
      if (stopped || poll !== undefined) return;
      setLive('polling');
      void reread();
      poll = window.setInterval(reread, POLL_MS);
    };
    const stopPolling = () => {
      if (poll !== undefined) window.clearInterval(poll);
      poll = undefined;
    };
    const unsubscribe = subscribe(
      SeatMapUpdates,
      { showtimeId },
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
  }, [showtimeId]);

  return { layout, live };
}
