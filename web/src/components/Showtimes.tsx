import { graphql } from '../gql';
import type { ShowtimeRowFragment } from '../gql/graphql';
import { formatDateKey, formatMoney, formatTime, localDate, zoneName } from '../format';
import { t } from '../i18n';
import { Link, paths } from '../router';

/** What the showtime list needs of a showtime; title pages spread it into their queries. */
export const ShowtimeRowFields = graphql(`
  fragment ShowtimeRow on Showtime {
    id
    startsAt
    currency
    theatre {
      id
      name
      city
      state
      timezone
    }
    screen {
      name
    }
    prices {
      category
      priceCents
    }
  }
`);

export type ShowtimeRow = ShowtimeRowFragment;

interface TheatreGroup {
  theatre: NonNullable<ShowtimeRow['theatre']>;
  showtimes: ShowtimeRow[];
}

/** Showtimes by local date, then by theatre: each on the clock of its own theatre. */
function group(rows: ShowtimeRow[]): [string, TheatreGroup[]][] {
  const days = new Map<string, Map<string, TheatreGroup>>();
  for (const s of rows) {
    if (!s.theatre) continue;
    const day = localDate(s.startsAt, s.theatre.timezone);
    let theatres = days.get(day);
    if (!theatres) days.set(day, (theatres = new Map()));
    let g = theatres.get(s.theatre.id);
    if (!g) theatres.set(s.theatre.id, (g = { theatre: s.theatre, showtimes: [] }));
    g.showtimes.push(s);
  }
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, theatres]) => [
      day,
      [...theatres.values()].sort((a, b) => a.theatre.name.localeCompare(b.theatre.name)),
    ]);
}

function priceSummary(s: ShowtimeRow): string {
  return [...s.prices]
    .sort((a, b) => a.priceCents - b.priceCents)
    .map((p) => `${t.seatCategory[p.category] ?? p.category} ${formatMoney(p.priceCents, s.currency)}`)
    .join(' · ');
}

export function Showtimes({ rows, headingLevel = 3 }: { rows: ShowtimeRow[]; headingLevel?: 3 }) {
  const days = group(rows);
  const H = `h${headingLevel}` as const;
  return (
    <div className="showtimes">
      {days.map(([day, theatres]) => (
        <section key={day} className="showtime-day" aria-labelledby={`day-${day}`}>
          <H id={`day-${day}`}>{formatDateKey(day)}</H>
          {theatres.map(({ theatre, showtimes }) => (
            <div key={theatre.id} className="showtime-theatre">
              <h4>
                {theatre.name}
                <span className="muted">
                  {' '}
                  · {theatre.city}
                  {theatre.state ? `, ${theatre.state}` : ''}
                </span>
              </h4>
              <ul className="showtime-list">
                {showtimes.map((s) => (
                  <li key={s.id} className="showtime" data-testid="showtime">
                    <Link href={paths.showtime(s.id)} className="showtime-link">
                      <time dateTime={s.startsAt} className="showtime-time">
                        {formatTime(s.startsAt, theatre.timezone)}{' '}
                        <abbr title={theatre.timezone}>{zoneName(s.startsAt, theatre.timezone)}</abbr>
                      </time>
                    </Link>
                    {s.screen && <span className="muted"> {s.screen.name}</span>}
                    <span className="showtime-prices">{priceSummary(s)}</span>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}
