import { useEffect, useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { graphql } from '../gql';
import { t } from '../i18n';
import { Link, navigate, paths } from '../router';
import { startSession, useSession } from '../session';
import { describeAuthError } from './account/authErrors';
import './account/account.css';

const LogInMutation = graphql(`
  mutation LogIn($email: String!, $password: String!) {
    logIn(email: $email, password: $password) {
      token
      user {
        id
        email
        name
        role
      }
    }
  }
`);

export function SignInPage({ next }: { next: string }) {
  const session = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (session.status === 'signedIn') navigate(next, { replace: true });
  }, [session.status, next]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { logIn } = await request(LogInMutation, { email: email.trim(), password });
      startSession(logIn.token, logIn.user);
    } catch (err) {
      setError(describeAuthError(err));
      setBusy(false);
    }
  };

  return (
    <section className="auth-page" aria-labelledby="signin-heading">
      <h1 id="signin-heading">{t.account.signInTitle}</h1>
      <form className="auth-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="signin-email">{t.account.email}</label>
          <input
            id="signin-email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'signin-error' : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="signin-password">{t.account.password}</label>
          <input
            id="signin-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'signin-error' : undefined}
          />
        </div>
        <div role="alert">
          {error && (
            <p id="signin-error" className="form-error">
              {error}
            </p>
          )}
        </div>
        <div>
          <button type="submit" disabled={busy}>
            {busy ? t.account.signingIn : t.account.signIn}
          </button>
        </div>
      </form>
      <p>
        {t.account.noAccount} <Link href={paths.signUp(next === '/' ? undefined : next)}>{t.account.toSignUp}</Link>
      </p>
    </section>
  );
}
