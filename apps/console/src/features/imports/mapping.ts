import type { Schemas } from '../../api/client';

export type SheetPreview = Schemas['SheetPreviewView'];
export type ImportView = Schemas['ImportViewDto'];

/** The columns a marketer settles on: which holds the phone, the country code, the name, and which become attributes. */
export interface ColumnChoice {
  phone: string;
  countryCode: string | null;
  /** One column, or first + last name as the import guessed them. */
  name: string[];
  attributes: string[];
}

/** What the preview guessed, as the starting choice. */
export function choiceFromPreview(preview: SheetPreview): ColumnChoice {
  const { phone, countryCode, name, attributes } = preview.mapping;
  return { phone, countryCode, name, attributes };
}

/** A column is either the phone, the country code, the name, an attribute, or ignored. */
export type ColumnRole = 'phone' | 'countryCode' | 'name' | 'attribute' | 'ignored';

export function roleOf(choice: ColumnChoice, column: string): ColumnRole {
  if (column === choice.phone) return 'phone';
  if (column === choice.countryCode) return 'countryCode';
  if (choice.name.length === 1 && choice.name[0] === column) return 'name';
  return choice.attributes.includes(column) ? 'attribute' : 'ignored';
}

/**
 * Gives `column` a role; a column has one role, so the column that held a single role before
 * (phone, country code, name) is an attribute again. The phone cannot be left without a column.
 */
export function assignRole(choice: ColumnChoice, column: string, role: ColumnRole, headers: string[]): ColumnChoice {
  const previous = roleOf(choice, column);
  if (previous === role || previous === 'phone') return choice;
  const next: ColumnChoice = { ...choice, attributes: choice.attributes.filter((a) => a !== column) };
  const release = (old: string | null | undefined) => {
    if (old && old !== column && !next.attributes.includes(old)) next.attributes = inHeaderOrder([...next.attributes, old], headers);
  };
  if (previous === 'countryCode') next.countryCode = null;
  if (previous === 'name') next.name = [];
  if (role === 'phone') {
    release(choice.phone);
    next.phone = column;
  } else if (role === 'countryCode') {
    release(choice.countryCode);
    next.countryCode = column;
  } else if (role === 'name') {
    if (choice.name.length === 1) release(choice.name[0]);
    next.name = [column];
  } else if (role === 'attribute') {
    next.attributes = inHeaderOrder([...next.attributes, column], headers);
  }
  return next;
}

function inHeaderOrder(columns: string[], headers: string[]): string[] {
  return headers.filter((h) => columns.includes(h));
}

/**
 * The `mapping` field the API takes. A first + last name pair cannot be named in it: left out,
 * the import guesses the same pair again.
 */
export function mappingField(choice: ColumnChoice): string {
  return JSON.stringify({
    phone: choice.phone,
    ...(choice.countryCode ? { countryCode: choice.countryCode } : {}),
    ...(choice.name.length === 1 ? { name: choice.name[0] } : {}),
    attributes: choice.attributes,
  });
}

/** A sample row the import would take, out of those shown. */
export function acceptedShare(preview: SheetPreview): { accepted: number; shown: number } {
  return { accepted: preview.rows.filter((r) => r.problem === null).length, shown: preview.rows.length };
}

/** Rows per second and seconds left of a running import, once it has read something. */
export function importPace(
  view: Pick<ImportView, 'processedRows' | 'totalRows' | 'startedAt'>,
  now: number,
): { rowsPerSecond: number; secondsLeft: number | null } | null {
  if (!view.startedAt || view.processedRows === 0) return null;
  const elapsed = (now - new Date(view.startedAt).getTime()) / 1000;
  if (elapsed <= 0) return null;
  const rowsPerSecond = view.processedRows / elapsed;
  const left = view.totalRows - view.processedRows;
  return { rowsPerSecond, secondsLeft: left > 0 ? left / rowsPerSecond : null };
}

/** A CSV's first MiB is all the preview reads; a workbook is a ZIP archive and must go whole. */
export const PREVIEW_BYTES = 1024 * 1024;
export function previewPart(file: File): Blob {
  return /\.xlsx$/i.test(file.name) ? file : file.slice(0, PREVIEW_BYTES);
}
