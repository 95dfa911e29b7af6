import { useEffect, useState } from 'react';
import { t } from '../i18n';
import { onNotificationAdded, useInboxFeed, useUnreadCount } from '../notifications/inbox';
import { Link, paths, type Route } from '../router';
import { useSession } from '../session';
import './site-nav.css';

/** The header's links: what's on, and what depends on who is signed in. */
export function SiteNav({ route }: { route: Route }) {
  const session = useSession();
  const signedIn = session.status === 'signedIn';
  useInboxFeed(signedIn ? session.user.id : null);
  const unread = useUnreadCount() ?? 0;
  const [arrived, setArrived] = useState('');
  useEffect(() => onNotificationAdded((n) => setArrived(t.notifications.arrived(n.title))), []);
  const current = (name: Route['name']) => (route.name === name ? 'page' : undefined);
  return (
    <nav aria-label={t.nav.label}>
      <ul>
        <li>
          <Link href={paths.home()} aria-current={current('home')}>
            {t.nav.whatsOn}
          </Link>
        </li>
        <li>
          <Link
            href={paths.help()}
            aria-current={current('help') ?? current('helpArticle') ?? current('contactSupport') ?? current('myTickets') ?? current('myTicket')}
          >
            {t.nav.help}
          </Link>
        </li>
        {signedIn ? (
          <>
            <li>
              <Link href={paths.bookings()} aria-current={current('bookings') ?? current('booking')}>
                {t.nav.bookings}
              </Link>
            </li>
            <li>
              <Link
                href={paths.notifications()}
                aria-current={current('notifications')}
                aria-label={t.nav.notificationsUnread(unread)}
                className="nav-notifications"
              >
                {t.nav.notifications}
                {unread > 0 && (
                  <span className="nav-badge" aria-hidden="true" data-testid="unread-badge">
                    {unread}
                  </span>
                )}
              </Link>
              <span className="visually-hidden" aria-live="polite">
                {arrived}
              </span>
            </li>
            {session.user.role === 'ADMIN' && (
              <li>
                <Link href={paths.admin()} aria-current={current('admin')}>
                  {t.nav.admin}
                </Link>
              </li>
            )}
            <li>
              <Link href={paths.account()} aria-current={current('account')} aria-label={t.nav.account(session.user.name)}>
                {session.user.name}
              </Link>
            </li>
          </>
        ) : (
          <li>
            <Link href={paths.signIn()} aria-current={current('signIn')}>
              {t.nav.signIn}
            </Link>
          </li>
        )}
      </ul>
    </nav>
  );
}
