import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, createAdmin, gqlAt, logInAt, STANDARD_PRICES, THEATRE_SITE } from './api';

/**
 * A private `marquee` for a spec that needs settings of its own (a short hold, a small
 * waiting room): the same binary and built app as the shared server, on its own free
 * port and data directory, with extra `MARQUEE_…` settings; its admin is created with
 * `marquee create-admin` as the global setup does. `stop()` ends it and removes its data.
 */
export interface PrivateServer {
  url: string;
  gql<T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  adminToken(): Promise<string>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitHealthy(url: string, child: ChildProcess, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`marquee exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`marquee did not answer ${url}/healthz within ${ms} ms`);
}

export async function startServer(settings: Record<string, string>): Promise<PrivateServer> {
  const bin = process.env.E2E_MARQUEE_BIN ?? '';
  const dataDir = mkdtempSync(join(tmpdir(), 'marquee-e2e-private-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MARQUEE_SEED_DEMO: 'false',
    MARQUEE_DATA_DIR: dataDir,
    MARQUEE_BIND: `127.0.0.1:${port}`,
    MARQUEE_WEB_DIR: join(import.meta.dirname, '..', 'dist'),
    MARQUEE_LOG_FILTER: 'warn',
    RUST_LOG: 'warn',
    ...settings,
  };
  const child = spawn(bin, ['serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitHealthy(url, child);
    createAdmin(env);
  } catch (e) {
    await stop();
    throw e;
  }
  const gql = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) =>
    gqlAt<T>(url, query, variables, token);
  const adminToken = () => logInAt(url, ADMIN.email, ADMIN.password);
  return { url, gql, adminToken, stop };
}

let made = 0;

/** A theatre, a screen of `rows`, a movie and its showtime a day on, on a private server. */
export async function privateShowtime(
  server: PrivateServer,
  options: { rows: { label: string; seats: string }[]; waitingRoom?: boolean },
): Promise<{ showtimeId: string; movieTitle: string }> {
  const admin = await server.adminToken();
  const { createTheatre } = await server.gql<{ createTheatre: { id: string } }>(
    'mutation($i: CreateTheatreInput!) { createTheatre(input: $i) { id } }',
    {
      i: {
        name: `Marquee Private ${++made}`,
        ...THEATRE_SITE,
      },
    },
    admin,
  );
  const { createScreen } = await server.gql<{ createScreen: { id: string } }>(
    'mutation($t: ID!, $n: String!, $l: ScreenLayoutInput!) { createScreen(theatreId: $t, name: $n, layout: $l) { id } }',
    { t: createTheatre.id, n: 'Screen 1', l: { rows: options.rows } },
    admin,
  );
  const movieTitle = `Opening Night ${made}`;
  const { createMovie } = await server.gql<{ createMovie: { id: string } }>(
    'mutation($i: CreateMovieInput!) { createMovie(input: $i) { id } }',
    { i: { title: movieTitle, runtimeMinutes: 100, releaseDate: '2026-01-01' } },
    admin,
  );
  const startsAt = new Date(Math.ceil((Date.now() + 26 * 3600_000) / 300_000) * 300_000).toISOString();
  const { createShowtime } = await server.gql<{ createShowtime: { id: string } }>(
    'mutation($i: CreateShowtimeInput!) { createShowtime(input: $i) { id } }',
    {
      i: {
        screenId: createScreen.id,
        movieId: createMovie.id,
        startsAt,
        currency: 'USD',
        prices: STANDARD_PRICES,
        ...(options.waitingRoom !== undefined ? { waitingRoom: options.waitingRoom } : {}),
      },
    },
    admin,
  );
  return { showtimeId: createShowtime.id, movieTitle };
}

/** A buyer account on a private server, with its token. */
export async function privateBuyer(server: PrivateServer, name: string): Promise<string> {
  const { signUp } = await server.gql<{ signUp: { token: string } }>(
    'mutation($i: SignUpInput!) { signUp(input: $i) { token } }',
    { i: { email: `buyer-${process.pid}-${Date.now()}-${++made}@marquee.test`, password: 'buyer password 1', name } },
  );
  return signUp.token;
}
