import { expect, test } from '@playwright/test';
import { adminToken, gql, STANDARD_PRICES, THEATRE_SITE } from './api';
import { readCatalog } from './catalog';
import { expectAccessible, screenshot } from './helpers';

const catalog = readCatalog();

type Section = { name: string; kind: string; capacity: number; priceMin: number | null; priceMax: number | null };

async function sectionsOf(showtimeId: string): Promise<Section[]> {
  const data = await gql<{ showtime: { sections: Section[] } }>(
    'query($id: ID!) { showtime(id: $id) { sections { name kind capacity priceMin priceMax } } }',
    { id: showtimeId },
  );
  return data.showtime.sections;
}

test('staff build an arena from sections, standing and seated, and price one section above the rest', async ({
  page,
}, testInfo) => {
  const admin = await adminToken();
  const stamp = `${testInfo.project.name} ${Date.now()}`;
  const { createTheatre } = await gql<{ createTheatre: { id: string } }>(
    'mutation($i: CreateTheatreInput!) { createTheatre(input: $i) { id } }',
    { i: { name: `Arena ${stamp}`, ...THEATRE_SITE } },
    admin,
  );
  const theatreId = createTheatre.id;
  await page.addInitScript((t) => localStorage.setItem('marquee.token', t), admin);
  await page.goto(`/admin/theatres/${theatreId}`);
  await page.getByLabel('Screen name').fill('Main Arena');
  const text = page.getByLabel('Rows, front row first');

  // Mistakes are told as they are typed, by the server's rules.
  await text.fill('A: SSSS\n# Floor: standing 0\n# 101\n# 101\nA: SSSS');
  for (const problem of [
    'Rows come under a section: start with a line such as “# 101”.',
    'Section “Floor”: a standing capacity is 1 to 60000 places.',
    'Section “101” has no rows.',
    'Section “101” appears twice.',
  ]) {
    await expect(page.getByText(problem)).toBeVisible();
  }
  await expect(page.getByRole('button', { name: 'Create screen' })).toBeDisabled();

  await text.fill(
    [
      '# Floor: standing 40 @ 0,0 9x3',
      '# 101 @ 0,4 4x2',
      'A: SSSS',
      'B: SSPP',
      '# 102 @ 5,4 4x2',
      'A: SSSS',
    ].join('\n'),
  );
  await expect(page.getByText('The layout is valid.')).toBeVisible();
  const preview = page.getByRole('figure', { name: 'Preview of the seat map' });
  await expect(preview).toContainText('3 sections: 12 seats and 40 standing places.');
  await expect(preview.getByRole('heading', { name: 'Floor' })).toBeVisible();
  await expect(preview).toContainText('Standing, 40 places');
  await expect(preview.locator('.admin-seat-row')).toHaveCount(3);
  await expectAccessible(page);
  await screenshot(page, testInfo, 'admin-venue-editor');
  await page.getByRole('button', { name: 'Create screen' }).click();
  await expect(page.getByText(/Screen “Main Arena” created with \d+ seats?\./)).toBeVisible();

  // The truth: the venue as typed, with its placements.
  const { theatre } = await gql<{ theatre: { screens: { id: string; name: string }[] } }>(
    'query($id: ID!) { theatre(id: $id) { screens { id name } } }',
    { id: theatreId },
  );
  const screen = theatre.screens.find((s) => s.name === 'Main Arena');
  expect(screen).toBeDefined();
  const startsAt = new Date(Math.ceil((Date.now() + 50 * 3600_000) / 300_000) * 300_000).toISOString();
  const { createShowtime } = await gql<{ createShowtime: { id: string } }>(
    'mutation($i: CreateShowtimeInput!) { createShowtime(input: $i) { id } }',
    { i: { screenId: screen!.id, movieId: catalog.movieId, startsAt, currency: 'USD', prices: STANDARD_PRICES } },
    admin,
  );
  const showtimeId = createShowtime.id;
  expect(await sectionsOf(showtimeId)).toEqual([
    { name: 'Floor', kind: 'GENERAL', capacity: 40, priceMin: 1250, priceMax: 1250 },
    { name: '101', kind: 'RESERVED', capacity: 8, priceMin: 1250, priceMax: 1875 },
    { name: '102', kind: 'RESERVED', capacity: 4, priceMin: 1250, priceMax: 1250 },
  ]);

  // Section 101 priced above the rest, from the showtime's row in the panel.
  await page.goto(`/admin/showtimes/theatre/${theatreId}`);
  const row = page.locator('.admin-showtime').first();
  await row.getByRole('button', { name: 'Section prices' }).click();
  await row.getByRole('combobox', { name: 'Section', exact: true }).selectOption({ label: '101' });
  await expect(row.getByText('101 now sells at $12.50–$18.75.')).toBeVisible();
  await row.getByLabel('Standard').fill('30.00');
  await row.getByLabel('Premium').fill('45.00');
  await expectAccessible(page);
  await row.getByRole('button', { name: 'Save section prices' }).click();
  await expect(page.getByText('Prices of section 101 saved.')).toBeVisible();
  const priced = await sectionsOf(showtimeId);
  expect(priced.map((s) => [s.name, s.priceMin, s.priceMax])).toEqual([
    ['Floor', 1250, 1250],
    ['101', 3000, 4500],
    ['102', 1250, 1250],
  ]);

  // And back to the showtime's prices.
  await row.getByRole('button', { name: 'Section prices' }).click();
  await row.getByRole('combobox', { name: 'Section', exact: true }).selectOption({ label: '101' });
  await expect(row.getByText('101 now sells at $30.00–$45.00.')).toBeVisible();
  await row.getByRole('button', { name: 'Use the showtime’s prices' }).click();
  await expect(page.getByText('Section 101 sells at the showtime’s prices again.')).toBeVisible();
  expect((await sectionsOf(showtimeId)).find((s) => s.name === '101')).toMatchObject({ priceMin: 1250, priceMax: 1875 });
});
