import { useSyncExternalStore } from 'react';
import { request } from './api/client';
import { ApiError } from './api/errors';
import { resetLive } from './api/live';
import { getToken, setToken } from './api/token';
import { graphql } from './gql';
import type { MeQuery } from './gql/graphql';
import { clearSavedTickets } from './offline/savedTickets';

/** The signed-in account as the app knows it. */
export type SessionUser = MeQuery['me'];

export type Session =
  | { status: 'loading'; user: null }
  | { status: 'anonymous'; user: null }
  | { status: 'signedIn'; user: SessionUser };

const MeDocument = graphql(`
  query Me {
    me {
      id
      email
      name
      role
    }
  }
`);

/** The account last seen with the kept token: lets saved tickets open while offline. */
const USER_KEY = 'marquee.user';

function keptUser(): SessionUser | null {
  try {
    const raw = localStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as SessionUser) : null;
  } catch {
    return null;
  }
}

function keepUser(user: SessionUser | null): void {
  try {
    if (user) localStorage.setItem(USER_KEY, JSON.stringify(user));
    else localStorage.removeItem(USER_KEY);
  } catch {
    // Storage refused: offline the app reads as signed out.
  }
}

let session: Session = getToken() ? { status: 'loading', user: null } : { status: 'anonymous', user: null };
const listeners = new Set<() => void>();

function set(next: Session): void {
  session = next;
  listeners.forEach((l) => l());
}

/** Reads the account behind a kept token once at start; a token the server refuses is dropped. */
function load(): void {
  if (!getToken()) return;
  request(MeDocument).then(
    ({ me }) => {
      keepUser(me);
      set({ status: 'signedIn', user: me });
    },
    (error: unknown) => {
      if (error instanceof ApiError && (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN')) {
        endSession();
      } else if (error instanceof ApiError && error.code === 'NETWORK' && keptUser()) {
        // Offline: the account last seen with this token, so its saved tickets can be shown.
        set({ status: 'signedIn', user: keptUser() as SessionUser });
      } else {
        // The server could not be asked: keep the token and try again on the next visit.
        set({ status: 'anonymous', user: null });
      }
    },
  );
}
if (typeof window !== 'undefined') load();

/** After signing up or in: keep the token, and reopen live updates under it. */
export function startSession(token: string, user: SessionUser): void {
  if (keptUser()?.id !== user.id) clearSavedTickets();
  setToken(token);
  keepUser(user);
  resetLive();
  set({ status: 'signedIn', user });
}

/** After logging out or deleting the account (or a token the server no longer takes). */
export function endSession(): void {
  setToken(null);
  keepUser(null);
  clearSavedTickets();
  resetLive();
  set({ status: 'anonymous', user: null });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session {
  return useSyncExternalStore(subscribe, () => session);
}
