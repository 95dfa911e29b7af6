import { t } from '../../i18n';
import { Link, paths } from '../../router';

/** Where to go when the articles did not answer: a ticket, or the tickets already open. */
export function MoreHelp() {
  return (
    <aside className="help-more" aria-labelledby="more-help-heading">
      <h2 id="more-help-heading">{t.help.stillNeedHelp}</h2>
      <ul>
        <li>
          <Link href={paths.contactSupport()}>{t.help.contact}</Link>
        </li>
        <li>
          <Link href={paths.myTickets()}>{t.help.myTickets}</Link>
        </li>
      </ul>
    </aside>
  );
}
