/**
 * The screen layout notation, checked in the browser by the server's own rules
 * (domain/src/catalog/layout.rs) so that staff see mistakes as they type: one character per
 * position, `S` standard, `P` premium, `A` wheelchair space, `C` companion (next to an
 * `A`), `_` gap or aisle; labels 1-3 letters or digits, unique; rows at most 80
 * positions; at most 2,000 seats. The server still has the last word.
 */
import { t } from '../i18n';

export const MAX_SEATS = 2_000;
export const MAX_ROW_WIDTH = 80;

export type LayoutCategory = 'STANDARD' | 'PREMIUM' | 'ACCESSIBLE' | 'COMPANION';

const CATEGORY: Record<string, LayoutCategory | null> = {
  S: 'STANDARD',
  P: 'PREMIUM',
  A: 'ACCESSIBLE',
  C: 'COMPANION',
  _: null,
};

export interface LayoutRowDraft {
  label: string;
  seats: string;
}

export interface ParsedRow {
  label: string;
  /** Positions left to right: a category, or null for a gap. */
  positions: (LayoutCategory | null)[];
  seatCount: number;
}

export interface ParsedLayout {
  rows: ParsedRow[];
  seatCount: number;
  /** One message per problem, in the order of the rows. */
  problems: string[];
}

/**
 * Reads the rows as the server would (labels and seats trimmed and upper-cased), keeping
 * whatever can be drawn and listing every problem rather than stopping at the first.
 */
export function parseLayout(drafts: LayoutRowDraft[]): ParsedLayout {
  const problems: string[] = [];
  const rows: ParsedRow[] = [];
  const seen = new Set<string>();
  let seatCount = 0;
  if (drafts.length === 0) problems.push(t.admin.layout.noRows);
  for (const draft of drafts) {
    const label = draft.label.trim().toUpperCase();
    const notation = draft.seats.trim().toUpperCase();
    const shown = label || '?';
    if (!/^[A-Z0-9]{1,3}$/.test(label)) problems.push(t.admin.layout.badLabel(shown));
    else if (seen.has(label)) problems.push(t.admin.layout.duplicate(label));
    seen.add(label);
    const chars = [...notation];
    if (chars.length > MAX_ROW_WIDTH) problems.push(t.admin.layout.tooWide(shown, MAX_ROW_WIDTH));
    const positions: (LayoutCategory | null)[] = [];
    let seats = 0;
    chars.forEach((c, x) => {
      if (!(c in CATEGORY)) {
        problems.push(t.admin.layout.badChar(shown, c, x + 1));
        positions.push(null);
        return;
      }
      const category = CATEGORY[c] ?? null;
      if (category === 'COMPANION' && chars[x - 1] !== 'A' && chars[x + 1] !== 'A') {
        problems.push(t.admin.layout.lonelyCompanion(shown, x + 1));
      }
      if (category) seats++;
      positions.push(category);
    });
    if (seats === 0) problems.push(t.admin.layout.noSeats(shown));
    seatCount += seats;
    rows.push({ label: shown, positions, seatCount: seats });
  }
  if (seatCount > MAX_SEATS) problems.push(t.admin.layout.tooMany(seatCount, MAX_SEATS));
  return { rows, seatCount, problems };
}

/** The editor's text, one row per line: `A: AC__SSSS__CA` (a line without a colon is seats only, labelled in order). */
export function parseLines(text: string): LayoutRowDraft[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.map((line, i) => {
    const colon = line.indexOf(':');
    if (colon < 0) return { label: rowName(i), seats: line };
    return { label: line.slice(0, colon), seats: line.slice(colon + 1) };
  });
}

/** A, B, … Z, AA, AB, … : the label of the i-th row when none is typed. */
function rowName(i: number): string {
  let n = i;
  let name = '';
  do {
    name = String.fromCharCode(65 + (n % 26)) + name;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return name;
}
