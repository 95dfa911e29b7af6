import { expect, test, type Page } from '@playwright/test';
import { adminToken, gql, signUpBuyer } from './api';
import { expectAccessible, screenshot } from './helpers';

/** A movie of the test's own, so that its rating moves only with what the test does. */
async function createMovie(title: string): Promise<string> {
  const { createMovie } = await gql<{ createMovie: { id: string } }>(
    'mutation($i: CreateMovieInput!) { createMovie(input: $i) { id } }',
    {
      i: {
        title,
        synopsis: 'Two projectionists keep an old picture house running through one long winter.',
        runtimeMinutes: 104,
        releaseDate: '2026-02-01',
        genres: ['drama'],
        cast: ['Mina Hart'],
        language: 'English',
        certificate: 'PG',
      },
    },
    await adminToken(),
  );
  return createMovie.id;
}

async function review(movieId: string, token: string, rating: number, body: string): Promise<void> {
  await gql(
    'mutation($m: ID!, $r: Int!, $b: String) { addReview(movieId: $m, rating: $r, body: $b) { id } }',
    { m: movieId, r: rating, b: body },
    token,
  );
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.addInitScript((t) => window.localStorage.setItem('marquee.token', t), token);
}

/** The histogram reads, five stars first, as many viewers as `counts` says (five first too). */
async function expectHistogram(page: Page, counts: number[]): Promise<void> {
  const rows = page.getByRole('list', { name: 'Ratings by number of stars' }).getByTestId('histogram-row');
  await expect(rows).toHaveText(
    counts.map((n, i) => {
      const stars = 5 - i;
      return `${stars} ${stars === 1 ? 'star' : 'stars'}: ${n} ${n === 1 ? 'viewer' : 'viewers'}`;
    }),
  );
}

test('a buyer writes a review, sees it counted, edits it and deletes it', async ({ page }, testInfo) => {
  const movieId = await createMovie(`Winter Reels ${testInfo.project.name} ${Date.now()}`);
  const other = await signUpBuyer('Olive Other');
  await review(movieId, other.token, 3, 'Slow, but the ending lands.');
  const buyer = await signUpBuyer('Rita Reviewer');
  await signIn(page, buyer.token);

  await page.goto(`/movies/${movieId}`);
  await expect(page.getByText('Rated 3.0 out of 5 by 1 viewer')).toBeVisible();
  const form = page.getByRole('heading', { level: 3, name: 'Write a review' });
  await expect(form).toBeVisible();
  await expectAccessible(page);

  // Posting without stars is refused in words, and the stars get the focus.
  await page.getByRole('button', { name: 'Post review' }).click();
  await expect(page.getByRole('alert')).toHaveText(/Choose from 1 to 5 stars\./);
  await expect(page.getByRole('radio', { name: '1 star', exact: true })).toBeFocused();

  const stars = page.getByRole('group', { name: 'Your rating' });
  await expect(stars.getByRole('radio')).toHaveCount(5);
  await stars.getByRole('radio', { name: '5 stars' }).check();
  await page.getByLabel('Your review (optional)').fill('The best night out this winter.');
  await expectAccessible(page);
  await screenshot(page, testInfo, 'movie-review-form');
  await page.getByRole('button', { name: 'Post review' }).click();

  await expect(page.getByRole('status').filter({ hasText: 'your review is posted' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: 'Your review' })).toBeFocused();
  const listed = page.getByTestId('review').filter({ hasText: 'Rita Reviewer' });
  await expect(listed).toContainText('The best night out this winter.');
  await expect(listed.getByRole('img', { name: '5 out of 5 stars' })).toBeVisible();
  await expect(listed).toContainText('Yours');
  await expect(page.getByText('Rated 4.0 out of 5 by 2 viewers')).toBeVisible();
  await expectHistogram(page, [1, 0, 1, 0, 0]);
  await expectAccessible(page);
  await screenshot(page, testInfo, 'movie-own-review');

  // Edit from the keyboard: the checked star takes the focus, arrows move the rating down.
  await page.getByRole('button', { name: 'Edit review' }).click();
  await stars.getByRole('radio', { name: '5 stars' }).focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await expect(stars.getByRole('radio', { name: '2 stars' })).toBeChecked();
  await page.getByLabel('Your review (optional)').fill('On second thought, too long.');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your review is updated.' })).toBeVisible();
  await expect(listed).toContainText('On second thought, too long.');
  await expect(listed.getByRole('img', { name: '2 out of 5 stars' })).toBeVisible();
  await expect(page.getByText('Rated 2.5 out of 5 by 2 viewers')).toBeVisible();
  await expectHistogram(page, [0, 0, 1, 1, 0]);

  // The review survives a reload as the buyer's own.
  await page.reload();
  await expect(page.getByTestId('own-review')).toContainText('On second thought, too long.');

  await page.getByRole('button', { name: 'Delete review' }).click();
  await expect(page.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await expectAccessible(page);
  await page.getByRole('group', { name: /Delete your review\?/ }).getByRole('button', { name: 'Delete review' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your review is deleted.' })).toBeVisible();
  await expect(page.getByTestId('review').filter({ hasText: 'Rita Reviewer' })).toHaveCount(0);
  await expect(page.getByText('Rated 3.0 out of 5 by 1 viewer')).toBeVisible();
  await expectHistogram(page, [0, 0, 1, 0, 0]);
  await expect(page.getByRole('heading', { level: 3, name: 'Write a review' })).toBeVisible();
});

test("a review written on another device is the buyer's own here; a second one, and a busy server, are told in plain words", async ({
  page,
}, testInfo) => {
  const movieId = await createMovie(`Second Thoughts ${testInfo.project.name} ${Date.now()}`);
  const buyer = await signUpBuyer('Rex Repeat');
  await signIn(page, buyer.token);
  await page.goto(`/movies/${movieId}`);
  await expect(page.getByRole('heading', { level: 3, name: 'Write a review' })).toBeVisible();

  // Meanwhile the buyer reviews the movie on their phone (through the API).
  await review(movieId, buyer.token, 4, 'Written on my phone.');
  await page.getByRole('radio', { name: '2 stars' }).check();
  await page.getByRole('button', { name: 'Post review' }).click();
  await expect(page.getByRole('alert')).toHaveText(/already reviewed this movie/);
  // The movie is read again: the phone's review is theirs here too, to change.
  await expect(page.getByText('Rated 4.0 out of 5 by 1 viewer')).toBeVisible();
  await expect(page.getByTestId('own-review')).toContainText('Written on my phone.');
  await expectAccessible(page);
  await page.reload();
  await expect(page.getByTestId('own-review')).toContainText('Written on my phone.');
  await expect(page.getByTestId('review').filter({ hasText: 'Rex Repeat' })).toContainText('Yours');
  await page.getByRole('button', { name: 'Edit review' }).click();
  await page.getByRole('radio', { name: '5 stars' }).check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Rated 5.0 out of 5 by 1 viewer')).toBeVisible();

  await page.route('**/graphql', async (route) => {
    if (!route.request().postData()?.includes('mutation UpdateReview')) return route.fallback();
    await route.fulfill({
      status: 429,
      contentType: 'application/json',
      body: JSON.stringify({
        data: null,
        errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED', retryAfterMs: 1500 } }],
      }),
    });
  });
  await page.getByRole('button', { name: 'Edit review' }).click();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert')).toHaveText('Too many requests. Please try again in 2 seconds.');
  await expect(page.getByText('slow down')).toHaveCount(0);
});

test('a review deleted meanwhile (in another tab) is told as gone, and the form comes back', async ({ page }, testInfo) => {
  const movieId = await createMovie(`Gone Tomorrow ${testInfo.project.name} ${Date.now()}`);
  const buyer = await signUpBuyer('Gil Gone');
  await signIn(page, buyer.token);
  await page.goto(`/movies/${movieId}`);
  await page.getByRole('radio', { name: '4 stars' }).check();
  await page.getByRole('button', { name: 'Post review' }).click();
  await expect(page.getByTestId('own-review')).toBeVisible();

  const { movie } = await gql<{ movie: { myReview: { id: string } | null } }>(
    'query($m: ID!) { movie(id: $m) { myReview { id } } }',
    { m: movieId },
    buyer.token,
  );
  const reviewId = movie.myReview?.id;
  expect(reviewId).toBeTruthy();
  await gql('mutation($id: ID!) { deleteReview(id: $id) }', { id: reviewId }, buyer.token);

  await page.getByRole('button', { name: 'Edit review' }).click();
  await page.getByRole('radio', { name: '1 star', exact: true }).check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert')).toHaveText('That review no longer exists. You can write a new one.');
  await expect(page.getByRole('heading', { level: 3, name: 'Write a review' })).toBeVisible();
  await expect(page.getByText('Not rated yet')).toBeVisible();
});

test('a visitor who is not signed in is asked to sign in, and comes back here after', async ({ page }) => {
  const movieId = await createMovie(`Open House ${Date.now()}`);
  await page.goto(`/movies/${movieId}`);
  const link = page.getByRole('link', { name: 'Sign in to write a review' });
  await expect(link).toHaveAttribute('href', `/signin?next=${encodeURIComponent(`/movies/${movieId}`)}`);
  await expect(page.getByRole('radio')).toHaveCount(0);
  await expectAccessible(page);
});
