import type { ReactNode } from 'react';
import { t } from '../i18n';
import { Link } from '../router';

/**
 * A movie or an event in the staff lists: its page and what it is, its showtimes, and the
 * buttons to change or retire it; the change form (`children`) opens under it.
 */
export function TitleRow({
  href,
  title,
  details,
  showtimesHref,
  editing,
  onToggleEdit,
  onDelete,
  children,
}: {
  href: string;
  title: string;
  details: string;
  showtimesHref: string;
  editing: boolean;
  onToggleEdit: () => void;
  onDelete: () => void;
  children: ReactNode;
}) {
  return (
    <li>
      <div className="admin-row">
        <span>
          <Link href={href}>{title}</Link> <span className="muted">{details}</span>
        </span>
        <span className="admin-actions">
          <Link href={showtimesHref}>{t.admin.titles.showtimes}</Link>
          <button type="button" aria-expanded={editing} onClick={onToggleEdit} aria-label={t.admin.titles.editNamed(title)}>
            {t.admin.edit}
          </button>
          <button type="button" className="admin-danger" onClick={onDelete} aria-label={t.admin.titles.deleteNamed(title)}>
            {t.admin.delete}
          </button>
        </span>
      </div>
      {editing && children}
    </li>
  );
}
