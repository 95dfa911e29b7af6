import { graphql } from '../../gql';

export const SupportQueueQuery = graphql(`
  query AdminSupportQueue($filter: SupportQueueFilter) {
    supportQueue(filter: $filter, first: 200) {
      id
      subject
      status
      organisationId
      assigneeId
      bookingId
      createdAt
      firstResponseSeconds
      overdue
    }
  }
`);

export const SupportTicketQuery = graphql(`
  query AdminSupportTicket($id: ID!) {
    supportTicket(id: $id) {
      id
      subject
      status
      organisationId
      assigneeId
      bookingId
      createdAt
      firstResponseAt
      firstResponseSeconds
      resolvedAt
      closedAt
      overdue
      messages {
        id
        authorId
        fromStaff
        internal
        source
        body
        refundId
        createdAt
      }
      booking {
        id
        status
        totalCents
        currency
        createdAt
        seats {
          id
          row
          number
        }
        showtime {
          startsAt
          movie {
            title
          }
          event {
            title
          }
          theatre {
            name
            timezone
          }
          screen {
            name
          }
        }
      }
    }
  }
`);

export const TicketMembersQuery = graphql(`
  query AdminTicketMembers($id: ID!) {
    organisation(id: $id) {
      id
      members {
        userId
        name
      }
    }
  }
`);

export const ReplyToTicket = graphql(`
  mutation AdminReplyToTicket($id: ID!, $body: String!) {
    replyToTicket(ticketId: $id, body: $body) {
      id
    }
  }
`);

export const AddTicketNote = graphql(`
  mutation AdminAddTicketNote($id: ID!, $body: String!) {
    addTicketNote(ticketId: $id, body: $body) {
      id
    }
  }
`);

export const AssignTicket = graphql(`
  mutation AdminAssignTicket($id: ID!, $assignee: ID) {
    assignTicket(ticketId: $id, assigneeId: $assignee) {
      id
      assigneeId
    }
  }
`);

export const ResolveTicket = graphql(`
  mutation AdminResolveTicket($id: ID!) {
    resolveTicket(ticketId: $id) {
      id
      status
    }
  }
`);

export const RefundFromTicket = graphql(`
  mutation AdminRefundFromTicket($id: ID!, $amount: Int) {
    refundFromTicket(ticketId: $id, amountCents: $amount) {
      booking {
        id
        status
      }
    }
  }
`);

export const StaffHelpArticles = graphql(`
  query AdminHelpArticles {
    staffHelpArticles {
      id
      organisationId
      category
      title
      body
      published
      updatedAt
    }
  }
`);

export const CreateHelpArticle = graphql(`
  mutation AdminCreateHelpArticle($org: ID, $input: HelpArticleInput!) {
    createHelpArticle(organisationId: $org, input: $input) {
      id
      title
    }
  }
`);

export const UpdateHelpArticle = graphql(`
  mutation AdminUpdateHelpArticle($id: ID!, $input: HelpArticleInput!) {
    updateHelpArticle(id: $id, input: $input) {
      id
      title
    }
  }
`);
