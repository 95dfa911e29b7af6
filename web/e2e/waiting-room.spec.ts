import { expect, test } from '@playwright/test';
import { buyerPage, seat } from './buyer-pages';
import { expectAccessible, screenshot } from './helpers';
import { privateBuyer, privateShowtime, startServer, type PrivateServer } from './server';

// One buyer through at a time: a server of this spec's own.
let server: PrivateServer;
test.beforeAll(async () => {
  server = await startServer({ MARQUEE_WAITING_ROOM_CAPACITY: '1' });
});
test.afterAll(async () => {
  await server?.stop();
});

test('an opening night: B waits in line, and the picker opens for B by itself when A leaves', async ({ browser }, testInfo) => {
  const { showtimeId } = await privateShowtime(server, {
    rows: [{ label: 'A', seats: 'SSSS__SSSS' }],
    waitingRoom: true,
  });
  const [annToken, benToken] = await Promise.all([privateBuyer(server, 'Ann'), privateBuyer(server, 'Ben')]);
  const url = `${server.url}/showtimes/${showtimeId}`;

  const a = await buyerPage(browser, testInfo, annToken);
  await a.goto(url);
  await expect(a.getByRole('heading', { name: 'Choose your seats' })).toBeVisible();
  await expect(a.getByTestId('admission-countdown')).toContainText(/Your turn lasts \d+:\d\d more/);

  const b = await buyerPage(browser, testInfo, benToken);
  await b.goto(url);
  const room = b.getByTestId('waiting-room');
  await expect(room.getByRole('heading', { name: 'Waiting room' })).toBeVisible();
  await expect(room).toContainText('You are next in line.');
  await expect(room).toContainText('Estimated wait: not known yet');
  await expect(b.getByRole('button', { name: /^Hold/ })).toHaveCount(0);
  // The seats can be looked at while waiting, not chosen.
  await expect(b.getByRole('button', { name: seat('A', 1, 'standard', '$12.50', 'available') })).toHaveAttribute(
    'aria-disabled',
    'true',
  );
  await expectAccessible(b);
  await screenshot(b, testInfo, 'waiting-room');

  await a.getByRole('button', { name: 'Give up my turn' }).click();
  await expect(a.getByTestId('waiting-room')).toContainText('You have left the line.');

  await expect(b.getByTestId('seat-announcer')).toHaveText('It is your turn. Choose your seats now.', { timeout: 15_000 });
  await expect(b.getByRole('heading', { name: 'Choose your seats' })).toBeFocused();
  await expect(b.getByTestId('admission-countdown')).toContainText(/Your turn lasts \d+:\d\d more/);
  await b.getByRole('button', { name: seat('A', 1, 'standard', '$12.50', 'available') }).click();
  await b.getByRole('button', { name: 'Hold 1 seat' }).click();
  await expect(b.getByTestId('hold-panel').getByTestId('hold-total')).toHaveText('$12.50');
  await expectAccessible(b);
});
