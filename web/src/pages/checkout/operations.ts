import { graphql } from '../../gql';

export const CheckoutBookingQuery = graphql(`
  query CheckoutPage($id: ID!) {
    paymentConfig {
      gateway
      publishableKey
    }
    booking(id: $id) {
      ...BookingPayment
      subtotalCents
      currency
      seats {
        ...PricedSeat
      }
      places {
        ...PricedPlaces
      }
      showtime {
        ...ShowtimeHeader
        theatre {
          city
        }
        screen {
          name
        }
      }
    }
  }
`);

export const CheckoutQuoteQuery = graphql(`
  query CheckoutQuote($bookingId: ID!, $promoCode: String, $giftCardCode: String) {
    checkoutQuote(bookingId: $bookingId, promoCode: $promoCode, giftCardCode: $giftCardCode) {
      subtotalCents
      discountCents
      feeCents
      totalCents
      currency
      promoCode
      promotionDescription
      giftCardCents
      cardCents
    }
  }
`);

export const GiftCardBalanceQuery = graphql(`
  query GiftCardBalance($code: String!) {
    giftCardBalance(code: $code) {
      balanceCents
      currency
      organisationName
      usable
      refusal
    }
  }
`);

export const CheckoutMutation = graphql(`
  mutation Checkout($bookingId: ID!, $input: CheckoutPaymentInput!) {
    checkout(bookingId: $bookingId, input: $input) {
      ...BookingPayment
    }
  }
`);

export const ConfirmCheckoutMutation = graphql(`
  mutation ConfirmCheckout($bookingId: ID!) {
    confirmCheckout(bookingId: $bookingId) {
      ...BookingPayment
    }
  }
`);

export const CheckoutStatusSubscription = graphql(`
  subscription CheckoutBookingStatus($bookingId: ID!) {
    bookingStatus(bookingId: $bookingId) {
      ...BookingStatusFields
    }
  }
`);
