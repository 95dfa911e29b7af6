/**
 * The reviews this browser wrote, by account and movie. The API lists reviews without
 * telling whose they are (no author id, no "my review" field), so the id `addReview`
 * answers with is the only way to find the buyer's own review again to edit or delete it.
 * Its stars and text are kept with it, so it shows even when off the movie's first page.
 */
const KEY = 'marquee.ownReviews';

export interface OwnReview {
  id: string;
  rating: number;
  body: string;
}

type Store = Record<string, Record<string, OwnReview>>;

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
    // Storage refused (private mode): the review stays editable until the page closes.
  }
}

export function ownReview(userId: string, movieId: string): OwnReview | null {
  return read()[userId]?.[movieId] ?? null;
}

export function rememberReview(userId: string, movieId: string, review: OwnReview): void {
  const store = read();
  store[userId] = { ...store[userId], [movieId]: review };
  write(store);
}

export function forgetReview(userId: string, movieId: string): void {
  const store = read();
  const mine = store[userId];
  if (!mine?.[movieId]) return;
  delete mine[movieId];
  write(store);
}
