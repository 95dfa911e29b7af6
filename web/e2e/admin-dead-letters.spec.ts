import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdmin, gqlAt, logInAt } from './api';
import { expectAccessible } from './helpers';

/**
 * Dead letters need a mail server that refuses: this spec runs a server of its own whose
 * SMTP host does not answer and which gives an email a single attempt, books a seat on it
 * (the confirmation email dies), and retries the dead letter from the panel.
 */

const ADMIN = { email: 'mailroom@marquee.test', password: 'a long mailroom password' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

let server: ChildProcess | null = null;
let dataDir = '';
let origin = '';

const call = <T>(query: string, variables: Record<string, unknown>, token?: string) =>
  gqlAt<T>(origin, query, variables, token);

test.beforeAll(async () => {
  test.setTimeout(90_000);
  const bin = process.env.E2E_MARQUEE_BIN ?? '';
  const port = await freePort();
  // A port nobody listens on: every SMTP connection is refused at once.
  const deadSmtp = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'marquee-e2e-mail-'));
  origin = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    MARQUEE_SEED_DEMO: 'false',
    MARQUEE_DATA_DIR: dataDir,
    MARQUEE_BIND: `127.0.0.1:${port}`,
    MARQUEE_WEB_DIR: join(import.meta.dirname, '..', 'dist'),
    MARQUEE_SMTP_URL: `smtp://127.0.0.1:${deadSmtp}`,
    MARQUEE_EMAIL_MAX_ATTEMPTS: '1',
    MARQUEE_LOG_FILTER: 'error',
    RUST_LOG: 'error',
  };
  createAdmin(env, ADMIN);
  server = spawn(bin, ['serve'], { env, stdio: 'ignore' });
  await expect(async () => {
    const r = await fetch(`${origin}/healthz`);
    expect(r.ok).toBe(true);
  }).toPass({ timeout: 60_000 });
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('a dead letter is listed under its filter and retried from the panel', async ({ page }, testInfo) => {
  test.setTimeout(60_000);
  const admin = await logInAt(origin, ADMIN.email, ADMIN.password);
  const { createTheatre } = await call<{ createTheatre: { id: string } }>(
    'mutation($i: CreateTheatreInput!) { createTheatre(input: $i) { id } }',
    {
      i: { name: 'Mailroom Cinema', address: '1 Post Rd', city: 'Boulder', state: 'CO', zip: '80302', latitude: 40.01, longitude: -105.27, timezone: 'America/Denver' },
    },
    admin,
  );
  const { createScreen } = await call<{ createScreen: { id: string } }>(
    'mutation($t: ID!, $l: ScreenLayoutInput!) { createScreen(theatreId: $t, name: "One", layout: $l) { id } }',
    { t: createTheatre.id, l: { rows: [{ label: 'A', seats: 'SSSS' }] } },
    admin,
  );
  const { createMovie } = await call<{ createMovie: { id: string } }>(
    'mutation { createMovie(input: { title: "Return to Sender", runtimeMinutes: 90, releaseDate: "2026-01-01" }) { id } }',
    {},
    admin,
  );
  const { createShowtime } = await call<{ createShowtime: { id: string } }>(
    'mutation($i: CreateShowtimeInput!) { createShowtime(input: $i) { id } }',
    {
      i: {
        screenId: createScreen.id,
        movieId: createMovie.id,
        startsAt: new Date(Math.ceil((Date.now() + 30 * 3600_000) / 3_600_000) * 3_600_000).toISOString(),
        prices: [{ category: 'STANDARD', priceCents: 1000 }],
      },
    },
    admin,
  );
  const recipient = `unlucky-${testInfo.project.name}-${Date.now()}@marquee.test`;
  const { signUp } = await call<{ signUp: { token: string } }>(
    'mutation($i: SignUpInput!) { signUp(input: $i) { token } }',
    { i: { email: recipient, password: 'buyer password 1', name: 'Unlucky Buyer' } },
  );
  const { showtime } = await call<{ showtime: { seatMap: { seats: { id: string; status: string }[] } } }>(
    'query($id: ID!) { showtime(id: $id) { seatMap { seats { id status } } } }',
    { id: createShowtime.id },
  );
  const seat = showtime.seatMap.seats.find((s) => s.status === 'AVAILABLE');
  const { holdSeats } = await call<{ holdSeats: { id: string } }>(
    'mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }',
    { s: createShowtime.id, seats: [seat!.id] },
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
