import { useQuery } from '../api/useQuery';
import { ErrorNotice } from '../components/ErrorNotice';
import { graphql } from '../gql';
import { t } from '../i18n';
import { Link, paths } from '../router';

const SearchQuery = graphql(`
  query SearchPage($query: String!) {
    search(query: $query, first: 20) {
      nodes {
        snippet
        item {
          __typename
          ... on Movie {
            id
            title
            certificate
            runtimeMinutes
          }
          ... on Event {
            id
            title
            performer
          }
          ... on Theatre {
            id
            name
            city
            state
          }
        }
      }
    }
  }
`);

/** Search results: titles and theatres, best first (typos forgiven by the API). */
export function SearchPage({ query }: { query: string }) {
  const result = useQuery(SearchQuery, { query }, { skip: query.trim() === '' });
  const hits = result.data?.search.nodes ?? [];
  return (
    <section aria-labelledby="search-heading">
      <h1 id="search-heading">{t.search.results(query)}</h1>
      {result.status === 'error' && <ErrorNotice error={result.error} onRetry={result.retry} />}
      {result.status === 'ok' && hits.length === 0 && <p>{t.search.noResults(query)}</p>}
      <ul className="results" aria-busy={result.status === 'loading'}>
        {hits.map(({ item }) => {
          if (item.__typename === 'Movie')
            return (
              <li key={`m${item.id}`}>
                <Link href={paths.movie(item.id)}>{item.title}</Link>{' '}
                <span className="muted">
                  {t.search.kind.MOVIE} · {item.certificate} · {t.title.runtime(item.runtimeMinutes)}
                </span>
              </li>
            );
          if (item.__typename === 'Event')
            return (
              <li key={`e${item.id}`}>
                <Link href={paths.event(item.id)}>{item.title}</Link>{' '}
                <span className="muted">
                  {t.search.kind.EVENT} · {item.performer}
                </span>
              </li>
            );
          return (
            <li key={`t${item.id}`}>
              <strong>{item.name}</strong>{' '}
              <span className="muted">
                {t.search.kind.THEATRE} · {item.city}, {item.state}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
