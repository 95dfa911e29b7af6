import { t } from '../i18n';
import { Link, paths } from '../router';

export function NotFound({ message = t.notFound.body }: { message?: string }) {
  return (
    <section aria-labelledby="not-found">
      <h1 id="not-found">{t.notFound.title}</h1>
      <p>{message}</p>
      <p>
        <Link href={paths.home()}>{t.notFound.home}</Link>
      </p>
    </section>
  );
}
