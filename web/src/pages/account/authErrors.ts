import { ApiError, describeError } from '../../api/errors';
import { t } from '../../i18n';

/** Sign-in and sign-up failures in the words the form shows next to its fields. */
export function describeAuthError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'UNAUTHENTICATED') return t.account.badCredentials;
    if (error.code === 'EMAIL_TAKEN') return t.account.emailTaken;
    if (error.code === 'BAD_USER_INPUT') return t.account.invalid;
  }
  return describeError(error);
}
