import { useState } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { ErrorNotice } from '../components/ErrorNotice';
import { graphql } from '../gql';
import type { AdminEmailsQuery, EmailStatus } from '../gql/graphql';
import { t } from '../i18n';
import { formatDateTime } from './dateTime';
import { useAction } from './useAction';

const AdminEmails = graphql(`
  query AdminEmails($status: EmailStatus, $after: String) {
    emails(status: $status, first: 25, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
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
    }
  }
`);

const RetryEmail = graphql(`
  mutation AdminRetryEmail($id: ID!) {
    retryEmail(id: $id) {
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
  }
`);

type Email = AdminEmailsQuery['emails']['nodes'][number];

const FILTERS: (EmailStatus | null)[] = [null, 'PENDING', 'SENT', 'DEAD'];


/** The email queue, newest first: what was sent, what waits, and the dead letters to retry. */
export function EmailsPage() {
  const [status, setStatus] = useState<EmailStatus | null>(null);
  // Cursors of the pages before this one, to go back.
  const [trail, setTrail] = useState<(string | null)[]>([]);
  const [after, setAfter] = useState<string | null>(null);
  const emails = useQuery(AdminEmails, { status, after });
  const [retried, setRetried] = useState<Record<string, Email>>({});
  const [message, setMessage] = useState('');
  const [retry, retryState] = useAction((id: string) => request(RetryEmail, { id }));
  const page = emails.data?.emails;

  const filter = (next: EmailStatus | null) => {
    setStatus(next);
    setAfter(null);
    setTrail([]);
  };

  return (
    <section aria-labelledby="admin-emails-h">
      <h2 id="admin-emails-h">{t.admin.nav.emails}</h2>
      <div className="admin-filters" role="group" aria-label={t.admin.emails.filter}>
        {FILTERS.map((f) => (
          <button key={f ?? 'all'} type="button" aria-pressed={status === f} onClick={() => filter(f)}>
            {f ? t.admin.emails.status[f] : t.admin.emails.all}
          </button>
        ))}
      </div>
      <p aria-live="polite" className="admin-status">
        {message}
      </p>
      {retryState.error ? <ErrorNotice error={retryState.error} /> : null}
      {emails.status === 'error' && <ErrorNotice error={emails.error} onRetry={emails.retry} />}
      {!page && emails.status === 'loading' && <p aria-busy="true">{t.loading}</p>}
      {page && page.nodes.length === 0 && (
        <p>{status === 'DEAD' ? t.admin.emails.noDead : t.admin.emails.none}</p>
      )}
      {page && page.nodes.length > 0 && (
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
              {page.nodes.map((original) => {
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
      {page && (trail.length > 0 || page.pageInfo.hasNextPage) && (
        <div className="admin-actions">
          {trail.length > 0 && (
            <button
              type="button"
              onClick={() => {
                setAfter(trail[trail.length - 1] ?? null);
                setTrail(trail.slice(0, -1));
              }}
            >
              {t.admin.previousPage}
            </button>
          )}
          {page.pageInfo.hasNextPage && (
            <button
              type="button"
              onClick={() => {
                setTrail([...trail, after]);
                setAfter(page.pageInfo.endCursor ?? null);
              }}
            >
              {t.admin.nextPage}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
