import { useState, type FormEvent } from 'react';
import { useQuery } from '../../api/useQuery';
import { ErrorNotice } from '../../components/ErrorNotice';
import { t } from '../../i18n';
import { Link, navigate, paths } from '../../router';
import { HelpArticlesQuery, SearchHelpQuery } from './operations';
import { MoreHelp } from './MoreHelp';
import './help.css';

/** Words of an article's text to show under its title in search results. */
const excerpt = (body: string) => (body.length > 160 ? `${body.slice(0, 157).trimEnd()}…` : body);

/** The help center: a search over the articles, and the articles by topic when not searching. */
export function HelpCenter({ query }: { query: string }) {
  const [text, setText] = useState(query);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(paths.help(text.trim()));
  };
  return (
    <section aria-labelledby="help-heading">
      <h1 id="help-heading">{t.help.title}</h1>
      <p>{t.help.intro}</p>
      <form role="search" className="help-search" onSubmit={submit}>
        <label>
          {t.help.searchLabel}
          <input type="search" value={text} placeholder={t.help.searchPlaceholder} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit">{t.help.search}</button>
      </form>
      {query.trim() ? <SearchResults key={query} query={query.trim()} /> : <Topics />}
      <MoreHelp />
    </section>
  );
}

function SearchResults({ query }: { query: string }) {
  const found = useQuery(SearchHelpQuery, { query });
  const hits = found.data?.searchHelp ?? [];
  return (
    <section aria-labelledby="help-results-heading" aria-busy={found.status === 'loading'}>
      <h2 id="help-results-heading">{t.help.results(query)}</h2>
      {found.status === 'error' && <ErrorNotice error={found.error} onRetry={found.retry} />}
      {found.status === 'ok' && hits.length === 0 && <p>{t.help.noResults(query)}</p>}
      <ul className="help-list">
        {hits.map((a) => (
          <li key={a.id}>
            <Link href={paths.helpArticle(a.id)}>{a.title}</Link>{' '}
            <span className="muted">· {t.help.categories[a.category] ?? a.category}</span>
            <p className="muted">{excerpt(a.body)}</p>
          </li>
        ))}
      </ul>
      <p>
        <Link href={paths.help()}>{t.help.showAll}</Link>
      </p>
    </section>
  );
}

function Topics() {
  const list = useQuery(HelpArticlesQuery, {});
  if (list.status === 'error') return <ErrorNotice error={list.error} onRetry={list.retry} />;
  if (!list.data) return <p aria-busy="true">{t.loading}</p>;
  const articles = list.data.helpArticles;
  if (articles.length === 0) return <p>{t.help.none}</p>;
  // The known topics in their usual order, then any other the staff used.
  const known = Object.keys(t.help.categories);
  const categories = [...new Set([...known, ...articles.map((a) => a.category)])].filter((c) =>
    articles.some((a) => a.category === c),
  );
  return (
    <>
      <h2>{t.help.browse}</h2>
      <div className="help-topics">
        {categories.map((c) => (
          <section key={c} aria-labelledby={`topic-${c}`}>
            <h3 id={`topic-${c}`}>{t.help.categories[c] ?? c}</h3>
            <ul className="help-list">
              {articles
                .filter((a) => a.category === c)
                .map((a) => (
                  <li key={a.id}>
                    <Link href={paths.helpArticle(a.id)}>{a.title}</Link>
                  </li>
                ))}
            </ul>
          </section>
        ))}
      </div>
    </>
  );
}
