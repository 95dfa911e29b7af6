import { useState } from 'react';
import { request } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { RequireSignIn } from '../components/RequireSignIn';
import { graphql } from '../gql';
import { t } from '../i18n';
import { Link, paths } from '../router';
import { useAction } from './useAction';

const AcceptInvitation = graphql(`
  mutation AcceptStaffInvitation($token: String!) {
    acceptStaffInvitation(token: $token) {
      id
      name
    }
  }
`);

/** Where an invitation email leads: the invited person, signed in, joins the organisation. */
export function JoinPage() {
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const [joined, setJoined] = useState<string | null>(null);
  const [accept, state] = useAction(() => request(AcceptInvitation, { token }));
  return (
    <RequireSignIn>
      {(user) => (
        <section aria-labelledby="join-h" className="admin-gate">
          <h1 id="join-h">{t.admin.join.title}</h1>
          {joined ? (
            <>
              <p role="status">{t.admin.join.joined(joined)}</p>
              <p>
                <a href={paths.admin()}>{t.admin.join.open}</a>
              </p>
            </>
          ) : (
            <>
              <p>{t.admin.join.intro(user.email)}</p>
              {state.error !== null && <ErrorNotice error={state.error} />}
              <button
                type="button"
                disabled={state.busy || !token}
                onClick={async () => {
                  const done = await accept();
                  if (done) setJoined(done.acceptStaffInvitation.name);
                }}
              >
                {t.admin.join.accept}
              </button>
              <p>
                <Link href={paths.home()}>{t.admin.join.notNow}</Link>
              </p>
            </>
          )}
        </section>
      )}
    </RequireSignIn>
  );
}
