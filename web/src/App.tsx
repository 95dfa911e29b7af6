import { lazy, Suspense, useEffect, useRef } from 'react';
import { useCity } from './city';
import { CityPicker } from './components/CityPicker';
import { SearchBox } from './components/SearchBox';
import { SiteNav } from './components/SiteNav';
import { t } from './i18n';
import { Home } from './pages/Home';
import { NotFound } from './pages/NotFound';
import { Link, paths, useRoute, type Route } from './router';

// Every page but the first is a chunk of its own, fetched when the buyer goes there, so
// the first page loads only what it shows; the staff panel is never fetched by buyers.
const AccountPage = lazy(() => import('./pages/AccountPage').then((m) => ({ default: m.AccountPage })));
const BookingPage = lazy(() => import('./pages/BookingPage').then((m) => ({ default: m.BookingPage })));
const BookingsPage = lazy(() => import('./pages/BookingsPage').then((m) => ({ default: m.BookingsPage })));
const CheckoutPage = lazy(() => import('./pages/CheckoutPage').then((m) => ({ default: m.CheckoutPage })));
const ContactSupport = lazy(() => import('./pages/help/ContactSupport').then((m) => ({ default: m.ContactSupport })));
const EventPage = lazy(() => import('./pages/EventPage').then((m) => ({ default: m.EventPage })));
const HelpArticlePage = lazy(() => import('./pages/help/HelpArticlePage').then((m) => ({ default: m.HelpArticlePage })));
const HelpCenter = lazy(() => import('./pages/help/HelpCenter').then((m) => ({ default: m.HelpCenter })));
const MoviePage = lazy(() => import('./pages/MoviePage').then((m) => ({ default: m.MoviePage })));
const MyTickets = lazy(() => import('./pages/help/MyTickets').then((m) => ({ default: m.MyTickets })));
const MyTicketPage = lazy(() => import('./pages/help/TicketPage').then((m) => ({ default: m.TicketPage })));
const NotificationsPage = lazy(() => import('./pages/NotificationsPage').then((m) => ({ default: m.NotificationsPage })));
const SeatPickerPage = lazy(() => import('./pages/SeatPickerPage').then((m) => ({ default: m.SeatPickerPage })));
const SearchPage = lazy(() => import('./pages/Search').then((m) => ({ default: m.SearchPage })));
const SignInPage = lazy(() => import('./pages/SignInPage').then((m) => ({ default: m.SignInPage })));
const SignUpPage = lazy(() => import('./pages/SignUpPage').then((m) => ({ default: m.SignUpPage })));
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
        <Suspense fallback={<p role="status">{t.loading}</p>}>
          <Page route={route} city={city} />
        </Suspense>
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
    case 'help':
      return <HelpCenter key={route.query} query={route.query} />;
    case 'helpArticle':
      return <HelpArticlePage key={route.id} id={route.id} />;
    case 'contactSupport':
      return <ContactSupport key={route.bookingId ?? ''} bookingId={route.bookingId} />;
    case 'myTickets':
      return <MyTickets />;
    case 'myTicket':
      return <MyTicketPage key={route.id} id={route.id} />;
    case 'signIn':
      return <SignInPage next={route.next} />;
    case 'signUp':
      return <SignUpPage next={route.next} />;
    case 'account':
      return <AccountPage />;
    case 'admin':
      return <AdminApp path={route.path} />;
    case 'notFound':
      return <NotFound />;
  }
}
