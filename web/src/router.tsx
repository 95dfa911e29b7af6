import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/**
 * Client-side routing over the History API: a few paths need no router library.
 *
 * The app's places, present and to come:
 *   /                   what's on, by city and date (home)
 *   /search?q=…         search results
 *   /movies/:id         a movie, its reviews and showtimes
 *   /events/:id         a live event and its showtimes
 *   /showtimes/:id      the seat picker                  (later slice)
 *   /checkout/:booking  checkout                         (later slice)
 *   /bookings           my bookings and tickets          (later slice)
 *   /admin              the staff panel                  (later slice)
 */
export type Route =
  | { name: 'home' }
  | { name: 'search'; query: string }
  | { name: 'movie'; id: string }
  | { name: 'event'; id: string }
  | { name: 'notFound' };

export function parseRoute(pathname: string, search: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'home' };
  if (parts[0] === 'search' && parts.length === 1) {
    return { name: 'search', query: new URLSearchParams(search).get('q') ?? '' };
  }
  if (parts[0] === 'movies' && parts.length === 2 && parts[1]) return { name: 'movie', id: parts[1] };
  if (parts[0] === 'events' && parts.length === 2 && parts[1]) return { name: 'event', id: parts[1] };
  return { name: 'notFound' };
}

export const paths = {
  home: () => '/',
  search: (q: string) => `/search?q=${encodeURIComponent(q)}`,
  movie: (id: string) => `/movies/${encodeURIComponent(id)}`,
  event: (id: string) => `/events/${encodeURIComponent(id)}`,
};

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const location = () => window.location.pathname + window.location.search;

export function navigate(to: string): void {
  if (to === location()) return;
  window.history.pushState(null, '', to);
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
