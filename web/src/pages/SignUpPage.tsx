import { useState } from 'react';
import { ApiError } from '../api/errors';
import { request } from '../api/client';
import { graphql } from '../gql';
import { t } from '../i18n';
import { Link, paths } from '../router';
import { describeAuthError } from './account/authErrors';
import { AuthField, EmailField, FormError, onward, useAuthSubmit } from './account/authForm';
import './account/account.css';

const SignUpMutation = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      ...SessionStart
    }
  }
`);

/** A taken address is the email field's fault, other refused input the password's. */
function explain(err: unknown): { message: string; field: 'email' | 'password' | null } {
  const field =
    err instanceof ApiError && err.code === 'EMAIL_TAKEN'
      ? 'email'
      : err instanceof ApiError && err.code === 'BAD_USER_INPUT'
        ? 'password'
        : null;
  return { message: describeAuthError(err), field };
}

export function SignUpPage({ next }: { next: string }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useAuthSubmit(
    next,
    async () => (await request(SignUpMutation, { input: { name: name.trim(), email: email.trim(), password } })).signUp,
    explain,
  );

  const invalid = (field: 'email' | 'password') =>
    error && (error.field === field || error.field === null) ? true : undefined;

  return (
    <section className="auth-page" aria-labelledby="signup-heading">
      <h1 id="signup-heading">{t.account.signUpTitle}</h1>
      <form className="auth-form" onSubmit={submit}>
        <AuthField
          id="signup-name"
          label={t.account.name}
          autoComplete="name"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <EmailField
          id="signup-email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={invalid('email')}
          aria-describedby={error ? 'signup-error' : undefined}
        />
        <AuthField
          id="signup-password"
          label={t.account.password}
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={128}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={invalid('password')}
          aria-describedby={error ? 'signup-password-hint signup-error' : 'signup-password-hint'}
        >
          <p id="signup-password-hint" className="field-hint">
            {t.account.passwordHint}
          </p>
        </AuthField>
        <FormError id="signup-error">
          {error && (
            <>
              {error.message}{' '}
              {error.field === 'email' && <Link href={paths.signIn(onward(next))}>{t.account.toSignIn}</Link>}
            </>
          )}
        </FormError>
        <div>
          <button type="submit" disabled={busy}>
            {busy ? t.account.signingUp : t.account.signUp}
          </button>
        </div>
      </form>
      <p>
        {t.account.haveAccount} <Link href={paths.signIn(onward(next))}>{t.account.toSignIn}</Link>
      </p>
    </section>
  );
}
