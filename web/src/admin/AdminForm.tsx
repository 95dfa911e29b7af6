import { useState, type FormEvent, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { ErrorNotice } from '../components/ErrorNotice';
import type { ActionState } from './useAction';

/** A staff form: its fields in the grid, then the action's failure and the submit button. */
export function AdminForm({
  onSubmit,
  state,
  submitLabel,
  note,
  failure = (error) => <ErrorNotice error={error} />,
  children,
}: {
  onSubmit: (e: FormEvent) => void;
  state: ActionState;
  submitLabel: string;
  /** Shown between the fields and the action's failure, e.g. a check of the form's own. */
  note?: ReactNode;
  /** How the action's failure is told, where a code means something particular here. */
  failure?: (error: unknown) => ReactNode;
  children: ReactNode;
}) {
  return (
    <form className="admin-form" onSubmit={onSubmit}>
      <div className="admin-fields">{children}</div>
      {note}
      {state.error ? failure(state.error) : null}
      <div className="admin-actions">
        <button type="submit" disabled={state.busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

/** An input inside its label, so the label names it. */
export function Field({ label, ...input }: { label: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label>
      {label}
      <input {...input} />
    </label>
  );
}

/** A text area across the whole grid, inside its label. */
export function WideTextField({ label, ...area }: { label: ReactNode } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <label className="admin-wide">
      {label}
      <textarea rows={3} {...area} />
    </label>
  );
}

/**
 * A form's draft as the text its controls hold; `bind(key)` gives a control its value and
 * its change handler.
 */
export function useDraft<D extends Record<string, string>>(initial: D | (() => D)) {
  const [draft, setDraft] = useState<D>(initial);
  const bind = (key: keyof D) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => setDraft((old) => ({ ...old, [key]: e.target.value })),
  });
  return { draft, setDraft, bind };
}
