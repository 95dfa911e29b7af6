import { expect, test, type Page } from '@playwright/test';
import { createShowtime, gql, signUpBuyer } from './api';
import { buyerPage, seat, signIn } from './buyer-pages';
import { readCatalog } from './catalog';
import { expectAccessible, screenshot } from './helpers';

const catalog = readCatalog();

/** Row A standard, row B premium, row C wheelchair spaces and companions at both ends. */
const ROWS = [
  { label: 'A', seats: 'SSSS__SSSS' },
  { label: 'B', seats: 'PPPP__PPPP' },
  { label: 'C', seats: 'AC__SSSS__CA' },
];

const standard = (row: string, n: number, state: string) => seat(row, n, 'standard', '$12.50', state);
const premium = (row: string, n: number, state: string) => seat(row, n, 'premium', '$18.75', state);

async function openPicker(page: Page, showtimeId: string): Promise<void> {
  await page.goto(`/showtimes/${showtimeId}`);
  await expect(page.getByRole('grid', { name: 'Seats' })).toBeVisible();
  await expect(page.getByTestId('live-indicator')).toHaveText(/Live/);
}

async function seatIds(showtimeId: string): Promise<Map<string, string>> {
  const data = await gql<{ showtime: { seatMap: { seats: { id: string; row: string; number: number }[] } } }>(
    'query($id: ID!) { showtime(id: $id) { seatMap { seats { id row number } } } }',
    { id: showtimeId },
  );
  return new Map(data.showtime.seatMap.seats.map((s) => [`${s.row}${s.number}`, s.id]));
}

test('the picker shows the showtime, its prices and seats, and asks a visitor to sign in to hold', async ({ page }) => {
  const { showtimeId } = await createShowtime({ theatreId: catalog.theatreId, movieId: catalog.movieId, rows: ROWS });
  await openPicker(page, showtimeId);
  await expect(page.getByRole('heading', { level: 1, name: catalog.movieTitle })).toBeVisible();
  await expect(page.getByRole('link', { name: catalog.movieTitle })).toHaveAttribute('href', `/movies/${catalog.movieId}`);
  await expect(page.getByText(`${catalog.theatre}, ${catalog.city}`)).toBeVisible();
  const legend = page.getByRole('region', { name: 'Prices and seat symbols' });
  await expect(legend).toContainText('Standard: $12.50');
  await expect(legend).toContainText('Premium: $18.75');
  await expect(legend).toContainText('Held by another buyer');
  await expect(page.getByRole('button', { name: seat('C', 1, 'wheelchair space', '$12.50', 'available') })).toBeVisible();
  await expect(page.getByRole('button', { name: seat('C', 2, 'companion seat', '$12.50', 'available') })).toBeVisible();
  await expect(page.getByRole('button', { name: premium('B', 8, 'available') })).toBeVisible();
  await expect(page.getByRole('grid', { name: 'Seats' }).getByRole('button')).toHaveCount(24);

  await page.getByRole('button', { name: standard('A', 2, 'available') }).click();
  await expect(page.getByTestId('selection-summary')).toHaveText('1 seat chosen, $12.50');
  const signInLink = page.getByRole('link', { name: 'Sign in to hold seats' });
  await expect(signInLink).toHaveAttribute('href', `/signin?next=${encodeURIComponent(`/showtimes/${showtimeId}`)}`);
  await expectAccessible(page);
});

test('two buyers, one showtime: A holds two seats, B sees them taken within a second; A pays and gets tickets with QR codes; B is told they are taken @main-flow', async ({
  browser,
}, testInfo) => {
  const { showtimeId } = await createShowtime({ theatreId: catalog.theatreId, movieId: catalog.movieId, rows: ROWS });
  const [ann, ben] = await Promise.all([signUpBuyer('Ann'), signUpBuyer('Ben')]);
  const a = await buyerPage(browser, testInfo, ann.token);
  const b = await buyerPage(browser, testInfo, ben.token);
  await Promise.all([openPicker(a, showtimeId), openPicker(b, showtimeId)]);

  // Ben has chosen A3 (not yet held) when Ann takes it.
  await b.getByRole('button', { name: standard('A', 3, 'available') }).click();
  await expect(b.getByRole('button', { name: standard('A', 3, 'selected') })).toBeVisible();

  await a.getByRole('button', { name: standard('A', 3, 'available') }).click();
  await a.getByRole('button', { name: standard('A', 4, 'available') }).click();
  await expect(a.getByTestId('selection-summary')).toHaveText('2 seats chosen, $25.00');
  const answered = a.waitForResponse(
    (r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('holdSeats'),
  );
  await a.getByRole('button', { name: 'Hold 2 seats' }).click();
  await answered;
  const heldAt = Date.now();
  const within = () => ({ timeout: Math.max(1, 1000 - (Date.now() - heldAt)) });
  await expect(b.getByRole('button', { name: standard('A', 3, 'held by another buyer') })).toBeVisible(within());
  await expect(b.getByRole('button', { name: standard('A', 4, 'held by another buyer') })).toBeVisible(within());
  expect(Date.now() - heldAt).toBeLessThan(1000);
  await expect(b.getByTestId('seat-announcer')).toHaveText('Row A, seat 3 was just taken by someone else.');
  await expect(b.getByTestId('selection-summary')).toHaveText('No seats chosen yet.');

  // Ben tries one of them anyway.
  await b.getByRole('button', { name: standard('A', 4, 'held by another buyer') }).focus();
  await b.keyboard.press('Enter');
  await expect(b.getByTestId('seat-announcer')).toHaveText('Row A, seat 4 is already taken. Please choose another seat.');
  await expect(b.getByTestId('selection-summary')).toHaveText('No seats chosen yet.');
  await expectAccessible(b);

  // Ann's hold: her seats, the total, the countdown, the way to checkout.
  const panel = a.getByTestId('hold-panel');
  await expect(panel.getByRole('heading', { name: 'Your seats are held' })).toBeFocused();
  await expect(panel).toContainText('Row A, seat 3');
  await expect(panel).toContainText('Row A, seat 4');
  await expect(panel.getByTestId('hold-total')).toHaveText('$25.00');
  await expect(panel.getByTestId('hold-countdown')).toContainText(/Seats held for (10:00|9:\d\d)/);
  await expect(a.getByRole('button', { name: standard('A', 3, 'held for you') })).toBeVisible();
  const checkout = panel.getByRole('link', { name: 'Continue to checkout' });
  await expect(checkout).toHaveAttribute('href', /^\/checkout\/[0-9a-f-]+$/);
  await expectAccessible(a);
  await screenshot(a, testInfo, 'seat-picker');

  // Ann pays with the test card and gets her tickets.
  await checkout.click();
  await expect(a.getByRole('heading', { level: 1, name: 'Checkout' })).toBeVisible();
  await expect(a.getByTestId('checkout-total')).toHaveText('$25.00');
  await a.getByLabel('Visa card that pays').check();
  await a.getByRole('button', { name: 'Pay $25.00' }).click();
  await expect(a).toHaveURL(/\/bookings\/[0-9a-f-]+$/);
  await expect(a.getByTestId('booking-status')).toHaveText('Booking status: Confirmed');
  const qr = a.getByRole('img', { name: /QR code of the ticket for row A, seat [34]/ });
  await expect(qr).toHaveCount(2);
  expect(await qr.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

  // Ben sees them sold, and a hold on one of them (his map read before the sale) is refused.
  await expect(b.getByRole('button', { name: standard('A', 3, 'sold') })).toBeVisible();
  await expect(b.getByRole('button', { name: standard('A', 4, 'sold') })).toBeVisible();
  await b.getByRole('button', { name: standard('A', 4, 'sold') }).focus();
  await b.keyboard.press('Enter');
  await expect(b.getByTestId('seat-announcer')).toHaveText('Row A, seat 4 is already taken. Please choose another seat.');
  const ids = await seatIds(showtimeId);
  const refused = await gql<{ holdSeats: { id: string } }>(
    'mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }',
    { s: showtimeId, seats: [ids.get('A4')] },
    ben.token,
  ).then(
    () => 'held',
    (e: Error) => e.message,
  );
  expect(refused).toContain('SEAT_UNAVAILABLE');
});

test('a seat taken while the map could not hear of it: the hold is refused, naming the seat', async ({ page }) => {
  const { showtimeId } = await createShowtime({ theatreId: catalog.theatreId, movieId: catalog.movieId, rows: ROWS });
  const [ben, cat] = await Promise.all([signUpBuyer('Ben'), signUpBuyer('Cat')]);
  // No live updates, and re-reads of the map fail: the map goes stale.
  await page.routeWebSocket(/\/graphql\/ws$/, (ws) => ws.close());
  await page.route('**/graphql', (route) =>
    (route.request().postData() ?? '').includes('SeatPickerSeats') ? route.abort() : route.continue(),
  );
  await signIn(page, ben.token);
  await page.goto(`/showtimes/${showtimeId}`);
  await expect(page.getByRole('status').filter({ hasText: 'Live updates stopped' })).toBeVisible();

  await page.getByRole('button', { name: standard('A', 5, 'available') }).click();
  await page.getByRole('button', { name: standard('A', 6, 'available') }).click();
  const ids = await seatIds(showtimeId);
  await gql(
    'mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }',
    { s: showtimeId, seats: [ids.get('A5')] },
    cat.token,
  );
  await page.getByRole('button', { name: 'Hold 2 seats' }).click();
  await expect(page.getByRole('alert')).toHaveText('Sorry, Row A, seat 5 is no longer available. Please choose others.');
  await expect(page.getByTestId('selection-summary')).toHaveText('1 seat chosen, $12.50');
  await expectAccessible(page);
});

test('keyboard alone: into the map, along and across rows with the arrows, choose, hold, and back after a reload', async ({
  page,
}) => {
  const { showtimeId } = await createShowtime({ theatreId: catalog.theatreId, movieId: catalog.movieId, rows: ROWS });
  const buyer = await signUpBuyer('Kim');
  await signIn(page, buyer.token);
  await openPicker(page, showtimeId);

  await page.getByRole('button', { name: 'Fit seats to screen' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: standard('A', 1, 'available') })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('button', { name: standard('A', 2, 'available') })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('button', { name: premium('B', 2, 'available') })).toBeFocused();
  await page.keyboard.press('End');
  await expect(page.getByRole('button', { name: premium('B', 8, 'available') })).toBeFocused();
  // Straight down from B8 is an aisle: the nearest seat of row C takes the focus.
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('button', { name: seat('C', 7, 'companion seat', '$12.50', 'available') })).toBeFocused();
  await page.keyboard.press('Home');
  await expect(page.getByRole('button', { name: seat('C', 1, 'wheelchair space', '$12.50', 'available') })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(page.getByRole('button', { name: premium('B', 1, 'available') })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: premium('B', 1, 'selected') })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: premium('B', 2, 'selected') })).toBeFocused();
  await expect(page.getByTestId('selection-summary')).toHaveText('2 seats chosen, $37.50');

  // One tab stop for the whole map: the next Tab leaves it for the hold button.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Hold 2 seats' })).toBeFocused();
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('hold-panel');
  await expect(panel.getByRole('heading', { name: 'Your seats are held' })).toBeFocused();
  await expect(panel.getByTestId('hold-total')).toHaveText('$37.50');
  await page.keyboard.press('Tab');
  await expect(panel.getByRole('link', { name: 'Continue to checkout' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(panel.getByRole('button', { name: 'Release seats' })).toBeFocused();

  // The hold is still there after a reload.
  await page.reload();
  await expect(panel.getByTestId('hold-total')).toHaveText('$37.50');
  await expect(page.getByRole('button', { name: premium('B', 1, 'held for you') })).toBeVisible();
  await panel.getByRole('button', { name: 'Release seats' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('seat-announcer')).toHaveText('Your seats were released.');
  await expect(page.getByRole('button', { name: premium('B', 1, 'available') })).toBeVisible();
  await expect(page.getByRole('button', { name: premium('B', 2, 'available') })).toBeVisible();
});

test('best available: two premium seats side by side, held at once', async ({ page }) => {
  const { showtimeId } = await createShowtime({ theatreId: catalog.theatreId, movieId: catalog.movieId, rows: ROWS });
  const buyer = await signUpBuyer('Lou');
  await signIn(page, buyer.token);
  await openPicker(page, showtimeId);
  await page.getByLabel('Number of seats').selectOption('2');
  await page.getByLabel('Seat type').selectOption({ label: 'Premium: $18.75' });
  await page.getByRole('button', { name: 'Hold best available' }).click();
  const panel = page.getByTestId('hold-panel');
  await expect(panel.getByTestId('hold-total')).toHaveText('$37.50');
  await expect(panel.getByRole('row').filter({ hasText: 'Premium' })).toHaveCount(2);
  await expect(page.getByRole('grid', { name: 'Seats' }).getByRole('button', { name: /premium, \$18\.75, held for you$/ })).toHaveCount(2);
});
