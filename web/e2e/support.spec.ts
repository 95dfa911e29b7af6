import { expect, test } from '@playwright/test';
import { adminToken, gql, signUpBuyer, STANDARD_PRICES, THEATRE_SITE } from './api';
import { buy, booking, seatMap, signInAs } from './buying';
import { readCatalog } from './catalog';
import { expectAccessible } from './helpers';
import { joinStaff } from './staff';

const catalog = readCatalog();

/** An organisation of the spec's own with a theatre, a screen of six seats and a showtime on sale. */
async function organisationShowtime(stamp: string): Promise<{ organisationId: string; showtimeId: string }> {
  const admin = await adminToken();
  const { createOrganisation } = await gql<{ createOrganisation: { id: string } }>(
    'mutation($n: String!, $s: String!) { createOrganisation(name: $n, slug: $s) { id } }',
    { n: `Help Chain ${stamp}`, s: `help-${stamp}`.toLowerCase() },
    admin,
  );
  const { createTheatre } = await gql<{ createTheatre: { id: string } }>(
    'mutation($i: CreateTheatreInput!) { createTheatre(input: $i) { id } }',
    { i: { organisationId: createOrganisation.id, name: `Help Hall ${stamp}`, ...THEATRE_SITE } },
    admin,
  );
  const { createScreen } = await gql<{ createScreen: { id: string } }>(
    'mutation($t: ID!, $n: String!, $l: ScreenLayoutInput!) { createScreen(theatreId: $t, name: $n, layout: $l) { id } }',
    { t: createTheatre.id, n: 'Help Screen', l: { rows: [{ label: 'A', seats: 'SSSSSS' }] } },
    admin,
  );
  const startsAt = new Date(Math.ceil((Date.now() + 40 * 3600_000) / 300_000) * 300_000).toISOString();
  const { createShowtime } = await gql<{ createShowtime: { id: string } }>(
    'mutation($i: CreateShowtimeInput!) { createShowtime(input: $i) { id } }',
    { i: { screenId: createScreen.id, movieId: catalog.movieId, startsAt, currency: 'USD', prices: STANDARD_PRICES } },
    admin,
  );
  return { organisationId: createOrganisation.id, showtimeId: createShowtime.id };
}

test('a buyer asks for help with a booking; the theatre’s agent notes, replies, refunds within the limit and resolves', async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(60_000);
  const stamp = `${testInfo.project.name}-${process.pid}-${Date.now()}`;
  const { organisationId, showtimeId } = await organisationShowtime(stamp);
  const buyer = await signUpBuyer('Hana Helpme');
  const seats = await seatMap(showtimeId);
  const bookingId = await buy(buyer.token, showtimeId, [seats[0]?.id ?? '']);
  const { totalCents } = await booking(buyer.token, bookingId);
  // A limit above this booking's total, so that the whole total is within it and a bit more is not.
  const limitCents = totalCents + 500;
  const agentToken = await joinStaff({
    organisationId,
    email: `agent-${stamp}@marquee.test`.toLowerCase(),
    name: 'Sol Support',
    role: 'SUPPORT',
    refundLimitCents: limitCents,
  });
  const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;

  // The buyer asks from the booking's page; the ticket is about that booking.
  await signInAs(page, buyer.token);
  await page.goto(`/bookings/${bookingId}`);
  await page.getByRole('link', { name: 'Get help with this booking' }).click();
  await expect(page.getByRole('heading', { name: 'Contact support', level: 1 })).toBeVisible();
  await expect(page.getByLabel('About a booking (optional)')).toHaveValue(bookingId);
  const subject = `Wrong seats ${stamp}`;
  await page.getByLabel('Subject').fill(subject);
  await page.getByLabel('Message').fill('I meant to book the back row. Can I get my money back?');
  await page.getByRole('button', { name: 'Send to support' }).click();
  await expect(page.getByRole('heading', { name: subject, level: 1 })).toBeVisible();
  await expect(page.getByTestId('ticket-status')).toContainText('Waiting for support');

  // The agent finds it in the queue, keeps a note for colleagues and answers the buyer.
  const context = await browser.newContext();
  const agent = await context.newPage();
  await signInAs(agent, agentToken);
  await agent.goto('/admin/support');
  const row = agent.getByRole('row', { name: new RegExp(subject) });
  await expect(row).toContainText('Not answered yet');
  await row.getByRole('link', { name: subject }).click();
  await expect(agent.getByRole('heading', { name: subject, level: 2 })).toBeVisible();
  await expect(agent.getByText(`Your refund limit: ${dollars(limitCents)} per booking.`)).toBeVisible();
  await agent.getByRole('button', { name: 'Assign to me' }).click();
  await expect(agent.getByTestId('ticket-assignee')).toHaveText('Assigned to you.');
  const note = `Buyer is a regular, refund if asked ${stamp}`;
  await agent.getByLabel('Internal note (staff only)').fill(note);
  await agent.getByRole('button', { name: 'Add internal note' }).click();
  await expect(agent.locator('.support-message-note')).toContainText(note);
  const reply = `Sorry about that: I can refund the booking in full ${stamp}`;
  await agent.getByLabel('Reply to the customer').fill(reply);
  await agent.getByRole('button', { name: 'Send reply' }).click();
  await expect(agent.getByText('Reply sent to the customer.')).toBeVisible();
  await expect(agent.getByTestId('admin-ticket-status')).toHaveText('Waiting on customer');
  await expectAccessible(agent);

  // The buyer is told in the inbox, reads the reply there, never the note, and answers in the app.
  await page.goto('/notifications');
  const told = page.getByTestId('notification').filter({ hasText: `Reply to "${subject}"` });
  await expect(told).toContainText(reply);
  await told.getByRole('link', { name: 'See your support tickets' }).click();
  await page.getByRole('link', { name: subject }).click();
  await expect(page.getByText(reply)).toBeVisible();
  await expect(page.getByText(note)).toHaveCount(0);
  await expect(page.getByTestId('ticket-status')).toContainText('Answered, waiting for you');
  const answer = `Yes please, refund it ${stamp}`;
  await page.getByLabel('Your answer').fill(answer);
  await page.getByRole('button', { name: 'Send answer' }).click();
  await expect(page.getByText('Your answer was sent to support.')).toBeVisible();
  await expect(page.locator('.conversation li')).toHaveCount(3);
  await expectAccessible(page);

  // The agent refunds: above the limit is refused with its code, the whole total is not.
  await agent.reload();
  await expect(agent.getByText(answer)).toBeVisible();
  const amount = agent.getByLabel('Amount to refund (USD; empty: the whole total)');
  await amount.fill(((limitCents + 100) / 100).toFixed(2));
  await agent.getByRole('button', { name: 'Refund and cancel the booking' }).click();
  await expect(agent.getByRole('alert')).toHaveText(
    `Refused (REFUND_LIMIT): ${dollars(limitCents + 100)} is above your limit of ${dollars(limitCents)}.`,
  );
  await amount.fill('');
  await agent.getByRole('button', { name: 'Refund and cancel the booking' }).click();
  await expect(agent.getByText(`Refunded ${dollars(totalCents)}; the booking is cancelled`)).toBeVisible();
  await expect(agent.getByTestId('ticket-booking-status')).toHaveText('Cancelled');
  await agent.getByRole('button', { name: 'Resolve ticket' }).click();
  await expect(agent.getByTestId('admin-ticket-status')).toHaveText('Resolved');
  await agent.getByRole('link', { name: 'Back to the queue' }).click();
  await agent.getByRole('group', { name: 'Status' }).getByRole('button', { name: 'Resolved' }).click();
  await expect(agent.getByRole('row', { name: new RegExp(subject) })).not.toContainText('Not answered yet');
  await context.close();

  // The API confirms: the booking is cancelled with its payment given back, the ticket
  // resolved with the refund recorded in it.
  const { booking: after } = await gql<{ booking: { status: string; payment: { status: string } | null } }>(
    'query($id: ID!) { booking(id: $id) { status payment { status } } }',
    { id: bookingId },
    buyer.token,
  );
  expect(after.status).toBe('CANCELLED');
  await expect
    .poll(async () => {
      const { booking: b } = await gql<{ booking: { payment: { status: string } | null } }>(
        'query($id: ID!) { booking(id: $id) { payment { status } } }',
        { id: bookingId },
        buyer.token,
      );
      return b.payment?.status;
    })
    .toBe('REFUNDED');
  const { myTickets } = await gql<{ myTickets: { subject: string; status: string; id: string }[] }>(
    '{ myTickets { id subject status } }',
    {},
    buyer.token,
  );
  const ticket = myTickets.find((t) => t.subject === subject);
  expect(ticket?.status).toBe('RESOLVED');
  const { supportTicket } = await gql<{ supportTicket: { messages: { internal: boolean; refundId: string | null }[] } }>(
    'query($id: ID!) { supportTicket(id: $id) { messages { internal refundId } } }',
    { id: ticket?.id },
    agentToken,
  );
  expect(supportTicket.messages.filter((m) => m.refundId !== null)).toHaveLength(1);
});

test('staff write a help article and publish it; anyone finds it by a word of it, reads it, and is asked to sign in to contact support', async ({
  page,
  browser,
}, testInfo) => {
  const title = `Bringing a guide dog (${testInfo.project.name} ${Date.now()})`;
  // A platform admin writes it as a draft in the staff panel, then publishes it.
  const context = await browser.newContext();
  const staff = await context.newPage();
  await signInAs(staff, await adminToken());
  await staff.goto('/admin/help-articles');
  await expect(staff.getByRole('heading', { name: 'Help articles', level: 2 })).toBeVisible();
  const form = staff.locator('.admin-form').last();
  await form.getByLabel('Category').selectOption('accessibility');
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Text').fill('Guide dogs and other assistance animals are welcome at every screening.');
  await form.getByLabel('Published (buyers can read and find it)').uncheck();
  await staff.getByRole('button', { name: 'Create article' }).click();
  await expect(staff.getByText(`“${title}” created.`)).toBeVisible();
  const item = staff.getByRole('listitem').filter({ hasText: title });
  await expect(item.getByText('Draft')).toBeVisible();
  await item.getByRole('button', { name: `Edit ${title}` }).click();
  await item.getByLabel('Published (buyers can read and find it)').check();
  await item.getByRole('button', { name: 'Save changes' }).click();
  await expect(staff.getByText(`“${title}” saved.`)).toBeVisible();
  await expect(item.getByText('Published', { exact: true })).toBeVisible();
  await expectAccessible(staff);
  await context.close();

  // The index takes the article from the change feed: wait until it is searchable.
  await expect
    .poll(async () => {
      const { searchHelp } = await gql<{ searchHelp: { title: string }[] }>(
        'query($q: String!) { searchHelp(query: $q) { title } }',
        { q: 'asistance animals' },
      );
      return searchHelp.some((a) => a.title === title);
    })
    .toBe(true);
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Help', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Help center', level: 1 })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Accessibility' }).getByRole('link', { name: title })).toBeVisible();
  // Typos forgiven, as the search index does for titles.
  await page.getByLabel('Search the help center').fill('asistance animals');
  await page.getByRole('main').getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Articles matching “asistance animals”' })).toBeVisible();
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  await expect(page.getByText('assistance animals are welcome')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Contact support' }).click();
  await expect(page).toHaveURL(/\/signin\?next=%2Fhelp%2Fcontact/);
});
