/**
 * The buyer's tickets kept on this device, so they open at the door without a network.
 * Saved whenever a confirmed booking is shown online, per account, and wiped on sign-out
 * and account deletion so that the next person on this device never sees them.
 */
const KEY = 'marquee.savedTickets';

export interface SavedTicket {
  code: string;
  row: string;
  number: number;
  status: string;
  qrSvg: string;
}

export interface SavedBooking {
  id: string;
  userId: string;
  status: string;
  totalCents: number;
  currency: string;
  title: string;
  startsAt: string | null;
  timezone: string;
  theatre: string;
  screen: string | null;
  seats: { row: string; number: number }[];
  tickets: SavedTicket[];
  savedAt: string;
}

type Store = Record<string, SavedBooking>;

function read(): Store {
  try {
    const raw = localStorage.getItem(KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Store) : {};
  } catch {
    return {};
  }
}

function write(store: Store): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(store));
  } catch {
    // Storage full or refused: the tickets stay readable online.
  }
}

export function saveBooking(booking: SavedBooking): void {
  const store = read();
  if (booking.tickets.length === 0) delete store[booking.id];
  else store[booking.id] = booking;
  write(store);
}

export function forgetBooking(id: string): void {
  const store = read();
  if (!(id in store)) return;
  delete store[id];
  write(store);
}

export function savedBooking(id: string, userId: string | null): SavedBooking | null {
  const b = read()[id];
  return b && (userId === null || b.userId === userId) ? b : null;
}

export function savedBookings(userId: string | null): SavedBooking[] {
  return Object.values(read())
    .filter((b) => userId === null || b.userId === userId)
    .sort((a, b) => (a.startsAt ?? '').localeCompare(b.startsAt ?? ''));
}

export function clearSavedTickets(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing stored.
  }
}
