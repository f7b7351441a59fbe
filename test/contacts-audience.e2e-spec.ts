import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@clarion/common';
import { AudienceReader } from '@clarion/contacts';
import { startApi } from './support/apps';

/** AudienceReader against real MariaDB: keyset chunks for every audience kind. */
describe('AudienceReader', () => {
  let app: INestApplication;
  let reader: AudienceReader;
  let db: DataSource;
  const ids: number[] = [];
  let listId: number;
  let importId: number;
  let tag: string;

  beforeAll(async () => {
    app = await startApi();
    reader = app.get(AudienceReader);
    db = app.get(DataSource);
    tag = `aud-${Date.now()}`;
    for (let i = 0; i < 25; i++) {
      const res = await db.query('INSERT INTO contacts (phone, name, country, attributes, opted_out) VALUES (?, ?, ?, ?, ?)', [
        `+9199000${String(Date.now() % 1000).padStart(3, '0')}${String(i).padStart(3, '0')}`,
        `Person ${i}`,
        'IN',
        JSON.stringify({ city: i % 2 ? 'Pune' : 'Delhi' }),
        i === 3 ? 1 : 0,
      ]);
      ids.push(Number(res.insertId));
    }
    const list = await db.query('INSERT INTO contact_lists (name) VALUES (?)', [`audience-list-${tag}`]);
    listId = Number(list.insertId);
    await db.query('INSERT INTO contact_list_members (list_id, contact_id) VALUES ?', [ids.slice(0, 20).map((id) => [listId, id])]);
    const imp = await db.query("INSERT INTO imports (file_path, options, status) VALUES ('x', '{}', 'completed')");
    importId = Number(imp.insertId);
    await db.query('INSERT INTO import_contacts (import_id, contact_id) VALUES ?', [ids.slice(5).map((id) => [importId, id])]);
    // tag A on even positions, tag B on multiples of 3: "any of" gives the union
    await db.query('INSERT INTO contact_tags (contact_id, tag) VALUES ?', [
      [
        ...ids.filter((_, i) => i % 2 === 0).map((id) => [id, `${tag}-a`]),
        ...ids.filter((_, i) => i % 3 === 0).map((id) => [id, `${tag}-b`]),
      ],
    ]);
  });
  afterAll(() => app.close());

  async function readAll(audience: Parameters<AudienceReader['readChunk']>[0], chunk = 7): Promise<number[]> {
    const seen: number[] = [];
    let after = 0;
    for (;;) {
      const rows = await reader.readChunk(audience, after, chunk);
      if (rows.length === 0) return seen;
      expect(rows.length).toBeLessThanOrEqual(chunk);
      seen.push(...rows.map((r) => r.id));
      after = rows[rows.length - 1].id;
    }
  }

  it('reads a list in id order, chunk by chunk, with contact fields', async () => {
    expect(await readAll({ listId })).toEqual(ids.slice(0, 20));
    expect(await reader.count({ listId })).toBe(20);
    const [first] = await reader.readChunk({ listId }, 0, 1);
    expect(first).toEqual({
      id: ids[0],
      phone: expect.stringMatching(/^\+91/),
      name: 'Person 0',
      country: 'IN',
      attributes: { city: 'Delhi' },
      optedOut: false,
    });
    const optedOut = await reader.readChunk({ listId }, ids[2], 1);
    expect(optedOut[0].optedOut).toBe(true);
  });

  it('reads an import', async () => {
    expect(await readAll({ importId }, 4)).toEqual(ids.slice(5));
    expect(await reader.count({ importId })).toBe(20);
  });

  it('reads contacts having ANY of the tags, once each', async () => {
    const expected = ids.filter((_, i) => i % 2 === 0 || i % 3 === 0);
    expect(await readAll({ tags: [`${tag}-a`, `${tag}-b`] }, 5)).toEqual(expected);
    expect(await reader.count({ tags: [`${tag}-a`, `${tag}-b`] })).toBe(expected.length);
  });

  it('reads explicit contact ids, skipping unknown ones', async () => {
    const wanted = [ids[9], ids[1], ids[4], 999_999_999];
    expect(await readAll({ contactIds: wanted }, 2)).toEqual([ids[1], ids[4], ids[9]]);
    expect(await reader.count({ contactIds: wanted })).toBe(3);
  });

  it('validates: unknown list/import → not found, malformed → validation', async () => {
    await expect(reader.validate({ listId })).resolves.toEqual({ listId });
    await expect(reader.validate({ listId: 987654 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(reader.validate({ importId: 987654 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const bad of [
      null,
      {},
      { listId: -1 },
      { tags: [] },
      { tags: [''] },
      { contactIds: ['x'] },
      { listId: 1, tags: ['a'] },
      { everyone: true },
    ]) {
      await expect(reader.validate(bad)).rejects.toBeInstanceOf(DomainError);
      await expect(reader.validate(bad)).rejects.toMatchObject({ code: 'VALIDATION' });
    }
  });
});
