import { useState } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { ErrorNotice } from '../components/ErrorNotice';
import { graphql } from '../gql';
import type { AdminEmailsQuery, EmailStatus } from '../gql/graphql';
import { t } from '../i18n';
import { formatDateTime } from './dateTime';
import { FilterButtons } from './FilterButtons';
import { PagedResults, usePreviousPagePaging } from './paging';
import { useAction } from './useAction';

/** An email as its row shows it, listed or just retried. */
export const AdminEmailRowFields = graphql(`
  fragment AdminEmailRow on Email {
      id
      kind
      recipient
      status
      attempts
      lastError
      createdAt
      sentAt
      nextAttemptAt
  }
`);

const AdminEmails = graphql(`
  query AdminEmails($status: EmailStatus, $after: String) {
    emails(status: $status, first: 25, after: $after) {
      pageInfo {
        ...PageCursor
      }
      nodes {
        ...AdminEmailRow
      }
    }
  }
`);

const RetryEmail = graphql(`
  mutation AdminRetryEmail($id: ID!) {
    retryEmail(id: $id) {
      ...AdminEmailRow
    }
  }
`);

type Email = AdminEmailsQuery['emails']['nodes'][number];

const FILTERS: (EmailStatus | null)[] = [null, 'PENDING', 'SENT', 'DEAD'];

/** The email queue, newest first: what was sent, what waits, and the dead letters to retry. */
export function EmailsPage() {
  const [status, setStatus] = useState<EmailStatus | null>(null);
  const paging = usePreviousPagePaging();
  const emails = useQuery(AdminEmails, { status, after: paging.after });
  const [retried, setRetried] = useState<Record<string, Email>>({});
  const [message, setMessage] = useState('');
  const [retry, retryState] = useAction((id: string) => request(RetryEmail, { id }));

  return (
    <section aria-labelledby="admin-emails-h">
      <h2 id="admin-emails-h">{t.admin.nav.emails}</h2>
      <FilterButtons
        label={t.admin.emails.filter}
        options={FILTERS.map((f) => ({ value: f, label: f ? t.admin.emails.status[f] : t.admin.emails.all }))}
        value={status}
        onChange={(next) => {
          setStatus(next);
          paging.reset();
        }}
      />
      <p aria-live="polite" className="admin-status">
        {message}
      </p>
      {retryState.error ? <ErrorNotice error={retryState.error} /> : null}
      <PagedResults
        query={emails}
        page={emails.data?.emails}
        paging={paging}
        empty={status === 'DEAD' ? t.admin.emails.noDead : t.admin.emails.none}
      >
        {(nodes) => (
          <div className="admin-scroll" tabIndex={0} role="region" aria-label={t.admin.emails.tableRegion}>
            <table className="admin-table">
              <caption className="visually-hidden">{t.admin.emails.caption((status && t.admin.emails.status[status]) || t.admin.emails.all)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.admin.emails.kind}</th>
                  <th scope="col">{t.admin.emails.recipient}</th>
                  <th scope="col">{t.admin.emails.statusLabel}</th>
                  <th scope="col">{t.admin.emails.attempts}</th>
                  <th scope="col">{t.admin.emails.lastError}</th>
                  <th scope="col">{t.admin.emails.times}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t.admin.emails.actions}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {nodes.map((original) => {
                  const e = retried[original.id] ?? original;
                  return (
                    <tr key={e.id}>
                      <td>
                        <code>{e.kind}</code>
                      </td>
                      <td>{e.recipient}</td>
                      <td>
                        <span className={`admin-badge admin-email-${e.status.toLowerCase()}`}>
                          {t.admin.emails.statusName[e.status] ?? e.status}
                        </span>
                      </td>
                      <td>{e.attempts}</td>
                      <td className="admin-error-text">{e.lastError ?? '—'}</td>
                      <td>
                        <div>{t.admin.emails.queued(formatDateTime(e.createdAt, true))}</div>
                        {e.sentAt && <div>{t.admin.emails.sent(formatDateTime(e.sentAt, true))}</div>}
                        {e.status === 'PENDING' && <div>{t.admin.emails.nextAttempt(formatDateTime(e.nextAttemptAt, true))}</div>}
                      </td>
                      <td>
                        {e.status === 'DEAD' && (
                          <button
                            type="button"
                            disabled={retryState.busy}
                            aria-label={t.admin.emails.retryNamed(e.kind, e.recipient)}
                            onClick={async () => {
                              const done = await retry(e.id);
                              if (done) {
                                setRetried((r) => ({ ...r, [e.id]: done.retryEmail }));
                                setMessage(t.admin.emails.retried(e.recipient));
                              }
                            }}
                          >
                            {t.admin.emails.retry}
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </PagedResults>
    </section>
  );
}
