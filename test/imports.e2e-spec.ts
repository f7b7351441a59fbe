import { IMPORT_TEST_DIR } from './fixtures/imports/env';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { AudienceReader, ImportRunner } from '@clarion/contacts';
import { bearer } from './support/apps';
import { type ImportApps, startImportApps } from './fixtures/imports/import-apps';
import { freshMobile, generateSheet, Http, importSheet, runImportThread } from './fixtures/imports/import-helpers';

/** Contact import end to end: real API upload, real worker, MariaDB and Redis. */
describe('contact import', () => {
  let apps: ImportApps;
  let api: INestApplication;
  let worker: INestApplicationContext;
  let http: Http;
  let db: DataSource;
  const dir = IMPORT_TEST_DIR;
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeAll(async () => {
    apps = await startImportApps();
    ({ api, worker, http, db } = apps);
  });
  afterAll(() => apps.close());

  describe('good sheets', () => {
    it('imports a generated 12-column sheet exactly as its answer key says, into a list with tags', async () => {
      const { path, key } = generateSheet(dir, 'good', ['--rows', '3000', '--seed', '91001', '--country', 'IN']);
      const result = await importSheet(http, path, { defaultCountry: 'IN', list: 'e2e good sheet', tags: 'e2e-good,diwali' });
      expect(result).toMatchObject({
        status: 'completed',
        totalRows: 3000,
        processedRows: 3000,
        created: key.expectedValidUnique,
        updated: 0,
        duplicates: key.expectedDuplicates,
        invalid: key.expectedInvalid,
        skipped: 0,
        failureReason: null,
      });
      expect(result.errors.length).toBe(Math.min(100, key.expectedDuplicates + key.expectedInvalid));

      const phones: Array<{ phone: string }> = await db.query(
        'SELECT c.phone FROM import_contacts i JOIN contacts c ON c.id = i.contact_id WHERE i.import_id = ?',
        [result.id],
      );
      const expected = new Set(key.e164.filter((p): p is string => p !== null));
      expect(new Set(phones.map((p) => p.phone))).toEqual(expected);

      const audience = api.get(AudienceReader);
      expect(await audience.count({ importId: result.id })).toBe(key.expectedValidUnique);
      expect(await audience.count({ listId: result.listId! })).toBe(key.expectedValidUnique);
      expect(await audience.count({ tags: ['e2e-good'] })).toBe(key.expectedValidUnique);

      const csv = await http.get(`/v1/imports/${result.id}/errors.csv`).set(bearer()).expect(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      const rows = csv.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n')
        .slice(1);
      const rowNumbers = rows.filter((l) => /^\d+,/.test(l)).map((l) => Number(l.split(',')[0]));
      expect(rowNumbers).toEqual([...key.duplicateRows, ...key.invalidRows].sort((a, b) => a - b));

      // attributes keep the original headers; the name is its own field
      const [sample] = await db.query('SELECT name, attributes FROM contacts WHERE phone = ?', [
        key.e164.find((p, i) => p && !key.duplicateRows.includes(i + 1)),
      ]);
      const attributes = json(sample.attributes);
      expect(Object.keys(attributes)).toEqual(expect.arrayContaining(['City', 'Plan', 'Signup Date']));
      expect(attributes).not.toHaveProperty('Phone');
    });

    it('re-importing follows the mode: upsert updates, create skips existing, update skips new', async () => {
      const { path, key } = generateSheet(dir, 'modes', ['--rows', '400', '--seed', '91002', '--simple']);
      const first = await importSheet(http, path, { defaultCountry: 'IN', mode: 'create' });
      expect(first).toMatchObject({ status: 'completed', created: key.expectedValidUnique, skipped: 0 });

      const again = await importSheet(http, path, { defaultCountry: 'IN' });
      expect(again).toMatchObject({
        created: 0,
        updated: key.expectedValidUnique,
        duplicates: key.expectedDuplicates,
        invalid: key.expectedInvalid,
      });

      const createOnly = await importSheet(http, path, { defaultCountry: 'IN', mode: 'create' });
      expect(createOnly).toMatchObject({ created: 0, updated: 0, skipped: key.expectedValidUnique });
      expect(createOnly.errors.find((e) => e.reason.includes('already exists'))).toBeDefined();

      const newcomer = freshMobile();
      const updateOnly = await importSheet(http, Buffer.from(`phone,name,city\n${newcomer},New Person,Pune\n`), {
        defaultCountry: 'IN',
        mode: 'update',
      });
      expect(updateOnly).toMatchObject({ created: 0, updated: 0, skipped: 1 });
      expect(updateOnly.errors[0].reason).toBe(`no contact with phone +91${newcomer} exists (mode update changes existing contacts only)`);
    });

    it('upsert merges attributes and keeps a stored name when the cell is empty', async () => {
      const phone = freshMobile();
      await importSheet(http, Buffer.from(`Phone,Name,City,Plan\n${phone},Asha Rao,Pune,Gold\n`), { defaultCountry: 'IN' });
      const second = await importSheet(http, Buffer.from(`Phone,Name,City,Tier\n+91 ${phone},,Mumbai,A\n`), { defaultCountry: 'IN' });
      expect(second).toMatchObject({ created: 0, updated: 1 });
      const [row] = await db.query('SELECT name, attributes FROM contacts WHERE phone = ?', [`+91${phone}`]);
      expect(row.name).toBe('Asha Rao');
      expect(json(row.attributes)).toEqual({ City: 'Mumbai', Plan: 'Gold', Tier: 'A' });
    });

    it('reads WATI-style CountryCode + Phone columns and First/Last Name', async () => {
      const [a, b] = [freshMobile(), freshMobile()];
      const result = await importSheet(http, Buffer.from(`CountryCode,Phone,First Name,Last Name\n91,${a},Asha,Rao\n+91,0${b},Vikram,\n`));
      expect(result).toMatchObject({ status: 'completed', created: 2, invalid: 0 });
      const rows = await db.query('SELECT phone, name FROM contacts WHERE phone IN (?) ORDER BY phone', [[`+91${a}`, `+91${b}`]]);
      expect(rows.map((r: { name: string }) => r.name).sort()).toEqual(['Asha Rao', 'Vikram']);
    });

    it('uses an explicit mapping for headers it could not guess', async () => {
      const phone = freshMobile();
      const result = await importSheet(http, Buffer.from(`Cust,Tel,Town,Secret\nAsha,${phone},Pune,x\n`), {
        defaultCountry: 'IN',
        mapping: JSON.stringify({ phone: 'Tel', name: 'cust', attributes: ['Town'] }),
      });
      expect(result).toMatchObject({ status: 'completed', created: 1 });
      const [row] = await db.query('SELECT name, attributes FROM contacts WHERE phone = ?', [`+91${phone}`]);
      expect(row.name).toBe('Asha');
      expect(json(row.attributes)).toEqual({ Town: 'Pune' });
    });
  });

  describe('broken input', () => {
    it('1. an empty file fails with one clear message', async () => {
      expect(await importSheet(http, Buffer.alloc(0))).toMatchObject({
        status: 'failed',
        failureReason: 'the file is empty',
        processedRows: 0,
      });
    });

    it('2. a header without rows fails', async () => {
      expect(await importSheet(http, Buffer.from('Phone,Name,City\r\n'))).toMatchObject({
        status: 'failed',
        failureReason: 'the file has a header row but no data rows',
      });
    });

    it('3. a binary file fails', async () => {
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
      expect(await importSheet(http, png, {}, 'photo.csv')).toMatchObject({
        status: 'failed',
        failureReason: expect.stringContaining('binary'),
      });
    });

    it('4. a sheet without a phone column fails, naming the columns it has', async () => {
      const result = await importSheet(http, Buffer.from('Name,City\nAsha,Pune\n'));
      expect(result).toMatchObject({
        status: 'failed',
        failureReason: expect.stringMatching(/^no phone column.*columns found: Name, City\)$/),
      });
    });

    it('5. a Latin-1 (not UTF-8) file fails', async () => {
      const result = await importSheet(http, Buffer.from(`Phone,Name\n${freshMobile()},Jos\xe9\n`, 'latin1'), { defaultCountry: 'IN' });
      expect(result).toMatchObject({ status: 'failed', failureReason: expect.stringContaining('not UTF-8') });
    });

    it('6. rows with too many or too few fields are rejected one by one; the others import', async () => {
      const [a, b, c] = [freshMobile(), freshMobile(), freshMobile()];
      const sheet = `Phone,Name,City,Plan,A,B,C,D\n${a},Asha,Pune,Gold,1,2,3,4\n${b},Ravi,Pune,Gold,1,2,3,4,5\n${c},Meera\n`;
      const result = await importSheet(http, Buffer.from(sheet), { defaultCountry: 'IN' });
      expect(result).toMatchObject({ status: 'completed', created: 1, invalid: 2 });
      expect(result.errors).toEqual([
        { row: 2, reason: 'row has 9 fields, the header has 8' },
        { row: 3, reason: 'row has 2 fields, the header has 8' },
      ]);
    });

    it('7. invalid and 8. missing phones get reasons a marketer understands', async () => {
      const good = freshMobile();
      const result = await importSheet(http, Buffer.from(`Phone,Name\n12345,Asha\n,Ravi\nN/A,Meera\n${good},Ok\n`), {
        defaultCountry: 'IN',
      });
      expect(result).toMatchObject({ status: 'completed', created: 1, invalid: 3 });
      expect(result.errors).toEqual([
        { row: 1, reason: "invalid phone '12345' for country IN" },
        { row: 2, reason: 'no phone in this row' },
        { row: 3, reason: "invalid phone 'N/A' for country IN" },
      ]);
    });

    it('9. a BOM, CRLF line ends and semicolons are read; 10. quoted cells keep commas and newlines', async () => {
      const [a, b] = [freshMobile(), freshMobile()];
      const sheet = `\uFEFFPhone;Name;Notes\r\n${a};"Rao, Asha";"line one\r\nline two; with ""quotes"""\r\n${b};Ravi;plain\r\n`;
      const result = await importSheet(http, Buffer.from(sheet), { defaultCountry: 'IN' });
      expect(result).toMatchObject({ status: 'completed', created: 2, invalid: 0, totalRows: 2 });
      const [row] = await db.query('SELECT name, attributes FROM contacts WHERE phone = ?', [`+91${a}`]);
      expect(row.name).toBe('Rao, Asha');
      expect(json(row.attributes).Notes).toBe('line one\r\nline two; with "quotes"');
    });

    it('11. two spellings of one number are one contact and a duplicate', async () => {
      const n = freshMobile();
      const sheet = `Phone,Name\n+91 ${n.slice(0, 5)} ${n.slice(5)},First\n0${n},Second\n91${n},Third\n`;
      const result = await importSheet(http, Buffer.from(sheet), { defaultCountry: 'IN' });
      expect(result).toMatchObject({ created: 1, duplicates: 2 });
      expect(result.errors[0]).toEqual({ row: 2, reason: `duplicate: same phone +91${n} as row 1` });
    });

    it('12. malformed mapping JSON, 13. an unknown defaultCountry, 14. no file, 15. a wrong mode are refused with 400', async () => {
      const sheet = Buffer.from(`Phone\n${freshMobile()}\n`);
      const cases: Array<[Record<string, string>, RegExp]> = [
        [{ mapping: '{phone:' }, /mapping must be JSON/],
        [{ mapping: '{"telephone":"x"}' }, /mapping has unknown keys: telephone/],
        [{ defaultCountry: 'XX' }, /defaultCountry 'XX'/],
        [{ mode: 'merge' }, /mode must be one of create, update, upsert/],
        [{ colour: 'blue' }, /unknown field colour/],
        [{ tags: '[1]' }, /tags must be/],
      ];
      for (const [fields, message] of cases) {
        let req = http.post('/v1/imports').set(bearer());
        for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
        const res = await req.attach('file', sheet, 'c.csv').expect(400);
        expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(message) });
      }
      const noFile = await http.post('/v1/imports').set(bearer()).field('defaultCountry', 'IN').expect(400);
      expect(noFile.body.message).toMatch(/no file/);
      const json = await http.post('/v1/imports').set(bearer()).send({ file: 'x' }).expect(400);
      expect(json.body.message).toMatch(/multipart\/form-data/);
    });

    it('16. a file over MAX_UPLOAD_MB is refused with 413', async () => {
      const big = Buffer.alloc(3 * 1024 * 1024 + 10, 'a');
      const res = await http.post('/v1/imports').set(bearer()).attach('file', big, 'big.csv').expect(413);
      expect(res.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: expect.stringContaining('2 MB') });
    });

    it('17. a mapping naming a missing column fails the import with that name', async () => {
      const result = await importSheet(http, Buffer.from(`Phone\n${freshMobile()}\n`), { mapping: '{"phone":"Mobile"}' });
      expect(result).toMatchObject({
        status: 'failed',
        failureReason: "mapping.phone names column 'Mobile', which is not in the header (columns: Phone)",
      });
    });

    it('18. a stray quote spoils only its own row', async () => {
      const [a, b] = [freshMobile(), freshMobile()];
      const result = await importSheet(http, Buffer.from(`Phone,Name\n${a},Asha\n${freshMobile()},"Ravi" the "great\n${b},Meera\n`), {
        defaultCountry: 'IN',
      });
      expect(result).toMatchObject({ status: 'completed' });
      const [{ n }] = await db.query('SELECT COUNT(*) AS n FROM contacts WHERE phone IN (?)', [[`+91${a}`, `+91${b}`]]);
      expect(Number(n)).toBe(2);
      expect(result.created + result.invalid).toBe(3);
    });

    it('19. tab-separated sheets and numbers without a country (no defaultCountry) are handled', async () => {
      const a = freshMobile();
      const result = await importSheet(http, Buffer.from(`Mobile\tName\n+91${a}\tAsha\n${freshMobile()}\tRavi\n`));
      expect(result).toMatchObject({ status: 'completed', created: 1, invalid: 1 });
      expect(result.errors[0].reason).toMatch(/no country code, and no defaultCountry/);
    });

    it('20. errors.csv is formula-safe and carries the original row', async () => {
      const result = await importSheet(http, Buffer.from('Phone,Name\n=1+2,Mallory\n@SUM(A1),Eve\n'), { defaultCountry: 'IN' });
      const csv = await http.get(`/v1/imports/${result.id}/errors.csv`).set(bearer()).expect(200);
      expect(csv.text.replace(/^\uFEFF/, '').split('\n')).toEqual([
        'row,reason,raw',
        "1,invalid phone '=1+2' for country IN,\"'=1+2,Mallory\"",
        "2,invalid phone '@SUM(A1)' for country IN,\"'@SUM(A1),Eve\"",
        '',
      ]);
    });

    it('21. unknown imports are 404', async () => {
      await http.get('/v1/imports/987654321').set(bearer()).expect(404);
      await http.get('/v1/imports/987654321/errors.csv').set(bearer()).expect(404);
      await http.get('/v1/imports/abc').set(bearer()).expect(400);
    });
  });

  describe('roles', () => {
    it('lets marketers import, analysts only read (403 on upload), and refuses strangers (401)', async () => {
      const marketer = (await http.post('/v1/tokens').set(bearer()).send({ name: 'imp-m', role: 'marketer' }).expect(201)).body.token;
      const analyst = (await http.post('/v1/tokens').set(bearer()).send({ name: 'imp-a', role: 'analyst' }).expect(201)).body.token;
      const sheet = Buffer.from(`Phone\n+91${freshMobile()}\n`);
      const accepted = await http.post('/v1/imports').set(bearer(marketer)).attach('file', sheet, 'c.csv').expect(202);
      await http.get(`/v1/imports/${accepted.body.id}`).set(bearer(marketer)).expect(200);
      await http.post('/v1/imports').set(bearer(analyst)).attach('file', sheet, 'c.csv').expect(403);
      await http.get(`/v1/imports/${accepted.body.id}`).set(bearer(analyst)).expect(200);
      await http.post('/v1/imports').attach('file', sheet, 'c.csv').expect(401);
    });
  });

  describe('production path', () => {
    it('the compiled import thread (what `npm start` runs) imports a sheet', async () => {
      const { path, key } = generateSheet(dir, 'thread', ['--rows', '1500', '--seed', '91004']);
      const { importId, outcome, committed, exited } = await runImportThread(db, { path, format: 'csv', batchRows: 400 }, ['thread']);
      // the thread ends by itself once its work is done
      expect(await exited).toBe(0);
      expect(outcome).toEqual({ type: 'outcome', outcome: { kind: 'done', rows: 1500 } });
      // each committed batch is reported, so the worker can count rows in its metrics
      expect(committed).toEqual({
        created: key.expectedValidUnique,
        updated: 0,
        duplicates: key.expectedDuplicates,
        invalid: key.expectedInvalid,
        skipped: 0,
      });
      const [progress] = await db.query('SELECT processed_rows, created, duplicates, invalid FROM imports WHERE id = ?', [importId]);
      expect(progress).toEqual({
        processed_rows: 1500,
        created: key.expectedValidUnique,
        duplicates: key.expectedDuplicates,
        invalid: key.expectedInvalid,
      });
      expect(await api.get(AudienceReader).count({ tags: ['thread'] })).toBe(key.expectedValidUnique);
    });
  });

  describe('crash safety', () => {
    it('a run stopped after a checkpoint resumes there and ends with the same result as one clean run', async () => {
      const { path, key } = generateSheet(dir, 'resume', ['--rows', '2000', '--seed', '91003']);
      const upload = file('resume-upload.csv', readFileSync(path));
      const inserted = await db.query("INSERT INTO imports (status, file_path, options) VALUES ('running', ?, ?)", [
        upload,
        JSON.stringify({ mode: 'upsert', defaultCountry: 'IN', tags: ['resume'] }),
      ]);
      const id = Number(inserted.insertId);
      const runner = worker.get(ImportRunner);
      const stop = new AbortController();
      stop.abort(); // stops at the first checkpoint
      expect(await runner.run(id, stop.signal)).toBe('stopped');
      const [mid] = await db.query('SELECT status, processed_rows, created FROM imports WHERE id = ?', [id]);
      expect(mid.status).toBe('running');
      expect(mid.processed_rows).toBe(500);

      // while another run holds the import, a second run does nothing
      const lockName = `clarion:import:${new URL(process.env.DATABASE_URL!).pathname.slice(1)}:${id}`.slice(0, 64);
      const holder = db.createQueryRunner();
      await holder.connect();
      await holder.query('SELECT GET_LOCK(?, 0)', [lockName]);
      expect(await runner.run(id)).toBe('busy');
      await holder.query('SELECT RELEASE_LOCK(?)', [lockName]);
      await holder.release();

      expect(await runner.run(id)).toBe('completed');
      const done = (await http.get(`/v1/imports/${id}`).set(bearer()).expect(200)).body;
      expect(done).toMatchObject({
        status: 'completed',
        processedRows: 2000,
        totalRows: 2000,
        created: key.expectedValidUnique,
        duplicates: key.expectedDuplicates,
        invalid: key.expectedInvalid,
      });
      const [{ n }] = await db.query('SELECT COUNT(*) AS n FROM import_contacts WHERE import_id = ?', [id]);
      expect(Number(n)).toBe(key.expectedValidUnique);
      const [{ e }] = await db.query('SELECT COUNT(*) AS e FROM import_errors WHERE import_id = ?', [id]);
      expect(Number(e)).toBe(key.expectedDuplicates + key.expectedInvalid);
      expect(await runner.run(id)).toBe('already-finished');
    });
  });
});

/** MariaDB hands JSON columns back as text, MySQL 8 as objects. */
function json(value: unknown): Record<string, string> {
  return typeof value === 'string' ? JSON.parse(value) : (value as Record<string, string>);
}
