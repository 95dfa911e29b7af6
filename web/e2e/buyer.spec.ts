import { expect, test } from '@playwright/test';
import { readCatalog } from './catalog';
import { expectAccessible, screenshot } from './helpers';

const catalog = readCatalog();

/** The date button of an instant's local date at the test theatre. */
function dayChip(iso: string): string {
  const local = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: catalog.timezone }).format(d);
  const days = Math.round((Date.parse(local(new Date(iso))) - Date.parse(local(new Date()))) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Tomorrow';
  return new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', timeZone: catalog.timezone }).format(
    new Date(iso),
  );
}

test('home: picking a city lists what is on there, and the city is remembered', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: "What's on" })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel('City').selectOption({ label: `${catalog.city}, ${catalog.state}` });
  await expect(page.getByRole('heading', { level: 1, name: `What's on in ${catalog.city}` })).toBeVisible();
  const movies = page.getByRole('list', { name: 'Movies' });
  await expect(movies.getByRole('link', { name: catalog.movieTitle })).toBeVisible();
  const events = page.getByRole('list', { name: 'Live events' });
  await expect(events.getByRole('link', { name: catalog.eventTitle })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, 'home');

  // Today has no showtime (the movie's is a day away, on the theatre's calendar); its date does.
  await page.getByRole('button', { name: 'Today' }).click();
  await expect(page.getByRole('button', { name: 'Today' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByText('No movies on these dates.')).toBeVisible();
  await page.getByRole('button', { name: dayChip(catalog.showtimeStartsAt) }).click();
  await expect(movies.getByRole('link', { name: catalog.movieTitle })).toBeVisible();
  await expect(page.getByText('No live events on these dates.')).toBeVisible();
  await page.getByRole('button', { name: 'This week' }).click();
  await expect(movies.getByRole('link', { name: catalog.movieTitle })).toBeVisible();

  await page.reload();
  await expect(page.getByLabel('City')).toHaveValue(`${catalog.city}|${catalog.state}`);
  await expect(movies.getByRole('link', { name: catalog.movieTitle })).toBeVisible();
});

test('home: "near me" picks the city of the nearest theatre', async ({ page, context }) => {
  await context.grantPermissions(['geolocation']);
  await context.setGeolocation({ latitude: catalog.latitude + 0.05, longitude: catalog.longitude - 0.05 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Near me' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `What's on in ${catalog.city}` })).toBeVisible();
  await expect(page.getByLabel('City')).toHaveValue(`${catalog.city}|${catalog.state}`);
});

test('search: a misspelt title is suggested as it is typed and leads to its page', async ({ page }, testInfo) => {
  await page.goto('/');
  const box = page.getByRole('combobox', { name: 'Search movies, events and theatres' });
  await box.click();
  await box.pressSequentially(catalog.misspelled, { delay: 30 });
  const suggestion = page.getByRole('option', { name: new RegExp(catalog.movieTitle) });
  await expect(suggestion).toBeVisible();
  await expect(box).toHaveAttribute('aria-expanded', 'true');
  await expectAccessible(page);
  await screenshot(page, testInfo, 'search-suggestions');

  // From the keyboard alone: down to the suggestion, Enter.
  await box.press('ArrowDown');
  await expect(suggestion).toHaveAttribute('aria-selected', 'true');
  await box.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/movies/${catalog.movieId}$`));
  await expect(page.getByRole('heading', { level: 1, name: catalog.movieTitle })).toBeVisible();
});

test('search: Enter shows the results page', async ({ page }) => {
  await page.goto('/');
  const box = page.getByRole('combobox', { name: 'Search movies, events and theatres' });
  await box.fill(catalog.misspelled);
  await box.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=/);
  await expect(page.getByRole('heading', { level: 1, name: `Results for “${catalog.misspelled}”` })).toBeVisible();
  await page.getByRole('main').getByRole('link', { name: catalog.movieTitle }).click();
  await expect(page.getByRole('heading', { level: 1, name: catalog.movieTitle })).toBeVisible();
  await expectAccessible(page);
});

test('movie page: showtimes by date and theatre, on the theatre clock, with prices', async ({ page }, testInfo) => {
  await page.goto(`/movies/${catalog.movieId}`);
  await expect(page.getByRole('heading', { level: 1, name: catalog.movieTitle })).toBeVisible();
  await expect(page.getByText('Rated 4.0 out of 5 by 1 viewer')).toBeVisible();
  const histogram = page.getByRole('list', { name: 'Ratings by number of stars' });
  await expect(histogram.getByTestId('histogram-row')).toHaveText([
    '5 stars: 0 viewers',
    '4 stars: 1 viewer',
    '3 stars: 0 viewers',
    '2 stars: 0 viewers',
    '1 star: 0 viewers',
  ]);
  await expect(page.getByText('Worth the trip.')).toBeVisible();
  await expect(page.getByText('Vera Viewer')).toBeVisible();

  const starts = new Date(catalog.showtimeStartsAt);
  const day = new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    timeZone: catalog.timezone,
  }).format(starts);
  const time = new Intl.DateTimeFormat('en-US', {
    hour: 'numeric',
    minute: '2-digit',
    timeZone: catalog.timezone,
  }).format(starts);
  const zone = /^M[SD]T$/; // Mountain time, whatever the season.

  await expect(page.getByRole('heading', { level: 3, name: day })).toBeVisible();
  // Other specs schedule the catalog movie at the same theatre on later days: its first
  // day comes first.
  await expect(page.getByRole('heading', { level: 4, name: new RegExp(catalog.theatre) }).first()).toBeVisible();
  // Specs with theatres of their own schedule it too, some on this day: the catalog's own
  // showtime is found by its time on the theatre clock.
  const showtime = page
    .getByTestId('showtime')
    .filter({ has: page.locator('time', { hasText: new RegExp(`^${time}\\s`) }) })
    .first();
  await expect(showtime.locator('time')).toHaveText(new RegExp(`^${time}\\s`));
  expect(await showtime.locator('abbr').innerText()).toMatch(zone);
  await expect(showtime).toContainText('Standard $12.50');
  await expect(showtime).toContainText('Premium $18.75');
  await expectAccessible(page);
  await screenshot(page, testInfo, 'movie');
});

test('event page: the performer and the showtime with prices', async ({ page }, testInfo) => {
  await page.goto(`/events/${catalog.eventId}`);
  await expect(page.getByRole('heading', { level: 1, name: catalog.eventTitle })).toBeVisible();
  await expect(page.getByText('The Front Range Quartet')).toBeVisible();
  const time = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: catalog.timezone }).format(
    new Date(catalog.eventStartsAt),
  );
  // Specs with theatres of their own schedule it too, some on this day: the catalog's own
  // showtime is found by its time on the theatre clock.
  const showtime = page
    .getByTestId('showtime')
    .filter({ has: page.locator('time', { hasText: new RegExp(`^${time}\\s`) }) })
    .first();
  await expect(showtime.locator('time')).toHaveText(new RegExp(`^${time}\\s`));
  await expect(showtime).toContainText('Standard $12.50');
  await expectAccessible(page);
  await screenshot(page, testInfo, 'event');
});

test('the server that answers the API serves the app: deep links, and hashed assets cached for good', async ({ page }) => {
  const assets: { url: string; cacheControl: string | undefined }[] = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/assets/')) assets.push({ url: r.url(), cacheControl: r.headers()['cache-control'] });
  });
  const response = await page.goto(`/movies/${catalog.movieId}`);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: catalog.movieTitle })).toBeVisible();
  expect(assets.length).toBeGreaterThan(0);
  for (const a of assets) expect(a.cacheControl, a.url).toContain('immutable');
});

test('an unknown address says so, with a way home', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to what’s on' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expectAccessible(page);
});

test('API errors are told in plain words, never as raw answers', async ({ page }) => {
  await page.route('**/graphql', (route) =>
    route.fulfill({
      status: 429,
      contentType: 'application/json',
      body: JSON.stringify({
        data: null,
        errors: [{ message: 'rate limited', extensions: { code: 'RATE_LIMITED', retryAfterMs: 2500 } }],
      }),
    }),
  );
  await page.goto(`/movies/${catalog.movieId}`);
  await expect(page.getByRole('alert').first()).toHaveText(/Too many requests\. Please try again in 3 seconds\./);
  await expect(page.getByText('rate limited')).toHaveCount(0);
});
