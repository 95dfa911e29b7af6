import { formatDay, formatMoney, formatTime, zoneName } from '../../format';
import type { CheckoutPageQuery, CheckoutQuoteQuery } from '../../gql/graphql';
import { t } from '../../i18n';

type Booking = NonNullable<CheckoutPageQuery['booking']>;

/** What is being bought and what it costs, fee and discount included, before paying. */
export function OrderSummary({ booking, quote }: { booking: Booking; quote: CheckoutQuoteQuery['checkoutQuote'] | null }) {
  const s = booking.showtime;
  const title = s?.movie?.title ?? s?.event?.title ?? '';
  const zone = s?.theatre?.timezone ?? 'UTC';
  const money = (cents: number) => formatMoney(cents, booking.currency);
  return (
    <section className="checkout-summary" aria-labelledby="summary-heading">
      <h2 id="summary-heading">{t.checkout.summary}</h2>
      {s && (
        <p className="checkout-show">
          <strong>{title}</strong>
          <br />
          {formatDay(s.startsAt, zone)}, {formatTime(s.startsAt, zone)} {zoneName(s.startsAt, zone)}
          <br />
          {[s.theatre?.name, s.theatre?.city, s.screen?.name].filter(Boolean).join(' · ')}
        </p>
      )}
      <h3>{t.checkout.seats}</h3>
      <ul className="checkout-seats">
        {booking.seats.map((seat) => (
          <li key={seat.id}>
            <span>
              {t.checkout.seat(seat.row, seat.number)}{' '}
              <span className="muted">({t.seatCategory[seat.category] ?? seat.category})</span>
            </span>
            <span>{money(seat.priceCents)}</span>
          </li>
        ))}
        {booking.places.map((p) => (
          <li key={p.sectionId}>
            <span>
              {t.sections.placesOf(p.label, p.quantity)}{' '}
              <span className="muted">({t.seatCategory[p.category] ?? p.category})</span>
            </span>
            <span>{money(p.priceCents * p.quantity)}</span>
          </li>
        ))}
      </ul>
      <dl className="checkout-totals" aria-live="polite" data-testid="checkout-totals">
        <div>
          <dt>{t.checkout.subtotal}</dt>
          <dd>{money(quote?.subtotalCents ?? booking.subtotalCents)}</dd>
        </div>
        {quote && quote.feeCents > 0 && (
          <div>
            <dt>{t.checkout.fee(booking.seats.length)}</dt>
            <dd>{money(quote.feeCents)}</dd>
          </div>
        )}
        {quote?.promoCode && (
          <div>
            <dt>{t.checkout.discount(quote.promoCode)}</dt>
            <dd>−{money(quote.discountCents)}</dd>
          </div>
        )}
        <div className="checkout-total">
          <dt>{t.checkout.total}</dt>
          <dd data-testid="checkout-total">{quote ? money(quote.totalCents) : t.loading}</dd>
        </div>
        {quote && quote.giftCardCents > 0 && (
          <>
            <div>
              <dt>{t.giftCard.pays}</dt>
              <dd data-testid="gift-card-part">−{money(quote.giftCardCents)}</dd>
            </div>
            <div className="checkout-total">
              <dt>{t.giftCard.rest}</dt>
              <dd data-testid="card-part">{money(quote.cardCents)}</dd>
            </div>
          </>
        )}
      </dl>
    </section>
  );
}
