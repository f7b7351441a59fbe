import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openAsBlob, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { createConnection } from 'mysql2/promise';
import { parseDatabaseUrl, prepareDatabase } from '@clarion/database';
import { benchRun, freePort, stopProcess, procStatusKb, waitHealthy } from './process-support';

/**
 * End-to-end import of a generated 12-column sheet (default 1,000,000 rows; BENCH_IMPORT_ROWS
 * to change): upload through the real API process to the last row committed by a real worker
 * process, against a fresh database. Beside it, the raw baseline: a multi-row INSERT of the
 * same valid contacts into a copy of the contacts table, over one connection.
 */
export async function run(): Promise<void> {
  const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
  // BENCH_IMPORT_LIST=1 also puts every contact in a list (one more link row per contact)
  const withList = process.env.BENCH_IMPORT_LIST === '1';
  const root = resolve(__dirname, '..', '..');
  const work = join(tmpdir(), 'clarion-bench');
  const { csvPath, key } = twelveColumnSheet(root, work, rows);
  const bytes = (await openAsBlob(csvPath)).size;

  const result = await importThroughApi(root, work, csvPath, 'contacts.csv', withList ? { list: 'bench' } : {});
  const rate = rows / result.seconds;
  console.log(
    `file: ${rows} rows, ${key.columns.length + 1} columns, ${(bytes / 1e6).toFixed(0)} MB; mode upsert, defaultCountry IN${withList ? ', into a list' : ''}`,
  );
  console.log(
    `import end to end: ${result.seconds.toFixed(2)} s (upload ${result.uploadSeconds.toFixed(2)} s) → ${Math.round(rate).toLocaleString('en')} rows/s`,
  );
  console.log(
    `  created ${result.view.created}, duplicates ${result.view.duplicates}, invalid ${result.view.invalid} — ${matchesKey(result.view, key)}`,
  );
  console.log(`  worker peak RSS: ${(result.peakRssKb / 1024).toFixed(0)} MB`);

  const baseline = await insertBaseline(csvPath, key.e164 as Array<string | null>, new Set<number>(key.duplicateRows));
  console.log(
    `baseline multi-row INSERT (2,000 rows a statement, one connection) of the same ${baseline.rows} contacts: ${baseline.seconds.toFixed(2)} s → ${Math.round(baseline.rows / baseline.seconds).toLocaleString('en')} rows/s`,
  );
  console.log(
    `ratio import / baseline (rows/s per sheet row vs per inserted row): ${(rate / (baseline.rows / baseline.seconds)).toFixed(2)}`,
  );
  if (process.env.BENCH_IMPORT_EXISTING !== '0') await intoExistingContacts(root, work, rows, csvPath, key);
  if (process.env.BENCH_XLSX !== '0') await workbookBeside(root, work);
}

/** The 12-column sheet: the generator's 11 columns and one more attribute, unique per row. */
function twelveColumnSheet(root: string, work: string, rows: number, seed = 42) {
  const generated = generatedSheet(root, work, rows, seed);
  const csvPath = generated.replace(/\.csv$/, '-12col.csv');
  if (!existsSync(csvPath)) writeFileSync(csvPath, withCustomerIdColumn(readFileSync(generated)));
  return { csvPath, key: answerKey(generated) };
}

/**
 * A second sheet of as many rows (seed 43) imported into the database the first sheet filled
 * (untimed), so every row is an upsert against 1M existing contacts; beside it the raw baseline
 * upserts the same contacts, multi-row, into a copy of the table holding the first sheet's.
 */
async function intoExistingContacts(
  root: string,
  work: string,
  rows: number,
  firstCsvPath: string,
  firstKey: { e164: Array<string | null>; duplicateRows: number[] },
): Promise<void> {
  const { csvPath, key } = twelveColumnSheet(root, work, rows, 43);
  const result = await importThroughApi(root, work, csvPath, 'contacts.csv', {}, firstCsvPath);
  const rate = rows / result.seconds;
  console.log(
    `\ninto a database already holding the first sheet's ${result.existing.toLocaleString('en')} contacts: ${rows} more rows (seed 43)`,
  );
  console.log(
    `  import end to end: ${result.seconds.toFixed(2)} s (upload ${result.uploadSeconds.toFixed(2)} s) → ${Math.round(rate).toLocaleString('en')} rows/s; created ${result.view.created}, updated ${result.view.updated}, duplicates ${result.view.duplicates}, invalid ${result.view.invalid}; worker peak RSS ${(result.peakRssKb / 1024).toFixed(0)} MB`,
  );
  const accounted = Number(result.view.created) + Number(result.view.updated) === key.expectedValidUnique;
  console.log(`  created + updated ${accounted ? 'equals' : 'DIFFERS from'} the answer key's ${key.expectedValidUnique} valid unique rows`);
  const prefill = baselineValues(firstCsvPath, firstKey.e164, new Set(firstKey.duplicateRows));
  const baseline = await insertBaseline(csvPath, key.e164 as Array<string | null>, new Set<number>(key.duplicateRows), prefill);
  const baseRate = baseline.rows / baseline.seconds;
  console.log(
    `  baseline multi-row upsert (INSERT … ON DUPLICATE KEY UPDATE, 2,000 rows a statement) of the same ${baseline.rows} contacts into ${prefill.length.toLocaleString('en')}: ${baseline.seconds.toFixed(2)} s → ${Math.round(baseRate).toLocaleString('en')} rows/s`,
  );
  console.log(`  ratio import / baseline: ${(rate / baseRate).toFixed(2)}`);
}

/** The generator's sheet of `rows` rows (seed 42 unless given, Indian numbers), written once and kept in `work`. */
function generatedSheet(root: string, work: string, rows: number, seed = 42): string {
  const path = join(work, seed === 42 ? `contacts-${rows}.csv` : `contacts-${rows}-seed${seed}.csv`);
  if (!existsSync(path)) {
    console.log(`generating ${rows} rows into ${path}…`);
    execFileSync(
      'node',
      [join(root, 'scripts/data/gen-contacts.mjs'), '--rows', String(rows), '--seed', String(seed), '--country', 'IN', '--out', path],
      { stdio: 'inherit' },
    );
  }
  return path;
}

/** The answer key the generator writes beside its sheet. */
function answerKey(csvPath: string) {
  return JSON.parse(readFileSync(csvPath.replace(/\.csv$/, '.key.json'), 'utf8'));
}

function matchesKey(
  view: Record<string, unknown>,
  key: { expectedValidUnique: number; expectedDuplicates: number; expectedInvalid: number },
): string {
  const correct =
    view.created === key.expectedValidUnique && view.duplicates === key.expectedDuplicates && view.invalid === key.expectedInvalid;
  return correct
    ? 'matches the answer key'
    : `DIFFERS from the answer key (created/duplicates/invalid ${view.created}/${view.duplicates}/${view.invalid}, expected ${key.expectedValidUnique}/${key.expectedDuplicates}/${key.expectedInvalid})`;
}

/**
 * The same sheet as an Excel workbook and as CSV (BENCH_XLSX_ROWS, default 100,000 rows, the
 * generator's 11 columns): all-digit phones, amounts and points typed as numbers, signup dates
 * as dates, as a spreadsheet holds them, so both files must import to the same answer key. Each
 * goes through the API into a fresh database with fresh processes; rows/s and the worker's peak
 * RSS are printed side by side.
 */
async function workbookBeside(root: string, work: string): Promise<void> {
  const rows = Number(process.env.BENCH_XLSX_ROWS ?? 100_000);
  const csvPath = generatedSheet(root, work, rows);
  const key = answerKey(csvPath);
  const xlsxPath = join(work, `contacts-${rows}.xlsx`);
  if (!existsSync(xlsxPath)) await writeWorkbook(csvPath, xlsxPath);
  const sizes = { csv: (await openAsBlob(csvPath)).size, xlsx: (await openAsBlob(xlsxPath)).size };
  console.log(
    `\nworkbook beside CSV: ${rows} rows, ${key.columns.length} columns; .xlsx ${(sizes.xlsx / 1e6).toFixed(1)} MB (its XML ${(unzippedBytes(xlsxPath) / 1e6).toFixed(0)} MB), .csv ${(sizes.csv / 1e6).toFixed(1)} MB`,
  );
  const results: Record<string, ApiImport> = {};
  for (const [format, path] of [
    ['xlsx', xlsxPath],
    ['csv', csvPath],
  ] as const) {
    const result = (results[format] = await importThroughApi(root, work, path, `contacts.${format}`));
    console.log(
      `  ${format}: ${result.seconds.toFixed(2)} s → ${Math.round(rows / result.seconds).toLocaleString('en')} rows/s, worker peak RSS ${(result.peakRssKb / 1024).toFixed(0)} MB — ${matchesKey(result.view, key)}`,
    );
  }
  console.log(`  ratio xlsx / csv (rows/s): ${(results.csv.seconds / results.xlsx.seconds).toFixed(2)}`);
}

interface ApiImport {
  seconds: number;
  uploadSeconds: number;
  peakRssKb: number;
  view: Record<string, unknown>;
  /** Contacts the untimed first sheet created. */
  existing: number;
}

/**
 * One upload (with `fields` beside defaultCountry IN) through a fresh API and worker on a fresh
 * database, timed from upload to `completed`.
 */
async function importThroughApi(
  root: string,
  work: string,
  path: string,
  fileName: string,
  fields: Record<string, string> = {},
  /** A sheet imported first, untimed, into the same database. */
  before?: string,
): Promise<ApiImport> {
  const run = benchRun('import');
  const token = `bench-admin-${randomBytes(12).toString('hex')}`;
  const [apiPort, workerPort] = [await freePort(), await freePort()];
  await prepareDatabase(run.databaseUrl);
  const env = {
    ...process.env,
    ...run.env,
    NODE_ENV: 'production',
    WHATSAPP_APP_SECRET: `bench-app-secret-${run.runId}`,
    CLARION_ADMIN_TOKEN: token,
    PORT: String(apiPort),
    WORKER_PORT: String(workerPort),
    UPLOAD_DIR: join(work, `uploads-${run.runId}`),
    // The 1M-row sheet is 108 MB, over the default upload limit of 100 MB.
    MAX_UPLOAD_MB: process.env.MAX_UPLOAD_MB ?? '512',
  };
  const api = spawn('node', [join(root, 'dist/apps/api/src/main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  // BENCH_WORKER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the worker
  const workerArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const worker = spawn('node', [...workerArgs, join(root, 'dist/apps/worker/src/main.js')], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (const child of [api, worker])
    child.once('exit', (code) => code !== null && code !== 0 && console.error(`a Clarion process exited with code ${code}`));
  try {
    await Promise.all([waitHealthy(`http://127.0.0.1:${apiPort}/health`), waitHealthy(`http://127.0.0.1:${workerPort}/health`)]);
    const auth = { authorization: `Bearer ${token}` };
    const upload = async (sheet: string) => {
      const form = new FormData();
      form.append('file', await openAsBlob(sheet), fileName);
      form.append('defaultCountry', 'IN');
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      const res = await fetch(`http://127.0.0.1:${apiPort}/v1/imports`, { method: 'POST', headers: auth, body: form });
      if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { id: number }).id;
    };
    const finished = async (id: number) => {
      for (;;) {
        const view = (await (await fetch(`http://127.0.0.1:${apiPort}/v1/imports/${id}`, { headers: auth })).json()) as Record<
          string,
          unknown
        >;
        if (view.status === 'failed') throw new Error(`${fileName} import failed: ${view.failureReason}`);
        if (view.status === 'completed') return view;
        await sleep(100);
      }
    };
    const existing = before ? Number((await finished(await upload(before))).created) : 0;
    let peakRssKb = 0;
    const sampler = setInterval(() => (peakRssKb = Math.max(peakRssKb, procStatusKb(worker.pid!, 'VmRSS'))), 100);
    const started = Date.now();
    const id = await upload(path);
    const uploadSeconds = (Date.now() - started) / 1000;
    const view = await finished(id);
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    // VmHWM would include the untimed first import's peak
    if (!before) peakRssKb = Math.max(peakRssKb, procStatusKb(worker.pid!, 'VmHWM'));
    return { seconds, uploadSeconds, peakRssKb, view, existing };
  } finally {
    await Promise.all([api, worker].map(stopProcess));
    await run.cleanUp();
    rmSync(env.UPLOAD_DIR, { recursive: true, force: true });
  }
}

/** Writes the CSV as a workbook with exceljs' streaming writer and shared strings, as Excel saves one. */
async function writeWorkbook(csvPath: string, xlsxPath: string): Promise<void> {
  const records: string[][] = parse(readFileSync(csvPath), { bom: true, relax_column_count: true });
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsxPath, useSharedStrings: true, useStyles: true });
  const sheet = writer.addWorksheet('Contacts');
  const header = records[0];
  const column = (name: string) => header.indexOf(name);
  const [signup, amount, points] = [column('Signup Date'), column('Amount'), column('Loyalty Points')];
  sheet.addRow(header).commit();
  for (let i = 1; i < records.length; i++) {
    const cells: unknown[] = records[i].map((cell, c) => {
      // a number cell cannot keep leading zeros: Excel turns 0044… typed in one into 44…
      if (c === 0 && /^[1-9]\d*$/.test(cell)) return Number(cell);
      if (c === signup && /^\d{4}-\d{2}-\d{2}$/.test(cell)) return new Date(`${cell}T00:00:00Z`);
      if ((c === amount || c === points) && /^\d+(\.\d+)?$/.test(cell)) return Number(cell);
      return cell;
    });
    const row = sheet.addRow(cells);
    if (typeof cells[amount] === 'number') row.getCell(amount + 1).numFmt = '0.00';
    row.commit();
  }
  sheet.commit();
  await writer.commit();
}

/** The workbook's XML, uncompressed (what the reader parses), as `unzip -l` counts it; 0 without unzip. */
function unzippedBytes(path: string): number {
  try {
    const listing = execFileSync('unzip', ['-l', path], { encoding: 'utf8' }).trim().split('\n');
    return Number(listing[listing.length - 1].trim().split(/\s+/)[0]) || 0;
  } catch {
    return 0;
  }
}

/** The valid, first-seen contacts of a sheet as the baseline's rows: phone, name, country, attributes. */
function baselineValues(csvPath: string, e164: Array<string | null>, duplicateRows: Set<number>): unknown[][] {
  const records: string[][] = parse(readFileSync(csvPath), { bom: true, relax_column_count: true });
  const header = records[0];
  const values: unknown[][] = [];
  for (let i = 1; i < records.length; i++) {
    const phone = e164[i - 1];
    if (!phone || duplicateRows.has(i)) continue;
    const r = records[i];
    const attributes: Record<string, string> = {};
    for (let c = 2; c < header.length; c++) if (r[c]) attributes[header[c]] = r[c];
    values.push([phone, r[1] || null, null, JSON.stringify(attributes)]);
  }
  return values;
}

/**
 * The raw baseline, on a fresh database of its own: the same valid contacts in multi-row INSERTs
 * into a copy of the contacts table, over one connection; with `prefill`, that copy first holds
 * those rows (untimed) and the timed statements are upserts.
 */
async function insertBaseline(
  csvPath: string,
  e164: Array<string | null>,
  duplicateRows: Set<number>,
  prefill: unknown[][] = [],
): Promise<{ rows: number; seconds: number }> {
  const values = baselineValues(csvPath, e164, duplicateRows);
  const run = benchRun('import_baseline');
  await prepareDatabase(run.databaseUrl);
  const target = parseDatabaseUrl(run.databaseUrl);
  const db = await createConnection({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    charset: 'utf8mb4_unicode_ci',
  });
  const insert = (rows: unknown[][], upsert: boolean) =>
    db.query(
      `INSERT INTO baseline_contacts (phone, name, country, attributes) VALUES ?${upsert ? ' ON DUPLICATE KEY UPDATE name = VALUES(name), attributes = VALUES(attributes)' : ''}`,
      [rows],
    );
  try {
    await db.query('CREATE TABLE baseline_contacts LIKE contacts');
    for (let i = 0; i < prefill.length; i += 2000) await insert(prefill.slice(i, i + 2000), false);
    const started = Date.now();
    for (let i = 0; i < values.length; i += 2000) await insert(values.slice(i, i + 2000), prefill.length > 0);
    return { rows: values.length, seconds: (Date.now() - started) / 1000 };
  } finally {
    await db.end();
    await run.cleanUp();
  }
}

/** The sheet with a last column "Customer ID" (C1, C2, …), quoting cells as the generator does. */
function withCustomerIdColumn(csv: Buffer): string {
  const records: string[][] = parse(csv, { bom: true, relax_column_count: true });
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = records.map((fields, i) => [...fields, i === 0 ? 'Customer ID' : `C${i}`].map(cell).join(','));
  return `${lines.join('\n')}\n`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
