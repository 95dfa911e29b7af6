import { useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatMoney } from '../format';
import { graphql } from '../gql';
import type { AdminGiftCardsQuery } from '../gql/graphql';
import { t } from '../i18n';
import { AdminForm, Field, useDraft } from './AdminForm';
import { formatDateTime } from './dateTime';
import { GiftCardActions, GiftCardHistory } from './GiftCardActions';
import { toMinor } from './money';
import { useManagedOrganisations } from './staffAccess';
import { useAction } from './useAction';

const AdminGiftCards = graphql(`
  query AdminGiftCards($org: ID!) {
    giftCards(organisationId: $org, first: 100) {
      id
      codeLast4
      currency
      initialCents
      balanceCents
      expiresAt
      disabledAt
      recipientEmail
      createdAt
      history {
        kind
        amountCents
        balanceAfterCents
        bookingId
        note
        createdAt
      }
    }
  }
`);

const IssueGiftCard = graphql(`
  mutation AdminIssueGiftCard($input: IssueGiftCardInput!) {
    issueGiftCard(input: $input) {
      code
      emailSent
      giftCard {
        recipientEmail
        id
        balanceCents
        currency
      }
    }
  }
`);

export type GiftCardRow = AdminGiftCardsQuery['giftCards'][number];

/** Where a card stands, in the words staff use. */
export function cardStatus(card: GiftCardRow): string {
  if (card.disabledAt) return t.admin.giftCards.statuses.disabled;
  if (card.expiresAt && Date.parse(card.expiresAt) <= Date.now()) return t.admin.giftCards.statuses.expired;
  if (card.balanceCents === 0) return t.admin.giftCards.statuses.empty;
  return t.admin.giftCards.statuses.active;
}

const BLANK = { amount: '', recipientEmail: '', note: '', expiresOn: '' };

/** The end of a chosen day on the staff member's own clock, as an instant. */
function endOfDay(date: string): string {
  return new Date(`${date}T23:59:59`).toISOString();
}

/** An organisation's gift cards: issue one (its code shown once), and each card's balance and history. */
export function GiftCardsPage() {
  const organisations = useManagedOrganisations();
  const [chosen, setChosen] = useState<string | null>(null);
  const current = organisations.list.find((o) => o.id === chosen) ?? organisations.list[0];
  const cards = useQuery(AdminGiftCards, { org: current?.id ?? '' }, { skip: !current });
  const { draft, setDraft, bind } = useDraft(BLANK);
  const [problem, setProblem] = useState('');
  const [issued, setIssued] = useState<{
    code: string;
    amount: string;
    recipient: string | null;
    emailSent: boolean | null;
  } | null>(null);
  const [issue, issueState] = useAction((input: { organisationId: string; amountCents: number; recipientEmail?: string; note?: string; expiresAt?: string }) =>
    request(IssueGiftCard, { input }),
  );
  const currency = current?.currency ?? 'USD';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!current) return;
    const amountCents = toMinor(draft.amount, currency);
    if (amountCents === null || amountCents <= 0) return setProblem(t.admin.giftCards.badAmount);
    setProblem('');
    setIssued(null);
    const done = await issue({
      organisationId: current.id,
      amountCents,
      ...(draft.recipientEmail.trim() ? { recipientEmail: draft.recipientEmail.trim() } : {}),
      ...(draft.note.trim() ? { note: draft.note.trim() } : {}),
      ...(draft.expiresOn ? { expiresAt: endOfDay(draft.expiresOn) } : {}),
    });
    if (done) {
      const card = done.issueGiftCard.giftCard;
      setIssued({
        code: done.issueGiftCard.code,
        amount: formatMoney(card.balanceCents, card.currency),
        recipient: card.recipientEmail ?? null,
        emailSent: done.issueGiftCard.emailSent ?? null,
      });
      setDraft(BLANK);
      cards.retry();
    }
  };

  const list = cards.data?.giftCards ?? [];
  return (
    <section aria-labelledby="admin-gift-cards-h">
      <h2 id="admin-gift-cards-h">{t.admin.nav.giftCards}</h2>
      {organisations.error !== null && <ErrorNotice error={organisations.error} />}
      {organisations.list.length > 1 && (
        <div className="admin-actions">
          <label>
            {t.admin.organisation.pick}
            <select value={current?.id} onChange={(e) => setChosen(e.target.value)}>
              {organisations.list.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {current && (
        <>
          <h3>{t.admin.giftCards.issueTitle(current.name)}</h3>
          <AdminForm
            onSubmit={submit}
            state={issueState}
            submitLabel={t.admin.giftCards.issue}
            note={problem && <p role="alert">{problem}</p>}
          >
            <Field label={t.admin.giftCards.amount(currency)} inputMode="decimal" {...bind('amount')} required />
            <Field label={t.admin.giftCards.recipient} type="email" {...bind('recipientEmail')} maxLength={254} />
            <Field label={t.admin.giftCards.note} {...bind('note')} maxLength={500} />
            <Field label={t.admin.giftCards.expiresOn} type="date" {...bind('expiresOn')} />
          </AdminForm>
          <div aria-live="polite">
            {issued && (
              <div className="notice notice-ok" data-testid="issued-gift-card">
                <p>{t.admin.giftCards.issued(issued.amount)}</p>
                <p>
                  <code className="gift-card-code">{issued.code}</code>
                </p>
                <p className="muted">{t.admin.giftCards.codeOnce}</p>
                {issued.recipient && issued.emailSent === true && <p>{t.admin.giftCards.emailed(issued.recipient)}</p>}
                {issued.recipient && issued.emailSent === false && (
                  <p role="alert">{t.admin.giftCards.notEmailed(issued.recipient)}</p>
                )}
              </div>
            )}
          </div>

          <h3>{t.admin.giftCards.listTitle}</h3>
          {cards.status === 'error' && <ErrorNotice error={cards.error} onRetry={cards.retry} />}
          {cards.data && list.length === 0 && <p>{t.admin.giftCards.none}</p>}
          {list.length > 0 && (
            <div className="admin-scroll">
              <table className="admin-table" data-testid="gift-card-list">
                <thead>
                  <tr>
                    <th scope="col">{t.admin.giftCards.code}</th>
                    <th scope="col">{t.admin.giftCards.balance}</th>
                    <th scope="col">{t.admin.giftCards.status}</th>
                    <th scope="col">{t.admin.giftCards.recipient}</th>
                    <th scope="col">{t.admin.giftCards.issuedAt}</th>
                    <th scope="col">{t.admin.giftCards.actions}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((card) => (
                    <tr key={card.id} data-testid="gift-card-row">
                      <th scope="row">
                        <code>{t.admin.giftCards.masked(card.codeLast4)}</code>
                      </th>
                      <td>
                        {formatMoney(card.balanceCents, card.currency)}
                        <div className="muted">
                          {t.admin.giftCards.of(formatMoney(card.initialCents, card.currency), card.currency)}
                        </div>
                      </td>
                      <td>
                        {cardStatus(card)}
                        {card.expiresAt && <div className="muted">{t.admin.giftCards.expires(formatDateTime(card.expiresAt))}</div>}
                      </td>
                      <td>{card.recipientEmail ?? '—'}</td>
                      <td>{formatDateTime(card.createdAt)}</td>
                      <td>
                        <GiftCardHistory card={card} />
                        <GiftCardActions card={card} onChanged={cards.retry} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      {organisations.loaded && organisations.list.length === 0 && <p>{t.admin.organisation.none}</p>}
    </section>
  );
}
