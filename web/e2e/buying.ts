import type { Page, TestInfo } from '@playwright/test';
import { adminToken, gql, signUpBuyer, STANDARD_PRICES } from './api';
import { readCatalog } from './catalog';

/**
 * Data for the buying specs, made through the API: a showtime of the spec's own, seats
 * held by a buyer, promotions. One buyer per spec file and project keeps sign-ups (rate
 * limited per address) few.
 */
const catalog = readCatalog();

export type Buyer = Awaited<ReturnType<typeof signUpBuyer>>;

const buyers = new Map<string, Promise<Buyer>>();

export function buyerFor(testInfo: TestInfo, file: string): Promise<Buyer> {
  const key = `${file}:${testInfo.project.name}`;
  let buyer = buyers.get(key);
  if (!buyer) {
    buyer = signUpBuyer(`Buyer ${testInfo.project.name}`);
    buyers.set(key, buyer);
  }
  return buyer;
}

// Log-ins are rate limited per address: the admin logs in once per spec file.
let admin: Promise<string> | null = null;
const asAdmin = () => (admin ??= adminToken());

let screens = 0;

/** A showtime of six standard seats (12.50 each) on a screen of its own, a day and a half away. */
export async function sixSeatShowtime(): Promise<{ showtimeId: string; seats: { id: string; row: string; number: number }[] }> {
  const token = await asAdmin();
  const { createScreen } = await gql<{ createScreen: { id: string } }>(
    'mutation($t: ID!, $n: String!, $l: ScreenLayoutInput!) { createScreen(theatreId: $t, name: $n, layout: $l) { id } }',
    { t: catalog.theatreId, n: `Buy ${process.pid}-${Date.now()}-${++screens}`, l: { rows: [{ label: 'A', seats: 'SSSSSS' }] } },
    token,
  );
  const startsAt = new Date(Math.ceil((Date.now() + 36 * 3600_000) / 300_000) * 300_000).toISOString();
  const { createShowtime } = await gql<{ createShowtime: { id: string } }>(
    'mutation($i: CreateShowtimeInput!) { createShowtime(input: $i) { id } }',
    { i: { screenId: createScreen.id, movieId: catalog.movieId, startsAt, currency: 'USD', prices: STANDARD_PRICES } },
    token,
  );
  const seats = await seatMap(createShowtime.id);
  return { showtimeId: createShowtime.id, seats };
}

export async function seatMap(showtimeId: string): Promise<{ id: string; row: string; number: number; status: string }[]> {
  const { showtime } = await gql<{
    showtime: { seatMap: { seats: { id: string; row: string; number: number; status: string }[] } };
  }>('query($id: ID!) { showtime(id: $id) { seatMap { seats { id row number status } } } }', { id: showtimeId });
  return showtime.seatMap.seats;
}

export async function holdSeats(token: string, showtimeId: string, seatIds: string[]): Promise<string> {
  const { holdSeats } = await gql<{ holdSeats: { id: string } }>(
    'mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }',
    { s: showtimeId, seats: seatIds },
    token,
  );
  return holdSeats.id;
}

/** Holds and pays with the test Visa card: a confirmed booking. */
export async function buy(token: string, showtimeId: string, seatIds: string[]): Promise<string> {
  const id = await holdSeats(token, showtimeId, seatIds);
  const { checkout } = await gql<{ checkout: { status: string } }>(
    'mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: "pm_card_visa" }) { status } }',
    { b: id },
    token,
  );
  if (checkout.status !== 'CONFIRMED') throw new Error(`checkout ended ${checkout.status}`);
  return id;
}

export async function booking(token: string, id: string): Promise<{ status: string; totalCents: number }> {
  const { booking } = await gql<{ booking: { status: string; totalCents: number } }>(
    'query($id: ID!) { booking(id: $id) { status totalCents } }',
    { id },
    token,
  );
  return booking;
}

let promotions = 0;

/** A promotion code unique to this run, valid now. */
export async function createPromotion(kind: 'PERCENT' | 'FIXED', value: number, description: string): Promise<string> {
  const code = `E2E${process.pid}${Date.now() % 100000}${++promotions}`;
  const now = Date.now();
  await gql(
    'mutation($i: CreatePromotionInput!) { createPromotion(input: $i) { id } }',
    {
      i: {
        code,
        description,
        kind,
        value,
        ...(kind === 'FIXED' ? { currency: 'USD' } : {}),
        startsAt: new Date(now - 3600_000).toISOString(),
        endsAt: new Date(now + 48 * 3600_000).toISOString(),
      },
    },
    await asAdmin(),
  );
  return code;
}

/** Signed in in the browser as `token` from the first page load on. */
export async function signInAs(page: Page, token: string): Promise<void> {
  await page.addInitScript((t) => window.localStorage.setItem('marquee.token', t), token);
}
