import { graphql } from '../../gql';

/** The waitlist's conversation with the API, shared by the seat picker and the account page. */

export const WaitlistEntryFields = graphql(`
  fragment WaitlistEntryFields on WaitlistEntry {
    id
    showtimeId
    seats
    status
    position
    offerBookingId
    offerExpiresAt
    createdAt
  }
`);

export const MyWaitlistQuery = graphql(`
  query MyWaitlist {
    myWaitlist {
      ...WaitlistEntryFields
    }
  }
`);

export const WaitlistEntryQuery = graphql(`
  query WaitlistEntry($id: ID!) {
    waitlistEntry(id: $id) {
      ...WaitlistEntryFields
    }
  }
`);

export const JoinWaitlistMutation = graphql(`
  mutation JoinWaitlist($showtimeId: ID!, $seats: Int!) {
    joinWaitlist(showtimeId: $showtimeId, seats: $seats) {
      ...WaitlistEntryFields
    }
  }
`);

export const LeaveWaitlistMutation = graphql(`
  mutation LeaveWaitlist($entryId: ID!) {
    leaveWaitlist(entryId: $entryId) {
      ...WaitlistEntryFields
    }
  }
`);

export const OfferStatusSubscription = graphql(`
  subscription WaitlistOfferStatus($bookingId: ID!) {
    bookingStatus(bookingId: $bookingId) {
      ...BookingStatusFields
    }
  }
`);
