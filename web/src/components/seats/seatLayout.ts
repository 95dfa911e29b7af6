import type { SeatFieldsFragment, SeatStatus } from '../../gql/graphql';

export type Seat = SeatFieldsFragment;

/** One row of the map: its seats left to right, kept as one array so that a change elsewhere leaves it untouched. */
export interface SeatRow {
  y: number;
  label: string;
  seats: Seat[];
}

/**
 * The map as drawn: rows in grid order, and where each seat sits in them. Live changes
 * replace only the seat objects (and row arrays) they touch, so memoised rows and seats
 * that did not change are not drawn again.
 */
export interface SeatLayout {
  rows: SeatRow[];
  where: Map<string, [row: number, index: number]>;
  columns: number;
  minX: number;
}

export function buildLayout(seats: Seat[], previous?: SeatLayout): SeatLayout {
  const byY = new Map<number, Seat[]>();
  let minX = Infinity;
  let maxX = -Infinity;
  for (const seat of seats) {
    const old = previous ? seatAt(previous, seat.id) : undefined;
    // Keep the seat object a re-read did not change, so its button is not drawn again.
    const kept = old && sameSeat(old, seat) ? old : seat;
    let row = byY.get(seat.y);
    if (!row) byY.set(seat.y, (row = []));
    row.push(kept);
    minX = Math.min(minX, seat.x);
    maxX = Math.max(maxX, seat.x);
  }
  const rows: SeatRow[] = [...byY.entries()]
    .sort(([a], [b]) => a - b)
    .map(([y, rowSeats]) => {
      rowSeats.sort((a, b) => a.x - b.x);
      const label = rowSeats[0]?.row ?? '';
      const old = previous?.rows.find((r) => r.y === y);
      const unchanged =
        old && old.seats.length === rowSeats.length && old.seats.every((s, i) => s === rowSeats[i]);
      return unchanged ? old : { y, label, seats: rowSeats };
    });
  const where = new Map<string, [number, number]>();
  rows.forEach((r, ri) => r.seats.forEach((s, si) => where.set(s.id, [ri, si])));
  return { rows, where, columns: seats.length ? maxX - minX + 1 : 0, minX: seats.length ? minX : 0 };
}

function sameSeat(a: Seat, b: Seat): boolean {
  return (
    a.status === b.status &&
    a.priceCents === b.priceCents &&
    a.category === b.category &&
    a.x === b.x &&
    a.y === b.y &&
    a.row === b.row &&
    a.number === b.number
  );
}

export function seatAt(layout: SeatLayout, id: string): Seat | undefined {
  const at = layout.where.get(id);
  return at ? layout.rows[at[0]]?.seats[at[1]] : undefined;
}

/** The layout with some seats' statuses changed; rows without a change keep their identity. */
export function applyChanges(layout: SeatLayout, changes: { seatId: string; status: SeatStatus }[]): SeatLayout {
  let rows: SeatRow[] | null = null;
  const copied = new Set<number>();
  for (const change of changes) {
    const at = layout.where.get(change.seatId);
    if (!at) continue;
    const [ri, si] = at;
    const current = (rows ?? layout.rows)[ri]!;
    const seat = current.seats[si]!;
    if (seat.status === change.status) continue;
    rows ??= layout.rows.slice();
    if (!copied.has(ri)) {
      rows[ri] = { ...current, seats: current.seats.slice() };
      copied.add(ri);
    }
    rows[ri]!.seats[si] = { ...seat, status: change.status };
  }
  return rows ? { ...layout, rows } : layout;
}

export function allSeats(layout: SeatLayout): Seat[] {
  return layout.rows.flatMap((r) => r.seats);
}

/** The seat to move to from `id` with an arrow key (or Home/End), or undefined at an edge. */
export function neighbour(layout: SeatLayout, id: string, key: string): Seat | undefined {
  const at = layout.where.get(id);
  if (!at) return undefined;
  const [ri, si] = at;
  const row = layout.rows[ri]!;
  switch (key) {
    case 'ArrowLeft':
      return row.seats[si - 1];
    case 'ArrowRight':
      return row.seats[si + 1];
    case 'Home':
      return row.seats[0];
    case 'End':
      return row.seats[row.seats.length - 1];
    case 'ArrowUp':
    case 'ArrowDown': {
      const other = layout.rows[key === 'ArrowUp' ? ri - 1 : ri + 1];
      if (!other) return undefined;
      const x = row.seats[si]!.x;
      // The seat straight above or below, or the nearest one in that row when there is a gap.
      let best: Seat | undefined;
      for (const s of other.seats) if (!best || Math.abs(s.x - x) < Math.abs(best.x - x)) best = s;
      return best;
    }
    default:
      return undefined;
  }
}
