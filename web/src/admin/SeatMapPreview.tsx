import { t } from '../i18n';
import type { LayoutCategory, ParsedRow } from './layout';

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
  const counts = new Map<LayoutCategory, number>();
  for (const row of rows) for (const p of row.positions) if (p) counts.set(p, (counts.get(p) ?? 0) + 1);
  const summary = t.admin.layout.summary(
    rows.length,
    seatCount,
    ORDER.filter((c) => counts.has(c)).map((c) => `${counts.get(c)} ${t.seatCategory[c] ?? c}`),
  );
  return (
    // Focusable: a wide layout scrolls sideways on a phone, and keyboards must reach it.
    <figure className="admin-preview" tabIndex={0} aria-labelledby="admin-preview-caption">
      <figcaption id="admin-preview-caption">{t.admin.layout.preview}</figcaption>
      <p className="admin-preview-summary">{summary}</p>
      <div className="admin-seatmap" aria-hidden="true">
        <div className="admin-screen-bar">{t.admin.layout.screen}</div>
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
