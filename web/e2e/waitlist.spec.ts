import { expect, test } from '@playwright/test';
import { buyerPage, seat } from './buyer-pages';
import { expectAccessible, screenshot } from './helpers';
import { privateBuyer, privateShowtime, startServer, type PrivateServer } from './server';

// A server of this spec's own: offers held for 90 seconds, long enough to pay, short enough to count down.
let server: PrivateServer;
test.beforeAll(async () => {
  server = await startServer({ MARQUEE_WAITLIST_OFFER_SECONDS: '90' });
});
test.afterAll(async () => {
  await server?.stop();
});

test('a sold-out showtime: a buyer joins its waitlist, is offered the seats another gives back, and buys them', async ({ browser }, testInfo) => {
  test.setTimeout(60_000);
  const { showtimeId } = await privateShowtime(server, { rows: [{ label: 'A', seats: 'SS' }] });

  // Buyer A buys both seats of the tiny screen: sold out.
  const a = await privateBuyer(server, 'Avery');
  const { showtime } = await server.gql<{ showtime: { seatMap: { seats: { id: string }[] } } }>(
    'query($id: ID!) { showtime(id: $id) { seatMap { seats { id } } } }',
    { id: showtimeId },
  );
  const { holdSeats } = await server.gql<{ holdSeats: { id: string } }>(
    'mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }',
    { s: showtimeId, seats: showtime.seatMap.seats.map((s) => s.id) },
    a,
  );
  await server.gql('mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: "pm_card_visa" }) { status } }', { b: holdSeats.id }, a);

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
  await server.gql('mutation($b: ID!) { cancelBooking(bookingId: $b) { status } }', { b: holdSeats.id }, a);
  // The seat picker shows them as the buyer's hold.
  const hold = page.getByTestId('hold-panel');
  await expect(hold).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('seat-announcer')).toHaveText('Seats are offered to you!');
  await expect(hold.getByTestId('hold-countdown')).toContainText(/Seats held for 1:[0-2]\d/);
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
  const { myWaitlist } = await server.gql<{ myWaitlist: { status: string; offerBookingId: string }[] }>(
    '{ myWaitlist { status offerBookingId } }',
    {},
    b,
  );
  expect(myWaitlist).toEqual([{ status: 'CLAIMED', offerBookingId: bookingId }]);
  await page.goto(`${server.url}/account`);
  await expect(page.getByTestId('my-waitlist').getByTestId('waitlist-status')).toHaveText('Claimed');
});
