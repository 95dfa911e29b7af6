import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot } from './helpers';

test('sign up, log out, sign in again (back where asked), delete the account; then signing in fails', async ({ page }, testInfo) => {
  const email = `account-${testInfo.project.name}-${process.pid}-${Date.now()}@marquee.test`;
  const password = 'a good long password';

  // Asking for a page of one's own while signed out leads to sign in, and back after.
  await page.goto('/bookings');
  await expect(page).toHaveURL(/\/signin\?next=%2Fbookings$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, 'sign-in');

  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page).toHaveURL(/\/signup\?next=%2Fbookings$/);
  await page.getByLabel('Your name').fill('Ada Account');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  // The browser's own check stops a too-short password before it is sent.
  await expect(page).toHaveURL(/\/signup/);
  await page.getByLabel('Password').fill(password);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/bookings$/);
  await expect(page.getByRole('heading', { level: 1, name: 'My bookings' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Notifications' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Staff panel' })).toHaveCount(0);

  // The same address again is refused in words.
  await nav.getByRole('link', { name: 'Account: Ada Account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  await expect(page.getByText(`Signed in as Ada Account (${email})`)).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, 'account');
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(nav.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page.evaluate(() => localStorage.getItem('marquee.token'))).resolves.toBeNull();

  await page.goto('/signup');
  await page.getByLabel('Your name').fill('Ada Again');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert')).toContainText('An account with this email already exists');

  // A wrong password, then the right one.
  await page.goto('/signin?next=/account');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('That email and password do not match an account.');
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account$/);

  // Deleting asks for the password, then for confirmation.
  await page.getByLabel('Your password, to confirm').fill('wrong password');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.getByRole('dialog', { name: 'Delete your account for good?' }).getByRole('button', { name: 'Yes, delete my account' }).click();
  await expect(page.getByRole('alert')).toContainText('That password is not correct.');
  await page.getByLabel('Your password, to confirm').fill(password);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete your account for good?' });
  await expect(confirm).toBeVisible();
  await expectAccessible(page);
  await confirm.getByRole('button', { name: 'Keep my account' }).click();
  await expect(confirm).toHaveCount(0);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.getByRole('dialog', { name: 'Delete your account for good?' }).getByRole('button', { name: 'Yes, delete my account' }).click();
  await expect(page.getByText('Your account has been deleted.')).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Sign in' })).toBeVisible();

  await nav.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('That email and password do not match an account.');
});
