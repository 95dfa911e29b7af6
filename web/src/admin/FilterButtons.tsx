import type { ReactNode } from 'react';

/** Buttons that filter a list, the one in force pressed. */
export function FilterButtons<V>({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: { value: V; label: ReactNode }[];
  value: V;
  onChange: (value: V) => void;
}) {
  return (
    <div className="admin-filters" role="group" aria-label={label}>
      {options.map((o) => (
        <button key={String(o.value)} type="button" aria-pressed={value === o.value} onClick={() => onChange(o.value)}>
          {o.label}
        </button>
      ))}
    </div>
  );
}
