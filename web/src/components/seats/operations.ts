import { graphql } from '../../gql';

/** The seat picker's conversation with the API, in one place for its components. */

export const SeatFields = graphql(`
  fragment SeatFields on ShowSeat {
    id
    row
    number
    category
    status
    priceCents
    x
    y
  }
`);

export const HeldBookingFields = graphql(`
  fragment HeldBookingFields on Booking {
    id
    status
    expiresAt
    totalCents
    currency
    seats {
      ...PricedSeat
    }
    places {
      ...PricedPlaces
    }
    showtime {
      id
    }
  }
`);

export const ShowtimeQuery = graphql(`
  query SeatPickerShowtime($id: ID!) {
    showtime(id: $id) {
      ...ShowtimeRow
      ...ShowtimeHeader
      status
      waitingRoom
      sections {
        ...SectionFields
      }
    }
  }
`);

export const SectionFields = graphql(`
  fragment SectionFields on VenueSection {
    id
    name
    kind
    capacity
    available
    priceMin
    priceMax
    map {
      x
      y
      width
      height
    }
  }
`);

/** The sections' availability, read again after the buyer's own hold and while live updates are down. */
export const SectionsQuery = graphql(`
  query SeatPickerSections($id: ID!) {
    showtime(id: $id) {
      id
      sections {
        ...SectionFields
      }
    }
  }
`);

/** The sections' availability, live: the overview again whenever a section's figures move. */
export const SectionUpdatesSubscription = graphql(`
  subscription SeatPickerSectionUpdates($id: ID!) {
    sectionUpdates(showtimeId: $id) {
      ...SectionFields
    }
  }
`);

/** The first read of a map (re-reads, when live updates stop, are `SeatMapQuery`). */
export const FirstSeatMapQuery = graphql(`
  query SeatPickerFirstSeats($id: ID!, $sectionId: ID) {
    showtime(id: $id) {
      id
      seatMap(sectionId: $sectionId) {
        seats {
          ...SeatFields
        }
      }
    }
  }
`);

export const SeatMapQuery = graphql(`
  query SeatPickerSeats($id: ID!, $sectionId: ID) {
    showtime(id: $id) {
      id
      seatMap(sectionId: $sectionId) {
        seats {
          ...SeatFields
        }
      }
    }
  }
`);

export const SeatMapUpdates = graphql(`
  subscription SeatPickerUpdates($showtimeId: ID!, $sectionId: ID) {
    seatMapUpdates(showtimeId: $showtimeId, sectionId: $sectionId) {
      snapshot {
        seats {
          ...SeatFields
        }
      }
      changes {
        seatId
        status
      }
    }
  }
`);

export const MyHeldBookings = graphql(`
  query SeatPickerMyBookings {
    myBookings {
      ...HeldBookingFields
    }
  }
`);

export const HoldSeats = graphql(`
  mutation SeatPickerHold($showtimeId: ID!, $seatIds: [ID!]!, $places: [GeneralAdmissionInput!]!, $key: String) {
    holdSeats(showtimeId: $showtimeId, seatIds: $seatIds, places: $places, idempotencyKey: $key) {
      ...HeldBookingFields
    }
  }
`);

export const HoldBest = graphql(`
  mutation SeatPickerHoldBest($showtimeId: ID!, $count: Int!, $category: SeatCategory, $key: String) {
    holdBestAvailable(showtimeId: $showtimeId, count: $count, category: $category, idempotencyKey: $key) {
      ...HeldBookingFields
    }
  }
`);

export const ReleaseHold = graphql(`
  mutation SeatPickerRelease($bookingId: ID!) {
    releaseHold(bookingId: $bookingId) {
      id
      status
    }
  }
`);

export const BookingStatusUpdates = graphql(`
  subscription SeatPickerBookingStatus($bookingId: ID!) {
    bookingStatus(bookingId: $bookingId) {
      ...BookingStatusFields
    }
  }
`);

export const WaitingRoomFields = graphql(`
  fragment WaitingRoomFields on WaitingRoomPlace {
    status
    position
    admittedUntil
    retryAfterMs
  }
`);

export const EnterWaitingRoom = graphql(`
  mutation SeatPickerEnterLine($showtimeId: ID!) {
    enterWaitingRoom(showtimeId: $showtimeId) {
      ...WaitingRoomFields
    }
  }
`);

export const LeaveWaitingRoom = graphql(`
  mutation SeatPickerLeaveLine($showtimeId: ID!) {
    leaveWaitingRoom(showtimeId: $showtimeId) {
      ...WaitingRoomFields
    }
  }
`);

export const WaitingRoomPlace = graphql(`
  query SeatPickerLine($showtimeId: ID!, $waitMs: Int!) {
    waitingRoom(showtimeId: $showtimeId, waitMs: $waitMs) {
      ...WaitingRoomFields
    }
  }
`);
