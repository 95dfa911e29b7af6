import { graphql } from '../../gql';

export const TitleAlertFields = graphql(`
  fragment TitleAlertFields on TitleAlert {
    id
    movieId
    eventId
    city
    near {
      lat
      lon
      radiusKm
    }
    status
    notifiedShowtimeId
    notifiedAt
    createdAt
  }
`);

export const MyAlertsQuery = graphql(`
  query MyAlerts {
    myAlerts {
      ...TitleAlertFields
    }
  }
`);

export const NotifyMeMutation = graphql(`
  mutation NotifyMe($input: NotifyMeInput!) {
    notifyMe(input: $input) {
      ...TitleAlertFields
    }
  }
`);

export const CancelAlertMutation = graphql(`
  mutation CancelAlert($id: ID!) {
    cancelAlert(id: $id) {
      ...TitleAlertFields
    }
  }
`);
