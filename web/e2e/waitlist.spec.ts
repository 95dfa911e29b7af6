import { expect, test } from '@playwright/test';
import { buyerPage, seat } from './buyer-pages';
import { expectAccessible, screenshot } from './helpers';
import { privateBuyer, privateShowtime, startServer, type PrivateServer } from './server';

// A server of this spec's own: holds of 12 seconds, so that one lapses during the test, and
// offers held for 90 seconds, long enough to pay, short enough to count down.
let server: PrivateServer;
test.beforeAll(async () => {
  server = await startServer({ MARQUEE_HOLD_TTL_SECONDS: '12', MARQUEE_WAITLIST_OFFER_SECONDS: '90' });
});
test.afterAll(async () => {
  await server?.stop();
});

async function seatIds(showtimeId: string): Promise<string[]> {
  const { showtime } = await server.gql<{ showtime: { seatMap: { seats: { id: string }[] } } }>(
    'query($id: ID!) { showtime(id: $id) { seatMap { seats { id } } } }',
    { id: showtimeId },
  );
  return showtime.seatMap.seats.map((s) => s.id);
}

async function hold(token: string, showtimeId: string, seats: string[]): Promise<string> {
  const { holdSeats } = await server.gql<{ holdSeats: { id: string } }>(
    'mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }',
    { s: showtimeId, seats },
    token,
  );
  return holdSeats.id;
}

test('a sold-out showtime: a buyer joins its waitlist, is offered the seats another gives back, and buys them', async ({ browser }, testInfo) => {
  test.setTimeout(60_000);
  const { showtimeId } = await privateShowtime(server, { rows: [{ label: 'A', seats: 'SS' }] });

  // Buyer A buys both seats of the tiny screen: sold out.
  const a = await privateBuyer(server, 'Avery');
  const bought = await hold(a, showtimeId, await seatIds(showtimeId));
  await server.gql('mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: "pm_card_visa" }) { status } }', { b: bought }, a);

  // Buyer B finds it sold out and joins the waitlist for two seats.
  const b = await privateBuyer(server, 'Blake');
  const page = await buyerPage(browser, testInfo, b);
  await page.goto(`${server.url}/showtimes/${showtimeId}`);
  const panel = page.getByTestId('waitlist-panel');
  await expect(panel.getByRole('heading', { name: 'Sold out' })).toBeVisible();
  await panel.getByLabel('Seats wanted together').selectOption('2');
  await panel.getByRole('button', { name: 'Join the waitlist' }).click();
  await expect(panel.getByTestId('waitlist-entry')).toContainText('You are number 1 in line for 2 seats.');
  await expectAccessible(page);

  // Buyer A cancels: the seats go to B as an offer with a countdown, live.
  await server.gql('mutation($b: ID!) { cancelBooking(bookingId: $b) { status } }', { b: bought }, a);
  // The seat picker shows them as the buyer's hold.
  const held = page.getByTestId('hold-panel');
  await expect(held).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('seat-announcer')).toHaveText('Seats are offered to you!');
  await expect(held.getByTestId('hold-countdown')).toContainText(/Seats held for 1:[0-2]\d/);
  await expect(page.getByRole('button', { name: seat('A', 1, 'standard', '$12.50', 'held for you') })).toBeVisible();
  await expect(page.getByRole('button', { name: seat('A', 2, 'standard', '$12.50', 'held for you') })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, 'waitlist-offer');

  // The offer is in the account's waitlist, with its countdown, and in the inbox, from where B takes it to checkout and pays.
  await page.goto(`${server.url}/account`);
  const entry = page.getByTestId('my-waitlist').getByTestId('waitlist-entry');
  await expect(entry.getByTestId('waitlist-status')).toHaveText('Offered');
  await expect(entry.getByTestId('waitlist-offer').getByTestId('hold-countdown')).toContainText(/Seats held for 1:[0-2]\d/);
  const offered = await entry.getByRole('link', { name: 'Go to checkout' }).getAttribute('href');
  await page.goto(`${server.url}/notifications`);
  const note = page.getByTestId('notification').filter({ hasText: 'Seats for you from the waitlist' });
  await expect(note).toBeVisible();
  await note.getByRole('link', { name: 'Claim the offered seats' }).click();
  await expect(page).toHaveURL(/\/checkout\//);
  const bookingId = page.url().split('/').pop() ?? '';
  expect(offered).toBe(`/checkout/${bookingId}`);
  await expect(page.getByTestId('checkout-total')).toHaveText(/\$\d+\.\d\d/);
  await page.getByRole('button', { name: /^Pay / }).click();
  await expect(page).toHaveURL(new RegExp(`/bookings/${bookingId}$`));
  await expect(page.getByTestId('booking-status')).toContainText('Confirmed');

  // The API agrees: B's booking of both seats is confirmed, and the entry is claimed.
  const { myBookings } = await server.gql<{ myBookings: { id: string; status: string; seats: { id: string }[]; showtime: { id: string } }[] }>(
    '{ myBookings { id status seats { id } showtime { id } } }',
    {},
    b,
  );
  expect(myBookings.find((x) => x.id === bookingId)).toMatchObject({ status: 'CONFIRMED', showtime: { id: showtimeId } });
  expect(myBookings.find((x) => x.id === bookingId)!.seats).toHaveLength(2);
  // The waitlist's worker marks the entry claimed once it sees the booking confirmed.
  await expect
    .poll(
      async () =>
        (
          await server.gql<{ myWaitlist: { status: string; offerBookingId: string }[] }>(
            '{ myWaitlist { status offerBookingId } }',
            {},
            b,
          )
        ).myWaitlist,
      { timeout: 15_000 },
    )
    .toEqual([{ status: 'CLAIMED', offerBookingId: bookingId }]);
  await page.goto(`${server.url}/account`);
  await expect(page.getByTestId('my-waitlist').getByTestId('waitlist-status')).toHaveText('Claimed');
});

test('a hold that lapses goes to the first in line; an offer given up passes to the next', async ({ browser }, testInfo) => {
  test.setTimeout(60_000);
  const { showtimeId } = await privateShowtime(server, { rows: [{ label: 'A', seats: 'S' }] });
  const a = await privateBuyer(server, 'Ash');
  await hold(a, showtimeId, await seatIds(showtimeId));

  // Two buyers wait for the one held seat, in the order they joined.
  const first = await buyerPage(browser, testInfo, await privateBuyer(server, 'Bea'));
  const second = await buyerPage(browser, testInfo, await privateBuyer(server, 'Cy'));
  for (const [page, place] of [[first, 1], [second, 2]] as const) {
    await page.goto(`${server.url}/showtimes/${showtimeId}`);
    const panel = page.getByTestId('waitlist-panel');
    await panel.getByLabel('Seats wanted together').selectOption('1');
    await panel.getByRole('button', { name: 'Join the waitlist' }).click();
    await expect(panel.getByTestId('waitlist-entry')).toContainText(`You are number ${place} in line for 1 seat.`);
  }

  // A's hold lapses: the seat is offered to the first in line, who lets the offer pass.
  await expect(first.getByTestId('hold-panel')).toBeVisible({ timeout: 20_000 });
  await first.getByRole('button', { name: 'Release seats' }).click();
  await expect(first.getByTestId('seat-announcer')).toHaveText('Your seats were released.');

  // The next in line is offered it, live, and buys it.
  await expect(second.getByTestId('hold-panel')).toBeVisible({ timeout: 15_000 });
  await second.getByRole('link', { name: 'Continue to checkout' }).click();
  await expect(second).toHaveURL(/\/checkout\//);
  const bookingId = second.url().split('/').pop() ?? '';
  await expect(second.getByTestId('checkout-total')).toHaveText(/\$\d+\.\d\d/);
  await second.getByRole('button', { name: /^Pay / }).click();
  await expect(second.getByTestId('booking-status')).toContainText('Confirmed');

  // The API: the first's offer lapsed, the second's was claimed as that booking.
  await first.goto(`${server.url}/account`);
  await expect(first.getByTestId('my-waitlist').getByTestId('waitlist-status')).toHaveText('Offer lapsed');
  const token = await second.evaluate(() => localStorage.getItem('marquee.token') ?? '');
  const { myWaitlist } = await server.gql<{ myWaitlist: { status: string; offerBookingId: string }[] }>(
    '{ myWaitlist { status offerBookingId } }',
    {},
    token,
  );
  expect(myWaitlist).toEqual([{ status: 'CLAIMED', offerBookingId: bookingId }]);
  const { booking } = await server.gql<{ booking: { status: string } }>('query($id: ID!) { booking(id: $id) { status } }', { id: bookingId }, token);
  expect(booking.status).toBe('CONFIRMED');
});
