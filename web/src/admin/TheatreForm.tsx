import { useId, useMemo, type FormEvent } from 'react';
import { t } from '../i18n';
import { AdminForm, Field, useDraft } from './AdminForm';
import type { ActionState } from './useAction';
import { timeZones } from './zoneTime';

export interface TheatreFields {
  name: string;
  address: string;
  city: string;
  state: string;
  zip: string;
  latitude: number;
  longitude: number;
  timezone: string;
}

const EMPTY = {
  name: '',
  address: '',
  city: '',
  state: '',
  zip: '',
  latitude: '',
  longitude: '',
  timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
};

type Draft = typeof EMPTY;

/** A theatre's fields, for creating one or changing it. */
export function TheatreForm({
  initial,
  submitLabel,
  state,
  onSubmit,
}: {
  initial?: TheatreFields;
  submitLabel: string;
  state: ActionState;
  onSubmit: (fields: TheatreFields) => Promise<boolean>;
}) {
  const { draft, setDraft, bind } = useDraft<Draft>(
    initial ? { ...initial, latitude: String(initial.latitude), longitude: String(initial.longitude) } : EMPTY,
  );
  const zones = useMemo(timeZones, []);
  const id = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await onSubmit({
      name: draft.name.trim(),
      address: draft.address.trim(),
      city: draft.city.trim(),
      state: draft.state.trim(),
      zip: draft.zip.trim(),
      latitude: Number(draft.latitude),
      longitude: Number(draft.longitude),
      timezone: draft.timezone,
    });
    if (ok && !initial) setDraft(EMPTY);
  };

  return (
    <AdminForm onSubmit={submit} state={state} submitLabel={submitLabel}>
      <Field label={t.admin.theatres.name} {...bind('name')} required />
      <Field label={t.admin.theatres.address} {...bind('address')} required autoComplete="street-address" />
      <Field label={t.admin.theatres.city} {...bind('city')} required autoComplete="address-level2" />
      <Field label={t.admin.theatres.state} {...bind('state')} required autoComplete="address-level1" />
      <Field label={t.admin.theatres.zip} {...bind('zip')} required autoComplete="postal-code" />
      <Field label={t.admin.theatres.latitude} type="number" step="any" min={-90} max={90} {...bind('latitude')} required />
      <Field
        label={t.admin.theatres.longitude}
        type="number"
        step="any"
        min={-180}
        max={180}
        {...bind('longitude')}
        required
      />
      <label htmlFor={`${id}-tz`}>
        {t.admin.theatres.timezone}
        <select id={`${id}-tz`} {...bind('timezone')} required>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </label>
    </AdminForm>
  );
}
