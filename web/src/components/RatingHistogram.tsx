import { t } from '../i18n';

/** How many viewers gave each number of stars, five first: told in words and numbers, the
 * bars only repeat it. */
export function RatingHistogram({ histogram }: { histogram: readonly number[] }) {
  const total = histogram.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rows = histogram.map((count, i) => ({ stars: i + 1, count })).reverse();
  return (
    <ul className="histogram" aria-label={t.title.histogram}>
      {rows.map(({ stars, count }) => (
        <li key={stars} data-testid="histogram-row">
          <span className="histogram-label">{t.title.starsCount(stars, count)}</span>
          <span className="histogram-bar" aria-hidden="true">
            <span style={{ width: `${Math.round((count / total) * 100)}%` }} />
          </span>
        </li>
      ))}
    </ul>
  );
}
