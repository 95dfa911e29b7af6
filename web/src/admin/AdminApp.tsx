import { ErrorNotice } from '../components/ErrorNotice';
import { t } from '../i18n';
import { here, Link, paths } from '../router';
import { useSession } from '../session';
import './admin.css';
import { AnalyticsPage } from './AnalyticsPage';
import { EmailsPage } from './EmailsPage';
import { EventsPage } from './EventsPage';
import { GiftCardsPage } from './GiftCardsPage';
import { MoviesPage } from './MoviesPage';
import { PromotionsPage } from './PromotionsPage';
import { ReviewsPage } from './ReviewsPage';
import { HelpArticlesPage } from './support/HelpArticlesPage';
import { SupportQueue } from './support/SupportQueue';
import { TicketView } from './support/TicketView';
import { JoinPage } from './JoinPage';
import { OrganisationPage } from './OrganisationPage';
import { sectionOf, sectionsFor, type SectionSlug } from './sections';
import { StaffAccessContext, useStaffRoles, type StaffAccess } from './staffAccess';
import { scopeOf, ShowtimesPage } from './ShowtimesPage';
import { TheatrePage } from './TheatrePage';
import { TheatresPage } from './TheatresPage';

/**
 * The staff panel, loaded only when staff open /admin (its code stays out of the buyers'
 * first page): platform admins see every section, an organisation's staff the sections
 * of their roles. `path` is what follows /admin/; /admin/join accepts an invitation.
 */
export default function AdminApp({ path }: { path: string[] }) {
  if (path[0] === 'join') return <JoinPage />;
  return <StaffPanel path={path} />;
}

function StaffPanel({ path }: { path: string[] }) {
  const session = useSession();
  const platform = session.status === 'signedIn' && session.user.role === 'ADMIN';
  const roles = useStaffRoles(platform || session.status !== 'signedIn');
  if (session.status === 'loading') return <p aria-busy="true">{t.loading}</p>;
  if (session.status === 'anonymous') {
    return (
      <section aria-labelledby="admin-h" className="admin-gate">
        <h1 id="admin-h">{t.admin.title}</h1>
        <p>{t.admin.signInFirst}</p>
        <p>
          <Link href={paths.signIn(here())}>{t.admin.signIn}</Link>
        </p>
      </section>
    );
  }
  if (!platform && !roles.data) {
    if (roles.status === 'error') return <ErrorNotice error={roles.error} onRetry={roles.retry} />;
    return <p aria-busy="true">{t.loading}</p>;
  }
  const access: StaffAccess = { platform, roles: roles.data?.myStaffRoles ?? [] };
  if (!platform && access.roles.length === 0) {
    return (
      <section aria-labelledby="admin-h" className="admin-gate">
        <h1 id="admin-h">{t.admin.title}</h1>
        <p>{t.admin.staffOnly}</p>
      </section>
    );
  }
  const visible = sectionsFor(access);
  const section = sectionOf(path[0], visible);
  return (
    <StaffAccessContext.Provider value={access}>
    <div className="admin">
      <h1 className="visually-hidden">{t.admin.title}</h1>
      <nav aria-label={t.admin.nav.label} className="admin-nav">
        <p className="admin-nav-title" aria-hidden="true">
          {t.admin.title}
        </p>
        <ul>
          {visible.map((s) => (
            <li key={s.slug}>
              <Link href={paths.admin(s.slug)} aria-current={section === s.slug ? 'page' : undefined}>
                {s.label()}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="admin-body">
        <Section section={section} rest={path.slice(1)} />
      </div>
    </div>
    </StaffAccessContext.Provider>
  );
}

function Section({ section, rest }: { section: SectionSlug | null; rest: string[] }) {
  switch (section) {
    case 'theatres':
      return rest[0] ? <TheatrePage key={rest[0]} id={rest[0]} /> : <TheatresPage />;
    case 'movies':
      return <MoviesPage />;
    case 'events':
      return <EventsPage />;
    case 'showtimes':
      return <ShowtimesPage scope={scopeOf(rest)} />;
    case 'promotions':
      return <PromotionsPage />;
    case 'analytics':
      return <AnalyticsPage />;
    case 'gift-cards':
      return <GiftCardsPage />;
    case 'support':
      return rest[0] ? <TicketView key={rest[0]} id={rest[0]} /> : <SupportQueue />;
    case 'help-articles':
      return <HelpArticlesPage />;
    case 'organisation':
      return <OrganisationPage />;
    case 'emails':
      return <EmailsPage />;
    case 'reviews':
      return <ReviewsPage />;
    case null:
      return <p>{t.admin.noSuchPage}</p>;
  }
}
