import { useState, type FormEvent } from 'react';
import { formatMoney } from '../../format';
import { t } from '../../i18n';

const COUNTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** "Best available N": the server picks seats side by side in one row of the chosen type. */
export function BestAvailable({
  categories,
  currency,
  busy,
  onHold,
}: {
  categories: { category: string; priceCents: number }[];
  currency: string;
  busy: boolean;
  onHold: (count: number, category: string) => void;
}) {
  const [count, setCount] = useState(2);
  const [category, setCategory] = useState(categories[0]?.category ?? 'STANDARD');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onHold(count, category);
  };
  return (
    <form className="best-available" onSubmit={submit} aria-labelledby="best-heading">
      <h3 id="best-heading">{t.seatPicker.best}</h3>
      <p className="muted">{t.seatPicker.bestHint}</p>
      <div className="best-fields">
        <label>
          {t.seatPicker.bestCount}
          <select value={count} onChange={(e) => setCount(Number(e.target.value))}>
            {COUNTS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.seatPicker.bestCategory}
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            {categories.map((c) => (
              <option key={c.category} value={c.category}>
                {t.seatPicker.categoryPrice(t.seatCategory[c.category] ?? c.category, formatMoney(c.priceCents, currency))}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button type="submit" disabled={busy}>
        {busy ? t.seatPicker.holding : t.seatPicker.bestHold}
      </button>
    </form>
  );
}
