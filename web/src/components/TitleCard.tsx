import { Link } from '../router';
import { Poster } from './Poster';

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
        <Poster url={posterUrl} title={title} alt="" className="card-poster" width={160} height={240} />
        <span className="card-title">{title}</span>
      </Link>
      <p className="card-details">{details}</p>
    </li>
  );
}
