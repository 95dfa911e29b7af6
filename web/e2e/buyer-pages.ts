import type { Browser, Page, TestInfo } from '@playwright/test';

/**
 * A page in a browser context of its own (its own storage: another buyer), with the
 * project's viewport, locale and time zone, signed in with `token` when given.
 */
export async function buyerPage(browser: Browser, testInfo: TestInfo, token?: string): Promise<Page> {
  const use = testInfo.project.use;
  const context = await browser.newContext({
    baseURL: use.baseURL,
    viewport: use.viewport,
    locale: use.locale,
    timezoneId: use.timezoneId,
  });
  if (token) await context.addInitScript((t) => localStorage.setItem('marquee.token', t), token);
  return context.newPage();
}

/** The accessible name of a seat as the picker gives it. */
export const seat = (row: string, n: number, category: string, price: string, state: string) =>
  `Row ${row}, seat ${n}, ${category}, ${price}, ${state}`;

/** Signs the page's buyer in (before the page's first load). */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.addInitScript((t) => localStorage.setItem('marquee.token', t), token);
}
