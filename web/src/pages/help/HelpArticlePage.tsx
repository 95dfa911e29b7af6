import { useQuery } from '../../api/useQuery';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatMoment } from '../../format';
import { t } from '../../i18n';
import { Link, paths } from '../../router';
import { MoreHelp } from './MoreHelp';
import { HelpArticleQuery } from './operations';
import './help.css';

/** One help article, readable without signing in. */
export function HelpArticlePage({ id }: { id: string }) {
  const found = useQuery(HelpArticleQuery, { id });
  if (found.status === 'error') {
    if (found.error.code === 'NOT_FOUND') return <Missing />;
    return <ErrorNotice error={found.error} onRetry={found.retry} />;
  }
  if (!found.data) return <p aria-busy="true">{t.loading}</p>;
  const a = found.data.helpArticle;
  return (
    <article aria-labelledby="article-heading">
      <p>
        <Link href={paths.help()}>{t.help.back}</Link> · {t.help.categories[a.category] ?? a.category}
      </p>
      <h1 id="article-heading">{a.title}</h1>
      <p className="muted">{t.help.updated(formatMoment(a.updatedAt, false))}</p>
      <div className="help-body">{a.body}</div>
      <MoreHelp />
    </article>
  );
}

function Missing() {
  return (
    <section aria-labelledby="article-heading">
      <h1 id="article-heading">{t.help.notFound}</h1>
      <p>
        <Link href={paths.help()}>{t.help.back}</Link>
      </p>
    </section>
  );
}
