import { t } from '../i18n';
import type { StaffAccess } from './staffAccess';

/**
 * The panel's sections, in the order of its navigation, with who sees each: `platform`
 * (platform admins), `manager` (an organisation's managers too), `staff` (its support
 * agents too). One list, so that a section to come is one more entry here and one more
 * case in AdminApp.
 */
export const SECTIONS = [
  { slug: 'theatres', label: () => t.admin.nav.theatres, for: 'staff' },
  { slug: 'movies', label: () => t.admin.nav.movies, for: 'platform' },
  { slug: 'events', label: () => t.admin.nav.events, for: 'manager' },
  { slug: 'showtimes', label: () => t.admin.nav.showtimes, for: 'staff' },
  { slug: 'promotions', label: () => t.admin.nav.promotions, for: 'manager' },
  { slug: 'analytics', label: () => t.admin.nav.analytics, for: 'manager' },
  { slug: 'gift-cards', label: () => t.admin.nav.giftCards, for: 'manager' },
  { slug: 'support', label: () => t.admin.nav.support, for: 'staff' },
  { slug: 'help-articles', label: () => t.admin.nav.helpArticles, for: 'manager' },
  { slug: 'organisation', label: () => t.admin.nav.organisation, for: 'manager' },
  { slug: 'emails', label: () => t.admin.nav.emails, for: 'platform' },
  { slug: 'reviews', label: () => t.admin.nav.reviews, for: 'platform' },
] as const;

export type SectionSlug = (typeof SECTIONS)[number]['slug'];

/** The sections `access` may open. */
export function sectionsFor(access: StaffAccess) {
  const manager = access.roles.some((r) => r.role === 'MANAGER');
  return SECTIONS.filter(
    (s) => access.platform || s.for === 'staff' || (s.for === 'manager' && manager),
  );
}

export function sectionOf(slug: string | undefined, visible: readonly { slug: SectionSlug }[]): SectionSlug | null {
  if (slug === undefined) return 'theatres';
  return visible.find((s) => s.slug === slug)?.slug ?? null;
}
