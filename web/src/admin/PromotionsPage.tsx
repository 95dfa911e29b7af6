import { useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatMoney } from '../format';
import { graphql } from '../gql';
import type { AdminPromotionsQuery, PromotionKind } from '../gql/graphql';
import { t } from '../i18n';
import { isCurrency, toMinor } from './money';
import { formatDateTime } from './dateTime';
import { useAction } from './useAction';
import { zonedToUtc } from './zoneTime';

const AdminPromotions = graphql(`
  query AdminPromotions($after: String) {
    promotions(first: 50, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        code
        description
        kind
        value
        currency
        startsAt
        endsAt
        maxUses
        maxUsesPerUser
      }
    }
  }
`);

const CreatePromotion = graphql(`
  mutation AdminCreatePromotion($input: CreatePromotionInput!) {
    createPromotion(input: $input) {
      id
      code
    }
  }
`);

type Promotion = AdminPromotionsQuery['promotions']['nodes'][number];

// Staff think of a promotion's window on their own clock; the browser's zone is theirs.
const here = Intl.DateTimeFormat().resolvedOptions().timeZone;

function discount(p: Promotion): string {
  return p.kind === 'percent' ? t.admin.promotions.percentOff(p.value) : t.admin.promotions.amountOff(formatMoney(p.value, p.currency ?? 'USD'));
}

const BLANK = {
  code: '',
  description: '',
  kind: 'PERCENT' as PromotionKind,
  value: '',
  currency: 'USD',
  startsAt: '',
  endsAt: '',
  maxUses: '',
  maxUsesPerUser: '',
};

/** Promotion codes: the list, newest first, and a form for a new one. */
export function PromotionsPage() {
  const [after, setAfter] = useState<string | null>(null);
  const promotions = useQuery(AdminPromotions, { after });
  const [d, setD] = useState(BLANK);
  const [problem, setProblem] = useState('');
  const [status, setStatus] = useState('');
  const [submitCreate, submitState] = useAction((draft: Omit<typeof BLANK, 'value'> & { value: number }) =>
    request(CreatePromotion, { input: buildInput(draft) }),
  );
  const set = (key: keyof typeof BLANK) => (e: { target: { value: string } }) =>
    setD((old) => ({ ...old, [key]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const currency = d.currency.trim().toUpperCase();
    if (d.kind === 'FIXED' && !isCurrency(currency)) return setProblem(t.admin.promotions.badCurrency);
    const value = d.kind === 'PERCENT' ? Number(d.value) : toMinor(d.value, currency);
    if (value === null || !Number.isInteger(value) || value <= 0) return setProblem(t.admin.promotions.badValue);
    setProblem('');
    const done = await submitCreate({ ...d, currency, value });
    if (done) {
      setStatus(t.admin.promotions.created(done.createPromotion.code));
      setD(BLANK);
      setAfter(null);
      promotions.retry();
    }
  };
  const page = promotions.data?.promotions;

  return (
    <section aria-labelledby="admin-promotions-h">
      <h2 id="admin-promotions-h">{t.admin.nav.promotions}</h2>
      {promotions.status === 'error' && <ErrorNotice error={promotions.error} onRetry={promotions.retry} />}
      {!page && promotions.status === 'loading' && <p aria-busy="true">{t.loading}</p>}
      {page && page.nodes.length === 0 && <p>{t.admin.promotions.none}</p>}
      {page && page.nodes.length > 0 && (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t.admin.promotions.code}</th>
              <th scope="col">{t.admin.promotions.discount}</th>
              <th scope="col">{t.admin.promotions.window}</th>
              <th scope="col">{t.admin.promotions.limits}</th>
            </tr>
          </thead>
          <tbody>
            {page.nodes.map((p) => (
              <tr key={p.id}>
                <td>
                  <code>{p.code}</code>
                  {p.description && <div className="muted">{p.description}</div>}
                </td>
                <td>{discount(p)}</td>
                <td>
                  {formatDateTime(p.startsAt)} – {formatDateTime(p.endsAt)}
                </td>
                <td>{t.admin.promotions.limitText(p.maxUses, p.maxUsesPerUser)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && (after || page.pageInfo.hasNextPage) && (
        <div className="admin-actions">
          {after && (
            <button type="button" onClick={() => setAfter(null)}>
              {t.admin.firstPage}
            </button>
          )}
          {page.pageInfo.hasNextPage && (
            <button type="button" onClick={() => setAfter(page.pageInfo.endCursor ?? null)}>
              {t.admin.nextPage}
            </button>
          )}
        </div>
      )}
      <p aria-live="polite" className="admin-status">
        {status}
      </p>
      <h3>{t.admin.promotions.add}</h3>
      <form className="admin-form" onSubmit={submit}>
        <div className="admin-fields">
          <label>
            {t.admin.promotions.code}
            <input value={d.code} onChange={set('code')} required minLength={3} maxLength={32} pattern="[A-Za-z0-9_\-]+" />
          </label>
          <label>
            {t.admin.promotions.description}
            <input value={d.description} onChange={set('description')} maxLength={500} />
          </label>
          <label>
            {t.admin.promotions.kind}
            <select value={d.kind} onChange={set('kind')}>
              <option value="PERCENT">{t.admin.promotions.percent}</option>
              <option value="FIXED">{t.admin.promotions.fixed}</option>
            </select>
          </label>
          <label>
            {d.kind === 'PERCENT' ? t.admin.promotions.percentValue : t.admin.promotions.amountValue}
            <input inputMode="decimal" value={d.value} onChange={set('value')} required />
          </label>
          {d.kind === 'FIXED' && (
            <label>
              {t.admin.promotions.currency}
              <input value={d.currency} onChange={set('currency')} required maxLength={3} />
            </label>
          )}
          <label>
            {t.admin.promotions.startsAt(here)}
            <input type="datetime-local" value={d.startsAt} onChange={set('startsAt')} required />
          </label>
          <label>
            {t.admin.promotions.endsAt(here)}
            <input type="datetime-local" value={d.endsAt} onChange={set('endsAt')} required />
          </label>
          <label>
            {t.admin.promotions.maxUses}
            <input type="number" min={1} value={d.maxUses} onChange={set('maxUses')} />
          </label>
          <label>
            {t.admin.promotions.maxUsesPerUser}
            <input type="number" min={1} value={d.maxUsesPerUser} onChange={set('maxUsesPerUser')} />
          </label>
        </div>
        {problem && <p role="alert">{problem}</p>}
        {submitState.error ? <ErrorNotice error={submitState.error} /> : null}
        <div className="admin-actions">
          <button type="submit" disabled={submitState.busy}>
            {t.admin.promotions.create}
          </button>
        </div>
      </form>
    </section>
  );
}

function buildInput(d: Omit<typeof BLANK, 'value'> & { value: number }) {
  return {
    code: d.code.trim(),
    description: d.description.trim(),
    kind: d.kind,
    value: d.value,
    ...(d.kind === 'FIXED' ? { currency: d.currency } : {}),
    startsAt: zonedToUtc(d.startsAt, here) ?? '',
    endsAt: zonedToUtc(d.endsAt, here) ?? '',
    ...(d.maxUses ? { maxUses: Number(d.maxUses) } : {}),
    ...(d.maxUsesPerUser ? { maxUsesPerUser: Number(d.maxUsesPerUser) } : {}),
  };
}
