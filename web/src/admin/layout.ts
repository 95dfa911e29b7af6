/**
 * The venue layout notation, checked in the browser by the server's own rules
 * (domain/src/catalog/layout.rs) so that staff see mistakes as they type: one character per
 * position, `S` standard, `P` premium, `A` wheelchair space, `C` companion (next to an
 * `A`), `_` gap or aisle; labels 1-3 letters or digits, unique within a section; rows at
 * most 400 positions; at most 60,000 places. A line starting with `#` starts a section
 * (see `parseVenue`); without one, the rows are a screen of one section. The server
 * still has the last word.
 */
import { t } from '../i18n';

export const MAX_SEATS = 60_000;
export const MAX_ROW_WIDTH = 400;
export const MAX_SECTIONS = 500;

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
export function parseLayout(drafts: LayoutRowDraft[], within = ''): ParsedLayout {
  const problems: string[] = [];
  const rows: ParsedRow[] = [];
  const seen = new Set<string>();
  let seatCount = 0;
  if (drafts.length === 0 && !within) problems.push(t.admin.layout.noRows);
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
  if (!within && seatCount > MAX_SEATS) problems.push(t.admin.layout.tooMany(seatCount, MAX_SEATS));
  if (!within) return { rows, seatCount, problems };
  const inSection = problems.map((p) => t.admin.layout.inSection(within, p));
  if (drafts.length === 0) inSection.unshift(t.admin.layout.sectionNoRows(within));
  return { rows, seatCount, problems: inSection };
}

export interface Placement {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type ParsedSection =
  | { kind: 'RESERVED'; name: string; drafts: LayoutRowDraft[]; layout: ParsedLayout; map?: Placement }
  | { kind: 'GENERAL'; name: string; capacity: number; category: LayoutCategory; map?: Placement };

export interface ParsedVenue {
  sections: ParsedSection[];
  places: number;
  problems: string[];
}

// `# Name`, `# Name: standing 2500`, `# Name: standing 800 premium`, each with an
// optional `@ x,y WxH` placement on the overview.
const HEADER =
  /^#\s*(.+?)\s*(?::\s*standing\s+(\d+)(?:\s+(standard|premium))?)?\s*(?:@\s*(\d+)\s*,\s*(\d+)\s+(\d+)\s*x\s*(\d+))?\s*$/i;

/** Whether the editor's text describes a venue of sections (a line starts with `#`). */
export function hasSections(text: string): boolean {
  return text.split('\n').some((l) => l.trim().startsWith('#'));
}

/**
 * A venue of sections: each `#` line starts one, reserved (the rows under it) or standing
 * (`: standing N`, no rows). Lists every problem, as `parseLayout` does.
 */
export function parseVenue(text: string): ParsedVenue {
  const problems: string[] = [];
  const groups: { header: string; lines: string[] }[] = [];
  let stray = false;
  let current: { header: string; lines: string[] } | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.trim().startsWith('#')) {
      current = { header: line.trim(), lines: [] };
      groups.push(current);
    } else if (current) current.lines.push(line);
    else stray = true;
  }
  if (stray) problems.push(t.admin.layout.rowsBeforeSection);
  if (groups.length > MAX_SECTIONS) problems.push(t.admin.layout.tooManySections(MAX_SECTIONS));
  const sections: ParsedSection[] = [];
  const names = new Set<string>();
  let places = 0;
  for (const g of groups) {
    const m = HEADER.exec(g.header);
    if (!m) {
      problems.push(t.admin.layout.badHeader(g.header));
      continue;
    }
    const name = (m[1] ?? '').trim();
    if (name.length > 100) problems.push(t.admin.layout.longName(name.slice(0, 20)));
    if (names.has(name.toLowerCase())) problems.push(t.admin.layout.sectionTwice(name));
    names.add(name.toLowerCase());
    const map =
      m[4] !== undefined
        ? { x: Number(m[4]), y: Number(m[5]), width: Number(m[6]), height: Number(m[7]) }
        : undefined;
    if (m[2] !== undefined) {
      const capacity = Number(m[2]);
      if (g.lines.length > 0) problems.push(t.admin.layout.standingRows(name));
      if (!(capacity >= 1 && capacity <= MAX_SEATS)) problems.push(t.admin.layout.badCapacity(name, MAX_SEATS));
      const category: LayoutCategory = m[3]?.toLowerCase() === 'premium' ? 'PREMIUM' : 'STANDARD';
      sections.push({ kind: 'GENERAL', name, capacity, category, map });
      places += capacity;
    } else {
      const drafts = parseLines(g.lines.join('\n'));
      const layout = parseLayout(drafts, name);
      problems.push(...layout.problems);
      sections.push({ kind: 'RESERVED', name, drafts, layout, map });
      places += layout.seatCount;
    }
  }
  if (places > MAX_SEATS) problems.push(t.admin.layout.tooManyPlaces(places, MAX_SEATS));
  return { sections, places, problems };
}

/** The venue as `ScreenLayoutInput` wants its sections. */
export function sectionsInput(venue: ParsedVenue) {
  return venue.sections.map((s) =>
    s.kind === 'GENERAL'
      ? { name: s.name, kind: 'GENERAL' as const, capacity: s.capacity, category: s.category, ...(s.map ? { map: s.map } : {}) }
      : {
          name: s.name,
          kind: 'RESERVED' as const,
          rows: s.drafts.map((r) => ({ label: r.label.trim(), seats: r.seats.trim() })),
          ...(s.map ? { map: s.map } : {}),
        },
  );
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
