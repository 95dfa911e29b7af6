import { useId, type ReactNode } from 'react';
import { t } from '../i18n';
import type { LayoutCategory, ParsedRow, ParsedVenue } from './layout';

/** The mark of each category, also shown in the legend: categories never told by colour alone. */
export const SEAT_SYMBOL: Record<LayoutCategory, string> = {
  STANDARD: '■',
  PREMIUM: '★',
  ACCESSIBLE: '♿',
  COMPANION: '◆',
};

const ORDER: LayoutCategory[] = ['STANDARD', 'PREMIUM', 'ACCESSIBLE', 'COMPANION'];

/**
 * The seat map as buyers will see it, front row (nearest the screen) first, aisles kept
 * as gaps. Read out as a summary; the drawing itself is for the eye.
 */
export function SeatMapPreview({ rows, seatCount }: { rows: ParsedRow[]; seatCount: number }) {
  const id = useId();
  const counts = new Map<LayoutCategory, number>();
  for (const row of rows) for (const p of row.positions) if (p) counts.set(p, (counts.get(p) ?? 0) + 1);
  const summary = t.admin.layout.summary(
    rows.length,
    seatCount,
    ORDER.filter((c) => counts.has(c)).map((c) => `${counts.get(c)} ${t.seatCategory[c] ?? c}`),
  );
  return (
    // Focusable: a wide layout scrolls sideways on a phone, and keyboards must reach it.
    <figure className="admin-preview" tabIndex={0} aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{t.admin.layout.preview}</figcaption>
      <p className="admin-preview-summary">{summary}</p>
      <SeatRows rows={rows}>
        <div className="admin-screen-bar">{t.admin.layout.screen}</div>
      </SeatRows>
      <ul className="admin-legend">
        {ORDER.map((c) => (
          <li key={c}>
            <span className={`admin-seat admin-seat-${c.toLowerCase()}`} aria-hidden="true">
              {SEAT_SYMBOL[c]}
            </span>{' '}
            {t.seatCategory[c]}
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** Past this many seats a section's preview is its summary only: the drawing would not help. */
const DRAWN_SEATS = 2_000;

/** A venue of sections as staff typed it: each section with its seats drawn, or its standing capacity. */
export function VenuePreview({ venue }: { venue: ParsedVenue }) {
  const id = useId();
  let seats = 0;
  let standing = 0;
  for (const s of venue.sections) {
    if (s.kind === 'GENERAL') standing += s.capacity;
    else seats += s.layout.seatCount;
  }
  return (
    <figure className="admin-preview" tabIndex={0} aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{t.admin.layout.preview}</figcaption>
      <p className="admin-preview-summary">{t.admin.layout.venueSummary(venue.sections.length, seats, standing)}</p>
      <ol className="admin-venue-sections">
        {venue.sections.map((s) => (
          <li key={s.name} className="admin-venue-section">
            <h4>{s.name}</h4>
            {s.kind === 'GENERAL' ? (
              <p className="admin-standing">
                {t.admin.layout.standing(s.capacity)}
                {s.category === 'PREMIUM' ? ` · ${t.seatCategory.PREMIUM}` : ''}
              </p>
            ) : s.layout.seatCount <= DRAWN_SEATS ? (
              <SeatRows rows={s.layout.rows} />
            ) : (
              <p>{t.admin.layout.summary(s.layout.rows.length, s.layout.seatCount, [])}</p>
            )}
          </li>
        ))}
      </ol>
    </figure>
  );
}

/** The rows drawn, aisles kept as gaps, after `children` (the screen bar of a cinema). */
function SeatRows({ rows, children }: { rows: ParsedRow[]; children?: ReactNode }) {
  return (
    <div className="admin-seatmap" aria-hidden="true">
      {children}
      {rows.map((row, y) => (
        <div className="admin-seat-row" key={`${row.label}-${y}`}>
          <span className="admin-row-label">{row.label}</span>
          {row.positions.map((p, x) =>
            p ? (
              <span key={x} className={`admin-seat admin-seat-${p.toLowerCase()}`}>
                {SEAT_SYMBOL[p]}
              </span>
            ) : (
              <span key={x} className="admin-seat admin-aisle" />
            ),
          )}
        </div>
      ))}
    </div>
  );
}
