import { useId, useState, type FormEvent } from 'react';
import { ErrorNotice } from '../components/ErrorNotice';
import type { SeatCategory } from '../gql/graphql';
import { t } from '../i18n';
import { toMajorText, toMinor } from './money';
import type { ActionState } from './useAction';

export interface PriceFields {
  category: SeatCategory;
  priceCents: number;
}

/** One price per seat category, typed in the currency's main unit. */
export function PriceInputs({
  categories,
  currency,
  values,
  onChange,
}: {
  categories: SeatCategory[];
  currency: string;
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
}) {
  return (
    <fieldset className="admin-prices">
      <legend>{t.admin.showtimes.pricesIn(currency)}</legend>
      {categories.map((c) => (
        <label key={c}>
          {t.seatCategory[c] ?? c}
          <input
            inputMode="decimal"
            value={values[c] ?? ''}
            onChange={(e) => onChange({ ...values, [c]: e.target.value })}
            required
            pattern="\d+([.,]\d+)?"
            aria-invalid={values[c] !== undefined && values[c] !== '' && toMinor(values[c], currency) === null}
          />
        </label>
      ))}
    </fieldset>
  );
}

/** Reads the typed prices, or null if one is not an amount. */
export function readPrices(
  categories: SeatCategory[],
  currency: string,
  values: Record<string, string>,
): PriceFields[] | null {
  const prices: PriceFields[] = [];
  for (const category of categories) {
    const priceCents = toMinor(values[category] ?? '', currency);
    if (priceCents === null) return null;
    prices.push({ category, priceCents });
  }
  return prices;
}

/** Changes a showtime's prices. */
export function PricesForm({
  categories,
  currency,
  current,
  state,
  onSubmit,
}: {
  categories: SeatCategory[];
  currency: string;
  current: PriceFields[];
  state: ActionState;
  onSubmit: (prices: PriceFields[]) => void;
}) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(current.map((p) => [p.category, toMajorText(p.priceCents, currency)])),
  );
  const [invalid, setInvalid] = useState(false);
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const prices = readPrices(categories, currency, values);
    setInvalid(prices === null);
    if (prices) onSubmit(prices);
  };
  return (
    <form className="admin-form admin-inline-form" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h4 id={`${id}-h`}>{t.admin.showtimes.changePrices}</h4>
      <PriceInputs categories={categories} currency={currency} values={values} onChange={setValues} />
      {invalid && <p role="alert">{t.admin.showtimes.badPrice}</p>}
      {state.error ? <ErrorNotice error={state.error} /> : null}
      <div className="admin-actions">
        <button type="submit" disabled={state.busy}>
          {t.admin.showtimes.savePrices}
        </button>
      </div>
    </form>
  );
}
