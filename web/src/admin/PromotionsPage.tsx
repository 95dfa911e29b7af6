import { useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { formatMoney } from '../format';
import { graphql } from '../gql';
import type { AdminPromotionsQuery, PromotionKind } from '../gql/graphql';
import { t } from '../i18n';
import { AdminForm, Field, useDraft } from './AdminForm';
import { isCurrency, toMinor } from './money';
import { PagedResults, useFirstPagePaging } from './paging';
import { formatDateTime } from './dateTime';
import { useAction } from './useAction';
import { zonedToUtc } from './zoneTime';

const AdminPromotions = graphql(`
  query AdminPromotions($after: String) {
    promotions(first: 50, after: $after) {
      pageInfo {
        ...PageCursor
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
  const paging = useFirstPagePaging();
  const promotions = useQuery(AdminPromotions, { after: paging.after });
  const { draft: d, setDraft: setD, bind } = useDraft(BLANK);
  const [problem, setProblem] = useState('');
  const [status, setStatus] = useState('');
  const [submitCreate, submitState] = useAction((draft: Omit<typeof BLANK, 'value'> & { value: number }) =>
    request(CreatePromotion, { input: buildInput(draft) }),
  );

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
      paging.reset();
      promotions.retry();
    }
  };

  return (
    <section aria-labelledby="admin-promotions-h">
      <h2 id="admin-promotions-h">{t.admin.nav.promotions}</h2>
      <PagedResults query={promotions} page={promotions.data?.promotions} paging={paging} empty={t.admin.promotions.none}>
        {(nodes) => (
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
              {nodes.map((p) => (
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
      </PagedResults>
      <p aria-live="polite" className="admin-status">
        {status}
      </p>
      <h3>{t.admin.promotions.add}</h3>
      <AdminForm
        onSubmit={submit}
        state={submitState}
        submitLabel={t.admin.promotions.create}
        note={problem && <p role="alert">{problem}</p>}
      >
        <Field
          label={t.admin.promotions.code}
          {...bind('code')}
          required
          minLength={3}
          maxLength={32}
          pattern="[A-Za-z0-9_\-]+"
        />
        <Field label={t.admin.promotions.description} {...bind('description')} maxLength={500} />
        <label>
          {t.admin.promotions.kind}
          <select {...bind('kind')}>
            <option value="PERCENT">{t.admin.promotions.percent}</option>
            <option value="FIXED">{t.admin.promotions.fixed}</option>
          </select>
        </label>
        <Field
          label={d.kind === 'PERCENT' ? t.admin.promotions.percentValue : t.admin.promotions.amountValue}
          inputMode="decimal"
          {...bind('value')}
          required
        />
        {d.kind === 'FIXED' && (
          <Field label={t.admin.promotions.currency} {...bind('currency')} required maxLength={3} />
        )}
        <Field label={t.admin.promotions.startsAt(here)} type="datetime-local" {...bind('startsAt')} required />
        <Field label={t.admin.promotions.endsAt(here)} type="datetime-local" {...bind('endsAt')} required />
        <Field label={t.admin.promotions.maxUses} type="number" min={1} {...bind('maxUses')} />
        <Field label={t.admin.promotions.maxUsesPerUser} type="number" min={1} {...bind('maxUsesPerUser')} />
      </AdminForm>
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
