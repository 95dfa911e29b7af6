import { useEffect, useState } from 'react';
import { request } from '../api/client';
import { describeError } from '../api/errors';
import { ErrorNotice } from '../components/ErrorNotice';
import { RequireSignIn } from '../components/RequireSignIn';
import { graphql } from '../gql';
import type { NotificationsPageQuery } from '../gql/graphql';
import { locale, t } from '../i18n';
import { notificationRead, onNotificationAdded } from '../notifications/inbox';
import { Link, paths } from '../router';
import './notifications/notifications.css';

type Item = NotificationsPageQuery['notifications']['nodes'][number];

const NotificationsQuery = graphql(`
  query NotificationsPage($after: String) {
    notifications(first: 20, after: $after) {
      nodes {
        id
        kind
        title
        body
        bookingId
        supportTicketId
        read
        createdAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const MarkReadMutation = graphql(`
  mutation MarkNotificationRead($id: ID!) {
    markNotificationRead(id: $id) {
      id
      read
    }
  }
`);

const timeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });

export function NotificationsPage() {
  return <RequireSignIn>{() => <Inbox />}</RequireSignIn>;
}

function Inbox() {
  const [items, setItems] = useState<Item[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let active = true;
    request(NotificationsQuery, { after: null }).then(
      ({ notifications }) => {
        if (!active) return;
        // Anything that arrived live while the first page loaded stays on top.
        setItems((live) => merge(live ?? [], notifications.nodes));
        setCursor(notifications.pageInfo.endCursor);
        setMore(notifications.pageInfo.hasNextPage);
        setError(null);
      },
      (err: unknown) => active && setError(err),
    );
    return () => {
      active = false;
    };
  }, [attempt]);

  useEffect(() => onNotificationAdded((n) => setItems((list) => merge([n], list ?? []))), []);

  const loadMore = async () => {
    try {
      const { notifications } = await request(NotificationsQuery, { after: cursor });
      setItems((list) => merge(list ?? [], notifications.nodes));
      setCursor(notifications.pageInfo.endCursor);
      setMore(notifications.pageInfo.hasNextPage);
    } catch (err) {
      setActionError(describeError(err));
    }
  };

  const markRead = async (id: string) => {
    setActionError(null);
    try {
      const wasUnread = items?.some((n) => n.id === id && !n.read) ?? false;
      await request(MarkReadMutation, { id });
      setItems((list) => (list ?? []).map((n) => (n.id === id ? { ...n, read: true } : n)));
      if (wasUnread) notificationRead();
    } catch (err) {
      setActionError(describeError(err));
    }
  };

  if (error && !items) return <ErrorNotice error={error} onRetry={() => setAttempt((n) => n + 1)} />;
  if (!items) return <p aria-busy="true">{t.loading}</p>;
  return (
    <section aria-labelledby="notifications-heading">
      <h1 id="notifications-heading">{t.notifications.title}</h1>
      <p className="muted">{t.notifications.unreadCount(items.filter((n) => !n.read).length)}</p>
      <div role="alert">{actionError && <p className="form-error">{actionError}</p>}</div>
      {items.length === 0 ? (
        <p>{t.notifications.none}</p>
      ) : (
        <ul className="inbox" aria-labelledby="notifications-heading" aria-live="polite" aria-relevant="additions">
          {items.map((n) => (
            <li key={n.id} className={n.read ? 'inbox-item' : 'inbox-item inbox-unread'} data-testid="notification">
              <div className="inbox-head">
                <h2 className="inbox-title">
                  {!n.read && <span className="inbox-badge">{t.notifications.unread}</span>}
                  {n.read && <span className="visually-hidden">{t.notifications.read}: </span>}
                  {n.title}
                </h2>
                <time dateTime={n.createdAt} className="muted">
                  {timeFormat.format(new Date(n.createdAt))}
                </time>
              </div>
              <p>{n.body}</p>
              <div className="inbox-actions">
                {n.bookingId && n.kind === 'waitlist.offered' && (
                  <Link href={paths.checkout(n.bookingId)}>{t.notifications.claimOffer}</Link>
                )}
                {n.bookingId && n.kind !== 'waitlist.offered' && (
                  <Link href={paths.booking(n.bookingId)}>{t.notifications.seeBooking}</Link>
                )}
                {n.kind === 'title.on_sale' && <Link href={paths.account()}>{t.alerts.mine}</Link>}
                {n.kind === 'support.reply' &&
                  (n.supportTicketId ? (
                    <Link href={paths.myTicket(n.supportTicketId)}>{t.notifications.seeTicket}</Link>
                  ) : (
                    <Link href={paths.myTickets()}>{t.notifications.seeTickets}</Link>
                  ))}
                {!n.read && (
                  <button type="button" onClick={() => markRead(n.id)} aria-label={t.notifications.markReadOf(n.title)}>
                    {t.notifications.markRead}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {more && (
        <button type="button" onClick={loadMore}>
          {t.notifications.more}
        </button>
      )}
    </section>
  );
}

/** Newest first, each notification once. */
function merge(first: Item[], second: Item[]): Item[] {
  const seen = new Set<string>();
  return [...first, ...second]
    .filter((n) => (seen.has(n.id) ? false : (seen.add(n.id), true)))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
