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
      seats {
        id
        row
        number
        category
      }
      tickets {
        code
        seatId
        row
        number
        status
        qrSvg
      }
      showtime {
        id
        startsAt
        status
        theatre {
          name
          address
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
      bookingId
      status
      expiresAt
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
        id
        startsAt
        theatre {
          name
          timezone
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
