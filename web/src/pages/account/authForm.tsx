import { useEffect, useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import { graphql } from '../../gql';
import { t } from '../../i18n';
import { navigate } from '../../router';
import { startSession, useSession, type SessionUser } from '../../session';

/** What signing in or up answers with: the token and who it is, to start the session. */
export const SessionStartFields = graphql(`
  fragment SessionStart on AuthPayload {
    token
    user {
      id
      email
      name
      role
    }
  }
`);

/** A labelled input of an account form; `children` follow it (a hint). */
export function AuthField({
  id,
  label,
  children,
  ...input
}: { id: string; label: ReactNode; children?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} {...input} />
      {children}
    </div>
  );
}

/** The account's email address, as signing in and signing up ask for it. */
export function EmailField(props: { id: string } & InputHTMLAttributes<HTMLInputElement>) {
  return <AuthField label={t.account.email} type="email" autoComplete="email" required {...props} />;
}

/** The form's failure; the alert region stays in the page so that a new message is announced. */
export function FormError({ id, children }: { id: string; children: ReactNode }) {
  return (
    <div role="alert">
      {children && (
        <p id={id} className="form-error">
          {children}
        </p>
      )}
    </div>
  );
}

/** Marks an input as the one at fault while there is a failure, and points to its message. */
export const describedByError = (failed: boolean, errorId: string) => ({
  'aria-invalid': failed ? true : undefined,
  'aria-describedby': failed ? errorId : undefined,
});

/** Where to go on after signing in, left out when it is the home page. */
export const onward = (next: string) => (next === '/' ? undefined : next);

/**
 * Signing in or up: `send` asks the API for a session, which then starts; a signed-in
 * buyer goes on to `next`. A failure becomes `explain(err)` and the form can be sent again.
 */
export function useAuthSubmit<E>(
  next: string,
  send: () => Promise<{ token: string; user: SessionUser }>,
  explain: (err: unknown) => E,
) {
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<E | null>(null);

  useEffect(() => {
    if (session.status === 'signedIn') navigate(next, { replace: true });
  }, [session.status, next]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { token, user } = await send();
      startSession(token, user);
    } catch (err) {
      setError(explain(err));
      setBusy(false);
    }
  };
  return { busy, error, submit };
}
