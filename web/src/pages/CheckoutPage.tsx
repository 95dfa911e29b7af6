import { lazy, Suspense } from 'react';
import { t } from '../i18n';

// Checkout (and the payment form) is its own chunk: browsing never downloads it.
const CheckoutScreen = lazy(() => import('./checkout/CheckoutScreen'));

export function CheckoutPage({ bookingId }: { bookingId: string }) {
  return (
    <Suspense fallback={<p aria-busy="true">{t.loading}</p>}>
      <CheckoutScreen bookingId={bookingId} />
    </Suspense>
  );
}
