import { t } from '../i18n';
import { here, Link, paths } from '../router';
import { useSession } from '../session';
import './admin.css';
import { EmailsPage } from './EmailsPage';
import { EventsPage } from './EventsPage';
import { MoviesPage } from './MoviesPage';
import { PromotionsPage } from './PromotionsPage';
import { ReviewsPage } from './ReviewsPage';
import { SECTIONS, sectionOf, type SectionSlug } from './sections';
import { scopeOf, ShowtimesPage } from './ShowtimesPage';
import { TheatrePage } from './TheatrePage';
import { TheatresPage } from './TheatresPage';

/**
 * The staff panel, loaded only when an admin opens /admin (its code stays out of the
 * buyers' first page). `path` is what follows /admin/.
 */
export default function AdminApp({ path }: { path: string[] }) {
  const session = useSession();
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
  if (session.user.role !== 'ADMIN') {
    return (
      <section aria-labelledby="admin-h" className="admin-gate">
        <h1 id="admin-h">{t.admin.title}</h1>
        <p>{t.admin.staffOnly}</p>
      </section>
    );
  }
  const section = sectionOf(path[0]);
  return (
    <div className="admin">
      <h1 className="visually-hidden">{t.admin.title}</h1>
      <nav aria-label={t.admin.nav.label} className="admin-nav">
        <p className="admin-nav-title" aria-hidden="true">
          {t.admin.title}
        </p>
        <ul>
          {SECTIONS.map((s) => (
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
    case 'emails':
      return <EmailsPage />;
    case 'reviews':
      return <ReviewsPage />;
    case null:
      return <p>{t.admin.noSuchPage}</p>;
  }
}
