import { Link } from '../router';

/** A poster tile linking to a movie or event page. */
export function TitleCard({
  href,
  title,
  posterUrl,
  details,
}: {
  href: string;
  title: string;
  posterUrl: string | null;
  details: string;
}) {
  return (
    <li className="card">
      <Link href={href} className="card-link">
        {posterUrl ? (
          <img src={posterUrl} alt="" loading="lazy" width={160} height={240} className="card-poster" />
        ) : (
          <span className="card-poster card-poster-blank" aria-hidden="true">
            {title.slice(0, 1)}
          </span>
        )}
        <span className="card-title">{title}</span>
      </Link>
      <p className="card-details">{details}</p>
    </li>
  );
}
