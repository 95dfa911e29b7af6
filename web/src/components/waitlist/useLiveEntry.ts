import { useCallback, useEffect, useState } from 'react';
import { request } from '../../api/client';
import { subscribe } from '../../api/live';
import type { WaitlistEntryFieldsFragment } from '../../gql/graphql';
import { OfferStatusSubscription, WaitlistEntryQuery } from './operations';

// While waiting, the place in line moves as others leave or are served: read it now and then.
const POSITION_POLL_MS = 10_000;

/**
 * A waitlist entry kept current: the offer arrives on its booking's `bookingStatus` (the
 * entry is read again then), and the place in line is read again every few seconds.
 */
export function useLiveEntry(initial: WaitlistEntryFieldsFragment) {
  const [entry, setEntry] = useState(initial);
  const { id, offerBookingId } = initial;
  const active = entry.status === 'WAITING' || entry.status === 'OFFERED';

  const refresh = useCallback(() => {
    request(WaitlistEntryQuery, { id }).then(
      ({ waitlistEntry }) => setEntry(waitlistEntry),
      () => {
        // Kept as it was; the next message or poll tries again.
      },
    );
  }, [id]);

  useEffect(() => setEntry(initial), [initial]);

  useEffect(() => {
    if (!active) return;
    return subscribe(OfferStatusSubscription, { bookingId: offerBookingId }, () => refresh(), () => {});
  }, [active, offerBookingId, refresh]);

  useEffect(() => {
    if (entry.status !== 'WAITING') return;
    const timer = window.setInterval(refresh, POSITION_POLL_MS);
    return () => window.clearInterval(timer);
  }, [entry.status, refresh]);

  return { entry, setEntry, refresh };
}
