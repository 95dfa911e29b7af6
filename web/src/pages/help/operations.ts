import { graphql } from '../../gql';

export const HelpArticlesQuery = graphql(`
  query HelpArticles {
    helpArticles(first: 100) {
      id
      category
      title
    }
  }
`);

export const SearchHelpQuery = graphql(`
  query SearchHelp($query: String!) {
    searchHelp(query: $query, first: 20) {
      id
      category
      title
      body
    }
  }
`);

export const HelpArticleQuery = graphql(`
  query HelpArticle($id: ID!) {
    helpArticle(id: $id) {
      id
      category
      title
      body
      updatedAt
    }
  }
`);

export const MyTicketsQuery = graphql(`
  query MyTickets {
    myTickets(first: 100) {
      id
      subject
      status
      bookingId
      createdAt
      updatedAt
    }
  }
`);

export const MyTicketQuery = graphql(`
  query MyTicket($id: ID!) {
    myTicket(id: $id) {
      id
      subject
      status
      bookingId
      createdAt
      messages {
        id
        fromStaff
        source
        body
        createdAt
      }
    }
  }
`);

export const ContactBookingsQuery = graphql(`
  query ContactBookings {
    myBookings {
      id
      status
      showtime {
        startsAt
        movie {
          title
        }
        event {
          title
        }
        theatre {
          timezone
        }
      }
    }
  }
`);

export const OpenTicketMutation = graphql(`
  mutation OpenTicket($input: OpenTicketInput!) {
    openTicket(input: $input) {
      id
    }
  }
`);

export const AddTicketMessageMutation = graphql(`
  mutation AddTicketMessage($ticketId: ID!, $body: String!) {
    addTicketMessage(ticketId: $ticketId, body: $body) {
      id
    }
  }
`);
