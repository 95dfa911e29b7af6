import { useState, type FormEvent } from 'react';
import { request } from '../../api/client';
import { ApiError, describeError } from '../../api/errors';
import { formatMoney } from '../../format';
import type { CheckoutQuoteQuery } from '../../gql/graphql';
import { t } from '../../i18n';
import { GiftCardBalanceQuery } from './operations';

/** Words for a gift card the API refused, by its `extensions.reason` (or code). */
export function describeGiftCardError(err: unknown): string {
  if (err instanceof ApiError) {
    const reason = err.errors[0]?.extensions?.reason;
    if (typeof reason === 'string' && t.giftCard.errors[reason]) return t.giftCard.errors[reason];
    if (err.code === 'NOT_FOUND') return t.giftCard.errors.UNKNOWN ?? '';
    if (err.code === 'BAD_USER_INPUT') return t.giftCard.errors.MALFORMED ?? '';
    if (err.code === 'CONFLICT') return t.giftCard.errors.CHANGED ?? '';
  }
  return describeError(err);
}

/** Whether the API refused the request because of its gift card code. */
export function isGiftCardError(err: unknown): err is ApiError {
  return err instanceof ApiError && err.errors[0]?.extensions?.field === 'giftCardCode';
}

/**
 * A gift card code: its balance checked first (`giftCardBalance`), then applied to the
 * quote, which splits the total into what the card pays and what is left to pay.
 */
export function GiftCardForm({
  quote,
  applied,
  error,
  disabled,
  onApply,
  onRemove,
}: {
  quote: CheckoutQuoteQuery['checkoutQuote'] | null;
  applied: string | null;
  error: string | null;
  disabled: boolean;
  onApply: (code: string) => Promise<void>;
  onRemove: () => Promise<void>;
}) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [checkError, setCheckError] = useState<string | null>(null);
  const [balance, setBalance] = useState<{ cents: number; currency: string; organisation: string } | null>(null);
  const shown = error ?? checkError;

  const apply = async (e: FormEvent) => {
    e.preventDefault();
    const typed = code.trim();
    if (!typed) return;
    setBusy(true);
    setCheckError(null);
    try {
      const { giftCardBalance: b } = await request(GiftCardBalanceQuery, { code: typed });
      if (!b.usable) {
        setBalance(null);
        setCheckError(t.giftCard.errors[b.refusal ?? ''] ?? t.giftCard.errors.GIFT_CARD_EMPTY ?? '');
      } else {
        setBalance({ cents: b.balanceCents, currency: b.currency, organisation: b.organisationName });
        await onApply(typed);
      }
    } catch (err) {
      setBalance(null);
      setCheckError(describeGiftCardError(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    await onRemove();
    setCode('');
    setBalance(null);
    setCheckError(null);
    setBusy(false);
  };

  return (
    <form className="promo-form gift-card-form" onSubmit={apply}>
      <label htmlFor="gift-card-code">{t.giftCard.label}</label>
      <div className="promo-row">
        <input
          id="gift-card-code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="XXXX-XXXX-XXXX-XXXX"
          disabled={disabled || busy || applied !== null}
          aria-invalid={shown ? true : undefined}
          aria-describedby="gift-card-status"
        />
        <button type="submit" className="secondary" disabled={disabled || busy || !code.trim() || applied !== null}>
          {t.giftCard.apply}
        </button>
      </div>
      <div id="gift-card-status" aria-live="polite" data-testid="gift-card-status">
        {shown ? (
          <p className="form-error" role="alert">
            {shown}
          </p>
        ) : applied && quote ? (
          <p className="promo-applied">
            <span aria-hidden="true">✓ </span>
            {t.giftCard.applied(
              formatMoney(quote.giftCardCents, quote.currency),
              balance ? formatMoney(balance.cents, balance.currency) : null,
              formatMoney(quote.cardCents, quote.currency),
            )}{' '}
            <button type="button" className="link-button" disabled={disabled || busy} onClick={remove}>
              {t.giftCard.remove}
            </button>
          </p>
        ) : null}
      </div>
    </form>
  );
}
