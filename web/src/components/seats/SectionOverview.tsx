import { useEffect, useState } from 'react';
import { request } from '../../api/client';
import { formatMoney } from '../../format';
import type { SectionFieldsFragment } from '../../gql/graphql';
import { t } from '../../i18n';
import { subscribe } from '../../api/live';
import { SectionUpdatesSubscription, SectionsQuery } from './operations';

export type Section = SectionFieldsFragment;

/** How often the overview is re-read while its live updates are down. */
const REFRESH_MS = 5000;

/**
 * The venue's sections, kept current while `active`: live from `sectionUpdates`, which sends
 * the overview again when a section's figures move (never a stadium's seats), re-read at once
 * when `refreshKey` changes (after the buyer's own hold), and every few seconds while the
 * live feed is down.
 */
export function useSections(showtimeId: string, initial: Section[] | undefined, active: boolean, refreshKey: number) {
  const [sections, setSections] = useState<Section[] | undefined>(initial);
  useEffect(() => setSections(initial), [initial]);
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: number | undefined;
    const reread = () =>
      request(SectionsQuery, { id: showtimeId }).then(
        (data) => {
          if (!stopped && data.showtime) setSections(data.showtime.sections);
        },
        () => {
          // The overview stays as last read; the next round tries again.
        },
      );
    if (refreshKey > 0) void reread();
    const unsubscribe = subscribe(
      SectionUpdatesSubscription,
      { id: showtimeId },
      (data) => {
        if (!stopped) setSections(data.sectionUpdates);
      },
      () => {
        if (!stopped && timer === undefined) timer = window.setInterval(reread, REFRESH_MS);
      },
    );
    return () => {
      stopped = true;
      unsubscribe();
      if (timer !== undefined) window.clearInterval(timer);
    };
  }, [showtimeId, active, refreshKey]);
  return sections;
}

const prices = (s: Section, currency: string) =>
  s.priceMin == null
    ? t.sections.notOnSale
    : s.priceMax == null || s.priceMax === s.priceMin
      ? formatMoney(s.priceMin, currency)
      : t.sections.priceRange(formatMoney(s.priceMin, currency), formatMoney(s.priceMax, currency));

/** How full a section looks: told in words too, never by colour alone. */
const fill = (s: Section) =>
  s.available === 0 ? 'sold-out' : s.available * 10 < s.capacity ? 'few' : s.available * 2 < s.capacity ? 'some' : 'many';

interface OverviewProps {
  sections: Section[];
  currency: string;
  onOpen: (section: Section) => void;
}

/**
 * A large venue at a glance: each section where it sits (when the promoter placed them;
 * otherwise as a list), with its places available and its prices. Choosing one opens its
 * seats. The buttons follow the venue's order, so the keyboard walks them as the promoter ranks them.
 */
export function SectionOverview({ sections, currency, onOpen }: OverviewProps) {
  const placed = sections.some((s) => s.map.width > 0 && s.map.height > 0);
  const right = Math.max(1, ...sections.map((s) => s.map.x + s.map.width));
  const bottom = Math.max(1, ...sections.map((s) => s.map.y + s.map.height));
  return (
    <section className="section-overview" aria-labelledby="sections-heading">
      <h2 id="sections-heading">{t.sections.title}</h2>
      <p className="muted">{t.sections.hint}</p>
      <div
        className={placed ? 'section-plan' : 'section-list'}
        style={placed ? { aspectRatio: `${right} / ${bottom}` } : undefined}
        data-testid="section-overview"
      >
        {sections.map((s) => {
          const style = placed
            ? {
                left: `${(s.map.x / right) * 100}%`,
                top: `${(s.map.y / bottom) * 100}%`,
                width: `${(s.map.width / right) * 100}%`,
                height: `${(s.map.height / bottom) * 100}%`,
              }
            : undefined;
          const general = s.kind === 'GENERAL';
          return (
            <button
              key={s.id}
              type="button"
              className={`section-tile section-${fill(s)}`}
              style={style}
              aria-label={t.sections.tileLabel(s.name, s.available, s.capacity, prices(s, currency), general)}
              onClick={() => onOpen(s)}
            >
              <span className="section-name">{s.name}</span>
              <span className="section-figures" aria-hidden="true">
                {s.available === 0 ? t.sections.soldOut : t.sections.left(s.available)}
              </span>
              <span className="section-prices" aria-hidden="true">
                {prices(s, currency)}
              </span>
            </button>
          );
        })}
      </div>
    </section>
  );
}
