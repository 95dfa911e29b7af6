import { useEffect, useSyncExternalStore } from 'react';
import { request } from '../api/client';
import { subscribe as subscribeLive } from '../api/live';
import { graphql } from '../gql';
import type { NotificationAddedSubscription } from '../gql/graphql';

/**
 * The signed-in buyer's unread count, kept live: read once, then raised by each
 * `notificationAdded` and lowered when a notification is marked read. The header's
 * badge and the notifications page read the same number.
 */
export type AddedNotification = NotificationAddedSubscription['notificationAdded'];

const UnreadCountQuery = graphql(`
  query UnreadNotificationCount {
    unreadNotificationCount
  }
`);

const NotificationAddedDocument = graphql(`
  subscription NotificationAdded {
    notificationAdded {
      id
      kind
      title
      body
      bookingId
      supportTicketId
      read
      createdAt
    }
  }
`);

let unread: number | null = null;
const countListeners = new Set<() => void>();
const addedListeners = new Set<(n: AddedNotification) => void>();

function setUnread(next: number | null): void {
  unread = next === null ? null : Math.max(0, next);
  countListeners.forEach((l) => l());
}

/** One notification was marked read. */
export function notificationRead(): void {
  if (unread !== null) setUnread(unread - 1);
}

export function useUnreadCount(): number | null {
  return useSyncExternalStore(
    (l) => {
      countListeners.add(l);
      return () => countListeners.delete(l);
    },
    () => unread,
  );
}

/** Calls `listener` with each notification that arrives while it is registered. */
export function onNotificationAdded(listener: (n: AddedNotification) => void): () => void {
  addedListeners.add(listener);
  return () => addedListeners.delete(listener);
}

/** Keeps the count live for the account `userId` (null when signed out). Mounted once, in the header. */
export function useInboxFeed(userId: string | null): void {
  useEffect(() => {
    if (!userId) {
      setUnread(null);
      return;
    }
    let active = true;
    const refresh = () =>
      request(UnreadCountQuery).then(
        (d) => active && setUnread(d.unreadNotificationCount),
        () => {},
      );
    void refresh();
    const stop = subscribeLive(
      NotificationAddedDocument,
      {},
      ({ notificationAdded }) => {
        if (!active) return;
        if (!notificationAdded.read) setUnread((unread ?? 0) + 1);
        addedListeners.forEach((l) => l(notificationAdded));
      },
      () => {},
    );
    // Coming back online or to the tab: anything missed meanwhile is counted again.
    const again = () => void refresh();
    window.addEventListener('online', again);
    document.addEventListener('visibilitychange', again);
    return () => {
      active = false;
      stop();
      window.removeEventListener('online', again);
      document.removeEventListener('visibilitychange', again);
    };
  }, [userId]);
}
