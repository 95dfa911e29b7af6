import { t } from '../i18n';

/**
 * The staff panel, loaded only when an admin opens /admin (its code stays out of the
 * buyers' first page). `path` is what follows /admin/.
 */
export default function AdminApp({ path }: { path: string[] }) {
  return (
    <section data-path={path.join('/')}>
      <h1>{t.admin.title}</h1>
    </section>
  );
}
