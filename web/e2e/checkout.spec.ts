import { expect, test } from '@playwright/test';
import { gql, signUpBuyer } from './api';
import { booking, buy, buyerFor, createPromotion, holdSeats, seatMap, signInAs, sixSeatShowtime } from './buying';
import { expectAccessible, screenshot } from './helpers';

const FILE = 'checkout';

test('a promo code lowers the total shown before paying, the charge equals it, and the tickets come with QR codes', async ({
  page,
}, testInfo) => {
  const buyer = await buyerFor(testInfo, FILE);
  const { showtimeId, seats } = await sixSeatShowtime();
  const code = await createPromotion('PERCENT', 20, 'Twenty percent off');
  const id = await holdSeats(buyer.token, showtimeId, [seats[0]!.id, seats[1]!.id]);
  await signInAs(page, buyer.token);

  await page.goto(`/checkout/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Checkout' })).toBeVisible();
  await expect(page.getByText('Row A, seat 1')).toBeVisible();
  await expect(page.getByTestId('checkout-total')).toHaveText('$25.00');
  await expect(page.getByTestId('hold-countdown')).toContainText('Seats held for');

  // An unknown code is refused in words, and the total stays.
  await page.getByLabel('Promo code').fill('NOSUCHCODE');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'We do not know this promo code' })).toBeVisible();
  await expect(page.getByTestId('checkout-total')).toHaveText('$25.00');

  await page.getByLabel('Promo code').fill(code.toLowerCase());
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText(`Code ${code} applied: Twenty percent off`)).toBeVisible();
  await expect(page.getByTestId('checkout-totals')).toContainText('−$5.00');
  await expect(page.getByTestId('checkout-total')).toHaveText('$20.00');
  await expectAccessible(page);
  await screenshot(page, testInfo, 'checkout');

  await page.getByLabel('Visa card that pays').check();
  await page.getByRole('button', { name: 'Pay $20.00' }).click();
  await expect(page).toHaveURL(new RegExp(`/bookings/${id}$`));
  await expect(page.getByTestId('booking-status')).toHaveText('Booking status: Confirmed');
  const qr = page.getByRole('img', { name: /QR code of the ticket for row A, seat/ });
  await expect(qr).toHaveCount(2);
  await expect(qr.first()).toHaveAttribute('src', /^data:image\/svg\+xml/);
  // The image decodes (a broken SVG has no natural width).
  expect(await qr.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(page.getByText('$20.00')).toBeVisible();
  expect(await booking(buyer.token, id)).toEqual({ status: 'CONFIRMED', totalCents: 2000 });
  await expectAccessible(page);
  await screenshot(page, testInfo, 'booking');
});

test('a declined card says so, and the seats are free again at once for anyone', async ({ page }, testInfo) => {
  const buyer = await buyerFor(testInfo, FILE);
  const { showtimeId, seats } = await sixSeatShowtime();
  const chosen = [seats[2]!.id, seats[3]!.id];
  const id = await holdSeats(buyer.token, showtimeId, chosen);
  await signInAs(page, buyer.token);

  await page.goto(`/checkout/${id}`);
  await expect(page.getByTestId('checkout-total')).toHaveText('$25.00');
  await page.getByLabel('Card that is declined').check();
  await page.getByRole('button', { name: 'Pay $25.00' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Your payment was declined and nothing was charged' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Choose seats again' })).toHaveAttribute('href', `/showtimes/${showtimeId}`);
  await expect(page.getByTestId('hold-countdown')).toHaveCount(0);
  await expectAccessible(page);

  const map = await seatMap(showtimeId);
  expect(map.filter((s) => chosen.includes(s.id)).map((s) => s.status)).toEqual(['AVAILABLE', 'AVAILABLE']);
  const second = await signUpBuyer('Second Buyer');
  await holdSeats(second.token, showtimeId, chosen);
  expect((await booking(buyer.token, id)).status).toBe('PAYMENT_FAILED');
});

test('a card that needs 3-D Secure completes through the bank step, and a declined authentication fails clearly', async ({
  page,
}, testInfo) => {
  const buyer = await buyerFor(testInfo, FILE);
  const { showtimeId, seats } = await sixSeatShowtime();
  await signInAs(page, buyer.token);

  const approved = await holdSeats(buyer.token, showtimeId, [seats[4]!.id]);
  await page.goto(`/checkout/${approved}`);
  await page.getByLabel('Card that asks for 3-D Secure authentication').check();
  await page.getByRole('button', { name: 'Pay $12.50' }).click();
  const bank = page.getByRole('dialog', { name: 'Confirm the payment with your bank' });
  await expect(bank).toBeVisible();
  await expect(bank).toContainText('$12.50');
  await expectAccessible(page);
  await bank.getByRole('button', { name: 'Approve' }).click();
  await expect(page).toHaveURL(new RegExp(`/bookings/${approved}$`));
  await expect(page.getByTestId('booking-status')).toHaveText('Booking status: Confirmed');
  await expect(page.getByRole('img', { name: /QR code of the ticket for row A, seat 5/ })).toBeVisible();

  const refused = await holdSeats(buyer.token, showtimeId, [seats[5]!.id]);
  await page.goto(`/checkout/${refused}`);
  await page.getByLabel('Card that asks for 3-D Secure authentication').check();
  await page.getByRole('button', { name: 'Pay $12.50' }).click();
  await page.getByRole('dialog', { name: 'Confirm the payment with your bank' }).getByRole('button', { name: 'Decline' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'not confirmed with your bank' })).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  expect((await booking(buyer.token, refused)).status).toBe('PAYMENT_FAILED');
  const map = await seatMap(showtimeId);
  expect(map.find((s) => s.id === seats[5]!.id)?.status).toBe('AVAILABLE');
});

test('cancelling shows the refund before confirming, then the new status; the badge counts notifications live', async ({
  page,
}, testInfo) => {
  // A buyer of its own: no entry of another test's purchase can arrive while it counts.
  const buyer = await signUpBuyer('Nora Notified');
  const { showtimeId, seats } = await sixSeatShowtime();
  const id = await holdSeats(buyer.token, showtimeId, [seats[0]!.id]);
  await signInAs(page, buyer.token);

  await page.goto(`/checkout/${id}`);
  const inbox = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Notifications/ });
  await expect(inbox).toBeVisible();
  // The badge's count once it agrees with the server's (entries are made after each change commits).
  const settled = async (): Promise<number> => {
    let count = -1;
    await expect
      .poll(async () => {
        const { unreadNotificationCount } = await gql<{ unreadNotificationCount: number }>(
          '{ unreadNotificationCount }',
          {},
          buyer.token,
        );
        count = unreadNotificationCount;
        return (await unread(inbox)) === count;
      })
      .toBe(true);
    return count;
  };
  const before = await settled();
  await page.getByRole('button', { name: 'Pay $12.50' }).click();
  await expect(page).toHaveURL(new RegExp(`/bookings/${id}$`));
  // The purchase's confirmation arrives over the live connection.
  await expect(inbox).toHaveAccessibleName(`Notifications, ${before + 1} unread`);

  await page.getByRole('button', { name: 'Cancel booking' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this booking?' });
  await expect(dialog).toContainText('You will get a full refund of $12.50.');
  await expect(dialog).toContainText('Full refund if cancelled before');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Yes, cancel and refund' }).click();
  await expect(page.getByText('Your booking is cancelled. $12.50 will be refunded to your card.')).toBeVisible();
  await expect(page.getByTestId('booking-status')).toHaveText('Booking status: Cancelled');
  expect((await booking(buyer.token, id)).status).toBe('CANCELLED');

  await inbox.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
  // The cancellation's entries (cancelled, refunded) arrive as their changes commit.
  await expect(page.getByTestId('notification').first()).not.toContainText('Booking confirmed');
  const count = await settled();
  expect(count).toBeGreaterThan(0);
  await expect(page.getByTestId('notification').first()).toContainText('Unread');
  await expectAccessible(page);
  await screenshot(page, testInfo, 'notifications');
  await page.getByRole('button', { name: /^Mark “.*” as read$/ }).first().click();
  await expect(inbox).toHaveAccessibleName(count === 1 ? 'Notifications' : `Notifications, ${count - 1} unread`);
  await expect(page.getByText(`${count - 1} unread`, { exact: true }).or(page.getByText('All caught up.'))).toBeVisible();

  // A purchase made elsewhere shows up on top of the open inbox, unread, and in the badge.
  const items = page.getByTestId('notification');
  const shown = await items.count();
  await buy(buyer.token, showtimeId, [seats[1]!.id]);
  await expect(items).toHaveCount(shown + 1);
  await expect(items.first()).toContainText('Unread');
  await expect(items.first()).toContainText('Booking confirmed');
  await expect(inbox).toHaveAccessibleName(`Notifications, ${count} unread`);
});

test('bookings lists upcoming bookings linking to their pages', async ({ page }, testInfo) => {
  const buyer = await buyerFor(testInfo, FILE);
  const { showtimeId, seats } = await sixSeatShowtime();
  const held = await holdSeats(buyer.token, showtimeId, [seats[3]!.id]);
  await signInAs(page, buyer.token);
  await page.goto('/bookings');
  await expect(page.getByRole('heading', { level: 1, name: 'My bookings' })).toBeVisible();
  const upcoming = page.getByRole('list', { name: 'Upcoming' });
  await expect(upcoming.getByRole('link').first()).toBeVisible();
  await expect(page.locator(`a[href="/bookings/${held}"]`)).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, 'bookings');
  await page.locator(`a[href="/bookings/${held}"]`).click();
  await expect(page.getByTestId('booking-status')).toHaveText('Booking status: Seats held, not paid yet');
  await expect(page.getByRole('link', { name: 'Go to checkout' })).toHaveAttribute('href', `/checkout/${held}`);
  await gql('mutation($b: ID!) { releaseHold(bookingId: $b) { id } }', { b: held }, buyer.token);
  // The release shows live.
  await expect(page.getByTestId('booking-status')).toHaveText('Booking status: Cancelled');
});

async function unread(link: import('@playwright/test').Locator): Promise<number> {
  const name = (await link.getAttribute('aria-label')) ?? '';
  const m = /, (\d+) unread/.exec(name);
  return m ? Number(m[1]) : 0;
}

test('when the hold lapses during checkout, the page says so and offers to choose seats again', async ({ page }, testInfo) => {
  const buyer = await buyerFor(testInfo, FILE);
  const { showtimeId, seats } = await sixSeatShowtime();
  const id = await holdSeats(buyer.token, showtimeId, [seats[5]!.id]);
  await signInAs(page, buyer.token);
  await page.clock.install();
  await page.goto(`/checkout/${id}`);
  await expect(page.getByTestId('hold-countdown')).toContainText('Seats held for');
  await page.clock.fastForward('10:30');
  await expect(page.getByRole('alert').filter({ hasText: 'Your hold has ended and the seats were released' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Pay/ })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Choose seats again' })).toHaveAttribute('href', `/showtimes/${showtimeId}`);
  await expectAccessible(page);
});
