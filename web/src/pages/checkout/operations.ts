import { graphql } from '../../gql';

export const CheckoutBookingQuery = graphql(`
  query CheckoutPage($id: ID!) {
    paymentConfig {
      gateway
      publishableKey
    }
    booking(id: $id) {
      id
      status
      expiresAt
      subtotalCents
      totalCents
      currency
      seats {
        id
        row
        number
        category
        priceCents
      }
      payment {
        status
        clientSecret
      }
      showtime {
        id
        startsAt
        theatre {
          name
          city
          timezone
        }
        screen {
          name
        }
        movie {
          title
        }
        event {
          title
        }
      }
    }
  }
`);

export const CheckoutQuoteQuery = graphql(`
  query CheckoutQuote($bookingId: ID!, $promoCode: String) {
    checkoutQuote(bookingId: $bookingId, promoCode: $promoCode) {
      subtotalCents
      discountCents
      feeCents
      totalCents
      currency
      promoCode
      promotionDescription
    }
  }
`);

export const CheckoutMutation = graphql(`
  mutation Checkout($bookingId: ID!, $input: CheckoutPaymentInput!) {
    checkout(bookingId: $bookingId, input: $input) {
      id
      status
      expiresAt
      totalCents
      payment {
        status
        clientSecret
      }
    }
  }
`);

export const ConfirmCheckoutMutation = graphql(`
  mutation ConfirmCheckout($bookingId: ID!) {
    confirmCheckout(bookingId: $bookingId) {
      id
      status
      expiresAt
      totalCents
      payment {
        status
        clientSecret
      }
    }
  }
`);

export const CheckoutStatusSubscription = graphql(`
  subscription CheckoutBookingStatus($bookingId: ID!) {
    bookingStatus(bookingId: $bookingId) {
      bookingId
      status
      expiresAt
    }
  }
`);
