import { expect, test } from '@playwright/test';
import { createShowtime, gql, signUpBuyer } from './api';
import { buyerPage, seat } from './buyer-pages';
import { readCatalog } from './catalog';
import { expectAccessible } from './helpers';

const catalog = readCatalog();

/** An arena of three sections of eight standard seats each, placed around a stage. */
const ARENA = [
  { name: '101', rows: [{ label: 'A', seats: 'SSSS' }, { label: 'B', seats: 'SSSS' }], map: { x: 0, y: 2, width: 4, height: 3 } },
  { name: '102', rows: [{ label: 'A', seats: 'SSSS' }, { label: 'B', seats: 'SSSS' }], map: { x: 5, y: 2, width: 4, height: 3 } },
  { name: 'Balcony', rows: [{ label: 'A', seats: 'SSSSSSSS' }], map: { x: 0, y: 6, width: 9, height: 2 } },
];

const standard = (row: string, n: number, state: string) => seat(row, n, 'standard', '$12.50', state);

async function seatsBySection(showtimeId: string): Promise<Map<string, string>> {
  const data = await gql<{
    showtime: { seatMap: { seats: { id: string; section: string; row: string; number: number }[] } };
  }>('query($id: ID!) { showtime(id: $id) { seatMap { seats { id section row number } } } }', { id: showtimeId });
  return new Map(data.showtime.seatMap.seats.map((s) => [`${s.section}/${s.row}${s.number}`, s.id]));
}

test('an arena opens on its sections; a buyer zooms into two of them, holds a seat in each, and the overview counts them', async ({
  browser,
}, testInfo) => {
  const { showtimeId } = await createShowtime({ theatreId: catalog.theatreId, movieId: catalog.movieId, sections: ARENA });
  const ids = await seatsBySection(showtimeId);
  const [ann, ben] = await Promise.all([signUpBuyer('Ann'), signUpBuyer('Ben')]);
  const page = await buyerPage(browser, testInfo, ann.token);
  await page.goto(`/showtimes/${showtimeId}`);

  // The overview: every section with its places and prices, and no seat read yet.
  const overview = page.getByTestId('section-overview');
  await expect(page.getByRole('heading', { name: 'Sections' })).toBeVisible();
  await expect(overview.getByRole('button')).toHaveCount(3);
  await expect(page.getByRole('button', { name: '101: 8 of 8 places available, $12.50' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Balcony: 8 of 8 places available, $12.50' })).toBeVisible();
  await expect(page.getByTestId('available-count')).toContainText('24 places available');
  await expect(page.getByRole('grid', { name: 'Seats' })).toHaveCount(0);
  await expectAccessible(page);

  // Another buyer takes a seat of 102: the overview says so live (sooner than its fallback
  // re-read every 5 s).
  await gql(
    'mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }',
    { s: showtimeId, seats: [ids.get('102/A4')] },
    ben.token,
  );
  await expect(page.getByRole('button', { name: '102: 7 of 8 places available, $12.50' })).toBeVisible({
    timeout: 4_000,
  });

  // Into 101 by keyboard: its eight seats only, live.
  await page.getByRole('button', { name: /^101:/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Seats in 101' })).toBeFocused();
  const grid = page.getByRole('grid', { name: 'Seats' });
  await expect(grid.getByRole('button')).toHaveCount(8);
  await expect(page.getByTestId('live-indicator')).toHaveText(/Live/);
  await page.getByRole('button', { name: standard('A', 1, 'available') }).click();
  await expect(page.getByRole('listitem').filter({ hasText: '101, row A, seat 1' })).toBeVisible();

  // A seat of 101 taken meanwhile shows as taken on the open section.
  await gql(
    'mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }',
    { s: showtimeId, seats: [ids.get('101/B4')] },
    ben.token,
  );
  await expect(grid.getByRole('button', { name: standard('B', 4, 'held by another buyer') })).toBeVisible();

  // Back to the sections, into 102: its seat A4 is taken; the choice in 101 is kept.
  await page.getByRole('button', { name: 'All sections' }).click();
  await page.getByRole('button', { name: /^102:/ }).click();
  await expect(grid.getByRole('button')).toHaveCount(8);
  await expect(grid.getByRole('button', { name: standard('A', 4, 'held by another buyer') })).toBeVisible();
  await page.getByRole('button', { name: standard('A', 2, 'available') }).click();
  await expect(page.getByTestId('selection-summary')).toHaveText('2 seats chosen, $25.00');
  await page.getByRole('button', { name: 'Hold 2 seats' }).click();

  const held = page.getByRole('table', { name: 'Seats' });
  await expect(held).toContainText('101, row A, seat 1');
  await expect(held).toContainText('102, row A, seat 2');

  // The truth: one booking of Ann's holding exactly those two seats.
  const mine = await gql<{ myBookings: { status: string; seats: { id: string }[] }[] }>(
    '{ myBookings { status seats { id } } }',
    {},
    ann.token,
  );
  const open = mine.myBookings.filter((b) => b.status === 'HELD');
  expect(open).toHaveLength(1);
  expect(open[0]!.seats.map((s) => s.id).sort()).toEqual([ids.get('101/A1'), ids.get('102/A2')].sort());

  // The overview counts the four seats now held.
  await page.getByRole('button', { name: 'All sections' }).click();
  await expect(page.getByRole('button', { name: '101: 6 of 8 places available, $12.50' })).toBeVisible();
  await expect(page.getByRole('button', { name: '102: 6 of 8 places available, $12.50' })).toBeVisible();
  await expect(page.getByTestId('available-count')).toContainText('20 places available');
});

test('a general-admission floor: the buyer picks a number of places and a seat in a section, holds both as one booking, and pays', async ({
  browser,
}, testInfo) => {
  const { showtimeId } = await createShowtime({
    theatreId: catalog.theatreId,
    movieId: catalog.movieId,
    sections: [
      { name: 'Floor', kind: 'GENERAL', capacity: 5, map: { x: 0, y: 0, width: 9, height: 3 } },
      { name: '101', rows: [{ label: 'A', seats: 'SSSS' }], map: { x: 0, y: 4, width: 9, height: 2 } },
    ],
  });
  const ann = await signUpBuyer('Ann');
  const page = await buyerPage(browser, testInfo, ann.token);
  await page.goto(`/showtimes/${showtimeId}`);
  await expect(page.getByRole('button', { name: 'Floor: 5 of 5 places available, $12.50, general admission' })).toBeVisible();

  await page.getByRole('button', { name: /^Floor:/ }).click();
  await expect(page.getByRole('heading', { name: 'Floor: general admission' })).toBeFocused();
  await expect(page.getByTestId('general-admission')).toContainText('5 of 5 places available, $12.50 each.');
  await page.getByLabel('Number of places').fill('2');
  await expect(page.getByTestId('selection-summary')).toHaveText('2 tickets chosen, $25.00');

  await page.getByRole('button', { name: 'All sections' }).click();
  await page.getByRole('button', { name: /^101:/ }).click();
  await page.getByRole('button', { name: standard('A', 3, 'available') }).click();
  await expect(page.getByTestId('selection-summary')).toHaveText('3 tickets chosen, $37.50');
  await expect(page.getByRole('listitem').filter({ hasText: 'Floor, general admission × 2' })).toBeVisible();
  await page.getByRole('button', { name: 'Hold 3 tickets' }).click();

  const held = page.getByRole('table', { name: 'Seats' });
  await expect(held).toContainText('Floor, General admission × 2');
  await expect(held).toContainText('101, row A, seat 3');
  await expect(page.getByTestId('hold-total')).toHaveText('$37.50');
  await expectAccessible(page);

  // The truth: one booking with the seat and two places; the floor counts them.
  const mine = await gql<{
    myBookings: { id: string; status: string; seats: { row: string; number: number }[]; places: { section: string; quantity: number }[] }[];
  }>('{ myBookings { id status seats { row number } places { section quantity } } }', {}, ann.token);
  const open = mine.myBookings.filter((b) => b.status === 'HELD');
  expect(open).toHaveLength(1);
  expect(open[0]!.seats).toEqual([{ row: 'A', number: 3 }]);
  expect(open[0]!.places).toEqual([{ section: 'Floor', quantity: 2 }]);
  await page.getByRole('button', { name: 'All sections' }).click();
  await expect(page.getByRole('button', { name: /^Floor: 3 of 5 places available/ })).toBeVisible();

  // Checkout lists the places; paying issues a ticket for each place and the seat.
  await page.goto(`/checkout/${open[0]!.id}`);
  await expect(page.getByText('Floor, General admission × 2')).toBeVisible();
  await expect(page.getByTestId('checkout-total')).toHaveText('$37.50');
  await page.getByRole('button', { name: 'Pay $37.50' }).click();
  await expect(page).toHaveURL(new RegExp(`/bookings/${open[0]!.id}$`));
  await expect(page.getByRole('heading', { name: 'Floor, General admission' })).toHaveCount(2);
  await expect(page.getByRole('img', { name: /QR code of the ticket for Floor, General admission/ })).toHaveCount(2);
  const paid = await gql<{ booking: { status: string; tickets: { label: string }[] } }>(
    'query($b: ID!) { booking(id: $b) { status tickets { label } } }',
    { b: open[0]!.id },
    ann.token,
  );
  expect(paid.booking.status).toBe('CONFIRMED');
  expect(paid.booking.tickets.map((t) => t.label).sort()).toEqual(
    ['Floor, General admission', 'Floor, General admission', 'Section 101, Row A, Seat 3'].sort(),
  );
});
