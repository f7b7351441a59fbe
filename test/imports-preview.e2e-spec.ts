import { IMPORT_TEST_DIR } from './fixtures/imports/env';
import ExcelJS from 'exceljs';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { bearer } from './support/apps';
import { type ImportApps, startImportApps } from './fixtures/imports/import-apps';
import { freshMobile, Http } from './fixtures/imports/import-helpers';

/**
 * POST /v1/imports/preview: the import wizard's first step. The server reads the header and the
 * first rows with the import's own reader (format, delimiter, UTF-8, mapping guess, phones with
 * the default country, row checks), imports nothing and keeps nothing of the upload.
 */
describe('import preview (API)', () => {
  let apps: ImportApps;
  let http: Http;
  let db: DataSource;
  const uploads = () => readdirSync(join(IMPORT_TEST_DIR, 'uploads'));

  function preview(file: Buffer, fields: Record<string, string> = {}, fileName = 'contacts.csv', token = bearer()) {
    let req = http.post('/v1/imports/preview').set(token);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req.attach('file', file, fileName);
  }

  beforeAll(async () => {
    apps = await startImportApps();
    ({ http, db } = apps);
  });
  afterAll(() => apps.close());

  it('shows a messy semicolon sheet as its import would read it, and imports nothing', async () => {
    const [a, b] = [freshMobile(), freshMobile()];
    const csv = [
      '\uFEFFWhatsApp Number;Customer Name;City',
      `0${a.slice(0, 5)} ${a.slice(5)};Asha;Pune`,
      `+91-${b};Ravi;"Mumbai; West"`,
      'call me;Meera;Delhi',
      `91${a};Asha again;Pune`,
      'no phone here',
    ].join('\r\n');
    const contactsBefore = (await db.query('SELECT COUNT(*) n FROM contacts'))[0].n;
    const importsBefore = (await db.query('SELECT COUNT(*) n FROM imports'))[0].n;

    const res = await preview(Buffer.from(csv), { defaultCountry: 'IN' }).expect(200);
    expect(res.body).toMatchObject({
      format: 'csv',
      delimiter: ';',
      encoding: 'utf-8',
      sheet: null,
      headers: ['WhatsApp Number', 'Customer Name', 'City'],
      mapping: { phone: 'WhatsApp Number', countryCode: null, name: ['Customer Name'], attributes: ['City'] },
    });
    expect(res.body.rows).toEqual([
      { row: 1, cells: [`0${a.slice(0, 5)} ${a.slice(5)}`, 'Asha', 'Pune'], phone: `+91${a}`, name: 'Asha', problem: null },
      { row: 2, cells: [`+91-${b}`, 'Ravi', 'Mumbai; West'], phone: `+91${b}`, name: 'Ravi', problem: null },
      { row: 3, cells: ['call me', 'Meera', 'Delhi'], phone: null, name: null, problem: expect.stringMatching(/phone/i) },
      {
        row: 4,
        cells: [`91${a}`, 'Asha again', 'Pune'],
        phone: `+91${a}`,
        name: 'Asha again',
        problem: `duplicate: same phone +91${a} as row 1`,
      },
      { row: 5, cells: ['no phone here'], phone: null, name: null, problem: 'row has 1 field, the header has 3' },
    ]);

    expect((await db.query('SELECT COUNT(*) n FROM contacts'))[0].n).toBe(contactsBefore);
    expect((await db.query('SELECT COUNT(*) n FROM imports'))[0].n).toBe(importsBefore);
    expect(uploads()).toEqual([]);
  });

  it('reads only the first rows of a large sheet, and follows the mapping it is given', async () => {
    const lines = ['Name,Office phone,Mobile'];
    for (let i = 0; i < 40_000; i++) lines.push(`Person ${i},98${String(i).padStart(8, '0')},99${String(i).padStart(8, '0')}`);
    const file = Buffer.from(lines.join('\n'));
    expect(file.length).toBeGreaterThan(1024 * 1024);

    const guessed = await preview(file, { defaultCountry: 'IN' }).expect(200);
    expect(guessed.body.mapping.phone).toBe('Mobile');
    expect(guessed.body.rows).toHaveLength(20);
    expect(guessed.body.rows[19]).toMatchObject({ row: 20, name: 'Person 19', problem: null });

    const chosen = await preview(file, { defaultCountry: 'IN', mapping: JSON.stringify({ phone: 'Office phone', name: 'Name' }) }).expect(
      200,
    );
    expect(chosen.body.mapping).toEqual({ phone: 'Office phone', countryCode: null, name: ['Name'], attributes: ['Mobile'] });
    expect(chosen.body.rows[1]).toMatchObject({ cells: ['Person 1', '9800000001', '9900000001'], phone: '+919800000001' });
    expect(uploads()).toEqual([]);
  });

  it('previews a workbook: its sheet, number-typed phones as digits', async () => {
    const phone = freshMobile();
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Notes').addRow(['nothing to see']);
    const leads = wb.addWorksheet('Leads');
    leads.addRow(['Phone', 'First name', 'Last name', 'Plan']);
    leads.addRow([Number(`91${phone}`), 'Asha', 'Rao', 'Gold']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());

    const res = await preview(file, { sheet: 'Leads', defaultCountry: 'IN' }, 'leads.xlsx').expect(200);
    expect(res.body).toMatchObject({
      format: 'xlsx',
      delimiter: null,
      encoding: null,
      sheet: 'Leads',
      headers: ['Phone', 'First name', 'Last name', 'Plan'],
      mapping: { phone: 'Phone', name: ['First name', 'Last name'], attributes: ['First name', 'Last name', 'Plan'] },
      rows: [{ row: 1, cells: [`91${phone}`, 'Asha', 'Rao', 'Gold'], phone: `+91${phone}`, name: 'Asha Rao', problem: null }],
    });
    const missing = await preview(file, { sheet: 'Customers' }, 'leads.xlsx').expect(400);
    expect(missing.body.message).toMatch(/no sheet named 'Customers' \(its sheets: Notes, Leads\)/);
  });

  it("answers 400 with the import's own message for a sheet it could not import, and 403 to an analyst", async () => {
    const cases: Array<[Buffer, Record<string, string>, RegExp]> = [
      [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]), {}, /binary/],
      [Buffer.from('Phone,Name\n+91 98\xff\n', 'latin1'), {}, /not UTF-8/],
      [Buffer.from('Customer,City\nAsha,Pune\n'), {}, /no phone column/],
      [
        Buffer.from('Phone,Name\n9876543210,Asha\n'),
        { mapping: JSON.stringify({ phone: 'Mobile' }) },
        /mapping\.phone names column 'Mobile'/,
      ],
      [Buffer.from('Phone,Name\n9876543210,Asha\n'), { defaultCountry: 'India' }, /defaultCountry/],
    ];
    for (const [file, fields, message] of cases) {
      const res = await preview(file, fields).expect(400);
      expect(res.body.message).toMatch(message);
    }
    expect(uploads()).toEqual([]);

    const analyst = (await http.post('/v1/tokens').set(bearer()).send({ name: 'preview-analyst', role: 'analyst' }).expect(201)).body.token;
    await preview(Buffer.from('Phone\n9876543210\n'), {}, 'contacts.csv', bearer(analyst)).expect(403);
  });
});
