import { useId } from 'react';
import { formatMoney } from '../../format';
import { t } from '../../i18n';
import type { Section } from './SectionOverview';

/** Places in one booking, as the server's own cap for seats (`max_seats_per_booking`). */
export const MAX_PLACES = 10;

interface Props {
  section: Section;
  currency: string;
  quantity: number;
  readOnly: boolean;
  onChange: (quantity: number) => void;
}

/**
 * A general-admission area: no seats to pick, only how many places. The number is part of
 * the buyer's choice, held with any seats chosen elsewhere in the venue as one booking.
 */
export function GeneralAdmission({ section, currency, quantity, readOnly, onChange }: Props) {
  const inputId = useId();
  const hintId = useId();
  const max = Math.min(MAX_PLACES, section.available);
  const price = section.priceMin == null ? t.sections.notOnSale : formatMoney(section.priceMin, currency);
  return (
    <div className="general-admission" data-testid="general-admission">
      <p>{t.sections.generalIntro}</p>
      <p>{t.sections.generalFigures(section.available, section.capacity, price)}</p>
      {section.available > 0 && (
        <p className="general-quantity">
          <label htmlFor={inputId}>{t.sections.quantity}</label>{' '}
          <input
            id={inputId}
            type="number"
            inputMode="numeric"
            min={0}
            max={max}
            value={quantity}
            disabled={readOnly}
            aria-describedby={hintId}
            onChange={(e) => {
              const n = Number.parseInt(e.target.value, 10);
              onChange(Number.isFinite(n) ? Math.max(0, Math.min(max, n)) : 0);
            }}
          />{' '}
          <span id={hintId} className="muted">
            {t.sections.quantityHint(max)}
          </span>
        </p>
      )}
    </div>
  );
}
