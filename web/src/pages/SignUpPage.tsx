import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors';
import { request } from '../api/client';
import { graphql } from '../gql';
import { t } from '../i18n';
import { Link, navigate, paths } from '../router';
import { startSession, useSession } from '../session';
import { describeAuthError } from './account/authErrors';
import './account/account.css';

const SignUpMutation = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
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

export function SignUpPage({ next }: { next: string }) {
  const session = useSession();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field: 'email' | 'password' | null } | null>(null);

  useEffect(() => {
    if (session.status === 'signedIn') navigate(next, { replace: true });
  }, [session.status, next]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { signUp } = await request(SignUpMutation, {
        input: { name: name.trim(), email: email.trim(), password },
      });
      startSession(signUp.token, signUp.user);
    } catch (err) {
      const field =
        err instanceof ApiError && err.code === 'EMAIL_TAKEN'
          ? 'email'
          : err instanceof ApiError && err.code === 'BAD_USER_INPUT'
            ? 'password'
            : null;
      setError({ message: describeAuthError(err), field });
      setBusy(false);
    }
  };

  const invalid = (field: 'email' | 'password') =>
    error && (error.field === field || error.field === null) ? true : undefined;

  return (
    <section className="auth-page" aria-labelledby="signup-heading">
      <h1 id="signup-heading">{t.account.signUpTitle}</h1>
      <form className="auth-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="signup-name">{t.account.name}</label>
          <input
            id="signup-name"
            autoComplete="name"
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="signup-email">{t.account.email}</label>
          <input
            id="signup-email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={invalid('email')}
            aria-describedby={error ? 'signup-error' : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="signup-password">{t.account.password}</label>
          <input
            id="signup-password"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            maxLength={128}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={invalid('password')}
            aria-describedby={error ? 'signup-password-hint signup-error' : 'signup-password-hint'}
          />
          <p id="signup-password-hint" className="field-hint">
            {t.account.passwordHint}
          </p>
        </div>
        <div role="alert">
          {error && (
            <p id="signup-error" className="form-error">
              {error.message}{' '}
              {error.field === 'email' && <Link href={paths.signIn(next === '/' ? undefined : next)}>{t.account.toSignIn}</Link>}
            </p>
          )}
        </div>
        <div>
          <button type="submit" disabled={busy}>
            {busy ? t.account.signingUp : t.account.signUp}
          </button>
        </div>
      </form>
      <p>
        {t.account.haveAccount} <Link href={paths.signIn(next === '/' ? undefined : next)}>{t.account.toSignIn}</Link>
      </p>
    </section>
  );
}
