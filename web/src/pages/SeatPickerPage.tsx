import { lazy, Suspense } from 'react';
import { t } from '../i18n';

// The seat picker is big and only buyers on their way to a purchase need it: its own chunk.
const SeatPicker = lazy(() => import('../components/seats/SeatPicker'));

export function SeatPickerPage({ id }: { id: string }) {
  return (
    <Suspense fallback={<p aria-busy="true">{t.loading}</p>}>
      <SeatPicker id={id} />
    </Suspense>
  );
}
