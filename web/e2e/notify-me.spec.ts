import { expect, test } from '@playwright/test';
import { STANDARD_PRICES, THEATRE_SITE } from './api';
import { buyerPage } from './buyer-pages';
import { expectAccessible, screenshot } from './helpers';
import { privateBuyer, startServer, type PrivateServer } from './server';

// A server of this spec's own: its city and titles must not show in other specs' listings.
let server: PrivateServer;
test.beforeAll(async () => {
  server = await startServer({});
});
test.afterAll(async () => {
  await server?.stop();
});

const BOULDER = { ...THEATRE_SITE, city: 'Boulder', address: '1 Pearl St', zip: '80302', latitude: 40.0176, longitude: -105.2797 };
let made = 0;

async function movie(admin: string, title: string): Promise<string> {
  const { createMovie } = await server.gql<{ createMovie: { id: string } }>(
    'mutation($i: CreateMovieInput!) { createMovie(input: $i) { id } }',
    { i: { title, runtimeMinutes: 95, releaseDate: '2026-01-01' } },
    admin,
  );
  return createMovie.id;
}

test('notify me: a buyer asks to hear when a title opens in their city, is told in the inbox when it does, and cancels another alert', async ({ browser }, testInfo) => {
  test.setTimeout(60_000);
  const admin = await server.adminToken();
  const n = `${testInfo.project.name} ${++made}`;
  const { createTheatre } = await server.gql<{ createTheatre: { id: string } }>(
    'mutation($i: CreateTheatreInput!) { createTheatre(input: $i) { id } }',
    { i: { name: `Pearl Street Cinema ${n}`, ...BOULDER } },
    admin,
  );
  const { createScreen } = await server.gql<{ createScreen: { id: string } }>(
    'mutation($t: ID!, $n: String!, $l: ScreenLayoutInput!) { createScreen(theatreId: $t, name: $n, layout: $l) { id } }',
    { t: createTheatre.id, n: 'Screen 1', l: { rows: [{ label: 'A', seats: 'SSSS' }] } },
    admin,
  );
  const wanted = `Northern Lights ${n}`;
  const other = `Quiet Harbour ${n}`;
  const wantedId = await movie(admin, wanted);
  const otherId = await movie(admin, other);

  // The buyer chooses Boulder and asks, on each title's page, to be told.
  const page = await buyerPage(browser, testInfo, await privateBuyer(server, 'Nora'));
  await page.goto(`${server.url}/movies/${wantedId}`);
  await page.getByLabel('City').selectOption({ label: 'Boulder, CO' });
  await expect(page.getByText('No upcoming showtimes in Boulder.')).toBeVisible();
  await page.getByRole('button', { name: 'Notify me when it opens in Boulder' }).click();
  await expect(page.getByTestId('notify-me')).toHaveText('✓ We will tell you when tickets go on sale in Boulder.');
  await expectAccessible(page);
  await screenshot(page, testInfo, 'notify-me');
  await page.reload();
  await expect(page.getByTestId('notify-me')).toHaveText('✓ We will tell you when tickets go on sale in Boulder.');
  await page.goto(`${server.url}/movies/${otherId}`);
  await page.getByRole('button', { name: 'Notify me when it opens in Boulder' }).click();
  await expect(page.getByTestId('notify-me')).toContainText('We will tell you');

  // Staff see the demand in Analytics.
  const staff = await buyerPage(browser, testInfo, admin);
  await staff.goto(`${server.url}/admin/analytics`);
  const demand = staff.getByTestId('title-demand');
  await expect(demand.getByRole('row', { name: new RegExp(`${wanted} boulder 1`, 'i') })).toBeVisible();
  await expect(demand.getByRole('row', { name: new RegExp(`${other} boulder 1`, 'i') })).toBeVisible();
  await screenshot(staff, testInfo, 'title-demand');
  await staff.close();

  // Both alerts wait on the account page; the second is cancelled there.
  await page.goto(`${server.url}/account`);
  const alerts = page.getByTestId('my-alerts');
  const wantedAlert = alerts.getByTestId('alert').filter({ hasText: wanted });
  const otherAlert = alerts.getByTestId('alert').filter({ hasText: other });
  await expect(wantedAlert.getByTestId('alert-status')).toHaveText('Waiting');
  await otherAlert.getByRole('button', { name: `Cancel the alert for ${other}, Boulder` }).click();
  await expect(otherAlert.getByTestId('alert-status')).toHaveText('Cancelled');
  await expectAccessible(page);
  await screenshot(page, testInfo, 'my-alerts');

  // An admin schedules the wanted title in Boulder, on sale now: the alert arrives in the inbox.
  await page.goto(`${server.url}/notifications`);
  await expect(page.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
  const startsAt = new Date(Math.ceil((Date.now() + 48 * 3600_000) / 300_000) * 300_000).toISOString();
  const { createShowtime } = await server.gql<{ createShowtime: { id: string } }>(
    'mutation($i: CreateShowtimeInput!) { createShowtime(input: $i) { id } }',
    { i: { screenId: createScreen.id, movieId: wantedId, startsAt, currency: 'USD', prices: STANDARD_PRICES } },
    admin,
  );
  // Told by the alert worker (not the live feed): the inbox shows it when read again.
  const told = page.getByTestId('notification').filter({ hasText: 'Now on sale' });
  await expect(async () => {
    await page.reload();
    await expect(told).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(told).toContainText('Tickets for a title you asked about are on sale near you');

  // The alert list shows it told, with the way to book; the cancelled one stays cancelled.
  await page.goto(`${server.url}/account`);
  await expect(wantedAlert.getByTestId('alert-status')).toHaveText('On sale: you were told');
  await expect(wantedAlert.getByRole('link', { name: 'Book now' })).toHaveAttribute('href', `/showtimes/${createShowtime.id}`);
  await expect(otherAlert.getByTestId('alert-status')).toHaveText('Cancelled');

  // The API agrees.
  const { myAlerts } = await server.gql<{ myAlerts: { movieId: string; status: string; notifiedShowtimeId: string | null }[] }>(
    '{ myAlerts { movieId status notifiedShowtimeId } }',
    {},
    await page.evaluate(() => localStorage.getItem('marquee.token') ?? ''),
  );
  expect(myAlerts.find((a) => a.movieId === wantedId)).toMatchObject({ status: 'NOTIFIED', notifiedShowtimeId: createShowtime.id });
  expect(myAlerts.find((a) => a.movieId === otherId)).toMatchObject({ status: 'UNSUBSCRIBED', notifiedShowtimeId: null });
});
