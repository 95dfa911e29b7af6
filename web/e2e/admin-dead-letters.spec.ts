import { expect, test } from '@playwright/test';
import { expectAccessible } from './helpers';
import { freePort, privateShowtime, startServer, type PrivateServer } from './server';

/**
 * Dead letters need a mail server that refuses: this spec runs a server of its own whose
 * SMTP host does not answer and which gives an email a single attempt, books a seat on it
 * (the confirmation email dies), and retries the dead letter from the panel.
 */

let server: PrivateServer | undefined;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  // A port nobody listens on: every SMTP connection is refused at once.
  const deadSmtp = await freePort();
  server = await startServer({
    MARQUEE_SMTP_URL: `smtp://127.0.0.1:${deadSmtp}`,
    MARQUEE_EMAIL_MAX_ATTEMPTS: '1',
    // Every delivery here fails and is logged as an error, which is the point: kept quiet.
    MARQUEE_LOG_FILTER: 'off',
    RUST_LOG: 'off',
  });
});

test.afterAll(async () => {
  await server?.stop();
});

test('a dead letter is listed under its filter and retried from the panel', async ({ page }, testInfo) => {
  test.setTimeout(60_000);
  const { url: origin, gql: call } = server!;
  const admin = await server!.adminToken();
  const { showtimeId } = await privateShowtime(server!, { rows: [{ label: 'A', seats: 'SSSS' }] });
  const recipient = `unlucky-${testInfo.project.name}-${Date.now()}@marquee.test`;
  const { signUp } = await call<{ signUp: { token: string } }>(
    'mutation($i: SignUpInput!) { signUp(input: $i) { token } }',
    { i: { email: recipient, password: 'buyer password 1', name: 'Unlucky Buyer' } },
  );
  const { showtime } = await call<{ showtime: { seatMap: { seats: { id: string; status: string }[] } } }>(
    'query($id: ID!) { showtime(id: $id) { seatMap { seats { id status } } } }',
    { id: showtimeId },
  );
  const seat = showtime.seatMap.seats.find((s) => s.status === 'AVAILABLE');
  const { holdSeats } = await call<{ holdSeats: { id: string } }>(
    'mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }',
    { s: showtimeId, seats: [seat!.id] },
    signUp.token,
  );
  await call('mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: "pm_card_visa" }) { status } }', { b: holdSeats.id }, signUp.token);

  await page.addInitScript((t) => localStorage.setItem('marquee.token', t), admin);
  await page.goto(`${origin}/admin/emails`);
  const deadRow = page.getByRole('row', { name: new RegExp(`booking\\.confirmed ${recipient}`) });
  // One refused attempt and the confirmation is a dead letter.
  await expect(async () => {
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.getByRole('button', { name: 'Dead letters' }).click();
    await expect(deadRow).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Dead letters' })).toHaveAttribute('aria-pressed', 'true');
  await expect(deadRow.getByRole('cell').nth(2)).toHaveText('Dead');
  await expect(deadRow.getByRole('cell').nth(3)).toHaveText('1');
  await expect(deadRow.getByRole('cell').nth(4)).not.toHaveText('—');
  await expectAccessible(page);

  await deadRow.getByRole('button', { name: `Retry booking.confirmed to ${recipient}` }).click();
  await expect(page.getByText(`The email to ${recipient} is queued again.`)).toBeVisible();
  await expect(deadRow.getByRole('cell').nth(2)).toHaveText('Pending');
  await expect(deadRow.getByRole('cell').nth(3)).toHaveText('0');
  await expect(deadRow.getByRole('button', { name: /Retry/ })).toHaveCount(0);
  await expectAccessible(page);
});
