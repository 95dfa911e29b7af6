// Lighthouse on the buyer's main pages, against the real server with a small catalog:
// home, a movie and a showtime's seat picker, each measured three times with Lighthouse's
// default mobile emulation; prints the median scores. Fails when a page's accessibility
// median is under 95. Performance is reported, not enforced: on a shared machine it varies
// from run to run, so under 90 is only a warning.
//
//   npm run build && npm run lighthouse
//
// E2E_MARQUEE_BIN names the server binary (default ../target/debug/marquee), CHROMIUM_PATH
// the browser (default /usr/bin/chromium).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { runnerImport } from 'vite';

const RUNS = 3;
const MIN_ACCESSIBILITY = 95;
const WARN_PERFORMANCE = 90;
const CATEGORIES = ['performance', 'accessibility'];
const METRICS = [
  ['first-contentful-paint', 'FCP'],
  ['largest-contentful-paint', 'LCP'],
  ['total-blocking-time', 'TBT'],
  ['cumulative-layout-shift', 'CLS'],
  ['speed-index', 'SI'],
];

const web = resolve(import.meta.dirname, '..');
const bin = process.env.E2E_MARQUEE_BIN ?? resolve(web, '..', 'target', 'debug', 'marquee');
const chromePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function waitUntilUp(origin, server) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`marquee exited with code ${server.exitCode}`);
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('marquee did not answer /healthz within 60 s');
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** Three runs of one page: median scores (0–100) and metrics, the failed accessibility checks. */
async function measure(url, port) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const result = await lighthouse(url, { port, onlyCategories: CATEGORIES, output: 'json', logLevel: 'error' });
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    const { lhr } = result;
    if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    runs.push(lhr);
  }
  const scores = Object.fromEntries(
    CATEGORIES.map((c) => [c, median(runs.map((lhr) => Math.round((lhr.categories[c]?.score ?? 0) * 100)))]),
  );
  const metrics = Object.fromEntries(
    METRICS.map(([id]) => [id, median(runs.map((lhr) => lhr.audits[id]?.numericValue ?? NaN))]),
  );
  const failed = new Set();
  for (const lhr of runs) {
    for (const ref of lhr.categories.accessibility?.auditRefs ?? []) {
      const audit = lhr.audits[ref.id];
      if (ref.weight > 0 && audit?.score !== null && audit?.score < 1) failed.add(`${ref.id}: ${audit.title}`);
    }
  }
  return { scores, metrics, failed: [...failed], runs };
}

function formatMetric(id, value) {
  if (Number.isNaN(value)) return '–';
  return id === 'cumulative-layout-shift' ? value.toFixed(3) : `${(value / 1000).toFixed(2)} s`;
}

const dist = join(web, 'dist', 'index.html');
if (!existsSync(dist)) {
  console.error('lighthouse: no build in web/dist: run `npm run build` first');
  process.exit(2);
}
if (!existsSync(bin)) {
  console.error(`lighthouse: no marquee binary at ${bin} (build it, or set E2E_MARQUEE_BIN)`);
  process.exit(2);
}

const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'marquee-lighthouse-'));
const server = spawn(bin, ['serve'], {
  env: {
    ...process.env,
    MARQUEE_SEED_DEMO: 'false',
    MARQUEE_DATA_DIR: dataDir,
    MARQUEE_BIND: `127.0.0.1:${port}`,
    MARQUEE_WEB_DIR: join(web, 'dist'),
    MARQUEE_LOG_FILTER: 'warn',
    RUST_LOG: 'warn',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
let chrome;
let failedPages = [];
try {
  await waitUntilUp(origin, server);

  // The browser tests' own setup makes the catalog: an admin, a theatre, a movie with a
  // review and a showtime, an event.
  process.env.E2E_MARQUEE_BIN = bin;
  process.env.E2E_DATA_DIR = dataDir;
  process.env.E2E_API_URL = origin;
  const load = (file) => runnerImport(join(web, 'e2e', file), { configFile: false, logLevel: 'error' });
  await (await load('global-setup.ts')).module.default();
  const catalog = (await load('catalog.ts')).module.readCatalog();

  const pages = [
    ['home', '/'],
    ['movie', `/movies/${catalog.movieId}`],
    ['seat picker', `/showtimes/${catalog.showtimeId}`],
  ];
  chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
  const reports = join(tmpdir(), 'marquee-lighthouse-reports');
  mkdirSync(reports, { recursive: true });

  const rows = [];
  for (const [name, path] of pages) {
    process.stdout.write(`lighthouse: ${name} (${path}), ${RUNS} runs…\n`);
    const result = await measure(`${origin}${path}`, chrome.port);
    writeFileSync(join(reports, `${name.replace(/\s+/g, '-')}.json`), JSON.stringify(result.runs.at(-1)));
    rows.push({ name, path, ...result });
  }

  const width = Math.max(...rows.map((r) => r.name.length), 4);
  console.log(`\nMedian of ${RUNS} runs (mobile emulation)\n`);
  console.log(
    `${'page'.padEnd(width)}  performance  accessibility  ${METRICS.map(([, short]) => short.padStart(7)).join(' ')}`,
  );
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(width)}  ${String(r.scores.performance).padStart(11)}  ${String(r.scores.accessibility).padStart(13)}  ${METRICS.map(([id]) => formatMetric(id, r.metrics[id]).padStart(7)).join(' ')}`,
    );
  }
  console.log(`\nLast run's full reports: ${reports}`);
  for (const r of rows) {
    if (r.failed.length) console.log(`\n${r.name}: accessibility checks not passed\n  ${r.failed.join('\n  ')}`);
    if (r.scores.performance < WARN_PERFORMANCE) {
      console.warn(`warning: ${r.name} performance ${r.scores.performance} is under ${WARN_PERFORMANCE}`);
    }
    if (r.scores.accessibility < MIN_ACCESSIBILITY) failedPages.push(r);
  }
  for (const r of failedPages) {
    console.error(`lighthouse: ${r.name} accessibility ${r.scores.accessibility} is under ${MIN_ACCESSIBILITY}`);
  }
} catch (error) {
  console.error(`lighthouse: ${error instanceof Error ? error.message : error}`);
  failedPages = [{ name: 'run' }];
} finally {
  chrome?.kill();
  if (server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failedPages.length ? 1 : 0);
