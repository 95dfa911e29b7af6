import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CheckoutPageQuery } from '../../gql/graphql';
import { t } from '../../i18n';
import { loadStripe, type StripeCardElement, type StripeClient } from './stripe';

const GIFT_CARD_ONLY = 'gift_card_only';

/** Gives the payment method id to charge, or throws with words for the buyer. */
export type PaymentMethodSource = () => Promise<string>;

// Stripe's test payment methods, which the embedded gateway honours.
const TEST_METHODS = [
  'pm_card_visa',
  'pm_card_mastercard',
  'pm_card_threeDSecure2Required',
  'pm_card_chargeDeclined',
  'pm_card_chargeDeclinedInsufficientFunds',
];

export function PaymentForm({
  config,
  amount,
  ready,
  coveredByGiftCard = false,
  paying,
  error,
  onPay,
}: {
  config: CheckoutPageQuery['paymentConfig'];
  amount: string;
  ready: boolean;
  /** A gift card pays the whole total: nothing is charged, so no card is asked for. */
  coveredByGiftCard?: boolean;
  paying: boolean;
  error: string | null;
  onPay: (source: PaymentMethodSource) => void;
}) {
  const [method, setMethod] = useState(TEST_METHODS[0] ?? 'pm_card_visa');
  const card = useRef<{ stripe: StripeClient; element: StripeCardElement } | null>(null);
  const stripe = config.gateway === 'stripe';
  const [cardState, setCardState] = useState<'loading' | 'ready' | 'failed'>('loading');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (coveredByGiftCard) {
      // The server charges nothing when the gift card covers the total; the method is unused.
      onPay(async () => GIFT_CARD_ONLY);
      return;
    }
    if (!stripe) {
      onPay(async () => method);
      return;
    }
    onPay(async () => {
      const c = card.current;
      if (!c) throw new Error(t.checkout.cardUnavailable);
      const { paymentMethod, error: cardError } = await c.stripe.createPaymentMethod({ type: 'card', card: c.element });
      if (!paymentMethod) throw new Error(cardError?.message ?? t.checkout.cardUnavailable);
      return paymentMethod.id;
    });
  };

  return (
    <form className="payment-form" onSubmit={submit} aria-labelledby="payment-heading">
      <h2 id="payment-heading">{t.checkout.payment}</h2>
      {coveredByGiftCard ? (
        <p className="notice" data-testid="gift-card-covers">
          {t.giftCard.coversAll}
        </p>
      ) : stripe ? (
        <StripeCard
          publishableKey={config.publishableKey}
          onReady={(c) => {
            card.current = c;
            setCardState(c ? 'ready' : 'failed');
          }}
          state={cardState}
        />
      ) : (
        <fieldset className="payment-methods">
          <legend>{t.checkout.method}</legend>
          <p className="field-hint">{t.checkout.methodHint}</p>
          {TEST_METHODS.map((pm) => (
            <label key={pm} className="payment-method">
              <input
                type="radio"
                name="payment-method"
                value={pm}
                checked={method === pm}
                onChange={() => setMethod(pm)}
                disabled={paying}
              />
              {t.checkout.methods[pm] ?? pm}
            </label>
          ))}
        </fieldset>
      )}
      <div role="alert">{error && <p className="form-error">{error}</p>}</div>
      <button
        type="submit"
        className="pay-button"
        disabled={!ready || paying || (stripe && !coveredByGiftCard && cardState !== 'ready')}
      >
        {paying ? t.checkout.paying : coveredByGiftCard ? t.giftCard.confirm : t.checkout.pay(amount)}
      </button>
    </form>
  );
}

/** Stripe's card Element, mounted once Stripe.js has loaded. */
function StripeCard({
  publishableKey,
  onReady,
  state,
}: {
  publishableKey: string | null;
  onReady: (card: { stripe: StripeClient; element: StripeCardElement } | null) => void;
  state: 'loading' | 'ready' | 'failed';
}) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!publishableKey) {
      onReady(null);
      return;
    }
    let element: StripeCardElement | null = null;
    let active = true;
    loadStripe(publishableKey).then(
      (stripe) => {
        if (!active || !target.current) return;
        element = stripe.elements().create('card');
        element.mount(target.current);
        onReady({ stripe, element });
      },
      () => active && onReady(null),
    );
    return () => {
      active = false;
      element?.destroy();
    };
    // onReady is a fresh function each render; the card is mounted once per key.
  }, [publishableKey]);
  return (
    <div className="field">
      <span id="card-label" className="field-label">
        {t.checkout.card}
      </span>
      <div ref={target} className="stripe-card" role="group" aria-labelledby="card-label" />
      {state === 'loading' && <p className="field-hint">{t.checkout.cardLoading}</p>}
      {state === 'failed' && (
        <p className="form-error" role="alert">
          {t.checkout.cardUnavailable}
        </p>
      )}
    </div>
  );
}
