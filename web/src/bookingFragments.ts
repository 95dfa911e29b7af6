import { graphql } from './gql';

/**
 * Selections that the booking, checkout, seat-picker and staff screens all ask for, so
 * that a field added for one of them is added once.
 */

export const ShowtimeHeaderFields = graphql(`
  fragment ShowtimeHeader on Showtime {
    id
    startsAt
    theatre {
      id
      name
      timezone
    }
    movie {
      id
      title
    }
    event {
      id
      title
    }
  }
`);

export const BookingPaymentFields = graphql(`
  fragment BookingPayment on Booking {
    id
    status
    expiresAt
    totalCents
    payment {
      status
      clientSecret
    }
  }
`);

export const PricedPlacesFields = graphql(`
  fragment PricedPlaces on BookedPlaces {
    sectionId
    label
    quantity
    category
    priceCents
  }
`);

export const PricedSeatFields = graphql(`
  fragment PricedSeat on BookedSeat {
    id
    section
    row
    number
    category
    priceCents
  }
`);

export const BookingStatusFields = graphql(`
  fragment BookingStatusFields on BookingStatusUpdate {
    bookingId
    status
    expiresAt
  }
`);
