import { t } from '../i18n';

// Placeholder until its slice lands: the route exists so links and tests can name it.
export function SeatPickerPage({ id }: { id: string }) {
  return (
    <section data-id={id}>
      <h1>{t.loading}</h1>
    </section>
  );
}
