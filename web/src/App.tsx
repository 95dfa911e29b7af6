import { useEffect, useRef } from 'react';
import { useCity } from './city';
import { CityPicker } from './components/CityPicker';
import { SearchBox } from './components/SearchBox';
import { t } from './i18n';
import { EventPage } from './pages/EventPage';
import { Home } from './pages/Home';
import { MoviePage } from './pages/MoviePage';
import { NotFound } from './pages/NotFound';
import { SearchPage } from './pages/Search';
import { Link, paths, useRoute, type Route } from './router';

export function App() {
  const route = useRoute();
  const [city, setCity] = useCity();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After a client-side page change, move focus to the new page so screen readers announce it.
  const routeKey = JSON.stringify(route);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [routeKey]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header className="site-header">
        <Link href={paths.home()} className="brand">
          {t.appName}
        </Link>
        <nav aria-label={t.nav.label}>
          <ul>
            <li>
              <Link href={paths.home()} aria-current={route.name === 'home' ? 'page' : undefined}>
                {t.nav.whatsOn}
              </Link>
            </li>
            {/* My bookings, signing in and the staff panel (/admin) join here in later slices. */}
          </ul>
        </nav>
        <SearchBox initial={route.name === 'search' ? route.query : ''} />
        <CityPicker city={city} onChange={setCity} />
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Page route={route} city={city} />
      </main>
    </>
  );
}

function Page({ route, city }: { route: Route; city: ReturnType<typeof useCity>[0] }) {
  switch (route.name) {
    case 'home':
      return <Home city={city} />;
    case 'search':
      return <SearchPage query={route.query} />;
    case 'movie':
      return <MoviePage key={route.id} id={route.id} city={city} />;
    case 'event':
      return <EventPage key={route.id} id={route.id} city={city} />;
    case 'notFound':
      return <NotFound />;
  }
}
