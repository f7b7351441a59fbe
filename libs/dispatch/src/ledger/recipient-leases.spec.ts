import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@clarion/database';
import { RecipientClaims } from './recipient-claims';

/** The claim lease in the ledger itself: renewal and reclaiming, against real MariaDB. */
describe('RecipientClaims leases (real MariaDB)', () => {
  let db: DataSource;
  let claims: RecipientClaims;
  let broadcastId: number;

  beforeAll(async () => {
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL as string)).initialize();
    claims = new RecipientClaims(db);
  });

  afterAll(() => db?.destroy());

  beforeEach(async () => {
    const b = await db.query(
      `INSERT INTO broadcasts (name, sender_id, template_id, template_name, template_language, template_category, status)
       VALUES ('lease', 1, 0, 'hello_world', 'en_US', 'UTILITY', 'running')`,
    );
    broadcastId = Number(b.insertId);
    await db.query('INSERT INTO broadcast_stats (broadcast_id, total) VALUES (?, 5)', [broadcastId]);
  });

  /** Recipients claimed under `token`, `ageMs` ago; `wamids[i]` set where a status webhook brought one. */
  async function claimed(token: string, ageMs: number, wamids: Array<string | null>): Promise<number[]> {
    const ids: number[] = [];
    for (const wamid of wamids) {
      const r = await db.query(
        `INSERT INTO broadcast_recipients (broadcast_id, contact_id, phone, dispatch_state, claimed_by, claim_token, claimed_at, wamid)
         VALUES (?, ?, ?, 'claimed', 'w1', ?, NOW(3) - INTERVAL ? MICROSECOND, ?)`,
        [
          broadcastId,
          ids.length + 1 + token.length * 100,
          `+49151${token.length}${ids.length}${Date.now() % 100000}`,
          token,
          ageMs * 1000,
          wamid,
        ],
      );
      ids.push(Number(r.insertId));
    }
    return ids;
  }

  const states = async (ids: number[]) =>
    (await db.query('SELECT dispatch_state AS s, claim_token AS t FROM broadcast_recipients WHERE id IN (?) ORDER BY id', [ids])).map(
      (r: { s: string; t: string | null }) => `${r.s}:${r.t ?? '-'}`,
    );

  it('hands back expired claims: those with a wamid as accepted (counted), the rest to pending', async () => {
    const ids = await claimed('tokenA', 10_000, ['wamid.lease-1', null, null]);
    const recovered = await claims.reclaimExpired(2_000);
    expect([...recovered]).toEqual([[broadcastId, 3]]);
    expect(await states(ids)).toEqual(['accepted:-', 'pending:-', 'pending:-']);
    const [stats] = await db.query('SELECT accepted FROM broadcast_stats WHERE broadcast_id = ?', [broadcastId]);
    expect(Number(stats.accepted)).toBe(1);
    expect((await claims.reclaimExpired(2_000)).size).toBe(0);
  });

  it('leaves claims within their lease, and renewed ones, with their worker', async () => {
    const fresh = await claimed('tokenB', 0, [null]);
    const renewed = await claimed('tokenCC', 10_000, [null, null]);
    const abandoned = await claimed('tokenDDD', 10_000, [null]);
    await claims.renew(['tokenCC']);
    await claims.reclaimExpired(2_000);
    expect(await states(fresh)).toEqual(['claimed:tokenB']);
    expect(await states(renewed)).toEqual(['claimed:tokenCC', 'claimed:tokenCC']);
    expect(await states(abandoned)).toEqual(['pending:-']);
  });
});
