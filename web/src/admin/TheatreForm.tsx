import { useId, useMemo, useState, type FormEvent } from 'react';
import { ErrorNotice } from '../components/ErrorNotice';
import { t } from '../i18n';
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
  const [draft, setDraft] = useState<Draft>(
    initial ? { ...initial, latitude: String(initial.latitude), longitude: String(initial.longitude) } : EMPTY,
  );
  const zones = useMemo(timeZones, []);
  const id = useId();
  const set = (key: keyof Draft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));

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
    <form className="admin-form" onSubmit={submit}>
      <div className="admin-fields">
        <label>
          {t.admin.theatres.name}
          <input value={draft.name} onChange={set('name')} required />
        </label>
        <label>
          {t.admin.theatres.address}
          <input value={draft.address} onChange={set('address')} required autoComplete="street-address" />
        </label>
        <label>
          {t.admin.theatres.city}
          <input value={draft.city} onChange={set('city')} required autoComplete="address-level2" />
        </label>
        <label>
          {t.admin.theatres.state}
          <input value={draft.state} onChange={set('state')} required autoComplete="address-level1" />
        </label>
        <label>
          {t.admin.theatres.zip}
          <input value={draft.zip} onChange={set('zip')} required autoComplete="postal-code" />
        </label>
        <label>
          {t.admin.theatres.latitude}
          <input
            type="number"
            step="any"
            min={-90}
            max={90}
            value={draft.latitude}
            onChange={set('latitude')}
            required
          />
        </label>
        <label>
          {t.admin.theatres.longitude}
          <input
            type="number"
            step="any"
            min={-180}
            max={180}
            value={draft.longitude}
            onChange={set('longitude')}
            required
          />
        </label>
        <label htmlFor={`${id}-tz`}>
          {t.admin.theatres.timezone}
          <select id={`${id}-tz`} value={draft.timezone} onChange={set('timezone')} required>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
      </div>
      {state.error ? <ErrorNotice error={state.error} /> : null}
      <div className="admin-actions">
        <button type="submit" disabled={state.busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
