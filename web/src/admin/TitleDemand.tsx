import { useQuery } from '../api/useQuery';
import { ErrorNotice } from '../components/ErrorNotice';
import { graphql } from '../gql';
import { t } from '../i18n';

const AdminTitleInterest = graphql(`
  query AdminTitleInterest {
    titleInterest {
      movieId
      eventId
      title
      city
      count
    }
  }
`);

/** How many buyers asked to be told when each title opens in each city: what to schedule next. */
export function TitleDemand() {
  const interest = useQuery(AdminTitleInterest, {});
  const rows = interest.data?.titleInterest ?? [];
  return (
    <section aria-labelledby="admin-demand-h">
      <h3 id="admin-demand-h">{t.admin.analytics.demand}</h3>
      <p className="muted">{t.admin.analytics.demandIntro}</p>
      {interest.status === 'error' && <ErrorNotice error={interest.error} onRetry={interest.retry} />}
      {interest.data && rows.length === 0 && <p>{t.admin.analytics.demandNone}</p>}
      {rows.length > 0 && (
        <div className="admin-scroll">
          <table className="admin-table" data-testid="title-demand">
            <thead>
              <tr>
                <th scope="col">{t.admin.analytics.demandTitle}</th>
                <th scope="col">{t.admin.analytics.demandCity}</th>
                <th scope="col">{t.admin.analytics.demandCount}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.movieId ?? r.eventId}-${r.city ?? 'near'}`}>
                  <th scope="row">{r.title}</th>
                  <td className="title-demand-city">{r.city ?? t.admin.analytics.demandNear}</td>
                  <td>{r.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
