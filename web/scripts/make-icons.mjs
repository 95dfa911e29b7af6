// Draws the app's icons (a white "M" on the marquee red) as PNG files for the web app
// manifest: `node scripts/make-icons.mjs` writes public/icons/. No image library needed:
// the shapes are plain geometry and the PNG encoder is a few lines over zlib.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const RED = [0x8a, 0x1c, 0x1c];
const WHITE = [0xff, 0xff, 0xff];
const out = new URL('../public/icons/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });

const table = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5);
      const i = y * (size * 4 + 1) + 1 + x * 4;
      raw[i] = r;
      raw[i + 1] = g;
      raw[i + 2] = b;
      raw[i + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Distance from point p to the segment a–b, in unit coordinates. */
function segment(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** The letter M as four strokes, in a box scaled by `scale` around the centre. */
function onLetter(u, v, scale) {
  const x = (u - 0.5) / scale + 0.5;
  const y = (v - 0.5) / scale + 0.5;
  const w = 0.07;
  return (
    segment(x, y, 0.22, 0.76, 0.22, 0.26) < w ||
    segment(x, y, 0.22, 0.26, 0.5, 0.6) < w ||
    segment(x, y, 0.5, 0.6, 0.78, 0.26) < w ||
    segment(x, y, 0.78, 0.26, 0.78, 0.76) < w
  );
}

/** A rounded square (purpose "any") or a full-bleed square (purpose "maskable"). */
function icon(size, maskable) {
  const radius = maskable ? 0 : 0.2;
  const scale = maskable ? 0.7 : 0.9;
  return png(size, (px, py) => {
    const u = px / size;
    const v = py / size;
    const cx = Math.min(Math.max(u, radius), 1 - radius);
    const cy = Math.min(Math.max(v, radius), 1 - radius);
    if (radius > 0 && Math.hypot(u - cx, v - cy) > radius) return [0, 0, 0, 0];
    return [...(onLetter(u, v, scale) ? WHITE : RED), 255];
  });
}

writeFileSync(`${out}icon-192.png`, icon(192, false));
writeFileSync(`${out}icon-512.png`, icon(512, false));
writeFileSync(`${out}icon-maskable-512.png`, icon(512, true));
writeFileSync(`${out}apple-touch-icon.png`, icon(180, true));
console.log('icons written to', out);
