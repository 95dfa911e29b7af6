import { expect, test, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminToken, gql, signUpBuyer, STANDARD_PRICES, THEATRE_SITE } from './api';
import { buyerPage } from './buyer-pages';
import { holdSeats, seatMap, sixSeatShowtime } from './buying';
import { readCatalog } from './catalog';
import { expectAccessible, screenshot } from './helpers';

const catalog = readCatalog();

/** The invitation token emailed to `to`, read from the server's mail folder. */
async function invitationToken(to: string): Promise<string> {
  const dir = join(process.env.E2E_DATA_DIR ?? '', 'mail');
  for (let attempt = 0; attempt < 50; attempt++) {
    for (const file of readdirSync(dir, { withFileTypes: true })) {
      if (!file.isFile() || !file.name.endsWith('.eml')) continue;
      const text = readFileSync(join(dir, file.name), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      if (!text.includes(to)) continue;
      const token = /token=([0-9a-f]{64})/.exec(text)?.[1];
      if (token) return token;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no invitation email for ${to}`);
}

/** An organisation with a theatre and a showtime of six seats, and a manager who has joined it. */
async function organisationWithManager(stamp: string) {
  const admin = await adminToken();
  const { createOrganisation } = await gql<{ createOrganisation: { id: string } }>(
    'mutation($n: String!, $s: String!) { createOrganisation(name: $n, slug: $s) { id } }',
    { n: `Gift Chain ${stamp}`, s: `gift-${stamp}`.toLowerCase() },
    admin,
  );
  const org = createOrganisation.id;
  const { createTheatre } = await gql<{ createTheatre: { id: string } }>(
    'mutation($i: CreateTheatreInput!) { createTheatre(input: $i) { id } }',
    { i: { name: `Gift Hall ${stamp}`, ...THEATRE_SITE, organisationId: org } },
    admin,
  );
  const { createScreen } = await gql<{ createScreen: { id: string } }>(
    'mutation($t: ID!, $n: String!, $l: ScreenLayoutInput!) { createScreen(theatreId: $t, name: $n, layout: $l) { id } }',
    { t: createTheatre.id, n: 'Screen 1', l: { rows: [{ label: 'A', seats: 'SSSSSS' }] } },
    admin,
  );
  const startsAt = new Date(Math.ceil((Date.now() + 40 * 3600_000) / 300_000) * 300_000).toISOString();
  const { createShowtime } = await gql<{ createShowtime: { id: string } }>(
    'mutation($i: CreateShowtimeInput!) { createShowtime(input: $i) { id } }',
    { i: { screenId: createScreen.id, movieId: catalog.movieId, startsAt, currency: 'USD', prices: STANDARD_PRICES } },
    admin,
  );
  const email = `gift-manager-${stamp}@marquee.test`;
  await gql(
    'mutation($o: ID!, $e: String!) { inviteStaff(organisationId: $o, email: $e, role: MANAGER) { emailSent } }',
    { o: org, e: email },
    admin,
  );
  const invitation = await invitationToken(email);
  const { signUp } = await gql<{ signUp: { token: string } }>(
    'mutation($i: SignUpInput!) { signUp(input: $i) { token } }',
    { i: { email, password: 'manager password', name: 'Gina Manager' } },
  );
  await gql('mutation($t: String!) { acceptStaffInvitation(token: $t) { id } }', { t: invitation }, signUp.token);
  return { org, showtimeId: createShowtime.id, manager: signUp.token };
}

/** Issues a card from the panel's form and reads the code it shows once. */
async function issueInPanel(page: Page, amount: string, recipient: string, note: string, expiresOn?: string): Promise<string> {
  const form = page.locator('.admin-form');
  await form.getByLabel('Amount (USD)').fill(amount);
  await form.getByLabel('Recipient email').fill(recipient);
  await form.getByLabel('Note').fill(note);
  if (expiresOn) await form.getByLabel('Expires on (optional)').fill(expiresOn);
  await page.getByRole('button', { name: 'Issue gift card' }).click();
  const issued = page.getByTestId('issued-gift-card');
  await expect(issued).toContainText(`Gift card issued with $${amount}`);
  await expect(issued).toContainText(`The code was emailed to ${recipient}.`);
  const code = (await issued.locator('code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  return code;
}

async function cards(org: string, token: string) {
  const { giftCards } = await gql<{
    giftCards: { codeLast4: string; balanceCents: number; expiresAt: string | null; disabledAt: string | null; history: { kind: string; amountCents: number }[] }[];
  }>(
    'query($o: ID!) { giftCards(organisationId: $o) { codeLast4 balanceCents expiresAt disabledAt history { kind amountCents } } }',
    { o: org },
    token,
  );
  return giftCards;
}

async function bookingPayment(id: string, token: string) {
  const { booking } = await gql<{ booking: { status: string; totalCents: number; payment: { cardCents: number; giftCardCents: number } } }>(
    'query($id: ID!) { booking(id: $id) { status totalCents payment { cardCents giftCardCents } } }',
    { id },
    token,
  );
  return booking;
}

const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;

test('a manager issues gift cards; a buyer pays part of a booking with one and a whole booking with another', async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  const stamp = `${testInfo.project.name}-${process.pid}-${Date.now()}`;
  const { org, showtimeId, manager } = await organisationWithManager(stamp);

  // The manager issues a 10.00 card in the panel: the code is shown once, the list masks it.
  await page.addInitScript((t) => localStorage.setItem('marquee.token', t), manager);
  await page.goto('/admin/gift-cards');
  await expect(page.getByRole('heading', { name: 'Gift cards', level: 2 })).toBeVisible();
  await expect(page.getByText('No gift cards yet.')).toBeVisible();
  const partial = await issueInPanel(page, '10.00', 'friend@marquee.test', 'Birthday present');
  const last4 = partial.slice(-4);
  const row = page.getByTestId('gift-card-row').filter({ hasText: `•••• ${last4}` });
  await expect(row).toContainText('$10.00');
  await expect(row).toContainText('Active');
  await expect(row).toContainText('friend@marquee.test');
  await expect(page.getByTestId('gift-card-list')).not.toContainText(partial);
  await expectAccessible(page);
  await screenshot(page, testInfo, 'gift-cards-panel');

  // A buyer holds two seats and pays 10.00 of them with the card, the rest by card.
  const buyer = await signUpBuyer(`Gift Buyer ${testInfo.project.name}`);
  const seats = await seatMap(showtimeId);
  const first = await holdSeats(buyer.token, showtimeId, [seats[0]!.id, seats[1]!.id]);
  const shopper = await buyerPage(browser, testInfo, buyer.token);
  await shopper.goto(`/checkout/${first}`);
  const total = shopper.getByTestId('checkout-total');
  await expect(total).toHaveText(/\$\d+\.\d\d/);
  const totalCents = Math.round(Number((await total.textContent())!.replace(/[^0-9.]/g, '')) * 100);
  await shopper.getByLabel('Gift card').fill(partial.toLowerCase());
  await shopper.getByRole('button', { name: 'Use card' }).click();
  await expect(shopper.getByTestId('gift-card-status')).toContainText(
    `it pays $10.00 of its $10.00 balance; left to pay: ${dollars(totalCents - 1000)}`,
  );
  await expect(shopper.getByTestId('gift-card-part')).toHaveText('−$10.00');
  await expect(shopper.getByTestId('card-part')).toHaveText(dollars(totalCents - 1000));
  await expectAccessible(shopper);
  await screenshot(shopper, testInfo, 'gift-card-checkout');
  await shopper.getByRole('button', { name: `Pay ${dollars(totalCents - 1000)}` }).click();
  await expect(shopper).toHaveURL(new RegExp(`/bookings/${first}$`));
  await expect(shopper.getByTestId('booking-status')).toContainText('Confirmed');
  await expect(shopper.getByTestId('booking-gift-card-part')).toHaveText('$10.00');
  await expect(shopper.getByTestId('booking-card-part')).toHaveText(dollars(totalCents - 1000));
  const paid = await bookingPayment(first, buyer.token);
  expect(paid).toMatchObject({ status: 'CONFIRMED', totalCents, payment: { giftCardCents: 1000, cardCents: totalCents - 1000 } });

  // A spent card is refused with its reason.
  const single = await holdSeats(buyer.token, showtimeId, [seats[2]!.id]);
  await shopper.goto(`/checkout/${single}`);
  await expect(shopper.getByTestId('checkout-total')).toHaveText(/\$\d+\.\d\d/);
  const singleCents = Math.round(Number((await shopper.getByTestId('checkout-total').textContent())!.replace(/[^0-9.]/g, '')) * 100);
  await shopper.getByLabel('Gift card').fill(partial);
  await shopper.getByRole('button', { name: 'Use card' }).click();
  await expect(shopper.getByRole('alert').filter({ hasText: 'This gift card has no balance left.' })).toBeVisible();

  // A second card, of 50.00, covers the whole total: no card payment is asked for.
  await page.reload();
  const expiresOn = new Date(Date.now() + 30 * 24 * 3600_000).toISOString().slice(0, 10);
  const whole = await issueInPanel(page, '50.00', 'friend@marquee.test', 'Refund goodwill', expiresOn);
  await shopper.getByLabel('Gift card').fill(whole);
  await shopper.getByRole('button', { name: 'Use card' }).click();
  await expect(shopper.getByTestId('gift-card-covers')).toBeVisible();
  await expect(shopper.getByTestId('card-part')).toHaveText('$0.00');
  await expect(shopper.getByRole('radio')).toHaveCount(0);
  await shopper.getByRole('button', { name: 'Confirm booking' }).click();
  await expect(shopper).toHaveURL(new RegExp(`/bookings/${single}$`));
  await expect(shopper.getByTestId('booking-status')).toContainText('Confirmed');
  await expect(shopper.getByTestId('booking-card-part')).toHaveText('$0.00');
  expect(await bookingPayment(single, buyer.token)).toMatchObject({
    status: 'CONFIRMED',
    payment: { giftCardCents: singleCents, cardCents: 0 },
  });

  // The balances and histories, read back through the API and in the panel.
  const list = await cards(org, manager);
  const byLast4 = new Map(list.map((c) => [c.codeLast4, c]));
  expect(byLast4.get(last4)).toMatchObject({ balanceCents: 0 });
  expect(byLast4.get(last4)!.history.map((h) => [h.kind, h.amountCents])).toEqual([
    ['ISSUE', 1000],
    ['SPEND', -1000],
  ]);
  expect(byLast4.get(whole.slice(-4))).toMatchObject({ balanceCents: 5000 - singleCents });
  await page.reload();
  const spentRow = page.getByTestId('gift-card-row').filter({ hasText: `•••• ${last4}` });
  await expect(spentRow).toContainText('Spent');
  await spentRow.getByText(`History of •••• ${last4}`).click();
  await expect(spentRow).toContainText('Spent at checkout');
  await expect(spentRow).toContainText('−$10.00');

  // The buyer cancels the first booking: the gift card's share comes back to it.
  await gql('mutation($b: ID!) { cancelBooking(bookingId: $b) { status } }', { b: first }, buyer.token);
  const restored = (await cards(org, manager)).find((c) => c.codeLast4 === last4)!;
  expect(restored.history.map((h) => h.kind)).toEqual(['ISSUE', 'SPEND', 'RESTORE']);
  const back = restored.history[2]!.amountCents;
  expect(back).toBeGreaterThan(0);
  expect(back).toBeLessThanOrEqual(1000);
  expect(restored.balanceCents).toBe(back);
  await page.reload();
  await spentRow.getByText(`History of •••• ${last4}`).click();
  await expect(spentRow).toContainText('Given back');
  await expect(spentRow).toContainText(`+${dollars(back)}`);

  // A card is only for its organisation's showtimes: elsewhere it is refused, and the total stays to pay.
  const elsewhere = await sixSeatShowtime();
  const foreign = await holdSeats(buyer.token, elsewhere.showtimeId, [elsewhere.seats[0]!.id]);
  await shopper.goto(`/checkout/${foreign}`);
  await expect(shopper.getByTestId('checkout-total')).toHaveText(/\$\d+\.\d\d/);
  await shopper.getByLabel('Gift card').fill(whole);
  await shopper.getByRole('button', { name: 'Use card' }).click();
  await expect(shopper.getByRole('alert').filter({ hasText: 'This gift card is not valid at this theatre.' })).toBeVisible();
  await expect(shopper.getByTestId('gift-card-part')).toHaveCount(0);
  const foreignTotal = (await shopper.getByTestId('checkout-total').textContent()) ?? '';
  await expect(shopper.getByRole('button', { name: `Pay ${foreignTotal}` })).toBeEnabled();

  // Adjusting and disabling ask first.
  const wholeRow = page.getByTestId('gift-card-row').filter({ hasText: `•••• ${whole.slice(-4)}` });
  await wholeRow.getByRole('button', { name: `Adjust •••• ${whole.slice(-4)}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Amount (USD)').fill('5.00');
  await dialog.getByLabel('Reason').fill('Apology for a late show');
  await dialog.getByRole('button', { name: 'Adjust balance' }).click();
  await expect(wholeRow).toContainText(dollars(5000 - singleCents + 500));
  await wholeRow.getByRole('button', { name: `Disable •••• ${whole.slice(-4)}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Disable gift card' }).click();
  await expect(wholeRow).toContainText('Disabled');
  await expect(wholeRow).toContainText('Expires');
  const after = (await cards(org, manager)).find((c) => c.codeLast4 === whole.slice(-4));
  expect(after).toMatchObject({ balanceCents: 5000 - singleCents + 500 });
  expect(after!.disabledAt).not.toBeNull();
  expect(after!.history.map((h) => [h.kind, h.amountCents]).at(-1)).toEqual(['ADJUST', 500]);
  expect(after!.expiresAt?.slice(0, 4)).toBe(expiresOn.slice(0, 4));
});
