import { useQuery } from '../api/useQuery';
import { graphql } from '../gql';
import { t } from '../i18n';
import { formatDateTime } from './dateTime';
import { PagedResults, usePreviousPagePaging } from './paging';

const OrganisationAudit = graphql(`
  query OrganisationAudit($id: ID!, $after: String) {
    organisation(id: $id) {
      id
      auditLog(first: 20, after: $after) {
        pageInfo {
          ...PageCursor
        }
        nodes {
          id
          action
          subjectType
          subjectId
          actorName
          before
          after
          at
        }
      }
    }
  }
`);

/** The JSON of a stored state, indented for reading. */
function pretty(json: string | null | undefined): string {
  if (!json) return '—';
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/** Who changed what in an organisation, newest first, with each object's state before and after. */
export function AuditLogTable({ organisationId }: { organisationId: string }) {
  const paging = usePreviousPagePaging();
  const log = useQuery(OrganisationAudit, { id: organisationId, after: paging.after });
  return (
    <section aria-labelledby="audit-h">
      <h3 id="audit-h">{t.admin.organisation.audit}</h3>
      <PagedResults query={log} page={log.data?.organisation.auditLog} paging={paging} empty={t.admin.organisation.noAudit}>
        {(nodes) => (
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">{t.admin.organisation.when}</th>
                <th scope="col">{t.admin.organisation.who}</th>
                <th scope="col">{t.admin.organisation.what}</th>
                <th scope="col">{t.admin.organisation.change}</th>
              </tr>
            </thead>
            <tbody>
              {nodes.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{e.actorName ?? t.admin.organisation.formerStaff}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>
                    <details>
                      <summary>{t.admin.organisation.beforeAfter}</summary>
                      <div className="audit-states">
                        <pre aria-label={t.admin.organisation.before}>{pretty(e.before)}</pre>
                        <pre aria-label={t.admin.organisation.after}>{pretty(e.after)}</pre>
                      </div>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PagedResults>
    </section>
  );
}
