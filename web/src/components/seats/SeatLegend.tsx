import { formatMoney } from '../../format';
import { t } from '../../i18n';
import { seatSymbol, type SeatState } from './SeatMap';

interface Price {
  category: string;
  priceCents: number;
}

const ORDER = ['STANDARD', 'PREMIUM', 'ACCESSIBLE', 'COMPANION'];

/** Prices per category, and what each seat's look and symbol mean. */
export function SeatLegend({ prices, currency }: { prices: Price[]; currency: string }) {
  const sorted = [...prices].sort((a, b) => ORDER.indexOf(a.category) - ORDER.indexOf(b.category));
  const states: [SeatState, string][] = [
    ['available', t.seatPicker.legend.available],
    ['selected', t.seatPicker.legend.selected],
    ['mine', t.seatPicker.legend.mine],
    ['HELD', t.seatPicker.legend.taken],
    ['SOLD', t.seatPicker.legend.sold],
    ['BLOCKED', t.seatPicker.legend.blocked],
  ];
  return (
    <section className="seat-legend" aria-labelledby="seat-legend-heading">
      <h2 id="seat-legend-heading">{t.seatPicker.prices}</h2>
      <ul className="seat-legend-list">
        {sorted.map((p) => (
          <li key={p.category}>
            <span
              className={`seat seat-sample seat-available seat-cat-${p.category.toLowerCase()}`}
              aria-hidden="true"
            >
              {seatSymbol({ category: p.category as 'STANDARD' }, 'available')}
            </span>
            {t.seatPicker.categoryPrice(t.seatCategory[p.category] ?? p.category, formatMoney(p.priceCents, currency))}
          </li>
        ))}
      </ul>
      <ul className="seat-legend-list">
        {states.map(([state, label]) => (
          <li key={state}>
            <span className={`seat seat-sample seat-${state.toLowerCase()} seat-cat-standard`} aria-hidden="true">
              {seatSymbol({ category: 'STANDARD' }, state)}
            </span>
            {label}
          </li>
        ))}
      </ul>
    </section>
  );
}
