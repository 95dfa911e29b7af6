import { expect, test } from '@playwright/test';
import { createShowtime, gql, signUpBuyer } from './api';
import { seat } from './buyer-pages';
import { readCatalog } from './catalog';

const catalog = readCatalog();

const label = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : `A${String.fromCharCode(65 + i - 26)}`);

test('a 1,200-seat screen draws, and a live change shows on it', async ({ page }, testInfo) => {
  const rows = Array.from({ length: 30 }, (_, i) => ({ label: label(i), seats: `${'S'.repeat(20)}__${'S'.repeat(20)}` }));
  const { showtimeId } = await createShowtime({
    theatreId: catalog.theatreId,
    movieId: catalog.movieId,
    rows,
    screenName: `Grand ${Date.now()}`,
  });
  await page.goto(`/showtimes/${showtimeId}`);
  const grid = page.getByRole('grid', { name: 'Seats' });
  await expect(grid.getByRole('button')).toHaveCount(1200);
  await expect(page.getByTestId('live-indicator')).toHaveText(/Live/);
  const firstRender = await page.evaluate(
    () => performance.getEntriesByName('seat-map-first-render')[0]?.duration ?? Number.NaN,
  );
  await page.evaluate(() => performance.clearMeasures('seat-map-apply'));

  // Another buyer holds O20, in the middle of the house.
  const data = await gql<{ showtime: { seatMap: { seats: { id: string; row: string; number: number }[] } } }>(
    'query($id: ID!) { showtime(id: $id) { seatMap { seats { id row number } } } }',
    { id: showtimeId },
  );
  const target = data.showtime.seatMap.seats.find((s) => s.row === 'O' && s.number === 20);
  const other = await signUpBuyer('Other');
  await gql(
    'mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }',
    { s: showtimeId, seats: [target?.id] },
    other.token,
  );
  const held = grid.getByRole('button', { name: seat('O', 20, 'standard', '$12.50', 'held by another buyer') });
  await expect(held).toBeVisible();
  const apply = await page.evaluate(() => {
    const all = performance.getEntriesByName('seat-map-apply');
    return all[all.length - 1]?.duration ?? Number.NaN;
  });
  const figures = `first render of 1,200 seats ${firstRender.toFixed(1)} ms; applying a live change ${apply.toFixed(1)} ms`;
  testInfo.annotations.push({ type: 'performance', description: figures });
  console.log(`[${testInfo.project.name}] ${figures}`);
  expect(Number.isFinite(firstRender)).toBe(true);
  expect(Number.isFinite(apply)).toBe(true);

  // On a phone the house scrolls sideways, or fits the width when asked.
  const map = page.locator('.seat-map');
  await page.getByRole('button', { name: 'Fit seats to screen' }).click();
  const fits = await map.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
  expect(fits).toBe(true);
  await held.scrollIntoViewIfNeeded();
  await expect(held).toBeInViewport();
});
