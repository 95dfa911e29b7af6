import { useEffect, type ReactNode } from 'react';
import { t } from '../i18n';
import { here, navigate, paths } from '../router';
import { useSession, type SessionUser } from '../session';

/** Pages of the buyer's own: sends anyone signed out to sign in, and back here after. */
export function RequireSignIn({ children }: { children: (user: SessionUser) => ReactNode }) {
  const session = useSession();
  useEffect(() => {
    if (session.status === 'anonymous') navigate(paths.signIn(here()), { replace: true });
  }, [session.status]);
  if (session.status !== 'signedIn') return <p aria-busy="true">{t.loading}</p>;
  return <>{children(session.user)}</>;
}
