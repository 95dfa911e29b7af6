import { t } from '../i18n';

// Placeholder until its slice lands: the route exists so links and tests can name it.
export function CheckoutPage({ bookingId }: { bookingId: string }) {
  return (
    <section data-bookingId={bookingId}>
      <h1>{t.loading}</h1>
    </section>
  );
}
