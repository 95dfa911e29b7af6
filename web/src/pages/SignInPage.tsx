import { useState } from 'react';
import { request } from '../api/client';
import { graphql } from '../gql';
import { t } from '../i18n';
import { Link, paths } from '../router';
import { describeAuthError } from './account/authErrors';
import { AuthField, EmailField, describedByError, FormError, onward, useAuthSubmit } from './account/authForm';
import './account/account.css';

const LogInMutation = graphql(`
  mutation LogIn($email: String!, $password: String!) {
    logIn(email: $email, password: $password) {
      ...SessionStart
    }
  }
`);

export function SignInPage({ next }: { next: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useAuthSubmit(
    next,
    async () => (await request(LogInMutation, { email: email.trim(), password })).logIn,
    describeAuthError,
  );

  return (
    <section className="auth-page" aria-labelledby="signin-heading">
      <h1 id="signin-heading">{t.account.signInTitle}</h1>
      <form className="auth-form" onSubmit={submit}>
        <EmailField
          id="signin-email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          {...describedByError(!!error, 'signin-error')}
        />
        <AuthField
          id="signin-password"
          label={t.account.password}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          {...describedByError(!!error, 'signin-error')}
        />
        <FormError id="signin-error">{error}</FormError>
        <div>
          <button type="submit" disabled={busy}>
            {busy ? t.account.signingIn : t.account.signIn}
          </button>
        </div>
      </form>
      <p>
        {t.account.noAccount} <Link href={paths.signUp(onward(next))}>{t.account.toSignUp}</Link>
      </p>
    </section>
  );
}
