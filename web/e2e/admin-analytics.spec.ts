import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { adminToken, gql, signUpBuyer, STANDARD_PRICES, THEATRE_SITE } from './api';
import { buy, seatMap } from './buying';
import { readCatalog } from './catalog';
import { expectAccessible } from './helpers';

const catalog = readCatalog();

const REPORT = `query($o: ID!, $f: DateTime!, $t: DateTime!) {
  salesReport(organisationId: $o, from: $f, to: $t, granularity: PERIOD, groupBy: ORGANISATION) { ticketsSold } }`;

test('staff read the sales of an organisation as a chart and a breakdown, and download them as CSV', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const stamp = `${testInfo.project.name}-${process.pid}-${Date.now()}`;
  const orgName = `Sales Chain ${stamp}`;
  const theatreName = `Sales Hall ${stamp}`;
  const admin = await adminToken();
  const { createOrganisation } = await gql<{ createOrganisation: { id: string } }>(
    'mutation($n: String!, $s: String!) { createOrganisation(name: $n, slug: $s) { id } }',
    { n: orgName, s: `sales-${stamp}`.toLowerCase() },
    admin,
  );
  const org = createOrganisation.id;
  const { createTheatre } = await gql<{ createTheatre: { id: string } }>(
    'mutation($i: CreateTheatreInput!) { createTheatre(input: $i) { id } }',
    { i: { organisationId: org, name: theatreName, ...THEATRE_SITE } },
    admin,
  );
  const { createScreen } = await gql<{ createScreen: { id: string } }>(
    'mutation($t: ID!, $n: String!, $l: ScreenLayoutInput!) { createScreen(theatreId: $t, name: $n, layout: $l) { id } }',
    { t: createTheatre.id, n: 'Sales Screen', l: { rows: [{ label: 'A', seats: 'SSSSSS' }] } },
    admin,
  );
  const startsAt = new Date(Math.ceil((Date.now() + 40 * 3600_000) / 300_000) * 300_000).toISOString();
  const { createShowtime } = await gql<{ createShowtime: { id: string } }>(
    'mutation($i: CreateShowtimeInput!) { createShowtime(input: $i) { id } }',
    { i: { screenId: createScreen.id, movieId: catalog.movieId, startsAt, currency: 'USD', prices: STANDARD_PRICES } },
    admin,
  );
  const seats = (await seatMap(createShowtime.id)).map((s) => s.id);
  const buyer = await signUpBuyer('Sam Sales');
  await buy(buyer.token, createShowtime.id, seats.slice(0, 2));

  // The rollups follow the change feed: wait until the sale is in them.
  const day = 24 * 3600_000;
  const to = new Date(Math.floor(Date.now() / day) * day + day).toISOString();
  const from = new Date(Date.parse(to) - 30 * day).toISOString();
  await expect
    .poll(async () => {
      const { salesReport } = await gql<{ salesReport: { ticketsSold: number }[] }>(REPORT, { o: org, f: from, t: to }, admin);
      return salesReport[0]?.ticketsSold ?? 0;
    })
    .toBe(2);

  await page.addInitScript((t) => localStorage.setItem('marquee.token', t), admin);
  await page.goto('/admin/analytics');
  await expect(page.getByRole('heading', { name: 'Analytics', level: 2 })).toBeVisible();
  // The picker shows only when there are several organisations (other specs make theirs).
  await expect(page.locator('.bar-chart')).toBeVisible();
  const picker = page.getByLabel('Choose an organisation');
  if ((await picker.count()) > 0) await picker.selectOption({ label: orgName });
  await expect(page.getByRole('img', { name: `Net revenue by day, ${orgName}` })).toBeVisible();
  const tiles = page.locator('.analytics-totals');
  await expect(tiles.getByText('Tickets sold')).toBeVisible();
  await expect(tiles.locator('div', { hasText: 'Tickets sold' }).locator('dd')).toHaveText('2');
  // The sale went through no waiting room.
  await expect(tiles.locator('div', { hasText: 'Waiting room' }).locator('dd')).toHaveText(
    '0 entered the line, 0 holds by admission',
  );
  const row = page.getByRole('row', { name: new RegExp(theatreName) });
  await expect(row.getByRole('cell').first()).toHaveText('2');
  await expectAccessible(page);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download this breakdown (CSV)' }).click(),
  ]);
  const csv = readFileSync(await download.path(), 'utf8');
  const [header = '', ...lines] = csv.trim().split('\n');
  expect(header.split(',')[2]).toBe('tickets_sold');
  expect(lines).toHaveLength(1);
  const line = lines[0] ?? '';
  expect(line).toContain(`"${theatreName}"`);
  expect(line.split(',')[2]).toBe('2');
});
