import { IMPORT_TEST_DIR } from './fixtures/imports/env';
import ExcelJS from 'exceljs';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { bearer } from './support/apps';
import { type ImportApps, startImportApps } from './fixtures/imports/import-apps';
import { freshMobile, Http, importSheet, runImportThread } from './fixtures/imports/import-helpers';

/** Excel workbooks through the same import pipeline as CSV: real upload, real worker, MariaDB and Redis. */
describe('contact import from .xlsx', () => {
  let apps: ImportApps;
  let http: Http;
  let db: DataSource;

  /** A workbook built the way a person fills one in Excel, as the bytes they would upload. */
  async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    build(wb);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const contact = async (phone: string) =>
    (await db.query('SELECT name, country, attributes FROM contacts WHERE phone = ?', [phone]))[0] as
      { name: string | null; country: string; attributes: string | Record<string, string> | null } | undefined;
  const attributes = (row: { attributes: string | Record<string, string> | null } | undefined) =>
    typeof row?.attributes === 'string' ? JSON.parse(row.attributes) : row?.attributes;

  beforeAll(async () => {
    apps = await startImportApps();
    ({ http, db } = apps);
  });
  afterAll(() => apps.close());

  it('reads number-typed phones as digits, dates and formulas as shown, and ignores empty trailing rows', async () => {
    const [a, b, c, d] = [freshMobile(), freshMobile(), freshMobile(), freshMobile()];
    const file = await workbook((wb) => {
      const ws = wb.addWorksheet('Contacts');
      ws.addRow(['Phone', 'Name', 'Greeting', 'Signup', 'Renewal', 'Score']);
      ws.addRow([Number(`91${a}`), 'Asha Rao', { formula: '"Hi "&B2', result: 'Hi Asha Rao' }, new Date(Date.UTC(2026, 2, 5)), null, 7]);
      const wide = ws.addRow([Number(`91${b}`), 'Ravi Kumar', null, null, new Date(Date.UTC(2026, 11, 24)), 12.5]);
      wide.getCell(1).numFmt = '0.00E+00'; // shown as 9.20E+11: still its digits
      wide.getCell(5).numFmt = 'dd/mm/yyyy';
      wide.getCell(6).numFmt = '0.00';
      ws.addRow([{ formula: `91*10^10+${c}`, result: Number(`91${c}`) }, 'Meera']);
      ws
        .addRow([`+91 ${d.slice(0, 5)} ${d.slice(5)}`, 'Dev', null, null, { formula: 'DATE(2026,1,31)', result: 46053 }])
        .getCell(5).numFmt = 'd-mmm-yy';
      // rows a spreadsheet leaves behind once their contents are cleared: styled, but empty
      for (let r = 6; r <= 40; r++) ws.getRow(r).getCell(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
    });
    const result = await importSheet(http, file, { defaultCountry: 'IN', list: 'xlsx e2e' }, 'contacts.xlsx');
    expect(result).toMatchObject({
      status: 'completed',
      totalRows: 4,
      processedRows: 4,
      created: 4,
      duplicates: 0,
      invalid: 0,
      failureReason: null,
      errors: [],
    });
    const asha = await contact(`+91${a}`);
    expect(asha).toMatchObject({ name: 'Asha Rao', country: 'IN' });
    expect(attributes(asha)).toEqual({ Greeting: 'Hi Asha Rao', Signup: '2026-03-05', Score: '7' });
    const ravi = await contact(`+91${b}`);
    expect(ravi?.name).toBe('Ravi Kumar');
    expect(attributes(ravi)).toEqual({ Renewal: '24/12/2026', Score: '12.50' });
    expect((await contact(`+91${c}`))?.name).toBe('Meera');
    expect(attributes(await contact(`+91${d}`))).toEqual({ Renewal: '31-Jan-26' });
  });

  it('reports invalid and duplicate rows as for CSV, with the cells in errors.csv', async () => {
    const [a, b] = [freshMobile(), freshMobile()];
    const file = await workbook((wb) => {
      const ws = wb.addWorksheet('Leads');
      ws.addRow(['Mobile', 'Name', 'City']);
      ws.addRow([Number(a), 'Asha', 'Pune']);
      ws.addRow([12345, 'Short', 'Delhi']);
      ws.addRow([`0${a}`, 'Asha again', 'Pune']);
      ws.addRow([null, 'No phone', 'Goa']);
      ws.addRow([Number(b), 'Ravi', '=cmd']);
      ws.addRow([Number(freshMobile()), 'Too', 'many', 'cells']);
    });
    const result = await importSheet(http, file, { defaultCountry: 'IN' }, 'leads.xlsx');
    expect(result).toMatchObject({ status: 'completed', totalRows: 6, created: 2, duplicates: 1, invalid: 3 });
    expect(result.errors.map((e) => e.row)).toEqual([2, 3, 4, 6]);
    expect(result.errors[1].reason).toBe(`duplicate: same phone +91${a} as row 1`);
    expect(result.errors[3].reason).toBe('row has 4 fields, the header has 3');
    const csv = await http.get(`/v1/imports/${result.id}/errors.csv`).set(bearer()).expect(200);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('row,reason,raw');
    expect(lines[2]).toBe(`3,duplicate: same phone +91${a} as row 1,"0${a},Asha again,Pune"`);
    expect(lines[3]).toMatch(/^4,.*,",No phone,Goa"$/);
    expect(attributes(await contact(`+91${b}`))).toEqual({ City: '=cmd' });
  });

  it('reads the sheet named in `sheet`, else the first one, with an explicit mapping', async () => {
    const [first, second] = [freshMobile(), freshMobile()];
    const file = await workbook((wb) => {
      const cover = wb.addWorksheet('Cover');
      cover.addRow(['Telephone', 'Who']);
      cover.addRow([Number(first), 'From the first sheet']);
      const data = wb.addWorksheet('Q3 leads');
      data.addRow(['Telephone', 'Who', 'Owner']);
      data.addRow([Number(second), 'From the second sheet', 'Nina']);
    });
    const mapping = JSON.stringify({ phone: 'Telephone', name: 'Who' });
    const named = await importSheet(http, file, { defaultCountry: 'IN', sheet: 'Q3 leads', mapping }, 'book.xlsx');
    expect(named).toMatchObject({ status: 'completed', created: 1 });
    expect(await contact(`+91${second}`)).toMatchObject({ name: 'From the second sheet' });
    expect(attributes(await contact(`+91${second}`))).toEqual({ Owner: 'Nina' });
    expect(await contact(`+91${first}`)).toBeUndefined();

    const firstSheet = await importSheet(http, file, { defaultCountry: 'IN', mapping }, 'book.xlsx');
    expect(firstSheet).toMatchObject({ status: 'completed', created: 1 });
    expect(await contact(`+91${first}`)).toMatchObject({ name: 'From the first sheet' });

    const missing = await importSheet(http, file, { defaultCountry: 'IN', sheet: 'Q4' }, 'book.xlsx');
    expect(missing).toMatchObject({
      status: 'failed',
      failureReason: "the workbook has no sheet named 'Q4' (its sheets: Cover, Q3 leads)",
    });
  });

  it('fails with one clear reason for workbooks it cannot import', async () => {
    const noPhone = await workbook((wb) => wb.addWorksheet('S').addRow(['Name', 'City']));
    expect(await importSheet(http, noPhone, {}, 'x.xlsx')).toMatchObject({
      status: 'failed',
      failureReason: expect.stringContaining("no phone column: name one 'Phone'"),
    });
    const headerOnly = await workbook((wb) => wb.addWorksheet('S').addRow(['Phone']));
    expect(await importSheet(http, headerOnly, {}, 'x.xlsx')).toMatchObject({
      status: 'failed',
      failureReason: 'the file has a header row but no data rows',
    });
    const empty = await workbook((wb) => wb.addWorksheet('Blank'));
    expect(await importSheet(http, empty, {}, 'x.xlsx')).toMatchObject({ status: 'failed', failureReason: "the sheet 'Blank' is empty" });
    const truncated = (await workbook((wb) => wb.addWorksheet('S').addRow(['Phone']))).subarray(0, 300);
    expect(await importSheet(http, truncated, {}, 'x.xlsx')).toMatchObject({
      status: 'failed',
      failureReason: expect.stringMatching(/^the workbook could not be read \(.+\); save it again as \.xlsx or as CSV UTF-8$/),
    });
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    expect(await importSheet(http, xls, {}, 'old.xls')).toMatchObject({
      status: 'failed',
      failureReason: 'the file is an Excel 97-2003 workbook (.xls): save it as .xlsx or as CSV UTF-8',
    });
    const res = await http.post('/v1/imports').set(bearer()).field('sheet', 'x'.repeat(40)).attach('file', noPhone, 'x.xlsx');
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('sheet must be');
  });

  it('the compiled import thread (what `npm start` runs) reads a workbook written by the streaming writer', async () => {
    const path = join(IMPORT_TEST_DIR, 'streamed.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
    const ws = writer.addWorksheet('People');
    ws.addRow(['Phone', 'Name']).commit();
    const prefix = `96${randomInt(1000, 9999)}`;
    const phones = Array.from({ length: 1200 }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);
    for (const [i, phone] of phones.entries()) ws.addRow([Number(`91${phone}`), `Person ${i}`]).commit();
    ws.addRow([Number(`91${phones[0]}`), 'Again']).commit();
    ws.commit();
    await writer.commit();
    const { importId, outcome } = await runImportThread(db, { path, format: 'xlsx', batchRows: 300 }, ['xlsx-thread'], {
      maxOldGenerationSizeMb: 512,
    });
    expect(outcome).toEqual({ type: 'outcome', outcome: { kind: 'done', rows: 1201 } });
    const [progress] = await db.query('SELECT processed_rows, created, duplicates, invalid FROM imports WHERE id = ?', [importId]);
    expect(progress).toEqual({ processed_rows: 1201, created: 1200, duplicates: 1, invalid: 0 });
  });
});
