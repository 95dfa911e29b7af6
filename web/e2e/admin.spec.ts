import { expect, test, type Browser, type Page } from '@playwright/test';
import { adminToken, gql, signUpBuyer, STANDARD_PRICES } from './api';
import { readCatalog } from './catalog';
import { expectAccessible, screenshot } from './helpers';

const catalog = readCatalog();

/** A word no other title has, so that search finds this spec's movie and nothing else. */
function uniqueWord(): string {
  const letters = 'bcdfghjklmnpqrstvwxz';
  let word = '';
  let n = Date.now() * 1000 + Math.floor(Math.random() * 1000);
  for (let i = 0; i < 8; i++) {
    word += letters[n % letters.length] + (i % 2 === 0 ? 'a' : 'o');
    n = Math.floor(n / letters.length);
  }
  return word[0]!.toUpperCase() + word.slice(1);
}

// One admin sign-in and one buyer for the whole file: logins and sign-ups are rate limited
// per address, and every spec of the run shares this one.
let adminSession: Promise<string> | null = null;
const admin = () => (adminSession ??= adminToken());
let buyerSession: ReturnType<typeof signUpBuyer> | null = null;
const buyer = () => (buyerSession ??= signUpBuyer('Panel Buyer'));

/** A showtime of this spec's own, on a new screen of the test theatre. */
async function createShowtime(options: {
  movieId: string;
  rows: { label: string; seats: string }[];
  startsAt?: string;
}): Promise<{ showtimeId: string; screenName: string }> {
  const token = await admin();
  const screenName = `Panel ${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
  const { createScreen } = await gql<{ createScreen: { id: string } }>(
    'mutation($t: ID!, $n: String!, $l: ScreenLayoutInput!) { createScreen(theatreId: $t, name: $n, layout: $l) { id } }',
    { t: catalog.theatreId, n: screenName, l: { rows: options.rows } },
    token,
  );
  const startsAt =
    options.startsAt ?? new Date(Math.ceil((Date.now() + 30 * 3600_000) / 300_000) * 300_000).toISOString();
  const { createShowtime } = await gql<{ createShowtime: { id: string } }>(
    'mutation($i: CreateShowtimeInput!) { createShowtime(input: $i) { id } }',
    { i: { screenId: createScreen.id, movieId: options.movieId, startsAt, currency: 'USD', prices: STANDARD_PRICES } },
    token,
  );
  return { showtimeId: createShowtime.id, screenName };
}

async function signedIn(page: Page, token: string): Promise<void> {
  await page.addInitScript((t) => localStorage.setItem('marquee.token', t), token);
}

async function asAdmin(page: Page): Promise<void> {
  await signedIn(page, await admin());
}

/** The clock reading of an instant in a zone, as `YYYY-MM-DDTHH:mm`. */
function wallClock(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** A local date `days` from now in the zone, at `time`. */
function localAt(days: number, time: string, timeZone: string): string {
  return `${wallClock(new Date(Date.now() + days * 86_400_000).toISOString(), timeZone).slice(0, 10)}T${time}`;
}

async function createMovie(title: string): Promise<string> {
  const { createMovie } = await gql<{ createMovie: { id: string } }>(
    'mutation($i: CreateMovieInput!) { createMovie(input: $i) { id } }',
    { i: { title, runtimeMinutes: 95, releaseDate: '2026-02-01', synopsis: 'Made for a staff panel test.' } },
    await admin(),
  );
  return createMovie.id;
}

/** A buyer's confirmed booking of one standard seat, paid with the test card. */
async function confirmedBooking(showtimeId: string): Promise<string> {
  const { token } = await buyer();
  const { showtime } = await gql<{ showtime: { seatMap: { seats: { id: string; status: string; category: string }[] } } }>(
    'query($id: ID!) { showtime(id: $id) { seatMap { seats { id status category } } } }',
    { id: showtimeId },
    token,
  );
  const seat = showtime.seatMap.seats.find((s) => s.status === 'AVAILABLE' && s.category === 'STANDARD');
  const { holdSeats } = await gql<{ holdSeats: { id: string } }>(
    'mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }',
    { s: showtimeId, seats: [seat!.id] },
    token,
  );
  const { checkout } = await gql<{ checkout: { status: string } }>(
    'mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: "pm_card_visa" }) { status } }',
    { b: holdSeats.id },
    token,
  );
  expect(checkout.status).toBe('CONFIRMED');
  return holdSeats.id;
}

test('an anonymous visitor is sent to sign in, and a buyer is told the panel is for staff only', async ({ page }) => {
  await page.goto('/admin');
  await expect(page.getByRole('link', { name: 'Sign in' }).last()).toHaveAttribute('href', '/signin?next=%2Fadmin');
  await expectAccessible(page);

  await signedIn(page, (await buyer()).token);
  await page.goto('/admin/theatres');
  await expect(page.getByText('This page is for Marquee staff only.')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Staff panel' })).toHaveCount(0);
  await expectAccessible(page);
});

test('staff set up a theatre, a screen, a movie and a showtime that a buyer then finds by search and buys a seat in', async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  const stamp = `${testInfo.project.name} ${Date.now()}`;
  const theatreName = `Panel Playhouse ${stamp}`;
  await asAdmin(page);

  // A theatre in New York: the browser runs on Tokyo time, the showtime must be typed on New York's clock.
  await page.goto('/admin');
  await expect(page.getByRole('link', { name: 'Theatres' })).toHaveAttribute('aria-current', 'page');
  for (const section of ['Movies', 'Events', 'Showtimes', 'Promotions', 'Emails', 'Reviews']) {
    await expect(page.getByRole('navigation', { name: 'Staff panel' }).getByRole('link', { name: section })).toBeVisible();
  }
  const panel = page.locator('.admin-body');
  await panel.getByLabel('Name', { exact: true }).fill(theatreName);
  await panel.getByLabel('Street address').fill('1 Broadway');
  await panel.getByLabel('City', { exact: true }).fill('New York');
  await panel.getByLabel('State', { exact: true }).fill('NY');
  await panel.getByLabel('ZIP code').fill('10004');
  await panel.getByLabel('Latitude').fill('40.7054');
  await panel.getByLabel('Longitude').fill('-74.0137');
  await panel.getByLabel('Time zone').selectOption('America/New_York');
  await page.getByRole('button', { name: 'Create theatre' }).click();
  await expect(page.getByText(`Theatre “${theatreName}” created.`)).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, 'admin-theatres');

  await page.getByRole('link', { name: theatreName }).click();
  await expect(page.getByRole('heading', { name: theatreName })).toBeVisible();
  await page.getByLabel('Screen name').fill('Panel Screen');
  const rows = page.getByLabel('Rows, front row first');
  // Mistakes are told as they are typed, by the server's rules.
  await rows.fill('A: SSXS\nB: CSS');
  await expect(page.getByText('Row “A”, position 3: “X” is not one of S, P, A, C or _.')).toBeVisible();
  await expect(page.getByText('Row “B”, position 1: a companion seat must be next to a wheelchair space.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create screen' })).toBeDisabled();
  await rows.fill('A: AC__SSSS__CA\nB: SSSSSS__SSSSSS\nC: PPPP__PPPP');
  await expect(page.getByText('The layout is valid.')).toBeVisible();
  await expect(page.getByText('3 rows, 28 seats: 16 Standard, 8 Premium, 2 Wheelchair space, 2 Companion seat.')).toBeVisible();
  await expect(page.locator('.admin-seat-row')).toHaveCount(3);
  await expect(page.locator('.admin-seat-row').first().locator('.admin-aisle')).toHaveCount(4);
  await expectAccessible(page);
  await screenshot(page, testInfo, 'admin-screen-editor');
  await page.getByRole('button', { name: 'Create screen' }).click();
  await expect(page.getByText('Screen “Panel Screen” created with 28 seats.')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Panel Screen' })).toBeVisible();

  const word = uniqueWord();
  const title = `${word} Rising`;
  await page.getByRole('link', { name: 'Movies' }).click();
  await panel.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Runtime (minutes)').fill('104');
  await page.getByLabel('Release date').fill('2026-03-01');
  await page.getByLabel('Genres (comma-separated, such as sci-fi, drama)').fill('drama');
  await page.getByLabel('Synopsis').fill('A lighthouse keeper answers a signal.');
  await page.getByRole('button', { name: 'Create movie' }).click();
  await expect(page.getByText(`“${title}” created.`)).toBeVisible();
  await expect(page.getByRole('link', { name: title })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Showtimes' }).first().click();
  await page.getByLabel('Show showtimes of').selectOption({ label: theatreName });
  await expect(page).toHaveURL(/\/admin\/showtimes\/theatre\//);
  await expect(page.getByText('No upcoming showtimes here.')).toBeVisible();
  const local = localAt(2, '19:30', 'America/New_York');
  await page.getByRole('combobox', { name: 'Theatre', exact: true }).selectOption({ label: theatreName });
  await page.getByRole('combobox', { name: 'Screen', exact: true }).selectOption({ label: 'Panel Screen' });
  await page.getByRole('combobox', { name: 'Movie', exact: true }).selectOption({ label: title });
  await page.getByLabel('Starts at (America/New_York time)').fill(local);
  await page.getByLabel('Standard').fill('11.00');
  await page.getByLabel('Premium').fill('16.50');
  await page.getByLabel('Wheelchair space').fill('11.00');
  await page.getByLabel('Companion seat').fill('11.00');
  await page.getByRole('button', { name: 'Create showtime' }).click();
  await expect(page.getByText(/Showtime created for .*7:30 PM E[SD]T/)).toBeVisible();
  const row = page.locator('.admin-showtime', { hasText: title });
  await expect(row).toContainText(/7:30 PM E[SD]T/);
  await expect(row).toContainText('Premium $16.50');
  await expectAccessible(page);
  await screenshot(page, testInfo, 'admin-showtimes');

  // Stored as the instant New York's clock reads then.
  const { showtimes } = await gql<{ showtimes: { id: string; startsAt: string; movie: { title: string } | null }[] }>(
    'query($t: ID!) { showtimes(theatreId: $t) { id startsAt movie { title } } }',
    { t: (page.url().split('/').pop() ?? '') },
  );
  expect(showtimes).toHaveLength(1);
  expect(wallClock(showtimes[0]!.startsAt, 'America/New_York')).toBe(local);

  await buyerFindsIt(browser, word, title, showtimes[0]!.id);
});

async function buyerFindsIt(browser: Browser, word: string, title: string, showtimeId: string): Promise<void> {
  const { token } = await buyer();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signedIn(page, token);
    // Search is reindexed from change notifications: a few seconds at most.
    await expect(async () => {
      await page.goto(`/search?q=${encodeURIComponent(word)}`);
      await expect(page.getByRole('link', { name: title })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await page.getByRole('link', { name: title }).click();
    await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    // The buyer may have no city chosen, or another: show every city's showtimes.
    const allCities = page.getByRole('button', { name: 'Show all cities' });
    if (await allCities.isVisible()) await allCities.click();
    await page.locator(`a[href="/showtimes/${showtimeId}"]`).first().click();
    await expect(page).toHaveURL(new RegExp(`/showtimes/${showtimeId}$`));

    // And buys a seat in it.
    await page.getByRole('button', { name: 'Row B, seat 1, standard, $11.00, available' }).click();
    await page.getByRole('button', { name: 'Hold 1 seat' }).click();
    await page.getByTestId('hold-panel').getByRole('link', { name: 'Continue to checkout' }).click();
    await expect(page.getByTestId('checkout-total')).toHaveText('$11.00');
    await page.getByLabel('Visa card that pays').check();
    await page.getByRole('button', { name: 'Pay $11.00' }).click();
    await expect(page.getByTestId('booking-status')).toHaveText('Booking status: Confirmed');
    await expect(page.getByRole('img', { name: /QR code of the ticket for row B, seat 1/ })).toHaveCount(1);
  } finally {
    await context.close();
  }
}

test('moving and cancelling a showtime with a confirmed booking says who is affected first', async ({ page }, testInfo) => {
  test.setTimeout(60_000);
  const title = `Moving Picture ${testInfo.project.name} ${Date.now()}`;
  const movieId = await createMovie(title);
  const startsAt = new Date(Math.ceil((Date.now() + 50 * 3600_000) / 3_600_000) * 3_600_000).toISOString();
  const { showtimeId } = await createShowtime({
    movieId,
    rows: [{ label: 'A', seats: 'SSSS__SSSS' }],
    startsAt,
  });
  await confirmedBooking(showtimeId);
  await asAdmin(page);
  await page.goto(`/admin/showtimes/movie/${movieId}`);
  const row = page.locator('.admin-showtime', { hasText: title });
  await expect(row).toHaveCount(1);

  // A day later, on the theatre's (Denver's) clock.
  const later = new Date(Date.parse(startsAt) + 24 * 3600_000).toISOString();
  const laterLocal = wallClock(later, catalog.timezone);
  await row.getByRole('button', { name: 'Move', exact: true }).click();
  await row.getByLabel(`Starts at (${catalog.timezone} time)`).fill(laterLocal);
  await row.getByRole('button', { name: 'Move…' }).click();
  const dialog = page.getByRole('dialog', { name: `Move ${title}?` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('1 booking affected')).toBeVisible();
  await expect(dialog).toContainText('1 confirmed, 0 paying now, 0 seats on hold; 1 ticket.');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Move showtime' }).click();
  await expect(dialog).toHaveCount(0);
  const time = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: catalog.timezone }).format(
    new Date(later),
  );
  const day = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', timeZone: catalog.timezone }).format(
    new Date(later),
  );
  await expect(page.getByText(new RegExp(`${title} moved to ${day}, ${time}`))).toBeVisible();
  await expect(row).toContainText(`${day}, ${time}`);

  // Escape backs out without cancelling; focus starts on the harmless choice.
  await row.getByRole('button', { name: 'Cancel showtime' }).click();
  const cancel = page.getByRole('dialog', { name: `Cancel ${title}?` });
  await expect(cancel.getByRole('button', { name: 'Keep as is' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(cancel).toHaveCount(0);
  await expect(row.getByText('Cancelled', { exact: true })).toHaveCount(0);
  await row.getByRole('button', { name: 'Cancel showtime' }).click();
  await expect(cancel.getByText('1 booking affected')).toBeVisible();
  await cancel.getByRole('button', { name: 'Cancel showtime' }).click();
  await expect(page.getByText(`${title} cancelled.`)).toBeVisible();
  await expect(row.getByText('Cancelled', { exact: true })).toBeVisible();
  await expect(row.getByRole('button', { name: 'Move', exact: true })).toHaveCount(0);
  await expectAccessible(page);

  const { showtime } = await gql<{ showtime: { status: string; startsAt: string } }>(
    'query($id: ID!) { showtime(id: $id) { status startsAt } }',
    { id: showtimeId },
  );
  expect(showtime).toEqual({ status: 'CANCELLED', startsAt: expect.any(String) });
  expect(Date.parse(showtime.startsAt)).toBe(Date.parse(later));
});

test('prices changed in the panel show on the movie page', async ({ page }, testInfo) => {
  const title = `Price Check ${testInfo.project.name} ${Date.now()}`;
  const movieId = await createMovie(title);
  const { screenName } = await createShowtime({ movieId, rows: [{ label: 'A', seats: 'SSSS' }, { label: 'B', seats: 'PPPP' }] });
  await asAdmin(page);
  // The test theatre's showtimes narrowed to this screen: this one alone.
  await page.goto(`/admin/showtimes/theatre/${catalog.theatreId}`);
  await page.getByRole('combobox', { name: 'On screen' }).selectOption({ label: screenName });
  await expect(page.locator('.admin-showtime')).toHaveCount(1);
  await expect(page.locator('.admin-showtime')).toContainText(title);
  await page.goto(`/admin/showtimes/movie/${movieId}`);
  const row = page.locator('.admin-showtime', { hasText: title });
  await row.getByRole('button', { name: 'Prices', exact: true }).click();
  await expect(row.getByLabel('Standard')).toHaveValue('12.50');
  await row.getByLabel('Standard').fill('14.75');
  await row.getByLabel('Premium').fill('21');
  await expectAccessible(page);
  await row.getByRole('button', { name: 'Save prices' }).click();
  await expect(page.getByText(`Prices of ${title} saved.`)).toBeVisible();
  await expect(row).toContainText('Standard $14.75');

  await page.goto(`/movies/${movieId}`);
  const allCities = page.getByRole('button', { name: 'Show all cities' });
  if (await allCities.isVisible()) await allCities.click();
  await expect(page.locator('.showtime').first()).toContainText('$14.75');
  await expect(page.locator('.showtime').first()).toContainText('$21.00');
});

test('a promotion created in the panel is listed', async ({ page }, testInfo) => {
  const code = `PANEL${testInfo.project.name.toUpperCase()}${Date.now() % 1_000_000}`;
  await asAdmin(page);
  await page.goto('/admin/promotions');
  await page.getByLabel('Code').fill(code);
  await page.getByLabel('Description').fill('Opening week');
  await page.getByLabel('Kind of discount').selectOption('FIXED');
  await page.getByLabel('Amount off (such as 5.00)').fill('3.50');
  await page.getByLabel('Currency of the amount').fill('USD');
  await page.getByLabel(/Valid from/).fill(localAt(0, '00:00', 'Asia/Tokyo'));
  await page.getByLabel(/Valid until/).fill(localAt(14, '23:59', 'Asia/Tokyo'));
  await page.getByLabel('Uses per buyer (empty: no limit)').fill('1');
  await page.getByRole('button', { name: 'Create promotion' }).click();
  await expect(page.getByText(`Promotion ${code} created.`)).toBeVisible();
  const listed = page.getByRole('row', { name: new RegExp(code) });
  await expect(listed).toContainText('$3.50 off');
  await expect(listed).toContainText('No total limit, 1 per buyer');
  await expectAccessible(page);
});

test('a review hidden in the panel leaves the movie page, and comes back when shown again', async ({ page }, testInfo) => {
  const title = `Reviewed Reel ${testInfo.project.name} ${Date.now()}`;
  const movieId = await createMovie(title);
  const author = await buyer();
  const body = `Loud opinions ${Date.now()}`;
  await gql('mutation($m: ID!, $b: String) { addReview(movieId: $m, rating: 2, body: $b) { id } }', { m: movieId, b: body }, author.token);

  await asAdmin(page);
  await page.goto('/admin/reviews');
  const item = page.locator('.admin-review', { hasText: body });
  await expect(item).toContainText(title);
  await item.getByRole('button', { name: `Hide the review by Panel Buyer of ${title}` }).click();
  await expect(page.getByText(`The review by Panel Buyer of ${title} is hidden.`)).toBeVisible();
  await expect(item.getByText('Hidden', { exact: true })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, 'admin-reviews');

  // The hidden filter lists it; the visible one does not.
  await page.getByRole('button', { name: 'Hidden', exact: true }).click();
  await expect(page.locator('.admin-review', { hasText: body })).toHaveCount(1);
  await page.getByRole('button', { name: 'Visible', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Visible', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.admin-review', { hasText: body })).toHaveCount(0);

  await page.goto(`/movies/${movieId}`);
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  await expect(page.getByText('No reviews yet.')).toBeVisible();
  await expect(page.getByText(body)).toHaveCount(0);

  await page.goto('/admin/reviews');
  await page.locator('.admin-review', { hasText: body }).getByRole('button', { name: `Show again the review by Panel Buyer of ${title}` }).click();
  await expect(page.getByText(`The review by Panel Buyer of ${title} is shown again.`)).toBeVisible();
  await page.goto(`/movies/${movieId}`);
  await expect(page.getByText(body)).toBeVisible();
});

test('the email queue lists sent emails and filters dead letters', async ({ page }, testInfo) => {
  test.setTimeout(60_000);
  const movieId = await createMovie(`Mailed Matinee ${testInfo.project.name} ${Date.now()}`);
  const { showtimeId } = await createShowtime({ movieId, rows: [{ label: 'A', seats: 'SSSS' }] });
  await confirmedBooking(showtimeId);
  await asAdmin(page);
  await page.goto('/admin/emails');
  await page.getByRole('button', { name: 'Sent', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Sent', exact: true })).toHaveAttribute('aria-pressed', 'true');
  // The confirmation goes out from the queue within moments.
  await expect(async () => {
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.getByRole('button', { name: 'Sent', exact: true }).click();
    await expect(page.getByRole('row', { name: /booking\.confirmed .*buyer-.*Sent/ }).first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expectAccessible(page);
  await screenshot(page, testInfo, 'admin-emails');

  // This server's mail is written to files and never refused: its dead-letter list is empty.
  await page.getByRole('button', { name: 'Dead letters' }).click();
  await expect(page.getByText('No dead letters: every email was sent or is still being tried.')).toBeVisible();
  await expectAccessible(page);
});

test('staff change and delete a theatre and a movie, and add a live event', async ({ page }, testInfo) => {
  const stamp = `${testInfo.project.name} ${Date.now()}`;
  const { createTheatre } = await gql<{ createTheatre: { id: string } }>(
    'mutation($i: CreateTheatreInput!) { createTheatre(input: $i) { id } }',
    {
      i: { name: `Short Lived ${stamp}`, address: '9 Side St', city: 'Tulsa', state: 'OK', zip: '74103', latitude: 36.15, longitude: -95.99, timezone: 'America/Chicago' },
    },
    await admin(),
  );
  await asAdmin(page);
  await page.goto(`/admin/theatres/${createTheatre.id}`);
  const details = page.getByRole('region', { name: 'Theatre details' });
  await details.getByLabel('Name', { exact: true }).fill(`Renamed ${stamp}`);
  await details.getByLabel('Time zone').selectOption('America/Denver');
  await details.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Changes saved.')).toBeVisible();
  await expect(page.getByRole('heading', { name: `Renamed ${stamp}` })).toBeVisible();
  await expect(page.getByText('9 Side St, Tulsa, OK 74103 · America/Denver')).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Delete theatre' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete “Renamed ${stamp}”?` });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Delete theatre' }).click();
  await expect(page).toHaveURL(/\/admin\/theatres$/);
  await expect(page.getByRole('link', { name: 'Marquee Mile High' })).toBeVisible();
  await expect(page.getByRole('link', { name: `Renamed ${stamp}` })).toHaveCount(0);

  const title = `Aardvark Cut ${stamp}`;
  await createMovie(title);
  await page.getByRole('navigation', { name: 'Staff panel' }).getByRole('link', { name: 'Movies' }).click();
  const item = page.locator('.admin-list > li', { hasText: title });
  await item.getByRole('button', { name: `Edit ${title}` }).click();
  await expect(item.getByRole('button', { name: `Edit ${title}` })).toHaveAttribute('aria-expanded', 'true');
  await item.getByLabel('Runtime (minutes)').fill('121');
  await item.getByLabel('Certificate (such as PG-13)').fill('PG');
  await item.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(`“${title}” saved.`)).toBeVisible();
  await expect(item).toContainText('PG · 2 h 1 min');
  await item.getByRole('button', { name: `Delete ${title}` }).click();
  await page.getByRole('dialog', { name: `Delete “${title}”?` }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText(`“${title}” deleted.`)).toBeVisible();
  await expect(page.locator('.admin-list > li', { hasText: title })).toHaveCount(0);

  const eventTitle = `Panel Jazz Night ${stamp}`;
  await page.getByRole('navigation', { name: 'Staff panel' }).getByRole('link', { name: 'Events' }).click();
  const panel = page.locator('.admin-body');
  await panel.getByLabel('Title', { exact: true }).fill(eventTitle);
  await panel.getByLabel('Performer or host').fill('The Late Trio');
  await panel.getByLabel('Category (concert, comedy, theatre…)').fill('concert');
  await panel.getByLabel('Duration (minutes)').fill('75');
  await panel.getByRole('button', { name: 'Create event' }).click();
  await expect(page.getByText(`“${eventTitle}” created.`)).toBeVisible();
  await expect(page.locator('.admin-list > li', { hasText: eventTitle })).toContainText('The Late Trio · concert · 1 h 15 min');
  await expectAccessible(page);
});
