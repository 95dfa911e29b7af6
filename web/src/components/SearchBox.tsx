import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { request } from '../api/client';
import { graphql } from '../gql';
import { t } from '../i18n';
import { navigate, paths } from '../router';

/**
 * As the buyer types: titles completing the words (`autocomplete`), then the best matches of
 * the full-text search, which forgives typos, so "intersteller" still finds its film.
 */
const SuggestQuery = graphql(`
  query Suggest($text: String!) {
    autocomplete(prefix: $text, first: 6) {
      id
      kind
      title
    }
    search(query: $text, first: 4) {
      nodes {
        item {
          __typename
          ... on Movie {
            id
            title
          }
          ... on Event {
            id
            title
          }
          ... on Theatre {
            id
            name
          }
        }
      }
    }
  }
`);

interface Suggestion {
  id: string;
  kind: 'MOVIE' | 'EVENT' | 'THEATRE';
  title: string;
}

/** A pause in typing this long asks for suggestions once; keys pressed faster ask nothing. */
const DEBOUNCE_MS = 200;
const MAX_SUGGESTIONS = 8;
/** Answers kept for texts typed again (a deleted letter, typed back), for a minute. */
const REMEMBERED = 20;
const REMEMBER_MS = 60_000;

function hrefOf(s: Suggestion): string {
  if (s.kind === 'MOVIE') return paths.movie(s.id);
  if (s.kind === 'EVENT') return paths.event(s.id);
  return paths.search(s.title);
}

/** Completions first, then the typo-forgiving search's best matches not already listed. */
async function fetchSuggestions(text: string): Promise<Suggestion[]> {
  const data = await request(SuggestQuery, { text });
  const found: Suggestion[] = data.autocomplete.map((s) => ({ id: s.id, kind: s.kind, title: s.title }));
  for (const { item } of data.search.nodes) {
    const s: Suggestion =
      item.__typename === 'Theatre'
        ? { id: item.id, kind: 'THEATRE', title: item.name }
        : { id: item.id, kind: item.__typename === 'Movie' ? 'MOVIE' : 'EVENT', title: item.title };
    if (!found.some((f) => f.id === s.id && f.kind === s.kind)) found.push(s);
  }
  return found.slice(0, MAX_SUGGESTIONS);
}

/** The search field: a combobox with a list of suggestions, usable from the keyboard alone. */
export function SearchBox({ initial = '' }: { initial?: string }) {
  const id = useId();
  const listId = `${id}-list`;
  const [text, setText] = useState(initial);
  // Only what the buyer types asks for suggestions, not the query a results page puts back.
  const [typed, setTyped] = useState('');
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const latest = useRef(0);
  const answers = useRef(new Map<string, { found: Suggestion[]; at: number }>());

  useEffect(() => {
    setText(initial);
    setTyped('');
  }, [initial]);

  useEffect(() => {
    const wanted = typed.trim();
    // Every change supersedes the request before it: a late answer to older text is dropped.
    const requestId = ++latest.current;
    const show = (found: Suggestion[]) => {
      setSuggestions(found);
      setActive(-1);
    };
    if (wanted.length < 2) {
      show([]);
      return;
    }
    const known = answers.current.get(wanted);
    if (known && Date.now() - known.at < REMEMBER_MS) {
      show(known.found);
      return;
    }
    const timer = window.setTimeout(async () => {
      try {
        const found = await fetchSuggestions(wanted);
        answers.current.delete(wanted);
        answers.current.set(wanted, { found, at: Date.now() });
        if (answers.current.size > REMEMBERED) answers.current.delete(answers.current.keys().next().value!);
        if (requestId === latest.current) show(found);
      } catch {
        // Suggestions are a convenience: on failure the buyer can still search with Enter.
        if (requestId === latest.current) show([]);
      }
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [typed]);

  const expanded = open && suggestions.length > 0;

  const go = (href: string) => {
    setOpen(false);
    setActive(-1);
    navigate(href);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((i) => (suggestions.length ? (i + 1) % suggestions.length : -1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => (suggestions.length ? (i <= 0 ? suggestions.length - 1 : i - 1) : -1));
    } else if (e.key === 'Escape') {
      if (expanded) {
        e.preventDefault();
        setOpen(false);
        setActive(-1);
      }
    } else if (e.key === 'Enter') {
      const chosen = expanded && active >= 0 ? suggestions[active] : undefined;
      if (chosen) {
        e.preventDefault();
        go(hrefOf(chosen));
      }
    }
  };

  return (
    <form
      role="search"
      className="search"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) go(paths.search(text.trim()));
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        {t.search.label}
      </label>
      <input
        id={id}
        type="search"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        placeholder={t.search.placeholder}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setTyped(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => window.setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      <button type="submit">{t.search.submit}</button>
      <ul id={listId} role="listbox" aria-label={t.search.suggestions} className="suggestions" hidden={!expanded}>
        {suggestions.map((s, i) => (
          <li
            key={`${s.kind}:${s.id}`}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => go(hrefOf(s))}
          >
            <span className="suggestion-title">{s.title}</span>
            <span className="suggestion-kind">{t.search.kind[s.kind]}</span>
          </li>
        ))}
      </ul>
    </form>
  );
}
