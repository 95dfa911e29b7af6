import { useId, useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatMoney } from '../format';
import type { SeatCategory } from '../gql/graphql';
import { t } from '../i18n';
import { PriceInputs, readPrices } from './PricesForm';
import { SetSectionPrices, ShowtimeSections } from './showtimeQueries';
import { useAction } from './useAction';

/**
 * Prices of one section of a venue at a showtime (an arena's lower bowl dearer than its
 * balcony): staff pick the section, see its price range now, and set its own prices or
 * give it the showtime's back.
 */
export function SectionPricesForm({
  showtimeId,
  categories,
  currency,
  onSaved,
}: {
  showtimeId: string;
  categories: SeatCategory[];
  currency: string;
  onSaved: (message: string) => void;
}) {
  const sections = useQuery(ShowtimeSections, { id: showtimeId });
  const list = sections.data?.showtime?.sections ?? [];
  const [chosen, setChosen] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [invalid, setInvalid] = useState(false);
  const id = useId();
  const section = list.find((s) => s.id === chosen) ?? list[0];
  const [save, state] = useAction((prices: { category: SeatCategory; priceCents: number }[]) =>
    request(SetSectionPrices, { showtimeId, sectionId: section?.id ?? '', prices }),
  );

  if (sections.status === 'error') return <ErrorNotice error={sections.error} onRetry={sections.retry} />;
  if (!sections.data) return <p role="status">{t.loading}</p>;
  if (list.length < 2 || !section) return <p className="admin-help">{t.admin.showtimes.oneSection}</p>;

  const range =
    section.priceMin == null
      ? t.admin.showtimes.unpriced
      : section.priceMin === section.priceMax
        ? formatMoney(section.priceMin, currency)
        : `${formatMoney(section.priceMin, currency)}–${formatMoney(section.priceMax ?? section.priceMin, currency)}`;
  const done = async (prices: { category: SeatCategory; priceCents: number }[]) => {
    const saved = await save(prices);
    if (saved) {
      sections.retry();
      onSaved(prices.length ? t.admin.showtimes.sectionPricesSaved(section.name) : t.admin.showtimes.sectionPricesCleared(section.name));
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const prices = readPrices(categories, currency, values);
    setInvalid(prices === null);
    if (prices) void done(prices);
  };
  return (
    <form className="admin-form admin-inline-form" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h4 id={`${id}-h`}>{t.admin.showtimes.sectionPrices}</h4>
      <label>
        {t.admin.showtimes.section}
        <select value={section.id} onChange={(e) => setChosen(e.target.value)}>
          {list.map((s) => (
            <option key={s.id} value={s.id}>
              {s.kind === 'GENERAL' ? t.admin.showtimes.standingSection(s.name) : s.name}
            </option>
          ))}
        </select>
      </label>
      <p className="muted" aria-live="polite">
        {t.admin.showtimes.sectionRange(section.name, range)}
      </p>
      <PriceInputs categories={categories} currency={currency} values={values} onChange={setValues} />
      {invalid && <p role="alert">{t.admin.showtimes.badPrice}</p>}
      {state.error ? <ErrorNotice error={state.error} /> : null}
      <div className="admin-actions">
        <button type="submit" disabled={state.busy}>
          {t.admin.showtimes.saveSectionPrices}
        </button>
        <button type="button" disabled={state.busy} onClick={() => void done([])}>
          {t.admin.showtimes.useShowtimePrices}
        </button>
      </div>
    </form>
  );
}
