import { useState } from 'react';
import { request } from '../api/client';
import { formatMoney } from '../format';
import { graphql } from '../gql';
import { t } from '../i18n';
import { ConfirmDialog } from './ConfirmDialog';
import { formatDateTime } from './dateTime';
import type { GiftCardRow } from './GiftCardsPage';
import { toMinor } from './money';
import { useAction } from './useAction';

const AdjustGiftCard = graphql(`
  mutation AdminAdjustGiftCard($id: ID!, $amountCents: Int!, $note: String!) {
    adjustGiftCard(id: $id, amountCents: $amountCents, note: $note) {
      id
      balanceCents
    }
  }
`);

const DisableGiftCard = graphql(`
  mutation AdminDisableGiftCard($id: ID!) {
    disableGiftCard(id: $id) {
      id
      disabledAt
    }
  }
`);

/** Every change to a card's balance, oldest first, folded away until asked for. */
export function GiftCardHistory({ card }: { card: GiftCardRow }) {
  const money = (cents: number) => formatMoney(cents, card.currency);
  return (
    <details className="gift-card-history">
      <summary>{t.admin.giftCards.historyOf(card.codeLast4)}</summary>
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{t.admin.giftCards.when}</th>
            <th scope="col">{t.admin.giftCards.what}</th>
            <th scope="col">{t.admin.giftCards.change}</th>
            <th scope="col">{t.admin.giftCards.balanceAfter}</th>
          </tr>
        </thead>
        <tbody>
          {card.history.map((e, i) => (
            <tr key={i}>
              <td>{formatDateTime(e.createdAt)}</td>
              <td>
                {t.admin.giftCards.kinds[e.kind] ?? e.kind}
                {e.note && <div className="muted">{e.note}</div>}
                {e.bookingId && <div className="muted">{t.admin.giftCards.booking(e.bookingId.slice(0, 8))}</div>}
              </td>
              <td>{(e.amountCents > 0 ? '+' : e.amountCents < 0 ? '−' : '') + money(Math.abs(e.amountCents))}</td>
              <td>{money(e.balanceAfterCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** Adjusting a card's balance (with a reason) and disabling it, each confirmed first. */
export function GiftCardActions({ card, onChanged }: { card: GiftCardRow; onChanged: () => void }) {
  const [open, setOpen] = useState<'adjust' | 'disable' | null>(null);
  const [direction, setDirection] = useState<'add' | 'remove'>('add');
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState('');
  const [adjust, adjustState, clearAdjust] = useAction((cents: number) =>
    request(AdjustGiftCard, { id: card.id, amountCents: cents, note: note.trim() }),
  );
  const [disable, disableState, clearDisable] = useAction(() => request(DisableGiftCard, { id: card.id }));
  const masked = t.admin.giftCards.masked(card.codeLast4);

  const close = () => {
    setOpen(null);
    setProblem('');
    clearAdjust();
    clearDisable();
  };

  const confirmAdjust = async () => {
    const cents = toMinor(amount, card.currency);
    if (cents === null || cents <= 0) return setProblem(t.admin.giftCards.badAmount);
    if (!note.trim()) return setProblem(t.admin.giftCards.noteNeeded);
    setProblem('');
    if (await adjust(direction === 'add' ? cents : -cents)) {
      setAmount('');
      setNote('');
      close();
      onChanged();
    }
  };

  const confirmDisable = async () => {
    if (await disable()) {
      close();
      onChanged();
    }
  };

  return (
    <div className="admin-row-actions">
      <button type="button" onClick={() => setOpen('adjust')} aria-label={t.admin.giftCards.adjustOf(masked)}>
        {t.admin.giftCards.adjust}
      </button>
      {!card.disabledAt && (
        <button type="button" className="admin-danger" onClick={() => setOpen('disable')} aria-label={t.admin.giftCards.disableOf(masked)}>
          {t.admin.giftCards.disable}
        </button>
      )}
      {open === 'adjust' && (
        <ConfirmDialog
          title={t.admin.giftCards.adjustTitle(masked)}
          confirmLabel={t.admin.giftCards.adjustConfirm}
          busy={adjustState.busy}
          error={adjustState.error}
          onConfirm={confirmAdjust}
          onClose={close}
        >
          <p>{t.admin.giftCards.balanceNow(formatMoney(card.balanceCents, card.currency))}</p>
          <div className="admin-fields">
            <label>
              {t.admin.giftCards.direction}
              <select value={direction} onChange={(e) => setDirection(e.target.value as 'add' | 'remove')}>
                <option value="add">{t.admin.giftCards.add}</option>
                <option value="remove">{t.admin.giftCards.remove}</option>
              </select>
            </label>
            <label>
              {t.admin.giftCards.amount(card.currency)}
              <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
            </label>
            <label>
              {t.admin.giftCards.reason}
              <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
            </label>
          </div>
          {problem && <p role="alert">{problem}</p>}
        </ConfirmDialog>
      )}
      {open === 'disable' && (
        <ConfirmDialog
          title={t.admin.giftCards.disableTitle(masked)}
          confirmLabel={t.admin.giftCards.disableConfirm}
          busy={disableState.busy}
          error={disableState.error}
          onConfirm={confirmDisable}
          onClose={close}
        >
          <p>{t.admin.giftCards.disableBody(formatMoney(card.balanceCents, card.currency))}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
