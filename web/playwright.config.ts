import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { backendEnv } from './e2e/backend';

/**
 * Browser tests against the real server: `marquee` (built with `cargo build -p marquee`,
 * or E2E_MARQUEE_BIN; no MARQUEE_… name, which the server would read as a setting) on a
 * free port with a fresh data directory and no demo data (on the embedded default, or on
 * PostgreSQL + Redis when E2E_DATABASE_URL and E2E_REDIS_URL are set), serving the built app (run
 * `npm run build` first) and the API; the global setup creates an admin and the test
 * catalog through the API.
 *
 * The config is read again by every worker; the first read picks the port and the data
 * directory and leaves them in the environment, which the workers inherit.
 */
const repo = resolve(import.meta.dirname, '..');

function freePort(): string {
  return execFileSync(
    process.execPath,
    ['-e', "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"],
    { encoding: 'utf8' },
  ).trim();
}

process.env.E2E_PORT ??= freePort();
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'marquee-e2e-'));
process.env.E2E_MARQUEE_BIN ??= join(repo, 'target', 'debug', 'marquee');

const port = process.env.E2E_PORT;
const dataDir = process.env.E2E_DATA_DIR;
const bin = process.env.E2E_MARQUEE_BIN;
const origin = `http://127.0.0.1:${port}`;
process.env.E2E_API_URL = origin;

const marqueeEnv = {
  MARQUEE_SEED_DEMO: 'false',
  MARQUEE_DATA_DIR: dataDir,
  MARQUEE_BIND: `127.0.0.1:${port}`,
  MARQUEE_WEB_DIR: join(import.meta.dirname, 'dist'),
  MARQUEE_LOG_FILTER: 'warn',
  RUST_LOG: 'warn',
  // Every buyer of the run signs up and in from 127.0.0.1: the per-address limits on those
  // two would refuse the suite itself. Every other limit stays as a deployment has it.
  MARQUEE_RATE_LIMIT_SIGNUP: '2000/1h',
  MARQUEE_RATE_LIMIT_LOGIN: '2000/10m',
  ...backendEnv(),
};

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  globalTeardown: './e2e/global-teardown.ts',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: origin,
    headless: true,
    locale: 'en-US',
    // Far from the test theatre's zone: times must be shown on the theatre's clock, not the browser's.
    timezoneId: 'Asia/Tokyo',
    launchOptions: chromium,
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'mobile', use: { viewport: { width: 390, height: 844 } } },
    { name: 'desktop', use: { viewport: { width: 1440, height: 900 } } },
  ],
  webServer: {
    // One server for the app and the API, as in production: `marquee` serves the build
    // (npm run build) from MARQUEE_WEB_DIR next to /graphql and /graphql/ws.
    command: `"${bin}" serve`,
    url: `${origin}/healthz`,
    env: marqueeEnv,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
