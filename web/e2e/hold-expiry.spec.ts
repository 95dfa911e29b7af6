import { expect, test } from '@playwright/test';
import { seat, signIn } from './buyer-pages';
import { expectAccessible } from './helpers';
import { privateBuyer, privateShowtime, startServer, type PrivateServer } from './server';

// Holds of six seconds: a server of this spec's own, so that no other spec's holds lapse.
let server: PrivateServer;
test.beforeAll(async () => {
  server = await startServer({ MARQUEE_HOLD_TTL_SECONDS: '6' });
});
test.afterAll(async () => {
  await server?.stop();
});

test('a hold that lapses: the countdown reaches zero, the buyer is told, the seats are available again', async ({ page }) => {
  test.setTimeout(45_000);
  const { showtimeId } = await privateShowtime(server, { rows: [{ label: 'A', seats: 'SSSS__SSSS' }] });
  await signIn(page, await privateBuyer(server, 'Sam'));
  await page.goto(`${server.url}/showtimes/${showtimeId}`);
  await expect(page.getByTestId('live-indicator')).toHaveText(/Live/);
  await page.getByRole('button', { name: seat('A', 2, 'standard', '$12.50', 'available') }).click();
  await page.getByRole('button', { name: 'Hold 1 seat' }).click();
  const countdown = page.getByTestId('hold-countdown');
  await expect(countdown).toContainText(/Seats held for 0:0[0-6]/);
  await expect(page.getByRole('button', { name: seat('A', 2, 'standard', '$12.50', 'held for you') })).toBeVisible();
  await expectAccessible(page);

  await expect(page.getByTestId('seat-announcer')).toHaveText('Your hold has ended and the seats were released.', {
    timeout: 15_000,
  });
  await expect(page.getByTestId('hold-panel')).toHaveCount(0);
  await expect(page.getByRole('button', { name: seat('A', 2, 'standard', '$12.50', 'available') })).toBeVisible({
    timeout: 10_000,
  });
  await expect(page.getByRole('button', { name: 'Hold seats' })).toBeDisabled();
});
