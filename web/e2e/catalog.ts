import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the global setup created, for the specs to look for. */
export interface TestCatalog {
  city: string;
  state: string;
  timezone: string;
  theatre: string;
  theatreId: string;
  /** The test screen: rows A `AC__SSSS__CA`, B `SSSS__SSSS`, C `PPPP__PPPP`. */
  screenId: string;
  /** The movie's showtime on that screen (shared: specs that buy make showtimes of their own). */
  showtimeId: string;
  movieId: string;
  movieTitle: string;
  misspelled: string;
  showtimeStartsAt: string;
  eventId: string;
  eventTitle: string;
  eventStartsAt: string;
  currency: string;
  prices: { category: string; priceCents: number }[];
  latitude: number;
  longitude: number;
}

export const catalogFile = () => join(process.env.E2E_DATA_DIR ?? '.', 'e2e-catalog.json');

export function readCatalog(): TestCatalog {
  return JSON.parse(readFileSync(catalogFile(), 'utf8')) as TestCatalog;
}
