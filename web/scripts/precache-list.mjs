// Lists the buyers' content-hashed files of the build in dist/precache.json, for the
// service worker to fetch ahead: each page is a chunk of its own, and a buyer who opens
// their tickets offline must have the chunks of pages never visited online too. The staff
// panel's chunks are left out (buyers never need them), found through Vite's manifest.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url).pathname;
const manifestFile = `${dist}.vite/manifest.json`;
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
const STAFF_ONLY = 'src/admin/AdminApp.tsx';

const files = new Set();
const seen = new Set();
function visit(key) {
  if (seen.has(key) || key === STAFF_ONLY) return;
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) return;
  files.add(`/${chunk.file}`);
  for (const css of chunk.css ?? []) files.add(`/${css}`);
  for (const asset of chunk.assets ?? []) files.add(`/${asset}`);
  for (const next of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) visit(next);
}
for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);

const list = [...files].filter((f) => f.startsWith('/assets/')).sort();
writeFileSync(`${dist}precache.json`, `${JSON.stringify(list)}\n`);
// The manifest is for this script only; the server has no use for it.
rmSync(`${dist}.vite`, { recursive: true, force: true });
console.log(`precache: ${list.length} files listed (staff panel left out)`);
