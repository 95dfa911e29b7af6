import { expect, test, type Locator, type Page } from '@playwright/test';
import { adminToken, createShowtime, gql, signUpBuyer } from './api';
import { readCatalog } from './catalog';
import { expectAccessible } from './helpers';

const catalog = readCatalog();

/**
 * Moves the focus with Tab alone until `target` has it, as a keyboard user would (and
 * fails if it is not reached within `max` presses: a control the keyboard cannot reach).
 */
async function tabTo(page: Page, target: Locator, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

test('a purchase with the keyboard alone, from the home page to the tickets', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const title = `Keyboard Quest ${testInfo.project.name} ${Date.now()}`;
  const { createMovie } = await gql<{ createMovie: { id: string } }>(
    'mutation($i: CreateMovieInput!) { createMovie(input: $i) { id } }',
    { i: { title, synopsis: 'Found and bought without a mouse.', runtimeMinutes: 95, releaseDate: '2026-02-01' } },
    await adminToken(),
  );
  const { showtimeId } = await createShowtime({
    theatreId: catalog.theatreId,
    movieId: createMovie.id,
    rows: [
      { label: 'A', seats: 'SSSS' },
      { label: 'B', seats: 'SSSS' },
    ],
  });
  const buyer = await signUpBuyer('Kai Keys');

  await page.goto('/');
  // Sign in from the header.
  await tabTo(page, page.getByRole('link', { name: 'Sign in' }));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByLabel('Email'));
  await page.keyboard.type(buyer.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(buyer.password);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('link', { name: /^Account: / })).toBeVisible();

  // Find the movie with the search box (once the change feed has indexed it).
  await expect(async () => {
    const { search } = await gql<{ search: { nodes: { item: { title?: string } }[] } }>(
      'query($q: String!) { search(query: $q) { nodes { item { ... on Movie { title } } } } }',
      { q: title },
    );
    expect(search.nodes.map((n) => n.item.title)).toContain(title);
  }).toPass({ timeout: 20_000 });
  await tabTo(page, page.getByRole('combobox', { name: /Search/ }));
  await page.keyboard.type(title);
  await page.keyboard.press('Enter');
  const result = page.getByRole('main').getByRole('link', { name: title });
  await expect(result).toBeVisible();
  await tabTo(page, result);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();

  // The showtime: its link may be behind "show all cities" when the buyer has no city.
  const showtime = page.locator(`a[href="/showtimes/${showtimeId}"]`);
  const allCities = page.getByRole('button', { name: 'Show all cities' });
  if (await allCities.isVisible()) {
    await tabTo(page, allCities);
    await page.keyboard.press('Enter');
  }
  await tabTo(page, showtime);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('grid', { name: 'Seats' })).toBeVisible();

  // Into the map, one seat to the right and down a row, choose it, hold it.
  await tabTo(page, page.getByRole('button', { name: /^Row A, seat 1,/ }));
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('button', { name: 'Row B, seat 2, standard, $12.50, available' })).toBeFocused();
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('button', { name: 'Hold 1 seat' }));
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('hold-panel');
  await expect(panel.getByRole('heading', { name: 'Your seats are held' })).toBeFocused();
  await tabTo(page, panel.getByRole('link', { name: 'Continue to checkout' }));
  await page.keyboard.press('Enter');

  // Checkout: choose the test card that pays, and pay.
  await expect(page.getByTestId('checkout-total')).toHaveText('$12.50');
  const card = page.getByLabel('Visa card that pays');
  await tabTo(page, page.getByRole('radio').first());
  for (let i = 0; i < 6 && !(await card.isChecked()); i++) {
    await page.keyboard.press('ArrowDown');
  }
  await expect(card).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Pay $12.50' }));
  await page.keyboard.press('Enter');

  // The tickets.
  await expect(page.getByTestId('booking-status')).toHaveText('Booking status: Confirmed');
  await expect(page.getByRole('img', { name: /QR code of the ticket for row B, seat 2/ })).toHaveCount(1);
  await expectAccessible(page);
});
