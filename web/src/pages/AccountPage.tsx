import { useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { ApiError, describeError } from '../api/errors';
import { useQuery } from '../api/useQuery';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { RequireSignIn } from '../components/RequireSignIn';
import { graphql } from '../gql';
import { locale, t } from '../i18n';
import { Link, navigate, paths } from '../router';
import { endSession, type SessionUser } from '../session';
import { AuthField, describedByError, FormError } from './account/authForm';
import { MyAlertsSection } from './account/MyAlerts';
import { MyWaitlist } from './account/MyWaitlist';
import './account/account.css';

const AccountQuery = graphql(`
  query AccountPage {
    me {
      id
      name
      email
      createdAt
    }
  }
`);

const LogOutMutation = graphql(`
  mutation LogOut {
    logOut
  }
`);

const DeleteAccountMutation = graphql(`
  mutation DeleteAccount($password: String!) {
    deleteAccount(password: $password)
  }
`);

export function AccountPage() {
  const [deleted, setDeleted] = useState(false);
  if (deleted) {
    return (
      <section aria-labelledby="account-heading">
        <h1 id="account-heading">{t.account.title}</h1>
        <p className="notice notice-ok" role="status">
          {t.account.deleted}
        </p>
        <p>
          <Link href={paths.home()}>{t.notFound.home}</Link>
        </p>
      </section>
    );
  }
  return <RequireSignIn>{(user) => <Account user={user} onDeleted={() => setDeleted(true)} />}</RequireSignIn>;
}

function Account({ user, onDeleted }: { user: SessionUser; onDeleted: () => void }) {
  const me = useQuery(AccountQuery, {});
  const [loggingOut, setLoggingOut] = useState(false);

  const logOut = async () => {
    setLoggingOut(true);
    try {
      await request(LogOutMutation);
    } catch {
      // Signed out on this device whatever the server said: the token is dropped here.
    }
    navigate(paths.home());
    endSession();
  };

  const since = me.data?.me.createdAt;
  return (
    <section aria-labelledby="account-heading">
      <h1 id="account-heading">{t.account.title}</h1>
      <p>{t.account.signedInAs(user.name, user.email)}</p>
      {since && (
        <p className="muted">
          {t.account.memberSince(new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(since)))}
        </p>
      )}
      <p>
        <button type="button" onClick={logOut} disabled={loggingOut}>
          {loggingOut ? t.account.loggingOut : t.account.logOut}
        </button>
      </p>
      <MyWaitlist />
      <MyAlertsSection />
      <DeleteAccount onDeleted={onDeleted} />
    </section>
  );
}

function DeleteAccount({ onDeleted }: { onDeleted: () => void }) {
  const [password, setPassword] = useState('');
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const ask = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setAsking(true);
  };

  const confirm = async () => {
    setBusy(true);
    try {
      await request(DeleteAccountMutation, { password });
      onDeleted();
      endSession();
    } catch (err) {
      setAsking(false);
      setBusy(false);
      setError(
        err instanceof ApiError && (err.code === 'BAD_USER_INPUT' || err.code === 'UNAUTHENTICATED')
          ? t.account.wrongPassword
          : describeError(err),
      );
    }
  };

  return (
    <section className="account-section" aria-labelledby="delete-heading">
      <h2 id="delete-heading">{t.account.deleteTitle}</h2>
      <p>{t.account.deleteBody}</p>
      <form className="auth-form" onSubmit={ask}>
        <AuthField
          id="delete-password"
          label={t.account.deletePassword}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          {...describedByError(!!error, 'delete-error')}
        />
        <FormError id="delete-error">{error}</FormError>
        <div>
          <button type="submit" className="danger">
            {t.account.delete}
          </button>
        </div>
      </form>
      {asking && (
        <ConfirmDialog
          title={t.account.deleteConfirmTitle}
          onClose={() => !busy && setAsking(false)}
          actions={
            <>
              <button type="button" className="danger" onClick={confirm} disabled={busy}>
                {busy ? t.account.deleting : t.account.deleteConfirm}
              </button>
              <button type="button" onClick={() => setAsking(false)} disabled={busy} autoFocus>
                {t.account.deleteCancel}
              </button>
            </>
          }
        >
          <p>{t.account.deleteConfirmBody}</p>
          <p>{t.account.deleteBody}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
