import { useState } from 'react';
import { request } from '../../api/client';
import { describeError } from '../../api/errors';
import { useQuery } from '../../api/useQuery';
import { ErrorNotice } from '../../components/ErrorNotice';
import { MyWaitlistQuery, LeaveWaitlistMutation } from '../../components/waitlist/operations';
import { useLiveEntry } from '../../components/waitlist/useLiveEntry';
import { WaitlistOffer } from '../../components/waitlist/WaitlistOffer';
import '../../components/waitlist/waitlist.css';
import { formatDay, formatTime } from '../../format';
import { graphql } from '../../gql';
import type { WaitlistEntryFieldsFragment } from '../../gql/graphql';
import { t } from '../../i18n';
import { Link, paths } from '../../router';

const WaitlistShowtime = graphql(`
  query WaitlistShowtime($id: ID!) {
    showtime(id: $id) {
      ...ShowtimeHeader
    }
  }
`);

/** The buyer's places in waitlists: where each stands, leaving one, and offers to take. */
export function MyWaitlist() {
  const list = useQuery(MyWaitlistQuery, {});
  const entries = list.data?.myWaitlist ?? [];
  return (
    <section className="account-section" aria-labelledby="waitlist-mine-heading">
      <h2 id="waitlist-mine-heading">{t.waitlist.mine}</h2>
      {list.status === 'error' && <ErrorNotice error={list.error} onRetry={list.retry} />}
      {list.data && entries.length === 0 && <p>{t.waitlist.none}</p>}
      {entries.length > 0 && (
        <ul className="waitlist-list" data-testid="my-waitlist">
          {entries.map((e) => (
            <EntryRow key={e.id} entry={e} />
          ))}
        </ul>
      )}
    </section>
  );
}

function EntryRow({ entry: initial }: { entry: WaitlistEntryFieldsFragment }) {
  const { entry, setEntry, refresh } = useLiveEntry(initial);
  const show = useQuery(WaitlistShowtime, { id: entry.showtimeId });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const s = show.data?.showtime;
  const zone = s?.theatre?.timezone ?? 'UTC';
  const what = s
    ? `${s.movie?.title ?? s.event?.title ?? ''}, ${formatDay(s.startsAt, zone)} ${formatTime(s.startsAt, zone)}`
    : t.waitlist.showtime;

  const leave = async () => {
    setBusy(true);
    setError(null);
    try {
      const { leaveWaitlist } = await request(LeaveWaitlistMutation, { entryId: entry.id });
      setEntry(leaveWaitlist);
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };

  return (
    <li data-testid="waitlist-entry">
      <p>
        <strong>{what}</strong>
        {s?.theatre && <span className="muted"> · {s.theatre.name}</span>}
      </p>
      <p>
        {t.waitlist.seatCount(entry.seats)} · <span data-testid="waitlist-status">{t.waitlist.status[entry.status] ?? entry.status}</span>
        {entry.status === 'WAITING' && entry.position ? ` · ${t.waitlist.position(entry.position)}` : ''}
      </p>
      {entry.status === 'OFFERED' && <WaitlistOffer entry={entry} onLapsed={refresh} />}
      {error != null && (
        <p className="notice notice-error" role="alert">
          {describeError(error)}
        </p>
      )}
      <p>
        <Link href={paths.showtime(entry.showtimeId)}>{t.waitlist.openShowtime}</Link>
        {entry.status === 'WAITING' && (
          <>
            {' '}
            <button type="button" onClick={leave} disabled={busy} aria-label={t.waitlist.leaveOf(what)}>
              {busy ? t.waitlist.leaving : t.waitlist.leave}
            </button>
          </>
        )}
      </p>
    </li>
  );
}
