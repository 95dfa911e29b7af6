import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/**
 * Client-side routing over the History API: a few paths need no router library.
 *
 * The app's places, present and to come:
 *   /                   what's on, by city and date (home)
 *   /search?q=…         search results
 *   /movies/:id         a movie, its reviews and showtimes
 *   /events/:id         a live event and its showtimes
 *   /showtimes/:id      the seat picker (and its waiting room)
 *   /checkout/:booking  checkout: totals, promo code, payment, 3-D Secure
 *   /bookings           my bookings
 *   /bookings/:id       one booking: tickets with QR codes, cancel, live status
 *   /notifications      the inbox
 *   /help?q=…           the help center: articles by category, or those matching q
 *   /help/articles/:id  one help article
 *   /help/contact?booking=…  open a support ticket, optionally about a booking
 *   /help/tickets       my support tickets     /help/tickets/:id  one ticket's conversation
 *   /signin?next=…      log in      /signup?next=…  sign up      /account  the account
 *   /admin/…            the staff panel (admins only; its own sub-routes)
 */
export type Route =
  | { name: 'home' }
  | { name: 'search'; query: string }
  | { name: 'movie'; id: string }
  | { name: 'event'; id: string }
  | { name: 'showtime'; id: string }
  | { name: 'checkout'; bookingId: string }
  | { name: 'bookings' }
  | { name: 'booking'; id: string }
  | { name: 'notifications' }
  | { name: 'help'; query: string }
  | { name: 'helpArticle'; id: string }
  | { name: 'contactSupport'; bookingId: string | null }
  | { name: 'myTickets' }
  | { name: 'myTicket'; id: string }
  | { name: 'signIn'; next: string }
  | { name: 'signUp'; next: string }
  | { name: 'account' }
  | { name: 'admin'; path: string[] }
  | { name: 'notFound' };

/** Where to go after signing in: only a path of this app, never another site. */
function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function parseRoute(pathname: string, search: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'home' };
  if (parts[0] === 'search' && parts.length === 1) {
    return { name: 'search', query: new URLSearchParams(search).get('q') ?? '' };
  }
  if (parts[0] === 'movies' && parts.length === 2 && parts[1]) return { name: 'movie', id: parts[1] };
  if (parts[0] === 'events' && parts.length === 2 && parts[1]) return { name: 'event', id: parts[1] };
  if (parts[0] === 'showtimes' && parts.length === 2 && parts[1]) return { name: 'showtime', id: parts[1] };
  if (parts[0] === 'checkout' && parts.length === 2 && parts[1]) return { name: 'checkout', bookingId: parts[1] };
  if (parts[0] === 'bookings' && parts.length === 1) return { name: 'bookings' };
  if (parts[0] === 'bookings' && parts.length === 2 && parts[1]) return { name: 'booking', id: parts[1] };
  if (parts[0] === 'notifications' && parts.length === 1) return { name: 'notifications' };
  if (parts[0] === 'help') return helpRoute(parts.slice(1), search);
  if (parts[0] === 'signin' && parts.length === 1) return { name: 'signIn', next: nextPath(search) };
  if (parts[0] === 'signup' && parts.length === 1) return { name: 'signUp', next: nextPath(search) };
  if (parts[0] === 'account' && parts.length === 1) return { name: 'account' };
  if (parts[0] === 'admin') return { name: 'admin', path: parts.slice(1) };
  return { name: 'notFound' };
}

function helpRoute(rest: string[], search: string): Route {
  const params = new URLSearchParams(search);
  if (rest.length === 0) return { name: 'help', query: params.get('q') ?? '' };
  if (rest[0] === 'articles' && rest.length === 2 && rest[1]) return { name: 'helpArticle', id: rest[1] };
  if (rest[0] === 'contact' && rest.length === 1) return { name: 'contactSupport', bookingId: params.get('booking') || null };
  if (rest[0] === 'tickets' && rest.length === 1) return { name: 'myTickets' };
  if (rest[0] === 'tickets' && rest.length === 2 && rest[1]) return { name: 'myTicket', id: rest[1] };
  return { name: 'notFound' };
}

export const paths = {
  home: () => '/',
  search: (q: string) => `/search?q=${encodeURIComponent(q)}`,
  movie: (id: string) => `/movies/${encodeURIComponent(id)}`,
  event: (id: string) => `/events/${encodeURIComponent(id)}`,
  showtime: (id: string) => `/showtimes/${encodeURIComponent(id)}`,
  checkout: (bookingId: string) => `/checkout/${encodeURIComponent(bookingId)}`,
  bookings: () => '/bookings',
  booking: (id: string) => `/bookings/${encodeURIComponent(id)}`,
  notifications: () => '/notifications',
  help: (q?: string) => (q ? `/help?q=${encodeURIComponent(q)}` : '/help'),
  helpArticle: (id: string) => `/help/articles/${encodeURIComponent(id)}`,
  contactSupport: (bookingId?: string) =>
    bookingId ? `/help/contact?booking=${encodeURIComponent(bookingId)}` : '/help/contact',
  myTickets: () => '/help/tickets',
  myTicket: (id: string) => `/help/tickets/${encodeURIComponent(id)}`,
  signIn: (next?: string) => (next ? `/signin?next=${encodeURIComponent(next)}` : '/signin'),
  signUp: (next?: string) => (next ? `/signup?next=${encodeURIComponent(next)}` : '/signup'),
  account: () => '/account',
  admin: (...rest: string[]) => ['/admin', ...rest.map(encodeURIComponent)].join('/'),
};

/** The current path and query, e.g. to come back here after signing in. */
export const here = () => window.location.pathname + window.location.search;

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const location = here;

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === location()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  listeners.forEach((l) => l());
}

export function useRoute(): Route {
  const href = useSyncExternalStore(subscribe, location);
  const url = new URL(href, window.location.origin);
  return parseRoute(url.pathname, url.search);
}

/** An ordinary link that changes page without reloading the app. */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}
