import { useEffect, useState } from 'react';
import { t } from '../i18n';

function remaining(expiresAt: string): number {
  return Math.max(0, Math.ceil((Date.parse(expiresAt) - Date.now()) / 1000));
}

/**
 * How long the buyer's seats stay held, counting down each second. Screen readers hear
 * it once a minute and in the last half minute, not every tick; `onExpired` runs once at zero.
 */
export function HoldCountdown({ expiresAt, onExpired }: { expiresAt: string; onExpired?: () => void }) {
  const [left, setLeft] = useState(() => remaining(expiresAt));
  useEffect(() => {
    setLeft(remaining(expiresAt));
    const timer = window.setInterval(() => setLeft(remaining(expiresAt)), 250);
    return () => window.clearInterval(timer);
  }, [expiresAt]);
  useEffect(() => {
    if (left === 0) onExpired?.();
    // onExpired is read at zero only; a new function each render must not re-fire it.
  }, [left === 0]);
  const minutes = Math.floor(left / 60);
  const seconds = left % 60;
  const clock = `${minutes}:${String(seconds).padStart(2, '0')}`;
  const announce = left === 0 || left <= 30 || seconds === 0;
  return (
    <p className={`hold-countdown${left <= 60 ? ' hold-countdown-low' : ''}`} data-testid="hold-countdown">
      <span aria-hidden="true">{left === 0 ? t.hold.expired : t.hold.heldFor(clock)}</span>
      <span className="visually-hidden" role="timer" aria-live={announce ? 'polite' : 'off'}>
        {left === 0 ? t.hold.expired : t.hold.heldForSpoken(minutes, seconds)}
      </span>
    </p>
  );
}
