/**
 * The API as the specs' own setup uses it: plain GraphQL over HTTP to the server under
 * test, for data a spec creates for itself (a showtime of its own, a buyer of its own),
 * so that specs never depend on each other's purchases.
 */
import { execFileSync } from 'node:child_process';

export const ADMIN = { email: 'boss@marquee.test', password: 'a long admin password' };

/** GraphQL over HTTP to the server at `origin` (the shared one, or a spec's private one). */
export async function gqlAt<T>(
  origin: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** GraphQL to the shared server under test. */
export const gql = <T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> =>
  gqlAt<T>(process.env.E2E_API_URL ?? '', query, variables, token);

export async function logInAt(origin: string, email: string, password: string): Promise<string> {
  const { logIn } = await gqlAt<{ logIn: { token: string } }>(
    origin,
    'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }',
    { e: email, p: password },
  );
  return logIn.token;
}

export const logIn = (email: string, password: string): Promise<string> =>
  logInAt(process.env.E2E_API_URL ?? '', email, password);

/**
 * Makes an admin with `marquee create-admin`, as an operator would (no API creates one);
 * `env` points the binary at the server's data (its MARQUEE_… settings).
 */
export function createAdmin(env: NodeJS.ProcessEnv, account: { email: string; password: string } = ADMIN): void {
  execFileSync(process.env.E2E_MARQUEE_BIN ?? '', ['create-admin', '--email', account.email], {
    input: `${account.password}\n`,
    env,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
}

let admin: Promise<string> | undefined;

/** The admin's token, logged in once per test process. */
export const adminToken = (): Promise<string> => (admin ??= logIn(ADMIN.email, ADMIN.password));

let buyers = 0;

/** A new buyer account (unique per call in this run), with its token. */
export async function signUpBuyer(name = 'Test Buyer'): Promise<{ email: string; password: string; token: string }> {
  const email = `buyer-${process.pid}-${Date.now()}-${++buyers}@marquee.test`;
  const password = 'buyer password 1';
  const { signUp } = await gql<{ signUp: { token: string } }>(
    'mutation($i: SignUpInput!) { signUp(input: $i) { token } }',
    { i: { email, password, name } },
  );
  return { email, password, token: signUp.token };
}

/** Where the test theatres stand: downtown Denver, on Mountain time. */
export const THEATRE_SITE = {
  address: '1600 Champa St',
  city: 'Denver',
  state: 'CO',
  zip: '80202',
  latitude: 39.7479,
  longitude: -104.9949,
  timezone: 'America/Denver',
};

export const STANDARD_PRICES = [
  { category: 'STANDARD', priceCents: 1250 },
  { category: 'PREMIUM', priceCents: 1875 },
  { category: 'ACCESSIBLE', priceCents: 1250 },
  { category: 'COMPANION', priceCents: 1250 },
];

/**
 * A showtime of the spec's own on a new screen of the test theatre (`theatreId` from the
 * catalog): `rows` as the layout editor takes them, e.g. `[{ label: 'A', seats: 'SSSS__SSSS' }]`.
 */
export async function createShowtime(options: {
  theatreId: string;
  movieId?: string;
  eventId?: string;
  rows?: { label: string; seats: string }[];
  /** A venue of several sections instead of rows. */
  sections?: {
    name: string;
    rows?: { label: string; seats: string }[];
    kind?: 'RESERVED' | 'GENERAL';
    capacity?: number;
    map?: { x: number; y: number; width: number; height: number };
  }[];
  startsAt?: string;
  waitingRoom?: boolean;
  screenName?: string;
}): Promise<{ showtimeId: string; screenId: string }> {
  const admin = await adminToken();
  const { createScreen } = await gql<{ createScreen: { id: string } }>(
    'mutation($t: ID!, $n: String!, $l: ScreenLayoutInput!) { createScreen(theatreId: $t, name: $n, layout: $l) { id } }',
    {
      t: options.theatreId,
      n: options.screenName ?? `Screen ${Date.now()}-${++buyers}`,
      l: options.sections ? { sections: options.sections } : { rows: options.rows ?? [] },
    },
    admin,
  );
  const startsAt =
    options.startsAt ?? new Date(Math.ceil((Date.now() + 30 * 3600_000) / 300_000) * 300_000).toISOString();
  const input: Record<string, unknown> = {
    screenId: createScreen.id,
    startsAt,
    currency: 'USD',
    prices: STANDARD_PRICES,
  };
  if (options.movieId) input.movieId = options.movieId;
  if (options.eventId) input.eventId = options.eventId;
  if (options.waitingRoom !== undefined) input.waitingRoom = options.waitingRoom;
  const { createShowtime } = await gql<{ createShowtime: { id: string } }>(
    'mutation($i: CreateShowtimeInput!) { createShowtime(input: $i) { id } }',
    { i: input },
    admin,
  );
  return { showtimeId: createShowtime.id, screenId: createScreen.id };
}
