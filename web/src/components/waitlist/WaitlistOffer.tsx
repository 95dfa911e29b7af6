import type { WaitlistEntryFieldsFragment } from '../../gql/graphql';
import { t } from '../../i18n';
import { Link, paths } from '../../router';
import { HoldCountdown } from '../HoldCountdown';

/**
 * Seats offered from the waitlist: held for this buyer only until the offer runs out,
 * with the way to checkout. `onLapsed` runs when the countdown reaches zero.
 */
export function WaitlistOffer({ entry, onLapsed }: { entry: WaitlistEntryFieldsFragment; onLapsed?: () => void }) {
  return (
    <div className="notice notice-ok waitlist-offer" data-testid="waitlist-offer">
      <p>
        <strong>{t.waitlist.offered}</strong> {t.waitlist.offeredBody}
      </p>
      {entry.offerExpiresAt && <HoldCountdown expiresAt={entry.offerExpiresAt} onExpired={onLapsed} />}
      <p>
        <Link href={paths.checkout(entry.offerBookingId)} className="button-link button-primary">
          {t.waitlist.claim}
        </Link>
      </p>
    </div>
  );
}
