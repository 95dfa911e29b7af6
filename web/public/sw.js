/*
 * Marquee's service worker: the app opens without a network, so a buyer's saved tickets
 * (kept by the app in this device's storage) can be shown at the door.
 *
 * - Page loads are network first: a new deploy's index.html always wins while online; the
 *   last one seen is the offline fallback.
 * - Content-hashed files under /assets/ never change, so they are served from the cache
 *   first. With each index.html seen, every file of its build (precache.json, written by
 *   the build) is fetched ahead, pages never opened online included, and files of older
 *   builds are dropped.
 * - The API (/graphql, its WebSocket), the payment stand-in and anything cross-origin are
 *   never touched: no account's answers are ever stored here.
 */
const CACHE = 'marquee-shell-v1';
const SHELL = '/index.html';
const STATIC = ['/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon-512.png'];

/** The hashed files an index.html loads (entry script, preloads, styles). */
function assetsOf(html) {
  const found = new Set();
  for (const m of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) found.add(m[1]);
  return [...found];
}

/** Every hashed file of the deployed build, or what the page names when the list is missing. */
async function buildFiles(html) {
  try {
    const list = await fetch('/precache.json', { cache: 'no-store' });
    if (list.ok) return await list.json();
  } catch {
    // Offline or an older server: fall back to what the page itself loads.
  }
  return assetsOf(html);
}

async function keepShell(cache, response) {
  const html = await response.clone().text();
  await cache.put(SHELL, response.clone());
  const wanted = await buildFiles(html);
  await Promise.all(
    wanted.map(async (url) => {
      if (!(await cache.match(url))) {
        const asset = await fetch(url);
        if (asset.ok) await cache.put(url, asset);
      }
    }),
  );
  // Files of older builds go (the page's own names are kept whatever the list says).
  const keep = new Set([...wanted, ...assetsOf(html)]);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.startsWith('/assets/') && !keep.has(path)) await cache.delete(request);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const response = await fetch('/', { cache: 'no-store' });
      if (response.ok) await keepShell(cache, response);
      await cache.addAll(STATIC).catch(() => {});
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

function bypass(url) {
  return (
    url.origin !== self.location.origin ||
    url.pathname.startsWith('/graphql') ||
    url.pathname.startsWith('/fake-gateway') ||
    url.pathname.startsWith('/webhooks') ||
    url.pathname === '/healthz' ||
    url.pathname === '/metrics' ||
    url.pathname === '/sw.js'
  );
}

async function page(event) {
  const request = event.request;
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    const type = response.headers.get('content-type') ?? '';
    // Kept after answering, so the page never waits for the cache.
    if (response.ok && type.includes('text/html')) event.waitUntil(keepShell(cache, response.clone()).catch(() => {}));
    return response;
  } catch (error) {
    const shell = await cache.match(SHELL);
    if (shell) return shell;
    throw error;
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function other(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && STATIC.includes(new URL(request.url).pathname)) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const hit = await cache.match(request);
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (bypass(url)) return;
  if (request.mode === 'navigate') event.respondWith(page(event));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(request));
  else event.respondWith(other(request));
});
