import { expect, test } from '@playwright/test';
import { buy, buyerFor, signInAs, sixSeatShowtime } from './buying';
import { expectAccessible } from './helpers';

test('the app installs, and the tickets stay readable with the network off', async ({ page, context }, testInfo) => {
  const buyer = await buyerFor(testInfo, 'offline');
  const { showtimeId, seats } = await sixSeatShowtime();
  const id = await buy(buyer.token, showtimeId, [seats[0]!.id, seats[1]!.id]);
  await signInAs(page, buyer.token);

  // Installable: a manifest with icons, linked from the page.
  const manifest = await (await page.request.get('/manifest.webmanifest')).json();
  expect(manifest).toMatchObject({ display: 'standalone', start_url: '/' });
  for (const icon of manifest.icons as { src: string }[]) {
    const response = await page.request.get(icon.src);
    expect(response.headers()['content-type']).toBe('image/png');
  }

  await page.goto(`/bookings/${id}`);
  await expect(page.getByTestId('booking-status')).toHaveText('Booking status: Confirmed');
  await expect(page.getByRole('img', { name: /QR code of the ticket/ })).toHaveCount(2);
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
  // The service worker has taken the app shell in.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    for (let i = 0; i < 50 && !(await caches.match('/index.html')); i++) await new Promise((r) => setTimeout(r, 100));
  });
  const codes = await page.locator('.ticket-code code').allTextContents();
  expect(codes).toHaveLength(2);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByText('You are offline — showing your saved tickets')).toBeVisible();
  await expect(page.getByRole('img', { name: /QR code of the ticket for row A, seat 1/ })).toBeVisible();
  for (const code of codes) await expect(page.getByText(code)).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: 'My bookings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My bookings' })).toBeVisible();
  await expect(page.getByText('You are offline — showing your saved tickets')).toBeVisible();
  await page.locator(`a[href="/bookings/${id}"]`).click();
  await expect(page.getByRole('img', { name: /QR code of the ticket for row A, seat 2/ })).toBeVisible();

  // Back online, the live page returns.
  await context.setOffline(false);
  await page.reload();
  await expect(page.getByTestId('booking-status')).toHaveText('Booking status: Confirmed');
});

test('signing out forgets the saved tickets on this device', async ({ page }, testInfo) => {
  const buyer = await buyerFor(testInfo, 'offline');
  const { showtimeId, seats } = await sixSeatShowtime();
  const id = await buy(buyer.token, showtimeId, [seats[2]!.id]);
  await page.goto('/');
  await page.evaluate((t) => localStorage.setItem('marquee.token', t), buyer.token);
  await page.goto(`/bookings/${id}`);
  await expect(page.getByRole('img', { name: /QR code of the ticket/ })).toHaveCount(1);
  expect(await page.evaluate(() => localStorage.getItem('marquee.savedTickets'))).toContain(id);
  await page.getByRole('link', { name: /^Account: / }).click();
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('marquee.savedTickets'))).toBeNull();
});
