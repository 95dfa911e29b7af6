import { useId, useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { ErrorNotice } from '../components/ErrorNotice';
import { graphql } from '../gql';
import type { StaffRole } from '../gql/graphql';
import { t } from '../i18n';
import { AdminForm, Field, useDraft } from './AdminForm';
import { AuditLogTable } from './AuditLogTable';
import { toMajorText, toMinor } from './money';
import { StaffMembers } from './StaffMembers';
import { useStaffAccess } from './staffAccess';
import { useAction } from './useAction';

const Organisations = graphql(`
  query AdminOrganisations {
    organisations {
      id
      name
      slug
      currency
    }
  }
`);

const CreateOrganisation = graphql(`
  mutation AdminCreateOrganisation($name: String!, $slug: String!, $currency: String!) {
    createOrganisation(name: $name, slug: $slug, currency: $currency) {
      id
      name
    }
  }
`);

const InviteStaff = graphql(`
  mutation AdminInviteStaff($org: ID!, $email: String!, $role: StaffRole!, $limit: Int) {
    inviteStaff(organisationId: $org, email: $email, role: $role, refundLimitCents: $limit) {
      emailSent
      invitation {
        id
        email
      }
    }
  }
`);

/** An organisation's staff, invitations and audit log; platform admins also open organisations. */
export function OrganisationPage() {
  const access = useStaffAccess();
  const organisations = useQuery(Organisations, {});
  const [chosen, setChosen] = useState<string | null>(null);
  // Raised by each invitation sent: the staff list is read again, its new invitation with it.
  const [invited, setInvited] = useState(0);
  const managed = (organisations.data?.organisations ?? []).filter(
    (o) => access.platform || access.roles.some((r) => r.organisationId === o.id && r.role === 'MANAGER'),
  );
  const current = managed.find((o) => o.id === chosen) ?? managed[0];

  return (
    <section aria-labelledby="admin-org-h">
      <h2 id="admin-org-h">{t.admin.nav.organisation}</h2>
      {organisations.status === 'error' && <ErrorNotice error={organisations.error} onRetry={organisations.retry} />}
      {managed.length > 1 && (
        <label>
          {t.admin.organisation.pick}
          <select value={current?.id} onChange={(e) => setChosen(e.target.value)}>
            {managed.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {organisations.data && managed.length === 0 && <p>{t.admin.organisation.none}</p>}
      {current && (
        <div key={current.id}>
          <h3>{current.name}</h3>
          <p className="muted">{t.admin.organisation.about(current.slug, current.currency)}</p>
          <StaffMembers key={invited} organisationId={current.id} currency={current.currency} />
          <InviteForm
            organisationId={current.id}
            currency={current.currency}
            onInvited={() => setInvited((n) => n + 1)}
          />
          <AuditLogTable organisationId={current.id} />
        </div>
      )}
      {access.platform && <CreateOrganisationForm onCreated={organisations.retry} />}
    </section>
  );
}

const BLANK_INVITE = { email: '', role: 'MANAGER' as StaffRole, limit: '' };

function InviteForm({
  organisationId,
  currency,
  onInvited,
}: {
  organisationId: string;
  currency: string;
  onInvited: () => void;
}) {
  const id = useId();
  const { draft, setDraft, bind } = useDraft(BLANK_INVITE);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState('');
  const [invite, state] = useAction((limit: number | null) =>
    request(InviteStaff, { org: organisationId, email: draft.email.trim(), role: draft.role, limit }),
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const limit = draft.role === 'SUPPORT' ? toMinor(draft.limit || '0', currency) : null;
    if (draft.role === 'SUPPORT' && limit === null) return setProblem(t.admin.organisation.badLimit);
    setProblem('');
    const done = await invite(limit);
    if (done) {
      const { email } = done.inviteStaff.invitation;
      setStatus(done.inviteStaff.emailSent ? t.admin.organisation.invited(email) : t.admin.organisation.notSent(email));
      setDraft(BLANK_INVITE);
      onInvited();
    }
  };
  return (
    <>
      <h3>{t.admin.organisation.invite}</h3>
      <p aria-live="polite" className="admin-status">
        {status}
      </p>
      <AdminForm
        onSubmit={submit}
        state={state}
        submitLabel={t.admin.organisation.sendInvite}
        note={problem && <p role="alert">{problem}</p>}
      >
        <Field label={t.admin.organisation.email} type="email" {...bind('email')} required />
        <label htmlFor={`${id}-role`}>{t.admin.organisation.role}</label>
        <select id={`${id}-role`} {...bind('role')}>
            <option value="MANAGER">{t.admin.organisation.roles.MANAGER}</option>
            <option value="SUPPORT">{t.admin.organisation.roles.SUPPORT}</option>
        </select>
        {draft.role === 'SUPPORT' && (
          <Field
            label={t.admin.organisation.refundLimit(currency)}
            inputMode="decimal"
            placeholder={toMajorText(0, currency)}
            {...bind('limit')}
          />
        )}
      </AdminForm>
    </>
  );
}

const BLANK_ORG = { name: '', slug: '', currency: 'USD' };

function CreateOrganisationForm({ onCreated }: { onCreated: () => void }) {
  const { draft, setDraft, bind } = useDraft(BLANK_ORG);
  const [status, setStatus] = useState('');
  const [create, state] = useAction(() =>
    request(CreateOrganisation, {
      name: draft.name.trim(),
      slug: draft.slug.trim(),
      currency: draft.currency.trim().toUpperCase(),
    }),
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await create();
    if (done) {
      setStatus(t.admin.organisation.created(done.createOrganisation.name));
      setDraft(BLANK_ORG);
      onCreated();
    }
  };
  return (
    <>
      <h3>{t.admin.organisation.add}</h3>
      <p aria-live="polite" className="admin-status">
        {status}
      </p>
      <AdminForm onSubmit={submit} state={state} submitLabel={t.admin.organisation.create}>
        <Field label={t.admin.organisation.name} {...bind('name')} required maxLength={120} />
        <Field label={t.admin.organisation.slug} {...bind('slug')} required pattern="[a-z0-9\-]+" maxLength={60} />
        <Field label={t.admin.organisation.currency} {...bind('currency')} required maxLength={3} />
      </AdminForm>
    </>
  );
}
