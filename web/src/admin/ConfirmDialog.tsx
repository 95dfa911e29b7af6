import { useEffect, useRef, type ReactNode } from 'react';
import { ErrorNotice } from '../components/ErrorNotice';
import { t } from '../i18n';

/**
 * A modal question before a change that affects others (a move, a cancellation, a
 * deletion): the browser's own dialog keeps focus inside and closes on Escape.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const safe = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    // Focus starts on the harmless choice: Enter must not cancel a showtime by accident.
    safe.current?.focus();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="admin-dialog"
      aria-labelledby="confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id="confirm-title">{title}</h2>
      {children}
      {error ? <ErrorNotice error={error} /> : null}
      <div className="admin-actions">
        <button type="button" className="admin-danger" onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
        <button type="button" onClick={onClose} ref={safe}>
          {t.admin.cancel}
        </button>
      </div>
    </dialog>
  );
}
