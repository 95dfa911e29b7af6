import { useEffect, useRef, type ReactNode } from 'react';
import './confirm-dialog.css';

/**
 * A modal question with its answers, on the native `<dialog>`: focus moves into it and is
 * kept there, Escape closes it (as `onClose`), and the page behind is inert.
 */
export function ConfirmDialog({
  title,
  children,
  actions,
  onClose,
}: {
  title: string;
  children: ReactNode;
  actions: ReactNode;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby="confirm-dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id="confirm-dialog-title">{title}</h2>
      {children}
      <div className="confirm-dialog-actions">{actions}</div>
    </dialog>
  );
}
