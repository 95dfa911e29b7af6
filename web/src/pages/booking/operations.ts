import { graphql } from '../../gql';

export const BookingPageQuery = graphql(`
  query BookingPage($id: ID!) {
    booking(id: $id) {
      id
      status
      expiresAt
      subtotalCents
      totalCents
      currency
      createdAt
      payment {
        cardCents
        giftCardCents
      }
      seats {
        id
        row
        number
        category
      }
      tickets {
        code
        seatId
        label
        row
        number
        status
        qrSvg
      }
      showtime {
        ...ShowtimeHeader
        status
        theatre {
          address
          city
        }
        screen {
          name
        }
      }
      cancellation {
        allowed
        refundCents
        refundShare
        reason
        fullRefundUntil
        partialRefundUntil
      }
    }
  }
`);

export const CancelBookingMutation = graphql(`
  mutation CancelBooking($bookingId: ID!) {
    cancelBooking(bookingId: $bookingId) {
      id
      status
    }
  }
`);

export const BookingStatusSubscription = graphql(`
  subscription BookingPageStatus($bookingId: ID!) {
    bookingStatus(bookingId: $bookingId) {
      ...BookingStatusFields
    }
  }
`);

export const MyBookingsQuery = graphql(`
  query MyBookings {
    myBookings {
      id
      status
      totalCents
      currency
      createdAt
      seats {
        id
      }
      showtime {
        ...ShowtimeHeader
      }
    }
  }
`);
