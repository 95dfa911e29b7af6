import { lazy, Suspense, useEffect, useRef } from 'react';
import { useCity } from './city';
import { CityPicker } from './components/CityPicker';
import { SearchBox } from './components/SearchBox';
import { SiteNav } from './components/SiteNav';
import { t } from './i18n';
import { AccountPage } from './pages/AccountPage';
import { BookingPage } from './pages/BookingPage';
import { BookingsPage } from './pages/BookingsPage';
import { CheckoutPage } from './pages/CheckoutPage';
import { EventPage } from './pages/EventPage';
import { Home } from './pages/Home';
import { MoviePage } from './pages/MoviePage';
import { NotFound } from './pages/NotFound';
import { NotificationsPage } from './pages/NotificationsPage';
import { SeatPickerPage } from './pages/SeatPickerPage';
import { SearchPage } from './pages/Search';
import { SignInPage } from './pages/SignInPage';
import { SignUpPage } from './pages/SignUpPage';
import { Link, paths, useRoute, type Route } from './router';

// The staff panel is its own chunk: buyers never download it.
const AdminApp = lazy(() => import('./admin/AdminApp'));

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
        <SiteNav route={route} />
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
    case 'showtime':
      return <SeatPickerPage key={route.id} id={route.id} />;
    case 'checkout':
      return <CheckoutPage key={route.bookingId} bookingId={route.bookingId} />;
    case 'bookings':
      return <BookingsPage />;
    case 'booking':
      return <BookingPage key={route.id} id={route.id} />;
    case 'notifications':
      return <NotificationsPage />;
    case 'signIn':
      return <SignInPage next={route.next} />;
    case 'signUp':
      return <SignUpPage next={route.next} />;
    case 'account':
      return <AccountPage />;
    case 'admin':
      return (
        <Suspense fallback={<p>{t.loading}</p>}>
          <AdminApp path={route.path} />
        </Suspense>
      );
    case 'notFound':
      return <NotFound />;
  }
}
