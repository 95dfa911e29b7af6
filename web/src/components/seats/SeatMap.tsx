import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { formatMoney } from '../../format';
import { t } from '../../i18n';
import { neighbour, type Seat, type SeatLayout, type SeatRow } from './seatLayout';
import { CHANGE_MARK } from './useLiveSeats';

/** What a seat shows: the buyer's own choice or hold first, then the seat's status. */
export type SeatState = 'available' | 'selected' | 'mine' | 'HELD' | 'SOLD' | 'BLOCKED';

/** The seat's symbol besides its colour, so that no state is told by colour alone. */
export const seatSymbol = (seat: Pick<Seat, 'category'>, state: SeatState): string => {
  switch (state) {
    case 'selected':
      return '✓';
    case 'mine':
      return '★';
    case 'HELD':
    case 'SOLD':
      return '×';
    case 'BLOCKED':
      return '–';
    case 'available':
      return seat.category === 'ACCESSIBLE' ? '♿' : seat.category === 'COMPANION' ? 'C' : '';
  }
};

export const FIRST_RENDER_MEASURE = 'seat-map-first-render';
export const APPLY_MEASURE = 'seat-map-apply';

interface SeatMapProps {
  layout: SeatLayout;
  currency: string;
  selected: ReadonlySet<string>;
  mine: ReadonlySet<string>;
  readOnly: boolean;
  fit: boolean;
  onToggle: (seat: Seat) => void;
  /** A seat that cannot be chosen was pressed: the buyer is told why. */
  onRefused: (seat: Seat) => void;
}

/**
 * The seats as an ARIA grid: one tab stop, the arrow keys move between seats (Home and
 * End to a row's ends), Enter or Space chooses. Rows and seats are memoised, so a live
 * change redraws only the seats it touches, even with thousands on the map.
 */
export function SeatMap({ layout, currency, selected, mine, readOnly, fit, onToggle, onRefused }: SeatMapProps) {
  const startedAt = useRef(performance.now());
  const grid = useRef<HTMLDivElement>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const first = useRef(true);

  const toggle = useRef(onToggle);
  toggle.current = onToggle;
  const refuse = useRef(onRefused);
  refuse.current = onRefused;
  const stableToggle = useCallback(
    (seat: Seat, choosable: boolean) => (choosable ? toggle.current(seat) : refuse.current(seat)),
    [],
  );

  // The seat that takes the tab stop: the last one focused, else the first available.
  const tabStop = useMemo(() => {
    if (focusId && layout.where.has(focusId)) return focusId;
    for (const row of layout.rows) for (const s of row.seats) if (s.status === 'AVAILABLE') return s.id;
    return layout.rows[0]?.seats[0]?.id ?? null;
  }, [focusId, layout]);

  const perRow = useMemo(() => {
    const keys = layout.rows.map(() => ({ selected: '', mine: '' }));
    const add = (ids: ReadonlySet<string>, field: 'selected' | 'mine') => {
      for (const id of ids) {
        const at = layout.where.get(id);
        if (at) keys[at[0]]![field] += `${id} `;
      }
    };
    add(selected, 'selected');
    add(mine, 'mine');
    return keys;
  }, [layout, selected, mine]);

  useLayoutEffect(() => {
    if (first.current) {
      first.current = false;
      performance.measure(FIRST_RENDER_MEASURE, { start: startedAt.current });
      return;
    }
    if (performance.getEntriesByName(CHANGE_MARK, 'mark').length > 0) {
      performance.measure(APPLY_MEASURE, CHANGE_MARK);
      performance.clearMarks(CHANGE_MARK);
    }
  }, [layout]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const id = (e.target as HTMLElement).dataset.seatId;
    if (!id) return;
    const next = neighbour(layout, id, e.key);
    if (!next) return;
    e.preventDefault();
    setFocusId(next.id);
    grid.current?.querySelector<HTMLElement>(`[data-seat-id="${CSS.escape(next.id)}"]`)?.focus();
  };

  return (
    <div className={`seat-map${fit ? ' seat-map-fit' : ''}`} style={{ ['--seat-columns' as string]: layout.columns }}>
      <div className="seat-screen" aria-hidden="true">
        {t.seatPicker.screenThisWay}
      </div>
      <p id="seat-map-hint" className="visually-hidden">
        {t.seatPicker.mapHint}
      </p>
      <div
        ref={grid}
        role="grid"
        aria-label={t.seatPicker.mapLabel}
        aria-describedby="seat-map-hint"
        aria-readonly={readOnly || undefined}
        className="seat-grid"
        onKeyDown={onKeyDown}
        onFocus={(e) => {
          const id = (e.target as HTMLElement).dataset.seatId;
          if (id) setFocusId(id);
        }}
      >
        {layout.rows.map((row, i) => (
          <Row
            key={row.y}
            row={row}
            gap={i > 0 && row.y - layout.rows[i - 1]!.y > 1}
            minX={layout.minX}
            currency={currency}
            selectedKey={perRow[i]!.selected}
            mineKey={perRow[i]!.mine}
            tabStop={tabStop && layout.where.get(tabStop)?.[0] === i ? tabStop : null}
            readOnly={readOnly}
            onToggle={stableToggle}
          />
        ))}
      </div>
    </div>
  );
}

interface RowProps {
  row: SeatRow;
  gap: boolean;
  minX: number;
  currency: string;
  selectedKey: string;
  mineKey: string;
  tabStop: string | null;
  readOnly: boolean;
  onToggle: (seat: Seat, choosable: boolean) => void;
}

const Row = memo(function Row({ row, gap, minX, currency, selectedKey, mineKey, tabStop, readOnly, onToggle }: RowProps) {
  const label = t.seatPicker.row(row.label);
  return (
    <div role="row" className={`seat-row${gap ? ' seat-row-gap' : ''}`}>
      <span role="rowheader" className="seat-row-label" aria-label={label}>
        {row.label}
      </span>
      {row.seats.map((seat) => {
        const state: SeatState = mineKey.includes(seat.id)
          ? 'mine'
          : selectedKey.includes(seat.id)
            ? 'selected'
            : seat.status === 'AVAILABLE'
              ? 'available'
              : seat.status;
        return (
          <SeatCell
            key={seat.id}
            seat={seat}
            column={seat.x - minX + 2}
            state={state}
            focusable={seat.id === tabStop}
            currency={currency}
            readOnly={readOnly}
            onToggle={onToggle}
          />
        );
      })}
    </div>
  );
});

interface SeatCellProps {
  seat: Seat;
  column: number;
  state: SeatState;
  focusable: boolean;
  currency: string;
  readOnly: boolean;
  onToggle: (seat: Seat, choosable: boolean) => void;
}

export function seatName(seat: Seat, state: SeatState, currency: string): string {
  const price = seat.priceCents == null ? t.seatPicker.noPrice : formatMoney(seat.priceCents, currency);
  return t.seatPicker.seatName(
    seat.row,
    seat.number,
    t.seatCategory[seat.category] ?? seat.category,
    price,
    t.seatPicker.state[state] ?? state,
  );
}

const SeatCell = memo(function SeatCell({ seat, column, state, focusable, currency, readOnly, onToggle }: SeatCellProps) {
  const choosable = !readOnly && seat.priceCents != null && (state === 'available' || state === 'selected');
  return (
    <span role="gridcell" className="seat-cell" style={{ gridColumn: column }}>
      <button
        type="button"
        className={`seat seat-${state.toLowerCase()} seat-cat-${seat.category.toLowerCase()}`}
        data-seat-id={seat.id}
        data-state={state}
        tabIndex={focusable ? 0 : -1}
        aria-label={seatName(seat, state, currency)}
        aria-pressed={state === 'selected'}
        aria-disabled={!choosable || undefined}
        onClick={() => !readOnly && onToggle(seat, choosable)}
      >
        <span aria-hidden="true">{seatSymbol(seat, state)}</span>
      </button>
    </span>
  );
});
