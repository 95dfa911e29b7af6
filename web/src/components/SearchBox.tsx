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

const DEBOUNCE_MS = 150;
const MAX_SUGGESTIONS = 8;

function hrefOf(s: Suggestion): string {
  if (s.kind === 'MOVIE') return paths.movie(s.id);
  if (s.kind === 'EVENT') return paths.event(s.id);
  return paths.search(s.title);
}

/** The search field: a combobox with a list of suggestions, usable from the keyboard alone. */
export function SearchBox({ initial = '' }: { initial?: string }) {
  const id = useId();
  const listId = `${id}-list`;
  const [text, setText] = useState(initial);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const latest = useRef(0);

  useEffect(() => setText(initial), [initial]);

  useEffect(() => {
    const typed = text.trim();
    if (typed.length < 2) {
      setSuggestions([]);
      return;
    }
    const requestId = ++latest.current;
    const timer = window.setTimeout(async () => {
      try {
        const data = await request(SuggestQuery, { text: typed });
        if (requestId !== latest.current) return;
        const found: Suggestion[] = data.autocomplete.map((s) => ({ id: s.id, kind: s.kind, title: s.title }));
        for (const { item } of data.search.nodes) {
          const s: Suggestion =
            item.__typename === 'Theatre'
              ? { id: item.id, kind: 'THEATRE', title: item.name }
              : { id: item.id, kind: item.__typename === 'Movie' ? 'MOVIE' : 'EVENT', title: item.title };
          if (!found.some((f) => f.id === s.id && f.kind === s.kind)) found.push(s);
        }
        setSuggestions(found.slice(0, MAX_SUGGESTIONS));
        setActive(-1);
      } catch {
        // Suggestions are a convenience: on failure the buyer can still search with Enter.
        if (requestId === latest.current) setSuggestions([]);
      }
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);

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
