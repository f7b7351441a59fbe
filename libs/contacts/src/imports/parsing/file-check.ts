import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';

/** What one quick pass over an uploaded file says about it, before any row is written. */
export interface FileCheck {
  bytes: number;
  /** Line breaks in the file: an upper bound of the data rows, shown as totalRows while running. */
  lineBreaks: number;
  /** The opening bytes, decoded, for delimiter detection. */
  head: string;
  /** Set when the file cannot be imported at all: the one message the import fails with. */
  problem?: string;
}

const HEAD_BYTES = 64 * 1024;

/** Why a CSV upload cannot be read at all, as the whole-file check and the head check both say it. */
const PROBLEMS = {
  binary: 'the file is binary, not a CSV text file (save the sheet as "CSV UTF-8")',
  notUtf8: (line: number) => `the file is not UTF-8 text (first bad byte near line ${line}); save the sheet as "CSV UTF-8"`,
  empty: 'the file is empty',
};

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * What an upload is, from its first bytes (a file name says nothing reliable): an .xlsx
 * workbook is a ZIP archive, an Excel 97-2003 .xls an OLE2 compound file, anything else is read
 * as CSV text (and checked as such).
 */
export async function sniffFormat(path: string): Promise<'csv' | 'xlsx' | 'xls'> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await file.read(head, 0, 8, 0);
    if (bytesRead >= 4 && head.subarray(0, 4).equals(ZIP)) return 'xlsx';
    if (bytesRead === 8 && head.equals(OLE2)) return 'xls';
    return 'csv';
  } finally {
    await file.close();
  }
}

/**
 * Reads the file once (~1 GB/s from the page cache): counts line breaks and rejects binary
 * files (a NUL byte) and text that is not UTF-8, so a bad file fails before any row is written.
 */
export async function checkFile(path: string): Promise<FileCheck> {
  let bytes = 0;
  let lineBreaks = 0;
  let head = Buffer.alloc(0);
  let carry: Buffer | null = null;
  let line = 1;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
    if (chunk.indexOf(0) !== -1) return { bytes, lineBreaks, head: '', problem: PROBLEMS.binary };
    const data: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const cut = completeUtf8Length(data);
    if (!isUtf8(data.subarray(0, cut))) {
      return {
        bytes,
        lineBreaks,
        head: '',
        problem: PROBLEMS.notUtf8(line + countLineBreaks(data.subarray(0, firstInvalid(data.subarray(0, cut))))),
      };
    }
    carry = cut < data.length ? Buffer.from(data.subarray(cut)) : null;
    const breaks = countLineBreaks(chunk);
    lineBreaks += breaks;
    line += breaks;
    bytes += chunk.length;
  }
  if (carry)
    return {
      bytes,
      lineBreaks,
      head: '',
      problem: 'the file is not UTF-8 text (it ends inside a character); save the sheet as "CSV UTF-8"',
    };
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return { bytes, lineBreaks, head: '', problem: PROBLEMS.empty };
  return { bytes, lineBreaks, head: text };
}

/** A file's opening text, for a preview: checked as the import checks the whole file. */
export interface HeadCheck {
  /** The opening lines, decoded, without a BOM; only whole lines when the file goes on. */
  text: string;
  problem?: string;
}

/**
 * Reads at most `maxBytes` from the start of a CSV upload and checks them as checkFile checks
 * the whole file (binary, not UTF-8, empty); a file that goes on is cut after its last whole line.
 */
export async function checkHead(path: string, maxBytes: number): Promise<HeadCheck> {
  const file = await open(path, 'r');
  let data: Buffer;
  try {
    const buffer = Buffer.alloc(maxBytes + 1);
    const { bytesRead } = await file.read(buffer, 0, maxBytes + 1, 0);
    data = buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
  const more = data.length > maxBytes;
  if (more) {
    const lastLineEnd = data.lastIndexOf(10, maxBytes - 1);
    data = lastLineEnd === -1 ? data.subarray(0, completeUtf8Length(data.subarray(0, maxBytes))) : data.subarray(0, lastLineEnd + 1);
  }
  if (data.indexOf(0) !== -1) return { text: '', problem: PROBLEMS.binary };
  if (!isUtf8(data)) {
    const at = firstInvalid(data);
    return {
      text: '',
      problem: PROBLEMS.notUtf8(1 + countLineBreaks(data.subarray(0, at))),
    };
  }
  const text = data.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return { text: '', problem: PROBLEMS.empty };
  return { text };
}

/** Length of the prefix that ends on a character boundary (a split multi-byte character waits for the next chunk). */
function completeUtf8Length(buf: Buffer): number {
  const n = buf.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const byte = buf[n - back];
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    if (byte >= 0xc0) {
      const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return back < need ? n - back : n;
    }
    return n;
  }
  return n;
}

function firstInvalid(buf: Buffer): number {
  let lo = 0;
  let hi = buf.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (isUtf8(buf.subarray(0, completeUtf8Length(buf.subarray(0, mid))))) lo = mid;
    else hi = mid;
  }
  return lo;
}

function countLineBreaks(buf: Buffer): number {
  let count = 0;
  let at = buf.indexOf(10);
  while (at !== -1) {
    count++;
    at = buf.indexOf(10, at + 1);
  }
  return count;
}
