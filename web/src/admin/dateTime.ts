import { locale } from '../i18n';

/**
 * When something happened in the panel's lists (an email queued, a review written, a
 * promotion's window): on the staff member's own clock, since none of these belongs to a
 * theatre.
 */
export function formatDateTime(iso: string, withSeconds = false): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: withSeconds ? 'medium' : 'short' }).format(
    new Date(iso),
  );
}
