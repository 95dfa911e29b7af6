import { formatDay, formatTime, zoneName } from '../../format';

/** "Sat, Dec 12, 7:30 PM MST": a moment on the theatre's clock. */
export function when(iso: string, timeZone: string): string {
  return `${formatDay(iso, timeZone)}, ${formatTime(iso, timeZone)} ${zoneName(iso, timeZone)}`;
}
