import { INestApplication, INestApplicationContext } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { randomInt } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { nextOpening, SequenceTick, type TickFiring } from '@clarion/sequences';
import { bearer, startApi, startWorker } from './support/apps';
import { startSandbox, type Sandbox } from './support/sandbox';
import { spawnWorkerProcess, SpawnedWorker, waitFor } from './support/processes';

const TICK_MS = '300';
/** Dispatch latency differs between two sends; a step may reach WhatsApp this much sooner than its delay after the previous one. */
const SEND_JITTER_MS = 1_000;

/** Sequences end to end: API → enrolments → the tick → step broadcasts' recipient ledger. */
describe('Sequences (e2e)', () => {
  let api: INestApplication;
  let http: ReturnType<typeof request>;
  let db: DataSource;
  let senderId: number;
  let templateName: string;
  let sandbox: Sandbox;
  let env: Record<string, string>;

  const phone = () => `+9198${String(randomInt(0, 99_999_999)).padStart(8, '0')}`;

  async function contacts(n: number, attributes: Record<string, string> = {}): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const res = await db.query('INSERT INTO contacts (phone, name, country, attributes) VALUES (?, ?, ?, ?)', [
        phone(),
        `Person ${i}`,
        'IN',
        JSON.stringify(attributes),
      ]);
      ids.push(Number(res.insertId));
    }
    return ids;
  }

  async function createSequence(body: Record<string, unknown>): Promise<{ id: number; steps: Array<{ broadcastId: number }> }> {
    const steps = (body.steps as Array<Record<string, unknown>>).map((s) => ({
      template: { name: templateName, language: 'en' },
      variables: { '1': '{{name|there}}' },
      ...s,
    }));
    const res = await http
      .post('/v1/sequences')
      .set(bearer())
      .send({ name: `seq-${randomInt(1e9)}`, senderId, ...body, steps })
      .expect(201);
    return res.body;
  }

  /** The ledger rows of a step broadcast: who was appended, when. */
  async function appended(broadcastId: number): Promise<Array<{ contactId: number; enrollmentId: number; at: number }>> {
    const rows = await db.query(
      'SELECT contact_id, enrollment_id, created_at FROM broadcast_recipients WHERE broadcast_id = ? ORDER BY id',
      [broadcastId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      contactId: Number(r.contact_id),
      enrollmentId: Number(r.enrollment_id),
      at: (r.created_at as Date).getTime(),
    }));
  }

  async function runs(sequenceId: number) {
    return (await http.get(`/v1/sequences/${sequenceId}/enrollments?limit=1000`).set(bearer()).expect(200)).body.data as Array<
      Record<string, unknown>
    >;
  }

  beforeAll(async () => {
    // This file has its own database and Redis prefix (test/support/per-file-isolation.ts), so no
    // other suite's worker dispatches these step broadcasts.
    sandbox = await startSandbox({ config: { templates: null, webhook: { url: null } } });
    env = { SEQUENCE_TICK_MS: TICK_MS, WHATSAPP_GRAPH_URL: sandbox.url };
    api = await startApi(env);
    http = request(api.getHttpServer());
    const { port } = api.getHttpServer().address() as { port: number };
    sandbox.configure({ webhook: { url: `http://127.0.0.1:${port}/webhooks/whatsapp`, flushIntervalMs: 20 } });
    db = api.get(DataSource);
    senderId = (
      await http
        .post('/v1/senders')
        .set(bearer())
        .send({
          name: 'Drip',
          api: 'cloud',
          phoneNumberId: `seq${randomInt(1e9)}`,
          accessToken: 'EAAG-sequence-test-token',
          messagingLimit: 'unlimited',
        })
        .expect(201)
    ).body.id;
    templateName = `drip_${randomInt(1e9)}`;
    await db.query(
      "INSERT INTO templates (name, language, category, status, parameter_format, components) VALUES (?, 'en', 'MARKETING', 'APPROVED', 'POSITIONAL', ?)",
      [templateName, JSON.stringify([{ type: 'BODY', text: 'Hello {{1}}', example: { body_text: [['Asha']] } }])],
    );
  });

  afterAll(async () => {
    await api?.close();
    await sandbox?.close();
  });

  /** A sequence sheet's enrolment once it is no longer importing. */
  function sheetImported(sequenceId: number, importId: number, what: string) {
    return waitFor(
      async () => {
        const got = await http.get(`/v1/sequences/${sequenceId}/sheets/${importId}`).set(bearer()).expect(200);
        return got.body.status !== 'importing' ? got.body : undefined;
      },
      20_000,
      what,
    );
  }

  /** A step broadcast's recipient params (as JSON) by phone, once it has `count` recipients. */
  async function paramsByPhone(broadcastId: number, count: number, what: string): Promise<Record<string, string>> {
    const rows = await waitFor(
      async () => {
        const got = await db.query('SELECT phone, params FROM broadcast_recipients WHERE broadcast_id = ? ORDER BY phone', [broadcastId]);
        return got.length === count ? got : undefined;
      },
      10_000,
      what,
    );
    return Object.fromEntries(rows.map((r: { phone: string; params: unknown }) => [r.phone, JSON.stringify(r.params)]));
  }

  /** What the sandbox accepted for a phone, oldest first. */
  async function phoneOf(contactId: number): Promise<string> {
    return (await db.query('SELECT phone FROM contacts WHERE id = ?', [contactId]))[0].phone;
  }
  function sentTo(phone: string) {
    return sandbox.ledger().filter((e) => `+${e.to.replace(/^\+/, '')}` === phone);
  }

  it('refuses bad definitions with 400 naming the field, and an analyst may read but not write', async () => {
    const bad = await http
      .post('/v1/sequences')
      .set(bearer())
      .send({ name: 'x', senderId, steps: [{ template: { name: templateName, language: 'en' }, delay: 'P1M' }] })
      .expect(400);
    expect(bad.body.message).toMatch(/steps\[0\]\.delay/);
    const window = await http
      .post('/v1/sequences')
      .set(bearer())
      .send({
        name: 'x',
        senderId,
        window: { days: ['someday'], from: '09:00', to: '18:00' },
        steps: [{ template: { name: templateName, language: 'en' }, delay: 'PT0S' }],
      })
      .expect(400);
    expect(window.body.message).toMatch(/window.days/);
    const zone = await http
      .post('/v1/sequences')
      .set(bearer())
      .send({ name: 'x', senderId, timezone: 'Mars/Base', steps: [{ template: { name: templateName, language: 'en' }, delay: 'PT0S' }] })
      .expect(400);
    expect(zone.body.message).toMatch(/timezone/);
    await http
      .post('/v1/sequences')
      .set(bearer())
      .send({ name: 'x', senderId, steps: [{ template: { name: 'no_such_template', language: 'en' }, delay: 'PT0S' }] })
      .expect(400);
    const analyst = (await http.post('/v1/tokens').set(bearer()).send({ name: 'seq-analyst', role: 'analyst' }).expect(201)).body.token;
    await http.get('/v1/sequences').set(bearer(analyst)).expect(200);
    await http.post('/v1/sequences').set(bearer(analyst)).send({}).expect(403);
  });

  describe('with one worker', () => {
    let worker: INestApplicationContext;
    beforeAll(async () => {
      worker = await startWorker(env);
    });
    afterAll(() => worker.close());

    it('sends the steps in order with their delays, stops on reply and on opt-out, and keeps per-step statistics', async () => {
      const seq = await createSequence({ steps: [{ delay: 'PT0S' }, { delay: 'PT4S' }] });
      const [a, b, c, d] = await contacts(4);
      const enrolled = await http
        .post(`/v1/sequences/${seq.id}/enrollments`)
        .set(bearer())
        .send({ contactIds: [a, b, c, d] })
        .expect(202);
      expect(enrolled.body).toMatchObject({ enrolled: 4 });

      const [step1, step2] = seq.steps.map((s) => s.broadcastId);
      const first = await waitFor(
        async () => ((await appended(step1)).length === 4 ? appended(step1) : undefined),
        10_000,
        'step 1 for everyone',
      );
      // B writes back, C opts out: neither gets step 2.
      await db.query(
        "INSERT INTO inbound_messages (wamid, phone_number_id, from_phone, contact_id, received_at, type, text) VALUES (?, 'x', 'x', ?, NOW(3), 'text', 'hi')",
        [`wamid.seq${randomInt(1e9)}`, b],
      );
      await db.query('UPDATE contacts SET opted_out = 1, opted_out_at = NOW(3) WHERE id = ?', [c]);

      const ended = await waitFor(
        async () => {
          const rows = await runs(seq.id);
          return rows.every((r) => r.status !== 'active') ? rows : undefined;
        },
        20_000,
        'every run to end',
      );
      const byContact = new Map(ended.map((r) => [r.contactId as number, r]));
      expect(byContact.get(a)).toMatchObject({ status: 'completed', stopReason: null });
      expect(byContact.get(d)).toMatchObject({ status: 'completed' });
      expect(byContact.get(b)).toMatchObject({ status: 'stopped', stopReason: 'replied' });
      expect(byContact.get(c)).toMatchObject({ status: 'stopped', stopReason: 'opted_out' });

      const second = await appended(step2);
      expect(second.map((r) => r.contactId).sort()).toEqual([a, d].sort());
      for (const r of second) {
        const before = first.find((f) => f.contactId === r.contactId)!;
        expect(r.enrollmentId).toBe(before.enrollmentId);
        expect(r.at - before.at).toBeGreaterThanOrEqual(4_000 - Number(TICK_MS));
      }

      const view = await http.get(`/v1/sequences/${seq.id}`).set(bearer()).expect(200);
      expect(view.body.steps.map((s: { stats: { total: number } }) => s.stats.total)).toEqual([4, 2]);
      expect(view.body.enrollments).toMatchObject({ completed: 2, stopped: 2, active: 0 });

      // Enrolling again is a no-op under the default policy; restart starts a new run.
      const again = await http
        .post(`/v1/sequences/${seq.id}/enrollments`)
        .set(bearer())
        .send({ contactIds: [a, d] })
        .expect(202);
      expect(again.body).toMatchObject({ enrolled: 0, alreadyEnrolled: 2 });
      const restart = await http
        .post(`/v1/sequences/${seq.id}/enrollments`)
        .set(bearer())
        .send({ contactIds: [a], reenrollment: 'restart' })
        .expect(202);
      expect(restart.body).toMatchObject({ enrolled: 1 });
      await waitFor(
        async () => (await appended(step1)).filter((r) => r.contactId === a).length === 2,
        10_000,
        'the restarted run to get step 1 again',
      );
    });

    it('sends every step through dispatch to WhatsApp in order, with its delay, and counts the sends per step', async () => {
      const seq = await createSequence({ steps: [{ delay: 'PT0S' }, { delay: 'PT3S' }] });
      const ids = await contacts(2);
      await http.post(`/v1/sequences/${seq.id}/enrollments`).set(bearer()).send({ contactIds: ids }).expect(202);
      for (const contactId of ids) {
        const sends = await waitFor(
          async () => {
            const got = sentTo(await phoneOf(contactId));
            return got.length === 2 ? got : undefined;
          },
          20_000,
          'both steps at the sandbox',
        );
        expect(sends[1].acceptedAt - sends[0].acceptedAt).toBeGreaterThanOrEqual(3_000 - SEND_JITTER_MS);
      }
      const view = await waitFor(
        async () => {
          const res = await http.get(`/v1/sequences/${seq.id}`).set(bearer()).expect(200);
          return res.body.steps.every((st: { stats: { sent: number } }) => st.stats.sent === 2) ? res.body : undefined;
        },
        15_000,
        'per-step statistics to count the sends',
      );
      expect(view.steps.map((st: { stats: { total: number; queued: number } }) => [st.stats.total, st.stats.queued])).toEqual([
        [2, 0],
        [2, 0],
      ]);
    });

    it("counts a step's delay from when the previous step went out, not from when it fell due", async () => {
      // Step 1's broadcast is paused (as dispatch pauses a broadcast whose sender keeps failing):
      // step 1 is handed to it on time but goes out only on resume, seconds after step 2 fell due.
      const seq = await createSequence({ steps: [{ delay: 'PT0S' }, { delay: 'PT2S' }] });
      const [step1, step2] = seq.steps.map((s) => s.broadcastId);
      await http.post(`/v1/broadcasts/${step1}/pause`).set(bearer()).expect(200);
      const ids = await contacts(3);
      await http.post(`/v1/sequences/${seq.id}/enrollments`).set(bearer()).send({ contactIds: ids }).expect(202);
      await waitFor(async () => (await appended(step1)).length === 3, 10_000, 'step 1 handed to its paused broadcast');
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      expect(await appended(step2)).toEqual([]);

      await http.post(`/v1/broadcasts/${step1}/resume`).set(bearer()).expect(200);
      for (const contactId of ids) {
        const phone = await phoneOf(contactId);
        const sends = await waitFor(
          async () => {
            const got = sentTo(phone);
            return got.length === 2 ? got : undefined;
          },
          20_000,
          'both steps at the sandbox',
        );
        expect(sends[1].acceptedAt - sends[0].acceptedAt).toBeGreaterThanOrEqual(2_000 - SEND_JITTER_MS);
      }
    });

    it('stops a run once the contact attribute takes the stop value', async () => {
      const seq = await createSequence({
        stopWhen: { attribute: 'stage', equals: 'customer' },
        steps: [{ delay: 'PT0S' }, { delay: 'PT2S' }],
      });
      const [lead, buyer] = await contacts(2, { stage: 'lead' });
      await http
        .post(`/v1/sequences/${seq.id}/enrollments`)
        .set(bearer())
        .send({ contactIds: [lead, buyer] })
        .expect(202);
      await waitFor(async () => (await appended(seq.steps[0].broadcastId)).length === 2, 10_000, 'step 1');
      await db.query(`UPDATE contacts SET attributes = JSON_SET(attributes, '$.stage', 'Customer') WHERE id = ?`, [buyer]);
      const ended = await waitFor(
        async () => {
          const rows = await runs(seq.id);
          return rows.every((r) => r.status !== 'active') ? rows : undefined;
        },
        15_000,
        'both runs to end',
      );
      expect(ended.find((r) => r.contactId === buyer)).toMatchObject({ status: 'stopped', stopReason: 'attribute' });
      expect(ended.find((r) => r.contactId === lead)).toMatchObject({ status: 'completed' });
      expect((await appended(seq.steps[1].broadcastId)).map((r) => r.contactId)).toEqual([lead]);
    });

    it('holds runs whose step broadcast can no longer send, rather than losing the step', async () => {
      const seq = await createSequence({ steps: [{ delay: 'PT0S' }] });
      await db.query("UPDATE broadcasts SET status = 'cancelled' WHERE id = ?", [seq.steps[0].broadcastId]);
      const [x] = await contacts(1);
      const before = Date.now();
      await http
        .post(`/v1/sequences/${seq.id}/enrollments`)
        .set(bearer())
        .send({ contactIds: [x] })
        .expect(202);
      const [run] = await waitFor(
        async () => {
          const rows = await runs(seq.id);
          return new Date(rows[0].nextDueAt as string).getTime() > before + 30_000 ? rows : undefined;
        },
        10_000,
        'the run to be held',
      );
      expect(run).toMatchObject({ status: 'active', nextStep: 1 });
      expect(await appended(seq.steps[0].broadcastId)).toHaveLength(0);
      const view = await http.get(`/v1/sequences/${seq.id}`).set(bearer()).expect(200);
      expect(view.body.steps[0]).toMatchObject({ broadcastStatus: 'cancelled', waiting: 1 });
    });

    it('takes back, on unenrolment, the steps dispatch has not sent yet', async () => {
      // One message a second: most of the batch is still waiting in dispatch when we unenrol.
      const slowSender = (
        await http
          .post('/v1/senders')
          .set(bearer())
          .send({ name: 'Slow', api: 'cloud', phoneNumberId: `slow${randomInt(1e9)}`, accessToken: 'EAAG-slow', throughputMps: 1 })
          .expect(201)
      ).body.id;
      const seq = await createSequence({ senderId: slowSender, steps: [{ delay: 'PT0S' }, { delay: 'P1D' }] });
      // Dispatch claims at least 5 per batch, two batches in flight: 30 leaves most unclaimed.
      const people = await contacts(30);
      await http.post(`/v1/sequences/${seq.id}/enrollments`).set(bearer()).send({ contactIds: people }).expect(202);
      const step = seq.steps[0].broadcastId;
      await waitFor(
        async () => ((await appended(step)).length === 30 ? true : undefined),
        10_000,
        'the step handed to dispatch for everyone',
      );

      const res = await http.post(`/v1/sequences/${seq.id}/unenrollments`).set(bearer()).send({ contactIds: people });
      expect(res.status).toBeLessThan(300);
      expect(res.body.unenrolled).toBe(30);
      expect(res.body.withdrawn).toBeGreaterThan(0);

      // What dispatch had claimed still goes out (one a second); nothing withdrawn ever does.
      const kept = 30 - res.body.withdrawn;
      await waitFor(
        async () => {
          const [row] = await db.query(
            "SELECT COUNT(*) AS n FROM broadcast_recipients WHERE broadcast_id = ? AND dispatch_state = 'accepted'",
            [step],
          );
          return Number(row.n) === kept ? true : undefined;
        },
        20_000,
        'the claimed recipients to be sent',
      );
      await new Promise((r) => setTimeout(r, 1_500));
      const rows = await db.query('SELECT dispatch_state, skip_reason FROM broadcast_recipients WHERE broadcast_id = ?', [step]);
      const withdrawn = rows.filter((r: Record<string, unknown>) => r.skip_reason === 'unenrolled');
      expect(withdrawn).toHaveLength(res.body.withdrawn);
      expect(withdrawn.every((r: Record<string, unknown>) => r.dispatch_state === 'skipped')).toBe(true);
      const phones = await Promise.all(people.map(phoneOf));
      const delivered = phones.filter((p) => sentTo(p).length > 0).length;
      expect(delivered).toBe(kept);
      const stats = (await http.get(`/v1/broadcasts/${step}`).set(bearer()).expect(200)).body.stats;
      expect(stats.skipped).toBe(res.body.withdrawn);
    });

    it('holds a paused sequence, sends on resume, and unenrols everyone on delete', async () => {
      const seq = await createSequence({ steps: [{ delay: 'PT0S' }, { delay: 'PT1H' }] });
      await http.post(`/v1/sequences/${seq.id}/pause`).set(bearer()).expect(200);
      const ids = await contacts(3);
      await http.post(`/v1/sequences/${seq.id}/enrollments`).set(bearer()).send({ contactIds: ids }).expect(202);
      await new Promise((r) => setTimeout(r, 1_500)); // several ticks
      expect(await appended(seq.steps[0].broadcastId)).toHaveLength(0);
      const paused = await http.get(`/v1/sequences/${seq.id}`).set(bearer()).expect(200);
      expect(paused.body).toMatchObject({ status: 'paused', steps: [{ broadcastStatus: 'paused' }, { broadcastStatus: 'paused' }] });
      await http.post(`/v1/sequences/${seq.id}/pause`).set(bearer()).expect(409);

      const resumed = await http.post(`/v1/sequences/${seq.id}/resume`).set(bearer()).expect(200);
      expect(resumed.body).toMatchObject({ status: 'active', steps: [{ broadcastStatus: 'running' }, { broadcastStatus: 'running' }] });
      await http.post(`/v1/sequences/${seq.id}/resume`).set(bearer()).expect(409);
      await waitFor(async () => (await appended(seq.steps[0].broadcastId)).length === 3, 10_000, 'step 1 after resume');

      await http.delete(`/v1/sequences/${seq.id}`).set(bearer()).expect(204);
      await http.get(`/v1/sequences/${seq.id}`).set(bearer()).expect(404);
      const left = await db.query("SELECT COUNT(*) AS n FROM sequence_enrollments WHERE sequence_id = ? AND status = 'active'", [seq.id]);
      expect(Number(left[0].n)).toBe(0);
      const statuses = await db.query('SELECT DISTINCT status FROM broadcasts WHERE sequence_id = ?', [seq.id]);
      expect(statuses.map((s: { status: string }) => s.status)).toEqual(['cancelled']);
    });

    it('enrols every row of a sequence sheet with its attributes, through the contacts import', async () => {
      const seq = await createSequence({ steps: [{ delay: 'PT0S', variables: { '1': '{{city|nowhere}}' } }] });
      const [p1, p2] = [phone(), phone()];
      const csv = `phone,name,city\n${p1},Asha,Pune\n${p2},Ravi,Delhi\nnot-a-phone,X,Y\n`;
      const res = await http
        .post(`/v1/sequences/${seq.id}/enrollments`)
        .set(bearer())
        .attach('file', Buffer.from(csv), 'sheet.csv')
        .field('defaultCountry', 'IN')
        .expect(202);
      expect(res.body).toMatchObject({ status: 'importing', enrolled: null });
      const sheet = await sheetImported(seq.id, res.body.importId, 'the sheet to be enrolled');
      expect(sheet).toMatchObject({ status: 'enrolled', enrolled: 2 });
      const imp = await http.get(`/v1/imports/${res.body.importId}`).set(bearer()).expect(200);
      expect(imp.body.invalid).toBe(1);
      const params = await paramsByPhone(seq.steps[0].broadcastId, 2, 'step 1 for the sheet');
      expect(params[p1]).toContain('Pune');
      expect(params[p2]).toContain('Delhi');
      await http
        .post(`/v1/sequences/${seq.id}/enrollments`)
        .set(bearer())
        .attach('file', Buffer.from('phone\n+919800000001\n'), 's.csv')
        .field('mode', 'create')
        .expect(400);
    });

    it('enrols the rows of an .xlsx sequence sheet, a number-typed phone included', async () => {
      const seq = await createSequence({ steps: [{ delay: 'PT0S', variables: { '1': '{{city|nowhere}}' } }] });
      const [p1, p2] = [phone(), phone()];
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('Notes').addRow(['not', 'this', 'one']);
      const ws = wb.addWorksheet('Enrol');
      ws.addRow(['Phone', 'Name', 'City']);
      ws.addRow([Number(p1.slice(1)), 'Asha', 'Pune']);
      ws.addRow([p2, 'Ravi', { formula: '"Del"&"hi"', result: 'Delhi' }]);
      const res = await http
        .post(`/v1/sequences/${seq.id}/enrollments`)
        .set(bearer())
        .field('sheet', 'Enrol')
        .field('defaultCountry', 'IN')
        .attach('file', Buffer.from(await wb.xlsx.writeBuffer()), 'enrol.xlsx')
        .expect(202);
      const sheet = await sheetImported(seq.id, res.body.importId, 'the workbook to be enrolled');
      expect(sheet).toMatchObject({ status: 'enrolled', enrolled: 2 });
      const params = await paramsByPhone(seq.steps[0].broadcastId, 2, 'step 1 for the workbook');
      expect(params[p1]).toContain('Pune');
      expect(params[p2]).toContain('Delhi');
    });

    it('applies an edited delay to runs still waiting for that step', async () => {
      const seq = await createSequence({ steps: [{ delay: 'PT0S' }, { delay: 'PT1H' }] });
      const [x] = await contacts(1);
      await http
        .post(`/v1/sequences/${seq.id}/enrollments`)
        .set(bearer())
        .send({ contactIds: [x] })
        .expect(202);
      await waitFor(async () => (await appended(seq.steps[0].broadcastId)).length === 1, 10_000, 'step 1');
      const steps = [
        { template: { name: templateName, language: 'en' }, variables: { '1': '{{name}}' }, delay: 'PT0S' },
        { template: { name: templateName, language: 'en' }, variables: { '1': 'again {{name}}' }, delay: 'PT1S' },
      ];
      const patched = await http.patch(`/v1/sequences/${seq.id}`).set(bearer()).send({ steps }).expect(200);
      expect(patched.body.steps[1]).toMatchObject({ delay: 'PT1S', variables: { '1': 'again {{name}}' } });
      const [row] = await waitFor(
        async () => {
          const got = await db.query('SELECT params FROM broadcast_recipients WHERE broadcast_id = ?', [seq.steps[1].broadcastId]);
          return got.length === 1 ? got : undefined;
        },
        10_000,
        'step 2 after the edit',
      );
      expect(JSON.stringify(row.params)).toContain('again');
    });

    it("waits for the window's next opening in the contact's own time zone", async () => {
      // A window that is closed now: one hour a week, on a day that is not today in Tokyo.
      const tokyoToday = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: 'Asia/Tokyo' }).format(new Date()).toLowerCase();
      const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
      const day = days[(days.indexOf(tokyoToday) + 3) % 7];
      const window = { days: [day], from: '09:00', to: '10:00' };
      const seq = await createSequence({ window, timezone: 'America/New_York', steps: [{ delay: 'PT0S' }] });
      const [tokyo] = await contacts(1, { timezone: 'Asia/Tokyo' });
      const before = new Date();
      await http
        .post(`/v1/sequences/${seq.id}/enrollments`)
        .set(bearer())
        .send({ contactIds: [tokyo] })
        .expect(202);
      const [run] = await runs(seq.id);
      const expected = nextOpening(before, { days: [day] as never, from: '09:00', to: '10:00' }, 'Asia/Tokyo');
      expect(new Date(run.nextDueAt as string).getTime()).toBe(expected.getTime());
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await appended(seq.steps[0].broadcastId)).toHaveLength(0);
    });
  });

  it('fires once per interval across two worker processes, and every step goes out once', async () => {
    const workers: SpawnedWorker[] = [spawnWorkerProcess(env), spawnWorkerProcess(env)];
    try {
      const seq = await createSequence({ steps: [{ delay: 'PT0S' }, { delay: 'PT2S' }, { delay: 'PT2S' }] });
      const ids = await contacts(40);
      await http.post(`/v1/sequences/${seq.id}/enrollments`).set(bearer()).send({ contactIds: ids }).expect(202);
      await waitFor(
        async () => {
          const rows = await runs(seq.id);
          return rows.length === 40 && rows.every((r) => r.status === 'completed');
        },
        40_000,
        'all runs to complete',
      );
      for (const step of seq.steps) {
        const rows = await appended(step.broadcastId);
        expect(rows).toHaveLength(40);
        expect(new Set(rows.map((r) => r.contactId)).size).toBe(40);
      }
      const phones = new Set<string>(
        (await db.query('SELECT phone FROM contacts WHERE id IN (?)', [ids])).map((r: { phone: string }) => r.phone),
      );
      const delivered = await waitFor(
        async () => {
          const got = sandbox.ledger().filter((e) => phones.has(`+${e.to.replace(/^\+/, '')}`));
          return got.length >= 120 ? got : undefined;
        },
        20_000,
        'every step of every run at the sandbox',
      );
      expect(delivered).toHaveLength(120);
      const firings: TickFiring[] = await api.get(SequenceTick).recentFirings();
      const withWork = firings.filter((f) => f.enqueued > 0);
      expect(withWork.length).toBeGreaterThanOrEqual(3);
      expect(new Set(firings.map((f) => f.slot)).size).toBe(firings.length);
      const sorted = [...firings].sort((x, y) => x.startedAt - y.startedAt);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i].startedAt).toBeGreaterThanOrEqual(sorted[i - 1].endedAt);
      const pids = workers.map((w) => String(w.pid));
      expect(withWork.some((f) => pids.includes(f.worker.split(':').pop()!))).toBe(true);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});
