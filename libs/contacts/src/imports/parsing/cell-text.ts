/**
 * The text a person sees in a workbook cell, from the value exceljs read and the cell's number
 * format. Phones typed as numbers (`919876543210`, or `9.19876543210E+11` as Excel writes wide
 * numbers) become their digits; dates follow their format (Excel's locale-dependent default
 * short date, format 14, becomes ISO `2026-03-15`); formulas show their cached result.
 */
export function cellText(value: unknown, numFmt: string | undefined, date1904 = false): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value, numFmt, date1904);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value, numFmt);
  if (typeof value === 'object') {
    const cell = value as Record<string, unknown>;
    if (Array.isArray(cell.richText)) return (cell.richText as Array<{ text?: string }>).map((part) => part.text ?? '').join('');
    if ('formula' in cell || 'sharedFormula' in cell) {
      const result = cell.result;
      // a cached error result (#N/A) is read by exceljs as a number that is not one
      if (typeof result === 'number' && Number.isNaN(result)) return '';
      if (result !== null && typeof result === 'object' && 'error' in result) return String((result as { error: unknown }).error);
      return cellText(result, numFmt, date1904);
    }
    if ('error' in cell) return String(cell.error);
    if ('text' in cell) return cellText(cell.text, numFmt, date1904);
  }
  return '';
}

/** Excel shows at most 15 significant digits; integers (phones) are written out in full, never in E notation. */
function numberText(value: number, numFmt: string | undefined, date1904: boolean): string {
  if (!Number.isFinite(value)) return '';
  if (numFmt && isDateFormat(numFmt)) return dateText(serialToDate(value, date1904), numFmt);
  const decimals = fixedDecimals(numFmt);
  if (decimals !== null) {
    const percent = /%/.test(numFmt ?? '');
    const fixed = (percent ? value * 100 : value).toFixed(decimals);
    return `${/#,##0/.test(numFmt ?? '') ? groupThousands(fixed) : fixed}${percent ? '%' : ''}`;
  }
  if (Number.isInteger(value)) return Math.abs(value) < 1e21 ? value.toFixed(0) : BigInt(value).toString();
  return String(Number(value.toPrecision(15)));
}

/** Decimal places of a plain number format (`0`, `0.00`, `#,##0.00`, `0.0%`), or null for General and the rest. */
function fixedDecimals(numFmt: string | undefined): number | null {
  if (!numFmt) return null;
  const match = /^(?:#,##)?0(?:\.(0+))?%?$/.exec(numFmt.split(';')[0].trim());
  return match ? (match[1]?.length ?? 0) : null;
}

function groupThousands(fixed: string): string {
  const [whole, fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** Same test exceljs applies: date or time tokens outside quotes and brackets. */
export function isDateFormat(numFmt: string): boolean {
  return /[ymdhsb]/i.test(
    numFmt
      .replace(/\[[^\]]*]/g, '')
      .replace(/"[^"]*"/g, '')
      .replace(/\\./g, ''),
  );
}

function serialToDate(serial: number, date1904: boolean): Date {
  const days = serial + (date1904 ? 1462 : 0);
  return new Date(Math.round((days - 25569) * 86400 * 1000));
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A date cell's text under its format. exceljs reads date cells as UTC instants of the wall-clock
 * time, so the UTC fields are the ones shown. `mm-dd-yy` is how exceljs names Excel's format 14,
 * which Excel shows in the reader's locale: ISO is the reading no locale gets wrong.
 */
function dateText(date: Date, numFmt: string | undefined): string {
  if (Number.isNaN(date.getTime())) return '';
  const hasTime = date.getUTCHours() + date.getUTCMinutes() + date.getUTCSeconds() > 0;
  if (!numFmt || numFmt === 'mm-dd-yy' || numFmt === 'General') {
    const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
    return hasTime ? `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}` : day;
  }
  return formatDate(date, numFmt.split(';')[0]);
}

function formatDate(date: Date, format: string): string {
  const source = format.replace(/\[[^\]]*]/g, '');
  const twelveHour = /AM\/PM|A\/P/i.test(source);
  const tokens: Array<{ kind: 'text' | 'token'; value: string }> = [];
  for (let i = 0; i < source.length;) {
    const ch = source[i];
    if (ch === '"') {
      const end = source.indexOf('"', i + 1);
      tokens.push({ kind: 'text', value: source.slice(i + 1, end === -1 ? undefined : end) });
      i = end === -1 ? source.length : end + 1;
    } else if (ch === '\\') {
      tokens.push({ kind: 'text', value: source[i + 1] ?? '' });
      i += 2;
    } else if (/^AM\/PM/i.test(source.slice(i))) {
      tokens.push({ kind: 'token', value: 'AM/PM' });
      i += 5;
    } else if (/^A\/P/i.test(source.slice(i))) {
      tokens.push({ kind: 'token', value: 'A/P' });
      i += 3;
    } else if (/[ymdhs]/i.test(ch)) {
      let j = i;
      while (j < source.length && source[j].toLowerCase() === ch.toLowerCase()) j++;
      tokens.push({ kind: 'token', value: source.slice(i, j).toLowerCase() });
      i = j;
    } else {
      tokens.push({ kind: 'text', value: ch === '_' || ch === '*' ? '' : ch });
      i += ch === '_' || ch === '*' ? 2 : 1;
    }
  }
  const hours = date.getUTCHours();
  let out = '';
  tokens.forEach((token, index) => {
    if (token.kind === 'text') {
      out += token.value;
      return;
    }
    const t = token.value;
    if (t[0] === 'm' && t.length <= 2 && isMinute(tokens, index)) out += t.length === 2 ? pad(date.getUTCMinutes()) : date.getUTCMinutes();
    else if (t[0] === 'y') out += t.length <= 2 ? pad(date.getUTCFullYear() % 100) : date.getUTCFullYear();
    else if (t[0] === 'm')
      out += [date.getUTCMonth() + 1, pad(date.getUTCMonth() + 1), MONTHS[date.getUTCMonth()].slice(0, 3), MONTHS[date.getUTCMonth()]][
        Math.min(t.length, 4) - 1
      ];
    else if (t[0] === 'd')
      out += [date.getUTCDate(), pad(date.getUTCDate()), DAYS[date.getUTCDay()].slice(0, 3), DAYS[date.getUTCDay()]][
        Math.min(t.length, 4) - 1
      ];
    else if (t[0] === 'h') {
      const shown = twelveHour ? hours % 12 || 12 : hours;
      out += t.length >= 2 ? pad(shown) : shown;
    } else if (t[0] === 's') out += t.length >= 2 ? pad(date.getUTCSeconds()) : date.getUTCSeconds();
    else if (t === 'AM/PM') out += hours < 12 ? 'AM' : 'PM';
    else if (t === 'A/P') out += hours < 12 ? 'A' : 'P';
  });
  return out;
}

/** Excel's rule: `m`/`mm` right after an hour or right before a second is minutes, else the month. */
function isMinute(tokens: Array<{ kind: 'text' | 'token'; value: string }>, index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    if (tokens[i].kind === 'token') {
      if (tokens[i].value[0] === 'h') return true;
      break;
    }
  }
  for (let i = index + 1; i < tokens.length; i++) {
    if (tokens[i].kind === 'token') return tokens[i].value[0] === 's';
  }
  return false;
}
