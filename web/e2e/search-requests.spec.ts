import { expect, test, type Page } from '@playwright/test';
import { readCatalog } from './catalog';

const catalog = readCatalog();

/** The GraphQL operations the page sends from now on, by the first line of their text. */
function recordOperations(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname !== '/graphql' || r.method() !== 'POST') return;
    const query = (JSON.parse(r.postData() ?? '{}') as { query?: string }).query ?? '';
    sent.push(query.trim().split(/[\s({]/, 2).join(' '));
  });
  return sent;
}

test('typing a word asks for suggestions once per pause in typing, not once per key', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.waitForLoadState('networkidle');
  const sent = recordOperations(page);

  const box = page.getByRole('combobox', { name: 'Search movies, events and theatres' });
  await box.click();
  // Eleven keys, each well within the pause that asks: typos are still forgiven.
  await box.pressSequentially(catalog.misspelled, { delay: 40 });
  await expect(page.getByRole('option', { name: new RegExp(catalog.movieTitle) })).toBeVisible();
  await page.waitForTimeout(600);
  expect(sent.length, sent.join(', ')).toBeGreaterThanOrEqual(1);
  // A busy machine may let one gap between keys pass for a pause; never one request a key.
  expect(sent.length, sent.join(', ')).toBeLessThanOrEqual(3);
  expect(sent.every((op) => op === 'query Suggest'), sent.join(', ')).toBe(true);

  // A letter deleted and typed back finds the answer it already had.
  const before = sent.length;
  await box.press('Backspace');
  await box.press(catalog.misspelled.slice(-1));
  await page.waitForTimeout(600);
  expect(sent.length, sent.join(', ')).toBe(before);

  // The results page asks for its results; the box it fills asks for no suggestions.
  await box.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `Results for “${catalog.misspelled}”` })).toBeVisible();
  await page.waitForTimeout(600);
  expect(sent.slice(before).filter((op) => op === 'query Suggest'), sent.join(', ')).toEqual([]);
});
