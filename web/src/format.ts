import { locale } from './i18n';

/**
 * Money and times as the buyer reads them: amounts in the showtime's currency, times in
 * the theatre's own time zone (a buyer planning from elsewhere sees the venue's clock).
 */
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(minorUnits: number, currency: string): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** digits);
}

export function formatTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone }).format(
    new Date(iso),
  );
}

/** "Sat, Dec 12" in the given zone. */
export function formatDay(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    timeZone,
  }).format(new Date(iso));
}

/** The zone's short name at that instant, such as "CST". */
export function zoneName(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }).formatToParts(
    new Date(iso),
  );
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone: the key showtimes are grouped by. */
export function localDate(instant: Date | string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone,
  }).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The next `count` local dates in a zone, today first. */
export function nextDates(timeZone: string, count: number, now = new Date()): string[] {
  const dates: string[] = [];
  for (let i = 0; dates.length < count && i < count + 2; i++) {
    const d = localDate(new Date(now.getTime() + i * 86_400_000), timeZone);
    if (!dates.includes(d)) dates.push(d);
  }
  return dates;
}

/** "Mon, Dec 7" for a YYYY-MM-DD date. */
export function formatDateKey(date: string): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T12:00:00Z`));
}

export function formatRating(average: number): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(
    average,
  );
}

/** "Dec 7, 2026, 9:30 AM": a moment that belongs to no theatre (a message), on the reader's clock. */
export function formatMoment(iso: string, withTime = true): string {
  return new Intl.DateTimeFormat(locale, withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' }).format(
    new Date(iso),
  );
}
