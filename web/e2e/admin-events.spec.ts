import { expect, test, type Browser, type Page } from '@playwright/test';
import { adminToken, createShowtime, gql } from './api';
import { readCatalog } from './catalog';
import { expectAccessible } from './helpers';

const catalog = readCatalog();

/** A live event made through the API; its id. Titles start with "Aa" to head the panel's list. */
async function createEvent(title: string, performer: string): Promise<string> {
  const { createEvent } = await gql<{ createEvent: { id: string } }>(
    'mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }',
    { i: { title, performer, category: 'comedy', durationMinutes: 60 } },
    await adminToken(),
  );
  return createEvent.id;
}

async function openEvents(page: Page): Promise<void> {
  const token = await adminToken();
  await page.addInitScript((t) => localStorage.setItem('marquee.token', t), token);
  await page.goto('/admin/events');
  await expect(page.getByRole('heading', { name: 'Events', level: 2 })).toBeVisible();
}

/** A page of a buyer who is not signed in. */
async function buyerPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

test('staff edit a live event and buyers see the change on its page', async ({ page, browser }, testInfo) => {
  const stamp = `${testInfo.project.name} ${Date.now()}`;
  const title = `Aardwolf Revue ${stamp}`;
  const id = await createEvent(title, 'The Early Trio');
  await openEvents(page);

  const item = page.locator('.admin-list > li', { hasText: title });
  await item.getByRole('button', { name: `Edit ${title}` }).click();
  await expect(item.getByRole('button', { name: `Edit ${title}` })).toHaveAttribute('aria-expanded', 'true');
  const renamed = `Aardwolf Late Show ${stamp}`;
  await item.getByLabel('Title', { exact: true }).fill(renamed);
  await item.getByLabel('Performer or host').fill('The Late Quartet');
  await expectAccessible(page);
  await item.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(`“${renamed}” saved.`)).toBeVisible();
  const edited = page.locator('.admin-list > li', { hasText: renamed });
  await expect(edited).toContainText('The Late Quartet · comedy · 1 h');
  await expect(edited.getByRole('button', { name: `Edit ${renamed}` })).toHaveAttribute('aria-expanded', 'false');
  await expectAccessible(page);

  const buyer = await buyerPage(browser);
  await buyer.goto(`/events/${id}`);
  await expect(buyer.getByRole('heading', { name: renamed, level: 1 })).toBeVisible();
  await expect(buyer.getByText('The Late Quartet')).toBeVisible();
  await expect(buyer.getByText('The Early Trio')).toHaveCount(0);
  await expectAccessible(buyer);
  await buyer.context().close();
});

test('staff delete a live event with no showtimes after confirming', async ({ page }, testInfo) => {
  const title = `Aardvark Roast ${testInfo.project.name} ${Date.now()}`;
  await createEvent(title, 'Jo Kay');
  await openEvents(page);

  const item = page.locator('.admin-list > li', { hasText: title });
  await item.getByRole('button', { name: `Delete ${title}` }).click();
  const dialog = page.getByRole('dialog', { name: `Delete “${title}”?` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Buyers will no longer find it.');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText(`“${title}” deleted.`)).toBeVisible();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('.admin-list > li', { hasText: title })).toHaveCount(0);

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Events', level: 2 })).toBeVisible();
  await expect(page.locator('.admin-list > li').first()).toBeVisible();
  await expect(page.locator('.admin-list > li', { hasText: title })).toHaveCount(0);
});

test('deleting a live event with an upcoming showtime is refused in plain words', async ({ page }, testInfo) => {
  const title = `Aardvark Encore ${testInfo.project.name} ${Date.now()}`;
  const eventId = await createEvent(title, 'Jo Kay');
  // Nine days on: past the week the home page's listings tests look at.
  const startsAt = new Date(Math.ceil((Date.now() + 9 * 24 * 3600_000) / 300_000) * 300_000).toISOString();
  await createShowtime({ theatreId: catalog.theatreId, eventId, rows: [{ label: 'A', seats: 'SSSS' }], startsAt });
  await openEvents(page);

  const item = page.locator('.admin-list > li', { hasText: title });
  await item.getByRole('button', { name: `Delete ${title}` }).click();
  const dialog = page.getByRole('dialog', { name: `Delete “${title}”?` });
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'This event has upcoming showtimes, so it cannot be deleted. Cancel its showtimes first.',
  );
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Keep as is' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('.admin-list > li', { hasText: title })).toHaveCount(1);
  await expect(page.getByText(`“${title}” deleted.`)).toHaveCount(0);
});
