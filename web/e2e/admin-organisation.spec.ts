import { expect, test } from '@playwright/test';
import { adminToken, gql } from './api';
import { expectAccessible } from './helpers';
import { invitationToken } from './staff';

test('a platform admin invites a manager, who joins and then sees and changes only their own organisation', async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  const stamp = `${testInfo.project.name}-${process.pid}-${Date.now()}`;
  const orgName = `Chain ${stamp}`;
  const admin = await adminToken();
  await gql('mutation($n: String!, $s: String!) { createOrganisation(name: $n, slug: $s) { id } }', { n: orgName, s: `chain-${stamp}`.toLowerCase() }, admin);

  // The admin invites a manager from the panel.
  await page.addInitScript((t) => localStorage.setItem('marquee.token', t), admin);
  await page.goto('/admin/organisation');
  await expect(page.getByRole('heading', { name: 'Organisation', level: 2 })).toBeVisible();
  await expect(page.locator('.admin-body h3').first()).toBeVisible();
  const picker = page.getByLabel('Choose an organisation');
  if ((await picker.count()) > 0) await picker.selectOption({ label: orgName });
  await expect(page.getByRole('heading', { name: orgName, level: 3 })).toBeVisible();
  const email = `manager-${stamp}@marquee.test`;
  const panel = page.locator('.admin-body');
  await panel.getByLabel('Email').fill(email);
  await panel.getByLabel('Role', { exact: true }).selectOption('MANAGER');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByText(`Invitation sent to ${email}.`)).toBeVisible();
  await expect(page.getByText(`${email} · Manager`)).toBeVisible();
  await expectAccessible(page);

  // The invited person signs up with that address and follows the emailed link.
  const token = await invitationToken(email);
  const { signUp } = await gql<{ signUp: { token: string } }>(
    'mutation($i: SignUpInput!) { signUp(input: $i) { token } }',
    { i: { email, password: 'manager password', name: 'Mona Manager' } },
  );
  const context = await browser.newContext();
  const manager = await context.newPage();
  await manager.addInitScript((t) => localStorage.setItem('marquee.token', t), signUp.token);
  await manager.goto(`/admin/join?token=${token}`);
  await manager.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(manager.getByText(`You have joined ${orgName}.`)).toBeVisible();
  await manager.getByRole('link', { name: 'Open the staff panel' }).click();

  // A manager's panel: their organisation's sections only, and none of the platform's theatres.
  const nav = manager.getByRole('navigation', { name: 'Staff panel' });
  for (const section of ['Theatres', 'Events', 'Showtimes', 'Promotions', 'Organisation']) {
    await expect(nav.getByRole('link', { name: section })).toBeVisible();
  }
  for (const section of ['Movies', 'Emails', 'Reviews']) {
    await expect(nav.getByRole('link', { name: section })).toHaveCount(0);
  }
  await expect(manager.getByText('No theatres yet.')).toBeVisible();
  const form = manager.locator('.admin-body');
  const theatreName = `Own Hall ${stamp}`;
  await form.getByLabel('Name', { exact: true }).fill(theatreName);
  await form.getByLabel('Street address').fill('1 Larimer St');
  await form.getByLabel('City', { exact: true }).fill('Denver');
  await form.getByLabel('State', { exact: true }).fill('CO');
  await form.getByLabel('ZIP code').fill('80202');
  await form.getByLabel('Latitude').fill('39.75');
  await form.getByLabel('Longitude').fill('-104.99');
  await form.getByLabel('Time zone').selectOption('America/Denver');
  await manager.getByRole('button', { name: 'Create theatre' }).click();
  await expect(manager.getByRole('link', { name: theatreName })).toBeVisible();

  // Their organisation's audit log names who did what.
  await nav.getByRole('link', { name: 'Organisation' }).click();
  await expect(manager.getByRole('heading', { name: orgName, level: 3 })).toBeVisible();
  const log = manager.getByRole('region', { name: 'Audit log' });
  await expect(log.getByRole('row', { name: /Mona Manager theatre\.create/ })).toBeVisible();
  await expect(log.getByRole('row', { name: /Mona Manager member\.join/ })).toBeVisible();
  await expect(log.getByRole('row', { name: /member\.invite/ })).toBeVisible();
  await expectAccessible(manager);
  await context.close();
});
