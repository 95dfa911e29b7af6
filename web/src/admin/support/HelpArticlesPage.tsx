import { useId, useState, type FormEvent } from 'react';
import { request } from '../../api/client';
import { useQuery } from '../../api/useQuery';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { AdminHelpArticlesQuery } from '../../gql/graphql';
import { t } from '../../i18n';
import { AdminForm, Field, useDraft, WideTextField } from '../AdminForm';
import { formatDateTime } from '../dateTime';
import { useManagedOrganisations, useStaffAccess } from '../staffAccess';
import { useAction } from '../useAction';
import { CreateHelpArticle, StaffHelpArticles, UpdateHelpArticle } from './operations';

type Article = AdminHelpArticlesQuery['staffHelpArticles'][number];

const CATEGORIES = Object.keys(t.help.categories);

const blank = () => ({ category: 'refunds', title: '', body: '', published: 'yes' });
type Draft = ReturnType<typeof blank>;

const inputOf = (d: Draft) => ({
  category: d.category,
  title: d.title.trim(),
  body: d.body.trim(),
  published: d.published === 'yes',
});

/** Help articles the caller may write: the platform's (platform admins) and their organisations' (managers). */
export function HelpArticlesPage() {
  const access = useStaffAccess();
  const articles = useQuery(StaffHelpArticles, {});
  const organisations = useManagedOrganisations();
  const [editing, setEditing] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const names = new Map(organisations.list.map((o) => [o.id, o.name]));
  const owners = [...(access.platform ? [{ id: '', name: t.admin.helpArticles.platform }] : []), ...organisations.list];
  const list = articles.data?.staffHelpArticles ?? [];
  const done = (message: string) => {
    setStatus(message);
    setEditing(null);
    articles.retry();
  };
  return (
    <section aria-labelledby="admin-help-h">
      <h2 id="admin-help-h">{t.admin.nav.helpArticles}</h2>
      {articles.status === 'error' && <ErrorNotice error={articles.error} onRetry={articles.retry} />}
      <p aria-live="polite" className="admin-status">
        {status}
      </p>
      {articles.status === 'ok' && list.length === 0 && <p>{t.admin.helpArticles.none}</p>}
      <ul className="admin-list">
        {list.map((a) => (
          <li key={a.id}>
            <div className="admin-row">
              <div>
                <strong>{a.title}</strong>{' '}
                <span className="admin-badge">{a.published ? t.admin.helpArticles.live : t.admin.helpArticles.draft}</span>
                <p className="muted">
                  {t.help.categories[a.category] ?? a.category} ·{' '}
                  {t.admin.helpArticles.ownedBy(
                    a.organisationId ? (names.get(a.organisationId) ?? a.organisationId) : t.admin.helpArticles.platformLower,
                  )}{' '}
                  · {t.admin.helpArticles.updated} {formatDateTime(a.updatedAt)}
                </p>
              </div>
              <button
                type="button"
                aria-expanded={editing === a.id}
                onClick={() => setEditing(editing === a.id ? null : a.id)}
              >
                {t.admin.helpArticles.editNamed(a.title)}
              </button>
            </div>
            {editing === a.id && <EditArticle article={a} onSaved={(title) => done(t.admin.helpArticles.saved(title))} />}
          </li>
        ))}
      </ul>
      {owners.length > 0 && (
        <CreateArticle owners={owners} onCreated={(title) => done(t.admin.helpArticles.created(title))} />
      )}
    </section>
  );
}

function ArticleFields({ bind, draft, setDraft }: ReturnType<typeof useDraft<Draft>>) {
  const id = useId();
  return (
    <>
      <label htmlFor={`${id}-cat`}>
        {t.admin.helpArticles.category}
        <select id={`${id}-cat`} {...bind('category')}>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t.help.categories[c]}
            </option>
          ))}
        </select>
      </label>
      <Field label={t.admin.helpArticles.title} {...bind('title')} required maxLength={200} />
      <WideTextField label={t.admin.helpArticles.body} rows={8} {...bind('body')} required />
      <label className="admin-check">
        <input
          type="checkbox"
          checked={draft.published === 'yes'}
          onChange={(e) => setDraft((d) => ({ ...d, published: e.target.checked ? 'yes' : 'no' }))}
        />
        {t.admin.helpArticles.published}
      </label>
    </>
  );
}

function EditArticle({ article, onSaved }: { article: Article; onSaved: (title: string) => void }) {
  const form = useDraft<Draft>(() => ({
    category: article.category,
    title: article.title,
    body: article.body,
    published: article.published ? 'yes' : 'no',
  }));
  const [save, state] = useAction(() => request(UpdateHelpArticle, { id: article.id, input: inputOf(form.draft) }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await save();
    if (done) onSaved(done.updateHelpArticle.title);
  };
  return (
    <div className="admin-inline-form">
      <AdminForm onSubmit={submit} state={state} submitLabel={t.admin.save}>
        <ArticleFields {...form} />
      </AdminForm>
    </div>
  );
}

function CreateArticle({ owners, onCreated }: { owners: { id: string; name: string }[]; onCreated: (title: string) => void }) {
  const id = useId();
  const form = useDraft<Draft>(blank);
  const [owner, setOwner] = useState(owners[0]?.id ?? '');
  const [create, state] = useAction(() =>
    request(CreateHelpArticle, { org: owner || null, input: inputOf(form.draft) }),
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await create();
    if (done) {
      form.setDraft(blank());
      onCreated(done.createHelpArticle.title);
    }
  };
  return (
    <>
      <h3>{t.admin.helpArticles.add}</h3>
      <AdminForm onSubmit={submit} state={state} submitLabel={t.admin.helpArticles.create}>
        {owners.length > 1 && (
          <label htmlFor={`${id}-owner`}>
            {t.admin.helpArticles.owner}
            <select id={`${id}-owner`} value={owner} onChange={(e) => setOwner(e.target.value)}>
              {owners.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <ArticleFields {...form} />
      </AdminForm>
    </>
  );
}
