import { useEffect, useState } from 'react';
import { request } from '../../api/client';
import { ApiError, describeError, type GraphQLErrorBody } from '../../api/errors';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import type { CheckoutPageQuery } from '../../gql/graphql';
import { t } from '../../i18n';
import type { PaymentResult } from './CheckoutScreen';
import { ConfirmCheckoutMutation } from './operations';
import { loadStripe } from './stripe';

/**
 * The 3-D Secure challenge of a payment that asks for it, then `confirmCheckout`. With
 * Stripe, Stripe.js runs the bank's page; with the embedded gateway a dialog stands for
 * it and answers through `/fake-gateway/authenticate`.
 */
export function AuthenticationStep(props: {
  bookingId: string;
  clientSecret: string;
  config: CheckoutPageQuery['paymentConfig'];
  amount: string;
  onSettled: (booking: PaymentResult) => void;
}) {
  return props.config.gateway === 'stripe' ? <StripeChallenge {...props} /> : <TestBankChallenge {...props} />;
}

async function confirm(bookingId: string): Promise<PaymentResult> {
  const { confirmCheckout } = await request(ConfirmCheckoutMutation, { bookingId });
  return confirmCheckout;
}

function StripeChallenge({
  bookingId,
  clientSecret,
  config,
  onSettled,
}: {
  bookingId: string;
  clientSecret: string;
  config: CheckoutPageQuery['paymentConfig'];
  onSettled: (booking: PaymentResult) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let active = true;
    (async () => {
      if (!config.publishableKey) throw new Error(t.checkout.cardUnavailable);
      const stripe = await loadStripe(config.publishableKey);
      // Whatever the challenge's outcome, the server asks the gateway how it ended.
      await stripe.handleNextAction({ clientSecret });
      const settled = await confirm(bookingId);
      if (active) onSettled(settled);
    })().catch((err: unknown) => active && setError(err instanceof ApiError ? describeError(err) : t.checkout.cardUnavailable));
    return () => {
      active = false;
    };
    // One challenge per client secret.
  }, [bookingId, clientSecret]);
  return error ? (
    <p className="form-error" role="alert">
      {error}
    </p>
  ) : (
    <p className="notice" role="status">
      {t.checkout.authWorking}
    </p>
  );
}

function TestBankChallenge({
  bookingId,
  clientSecret,
  amount,
  onSettled,
}: {
  bookingId: string;
  clientSecret: string;
  amount: string;
  onSettled: (booking: PaymentResult) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const answer = async (outcome: 'succeed' | 'fail') => {
    setBusy(true);
    setError(null);
    try {
      let response: Response;
      try {
        response = await fetch('/fake-gateway/authenticate', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ clientSecret, outcome }),
        });
      } catch {
        throw new ApiError('NETWORK');
      }
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { errors?: GraphQLErrorBody[] };
        throw body.errors?.length ? ApiError.fromErrors(body.errors) : new ApiError('INTERNAL');
      }
      onSettled(await confirm(bookingId));
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title={t.checkout.authTitle}
      onClose={() => {}}
      actions={
        <>
          <button type="button" className="primary" onClick={() => answer('succeed')} disabled={busy}>
            {t.checkout.authApprove}
          </button>
          <button type="button" onClick={() => answer('fail')} disabled={busy}>
            {t.checkout.authDecline}
          </button>
        </>
      }
    >
      <p>{t.checkout.authBody(amount)}</p>
      <div role="status" aria-live="polite">
        {busy && <p>{t.checkout.authWorking}</p>}
      </div>
      <div role="alert">{error && <p className="form-error">{error}</p>}</div>
    </ConfirmDialog>
  );
}
