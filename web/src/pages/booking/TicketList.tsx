import { t } from '../../i18n';

export interface TicketView {
  code: string;
  row: string;
  number: number;
  /** "Floor, General admission" (older saved tickets have none). */
  label?: string;
  status: string;
  qrSvg: string;
}

/**
 * The server's QR image as an `<img>`: an SVG shown as an image runs no script and
 * cannot reach the page, whatever it holds; anything that is not an SVG is not shown.
 */
function qrSource(svg: string): string | null {
  const start = svg.trimStart().slice(0, 200).toLowerCase();
  if (!start.startsWith('<svg') && !start.startsWith('<?xml')) return null;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export function TicketList({ tickets }: { tickets: TicketView[] }) {
  return (
    <ul className="tickets">
      {tickets.map((ticket) => {
        const src = qrSource(ticket.qrSvg);
        const status = t.bookings.ticketStatus[ticket.status] ?? ticket.status;
        // A general-admission place has no row: its ticket names its area.
        const name = ticket.row ? t.bookings.ticket(ticket.row, ticket.number) : (ticket.label ?? '');
        return (
          <li key={ticket.code} className={`ticket ticket-${ticket.status}`}>
            <h3>{name}</h3>
            {src && (
              <img
                className="ticket-qr"
                src={src}
                width={200}
                height={200}
                alt={
                  ticket.row
                    ? t.bookings.qrAlt(ticket.row, ticket.number, ticket.code)
                    : t.bookings.qrAltNamed(name, ticket.code)
                }
              />
            )}
            <p className="ticket-code">
              {t.bookings.ticketCode}: <code>{ticket.code}</code>
            </p>
            <p className="ticket-status">{status}</p>
          </li>
        );
      })}
    </ul>
  );
}
