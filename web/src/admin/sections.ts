import { t } from '../i18n';

/**
 * The panel's sections, in the order of its navigation: one list, so that a section to
 * come (analytics, support) is one more entry here and one more case in AdminApp.
 */
export const SECTIONS = [
  { slug: 'theatres', label: () => t.admin.nav.theatres },
  { slug: 'movies', label: () => t.admin.nav.movies },
  { slug: 'events', label: () => t.admin.nav.events },
  { slug: 'showtimes', label: () => t.admin.nav.showtimes },
  { slug: 'promotions', label: () => t.admin.nav.promotions },
  { slug: 'emails', label: () => t.admin.nav.emails },
  { slug: 'reviews', label: () => t.admin.nav.reviews },
] as const;

export type SectionSlug = (typeof SECTIONS)[number]['slug'];

export function sectionOf(slug: string | undefined): SectionSlug | null {
  if (slug === undefined) return 'theatres';
  return SECTIONS.find((s) => s.slug === slug)?.slug ?? null;
}
