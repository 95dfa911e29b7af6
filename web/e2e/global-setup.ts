import { writeFileSync } from 'node:fs';
import { ADMIN, createAdmin, gql, logIn, THEATRE_SITE } from './api';
import { backendEnv, backendName } from './backend';
import { catalogFile, type TestCatalog } from './catalog';

/** Says which store the server runs on, and proves it: with Redis, /readyz checks it. */
async function expectBackend(): Promise<void> {
  console.log(`browser tests against marquee on ${backendName()}`);
  const ready = await (await fetch(`${process.env.E2E_API_URL}/readyz`)).text();
  if (process.env.E2E_REDIS_URL && !ready.includes('redis')) {
    throw new Error(`the server was meant to run on PostgreSQL + Redis, but /readyz says: ${ready}`);
  }
}

/**
 * Creates the test catalog on the fresh server: an admin (through `marquee create-admin`,
 * as an operator would), then a theatre, a screen, a movie and a showtime through GraphQL.
 */
export default async function globalSetup(): Promise<void> {
  await expectBackend();
  createAdmin({ ...process.env, MARQUEE_SEED_DEMO: 'false', MARQUEE_DATA_DIR: process.env.E2E_DATA_DIR, ...backendEnv() });
  const admin = await logIn(ADMIN.email, ADMIN.password);

  const theatre = {
    name: 'Marquee Mile High',
    ...THEATRE_SITE,
  };
  const { createTheatre } = await gql<{ createTheatre: { id: string } }>(
    'mutation($i: CreateTheatreInput!) { createTheatre(input: $i) { id } }',
    { i: theatre },
    admin,
  );
  const { createScreen } = await gql<{ createScreen: { id: string } }>(
    'mutation($t: ID!, $n: String!, $l: ScreenLayoutInput!) { createScreen(theatreId: $t, name: $n, layout: $l) { id } }',
    {
      t: createTheatre.id,
      n: 'Screen 1',
      l: {
        rows: [
          { label: 'A', seats: 'AC__SSSS__CA' },
          { label: 'B', seats: 'SSSS__SSSS' },
          { label: 'C', seats: 'PPPP__PPPP' },
        ],
      },
    },
    admin,
  );
  const movieTitle = 'The Last Horizon';
  const { createMovie } = await gql<{ createMovie: { id: string } }>(
    'mutation($i: CreateMovieInput!) { createMovie(input: $i) { id } }',
    {
      i: {
        title: movieTitle,
        synopsis: 'A pilot flies past the edge of the map to bring her crew home.',
        runtimeMinutes: 118,
        releaseDate: '2026-01-01',
        genres: ['sci-fi', 'drama'],
        cast: ['Ada Stone', 'Lee Park'],
        language: 'English',
        certificate: 'PG-13',
      },
    },
    admin,
  );
  // A day from now, on a round minute: tomorrow evening or so on the theatre's clock.
  const startsAt = new Date(Math.ceil((Date.now() + 26 * 3600_000) / 300_000) * 300_000).toISOString();
  const prices = [
    { category: 'STANDARD', priceCents: 1250 },
    { category: 'PREMIUM', priceCents: 1875 },
    { category: 'ACCESSIBLE', priceCents: 1250 },
    { category: 'COMPANION', priceCents: 1250 },
  ];
  const { createShowtime: movieShowtime } = await gql<{ createShowtime: { id: string } }>(
    'mutation($i: CreateShowtimeInput!) { createShowtime(input: $i) { id } }',
    { i: { screenId: createScreen.id, movieId: createMovie.id, startsAt, currency: 'USD', prices } },
    admin,
  );
  const eventTitle = 'An Evening of Strings';
  const { createEvent } = await gql<{ createEvent: { id: string } }>(
    'mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }',
    {
      i: {
        title: eventTitle,
        description: 'A string quartet plays Haydn and Shostakovich.',
        performer: 'The Front Range Quartet',
        category: 'concert',
        durationMinutes: 90,
      },
    },
    admin,
  );
  // Two days on, after the movie has ended.
  const eventStartsAt = new Date(Date.parse(startsAt) + 48 * 3600_000).toISOString();
  await gql(
    'mutation($i: CreateShowtimeInput!) { createShowtime(input: $i) { id } }',
    { i: { screenId: createScreen.id, eventId: createEvent.id, startsAt: eventStartsAt, currency: 'USD', prices } },
    admin,
  );

  // A viewer rates the movie: four stars.
  const { signUp } = await gql<{ signUp: { token: string } }>(
    'mutation($i: SignUpInput!) { signUp(input: $i) { token } }',
    { i: { email: 'viewer@marquee.test', password: 'viewer password', name: 'Vera Viewer' } },
  );
  await gql(
    'mutation($m: ID!) { addReview(movieId: $m, rating: 4, body: "Worth the trip.") { id } }',
    { m: createMovie.id },
    signUp.token,
  );

  const catalog: TestCatalog = {
    city: theatre.city,
    state: theatre.state,
    timezone: theatre.timezone,
    theatre: theatre.name,
    theatreId: createTheatre.id,
    screenId: createScreen.id,
    showtimeId: movieShowtime.id,
    movieId: createMovie.id,
    movieTitle,
    misspelled: 'Last Horizn',
    showtimeStartsAt: startsAt,
    eventId: createEvent.id,
    eventTitle,
    eventStartsAt,
    currency: 'USD',
    prices,
    latitude: theatre.latitude,
    longitude: theatre.longitude,
  };
  writeFileSync(catalogFile(), JSON.stringify(catalog, null, 2));
}
