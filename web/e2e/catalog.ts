import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the global setup created, for the specs to look for. */
export interface TestCatalog {
  city: string;
  state: string;
  timezone: string;
  theatre: string;
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
