import { t } from '../i18n';
import { Link, paths, type Route } from '../router';
import { useSession } from '../session';

/** The header's links: what's on, and what depends on who is signed in. */
export function SiteNav({ route }: { route: Route }) {
  const session = useSession();
  const current = (name: Route['name']) => (route.name === name ? 'page' : undefined);
  return (
    <nav aria-label={t.nav.label}>
      <ul>
        <li>
          <Link href={paths.home()} aria-current={current('home')}>
            {t.nav.whatsOn}
          </Link>
        </li>
        {session.status === 'signedIn' ? (
          <>
            <li>
              <Link href={paths.bookings()} aria-current={current('bookings')}>
                {t.nav.bookings}
              </Link>
            </li>
            {session.user.role === 'ADMIN' && (
              <li>
                <Link href={paths.admin()} aria-current={current('admin')}>
                  {t.nav.admin}
                </Link>
              </li>
            )}
            <li>
              <Link href={paths.account()} aria-current={current('account')}>
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
