/**
 * Staff type showtimes on the theatre's clock, wherever they sit; the API takes instants.
 * These convert a `datetime-local` value (YYYY-MM-DDTHH:mm) in an IANA zone to UTC and
 * back, daylight saving included, without a time-zone library.
 */

/** How far the zone's wall clock is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * The instant (ISO, UTC) at which the zone's clock reads `local`. A time skipped by a
 * spring-forward change reads as the same clock time after the change (as a watch set
 * forward would); an hour repeated in autumn means its first occurrence.
 */
export function zonedToUtc(local: string, timeZone: string): string | null {
  const m = LOCAL.exec(local);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // The offset before the change first: in a repeated hour this gives the earlier instant.
  const before = offsetAt(wall - 86_400_000 / 2, timeZone);
  const after = offsetAt(wall + 86_400_000 / 2, timeZone);
  for (const offset of [before, after]) {
    const candidate = wall - offset;
    if (offsetAt(candidate, timeZone) === offset) return new Date(candidate).toISOString();
  }
  // In the gap of a spring-forward change: no instant reads `local`; move it past the gap.
  return new Date(wall - before).toISOString();
}

/** What the zone's clock reads at `iso`, as a `datetime-local` value. */
export function utcToZoned(iso: string, timeZone: string): string {
  const instant = Date.parse(iso);
  const shifted = new Date(instant + offsetAt(instant, timeZone));
  return shifted.toISOString().slice(0, 16);
}

/** Every zone the browser knows, for the theatre form's select. */
export function timeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}
