import { graphql } from '../gql';

export const AdminShowtimes = graphql(`
  query AdminShowtimes($theatreId: ID, $movieId: ID, $eventId: ID, $includeCancelled: Boolean!) {
    showtimes(
      theatreId: $theatreId
      movieId: $movieId
      eventId: $eventId
      includeCancelled: $includeCancelled
      first: 50
    ) {
      ...ShowtimeHeader
      onSaleAt
      status
      waitingRoom
      currency
      screen {
        id
        name
        categories
      }
      prices {
        category
        priceCents
      }
    }
  }
`);

/** Who a move or a cancellation would touch, read just before asking. */
export const ShowtimeBookings = graphql(`
  query AdminShowtimeBookings($id: ID!) {
    showtime(id: $id) {
      id
      bookings {
        confirmed
        paymentPending
        held
        tickets
      }
    }
  }
`);

export const MoveShowtime = graphql(`
  mutation AdminMoveShowtime($id: ID!, $input: UpdateShowtimeInput!) {
    updateShowtime(id: $id, input: $input) {
      id
      startsAt
      status
      screen {
        id
        name
      }
    }
  }
`);

export const CancelShowtime = graphql(`
  mutation AdminCancelShowtime($id: ID!) {
    cancelShowtime(id: $id) {
      id
      status
    }
  }
`);

export const SetPrices = graphql(`
  mutation AdminSetPrices($showtimeId: ID!, $prices: [PriceInput!]!) {
    setPrices(showtimeId: $showtimeId, prices: $prices) {
      category
      priceCents
    }
  }
`);

export const CreateShowtime = graphql(`
  mutation AdminCreateShowtime($input: CreateShowtimeInput!) {
    createShowtime(input: $input) {
      id
      startsAt
    }
  }
`);

export const ShowtimeChoices = graphql(`
  query AdminShowtimeChoices {
    theatres {
      id
      name
      timezone
      screens {
        id
        name
        categories
      }
    }
    movies(first: 100) {
      nodes {
        id
        title
      }
    }
    events(first: 100) {
      nodes {
        id
        title
      }
    }
  }
`);

/** A showtime's sections with their price ranges, for pricing one of them. */
export const ShowtimeSections = graphql(`
  query AdminShowtimeSections($id: ID!) {
    showtime(id: $id) {
      id
      sections {
        id
        name
        kind
        capacity
        priceMin
        priceMax
      }
    }
  }
`);

export const SetSectionPrices = graphql(`
  mutation AdminSetSectionPrices($showtimeId: ID!, $sectionId: ID!, $prices: [PriceInput!]!) {
    setSectionPrices(showtimeId: $showtimeId, sectionId: $sectionId, prices: $prices) {
      category
      priceCents
    }
  }
`);
