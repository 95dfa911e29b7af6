import { useState, type FormEvent } from 'react';
import type { CheckoutQuoteQuery } from '../../gql/graphql';
import { t } from '../../i18n';

/** A promotion code, priced by the server before paying (the same rule the checkout applies). */
export function PromoCodeForm({
  quote,
  error,
  disabled,
  onApply,
  onRemove,
}: {
  quote: CheckoutQuoteQuery['checkoutQuote'] | null;
  error: string | null;
  disabled: boolean;
  onApply: (code: string) => Promise<void>;
  onRemove: () => Promise<void>;
}) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const applied = quote?.promoCode ?? null;

  const apply = async (e: FormEvent) => {
    e.preventDefault();
    if (!code.trim()) return;
    setBusy(true);
    await onApply(code.trim());
    setBusy(false);
  };

  return (
    <form className="promo-form" onSubmit={apply}>
      <label htmlFor="promo-code">{t.checkout.promo}</label>
      <div className="promo-row">
        <input
          id="promo-code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          disabled={disabled || busy}
          aria-invalid={error ? true : undefined}
          aria-describedby="promo-status"
        />
        <button type="submit" className="secondary" disabled={disabled || busy || !code.trim()}>
          {t.checkout.promoApply}
        </button>
      </div>
      <div id="promo-status" aria-live="polite">
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : applied ? (
          <p className="promo-applied">
            <span aria-hidden="true">✓ </span>
            {t.checkout.promoApplied(applied, quote?.promotionDescription ?? '')}{' '}
            <button
              type="button"
              className="link-button"
              disabled={disabled || busy}
              onClick={async () => {
                setBusy(true);
                await onRemove();
                setCode('');
                setBusy(false);
              }}
            >
              {t.checkout.promoRemove}
            </button>
          </p>
        ) : null}
      </div>
    </form>
  );
}
