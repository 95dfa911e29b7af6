import { useCallback, useEffect, useRef, useState } from 'react';
import { request } from '../../api/client';
import { ApiError, describeError } from '../../api/errors';
import { subscribe } from '../../api/live';
import { useQuery } from '../../api/useQuery';
import { ErrorNotice } from '../../components/ErrorNotice';
import { HoldCountdown } from '../../components/HoldCountdown';
import { RequireSignIn } from '../../components/RequireSignIn';
import { formatMoney } from '../../format';
import type { CheckoutMutation, CheckoutPageQuery, CheckoutQuoteQuery } from '../../gql/graphql';
import { t } from '../../i18n';
import { Link, navigate, paths } from '../../router';
import { AuthenticationStep } from './AuthenticationStep';
import { describeGiftCardError, GiftCardForm, isGiftCardError } from './GiftCardForm';
import { OrderSummary } from './OrderSummary';
import { PaymentForm, type PaymentMethodSource } from './PaymentForm';
import { PromoCodeForm } from './PromoCodeForm';
import {
  CheckoutBookingQuery,
  CheckoutMutation as CheckoutDocument,
  CheckoutQuoteQuery as QuoteDocument,
  CheckoutStatusSubscription,
} from './operations';
import './checkout.css';

type Booking = NonNullable<CheckoutPageQuery['booking']>;
export type Quote = CheckoutQuoteQuery['checkoutQuote'];
export type PaymentResult = CheckoutMutation['checkout'];

export type Phase =
  | { name: 'form' }
  | { name: 'paying' }
  | { name: 'authenticate'; clientSecret: string }
  | { name: 'pending' }
  | { name: 'failed'; why: 'declined' | 'authentication' }
  | { name: 'expired' }
  | { name: 'closed' };

/** Where a booking's state leaves the checkout. */
function phaseOf(status: string, payment: PaymentResult['payment'], previous?: Phase): Phase {
  switch (status) {
    case 'HELD':
      return { name: 'form' };
    case 'PAYMENT_PENDING':
      return payment?.status === 'REQUIRES_ACTION' && payment.clientSecret
        ? { name: 'authenticate', clientSecret: payment.clientSecret }
        : { name: 'pending' };
    case 'PAYMENT_FAILED':
      return { name: 'failed', why: previous?.name === 'authenticate' ? 'authentication' : 'declined' };
    case 'EXPIRED':
      return { name: 'expired' };
    default:
      return { name: 'closed' };
  }
}

export default function CheckoutScreen({ bookingId }: { bookingId: string }) {
  return <RequireSignIn>{() => <Checkout bookingId={bookingId} />}</RequireSignIn>;
}

function Checkout({ bookingId }: { bookingId: string }) {
  const loaded = useQuery(CheckoutBookingQuery, { id: bookingId });
  if (loaded.status === 'error' && !loaded.data) return <ErrorNotice error={loaded.error} onRetry={loaded.retry} />;
  if (!loaded.data) return <p aria-busy="true">{t.loading}</p>;
  const booking = loaded.data.booking;
  if (!booking) {
    return (
      <section>
        <h1>{t.checkout.title}</h1>
        <p>{t.checkout.notFound}</p>
      </section>
    );
  }
  return <CheckoutForm booking={booking} config={loaded.data.paymentConfig} />;
}

function CheckoutForm({ booking, config }: { booking: Booking; config: CheckoutPageQuery['paymentConfig'] }) {
  const id = booking.id;
  const [phase, setPhaseState] = useState<Phase>(() => phaseOf(booking.status, booking.payment));
  const phaseRef = useRef(phase);
  const setPhase = useCallback((next: Phase) => {
    phaseRef.current = next;
    setPhaseState(next);
  }, []);
  const [expiresAt, setExpiresAt] = useState(booking.expiresAt);
  const [quote, setQuote] = useState<Quote | null>(null);
  const [quoteError, setQuoteError] = useState<unknown>(null);
  const [payError, setPayError] = useState<string | null>(null);
  const [promoError, setPromoError] = useState<string | null>(null);
  const [giftCard, setGiftCard] = useState<string | null>(null);
  const [giftError, setGiftError] = useState<string | null>(null);
  const showtimeId = booking.showtime?.id ?? null;

  const done = useCallback(() => navigate(paths.booking(id), { replace: true }), [id]);

  /** Moves on from a booking's new state, whoever reported it. */
  const settle = useCallback(
    (status: string, payment: PaymentResult['payment'], expires?: string | null) => {
      if (expires) setExpiresAt(expires);
      if (status === 'CONFIRMED') {
        done();
        return;
      }
      const current = phaseRef.current;
      // A pending payment's live update must not hide the authentication step it awaits.
      if (status === 'PAYMENT_PENDING' && current.name === 'authenticate' && !payment) return;
      // Failed, lapsed and closed are final: a late message of an earlier state is stale.
      if (current.name === 'failed' || current.name === 'expired' || current.name === 'closed') return;
      setPhase(phaseOf(status, payment, current));
    },
    [done, setPhase],
  );

  useEffect(() => {
    if (booking.status === 'CONFIRMED') done();
  }, [booking.status, done]);

  // The booking's status, live: a payment settled by the gateway's webhook or the
  // background check, or a hold that lapsed, shows here without reloading.
  useEffect(
    () =>
      subscribe(
        CheckoutStatusSubscription,
        { bookingId: id },
        ({ bookingStatus }) => {
          const current = phaseRef.current.name;
          if (current === 'paying') return;
          if (bookingStatus.status === 'HELD' && current !== 'form') return;
          settle(bookingStatus.status, null, bookingStatus.expiresAt);
        },
        () => {},
      ),
    [id, settle],
  );

  /**
   * Prices the booking with a promotion code and a gift card code; false when refused. A
   * gift card that cannot pay is told and the booking priced again without it, so that
   * nothing shown or paid counts on it.
   */
  const loadQuote = useCallback(
    async (code: string | null, gift: string | null): Promise<boolean> => {
      let card = gift;
      for (;;) {
        try {
          const { checkoutQuote } = await request(QuoteDocument, { bookingId: id, promoCode: code, giftCardCode: card });
          setQuote(checkoutQuote);
          setGiftCard(card);
          setQuoteError(null);
          return card === gift;
        } catch (err) {
          if (card && isGiftCardError(err)) {
            setGiftError(describeGiftCardError(err));
            card = null;
            continue;
          }
          if (err instanceof ApiError && err.code === 'HOLD_EXPIRED') setPhase({ name: 'expired' });
          else if (code && isPromoError(err)) setPromoError(describePromoError(err));
          else setQuoteError(err);
          return false;
        }
      }
    },
    [id, setPhase],
  );

  useEffect(() => {
    if (phase.name === 'form' && !quote) void loadQuote(null, null);
  }, [phase.name, quote, loadQuote]);

  const pay = async (source: PaymentMethodSource) => {
    if (!quote) return;
    setPayError(null);
    setPhase({ name: 'paying' });
    let paymentMethod: string;
    try {
      paymentMethod = await source();
    } catch (err) {
      setPayError(err instanceof Error && err.message ? err.message : describeError(err));
      setPhase({ name: 'form' });
      return;
    }
    try {
      const { checkout } = await request(CheckoutDocument, {
        bookingId: id,
        input: { paymentMethod, promoCode: quote.promoCode, giftCardCode: giftCard },
      });
      settle(checkout.status, checkout.payment, checkout.expiresAt);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'HOLD_EXPIRED') {
        setPhase({ name: 'expired' });
        return;
      }
      setPhase({ name: 'form' });
      if (isPromoError(err)) {
        // The code was taken meanwhile: show the price without it before trying again.
        setPromoError(describePromoError(err));
        void loadQuote(null, giftCard);
      } else if (isGiftCardError(err)) {
        // The card was disabled or emptied meanwhile: show the price without it.
        setGiftError(describeGiftCardError(err));
        void loadQuote(quote.promoCode ?? null, null);
      } else {
        setPayError(describeError(err));
        // Another checkout may have spent the card meanwhile (CONFLICT): pricing it again tells.
        if (giftCard) void loadQuote(quote.promoCode ?? null, giftCard);
      }
    }
  };

  const holding = phase.name === 'form' || phase.name === 'paying' || phase.name === 'authenticate' || phase.name === 'pending';
  const amount = quote ? formatMoney(quote.cardCents, quote.currency) : formatMoney(booking.totalCents, booking.currency);
  const coveredByGiftCard = quote !== null && giftCard !== null && quote.cardCents === 0;

  return (
    <section className="checkout" aria-labelledby="checkout-heading">
      <h1 id="checkout-heading">{t.checkout.title}</h1>
      {holding && (
        <HoldCountdown
          expiresAt={expiresAt}
          onExpired={() => {
            if (phaseRef.current.name === 'form') setPhase({ name: 'expired' });
          }}
        />
      )}
      <div className="checkout-grid">
        <OrderSummary booking={booking} quote={quote} />
        <div className="checkout-pay">
          {phase.name === 'form' || phase.name === 'paying' ? (
            <>
              <PromoCodeForm
                quote={quote}
                error={promoError}
                disabled={phase.name === 'paying'}
                onApply={async (code) => {
                  setPromoError(null);
                  await loadQuote(code, giftCard);
                }}
                onRemove={async () => {
                  setPromoError(null);
                  await loadQuote(null, giftCard);
                }}
              />
              <GiftCardForm
                quote={quote}
                applied={giftCard}
                error={giftError}
                disabled={phase.name === 'paying'}
                onApply={async (code) => {
                  setGiftError(null);
                  await loadQuote(quote?.promoCode ?? null, code);
                }}
                onRemove={async () => {
                  setGiftError(null);
                  await loadQuote(quote?.promoCode ?? null, null);
                }}
              />
              {quoteError ? <ErrorNotice error={quoteError} onRetry={() => void loadQuote(null, null)} /> : null}
              <PaymentForm
                config={config}
                amount={amount}
                ready={quote !== null}
                coveredByGiftCard={coveredByGiftCard}
                paying={phase.name === 'paying'}
                error={payError}
                onPay={pay}
              />
            </>
          ) : (
            <Outcome phase={phase} showtimeId={showtimeId} bookingId={id} />
          )}
        </div>
      </div>
      {phase.name === 'authenticate' && (
        <AuthenticationStep
          bookingId={id}
          clientSecret={phase.clientSecret}
          config={config}
          amount={amount}
          onSettled={(b) => settle(b.status, b.payment, b.expiresAt)}
        />
      )}
    </section>
  );
}

function Outcome({ phase, showtimeId, bookingId }: { phase: Phase; showtimeId: string | null; bookingId: string }) {
  const again = showtimeId && (
    <p>
      <Link href={paths.showtime(showtimeId)}>{t.checkout.chooseAgain}</Link>
    </p>
  );
  switch (phase.name) {
    case 'pending':
    case 'authenticate':
      return (
        <p className="notice" role="status">
          {t.checkout.pending}
        </p>
      );
    case 'failed':
      return (
        <div className="notice notice-error checkout-outcome" role="alert">
          <p>{phase.why === 'authentication' ? t.checkout.authFailed : t.checkout.declined}</p>
          {again}
        </div>
      );
    case 'expired':
      return (
        <div className="notice notice-error checkout-outcome" role="alert">
          <p>{t.checkout.expired}</p>
          {again}
        </div>
      );
    default:
      return (
        <div className="notice checkout-outcome" role="status">
          <p>{t.checkout.notPayable}</p>
          <p>
            <Link href={paths.booking(bookingId)}>{t.checkout.viewBooking}</Link>
          </p>
        </div>
      );
  }
}

function isPromoError(err: unknown): err is ApiError {
  return err instanceof ApiError && err.code === 'BAD_USER_INPUT' && err.errors[0]?.extensions?.field === 'promoCode';
}

function describePromoError(err: ApiError): string {
  const reason = err.errors[0]?.extensions?.reason;
  return (typeof reason === 'string' && t.checkout.promoErrors[reason]) || t.checkout.promoErrors.PROMO_UNKNOWN || '';
}
