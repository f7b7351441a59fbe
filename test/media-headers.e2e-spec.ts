import { randomInt } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { ADMIN_TOKEN, bearer } from './support/apps';
import { broadcastCompleted, createSender, recipientsOf, seedList } from './support/broadcast-fixtures';
import { waitFor } from './support/processes';
import type { Sandbox } from './support/sandbox';
import { startStack, type Stack } from './support/stack';

type Format = 'IMAGE' | 'VIDEO' | 'DOCUMENT';

/**
 * Media headers per contact, end to end: a `{{field}}` in the header URL of a broadcast or of a
 * sequence step is resolved for each contact, and the sandbox receives that contact's link as the
 * header's image, video or document; a link that is not https or not a type the header takes
 * skips the recipient as `invalid_media_url` (nothing reaches the sandbox for it).
 */
describe('media headers per contact (API + worker + sandbox)', () => {
  let stack: Stack;
  let sandbox: Sandbox;
  let url: string;
  let db: DataSource;
  const templates = {} as Record<Format, string>;

  beforeAll(async () => {
    // templates: null — the sandbox takes any template; Clarion's own registry (below) is what is checked.
    stack = await startStack({ sandbox: { templates: null }, env: { SEQUENCE_TICK_MS: '300' } });
    ({ sandbox, url, db } = stack);
    for (const format of ['IMAGE', 'VIDEO', 'DOCUMENT'] as Format[]) {
      templates[format] = `media_${format.toLowerCase()}_${randomInt(1e9)}`;
      await db.query(
        "INSERT INTO templates (waba_id, name, language, category, status, parameter_format, components) VALUES ('', ?, 'en', 'UTILITY', 'APPROVED', 'POSITIONAL', ?)",
        [
          templates[format],
          JSON.stringify([
            { type: 'HEADER', format },
            { type: 'BODY', text: 'Hi {{1}}, here it is.' },
          ]),
        ],
      );
    }
  });

  afterAll(() => stack?.close());

  const post = (path: string, body: unknown) =>
    request(url)
      .post(path)
      .set(bearer(ADMIN_TOKEN))
      .send(body as object);
  /** The header parameter the sandbox received per phone (`+49…` → `{ type, link }`). */
  const headersAt = (phoneNumberId: string) =>
    new Map(
      sandbox.ledger({ phoneNumberId }).map((e) => {
        const header = e.params.find((c) => c.type === 'header')!.parameters[0] as unknown as Record<string, { link: string }> & {
          type: string;
        };
        return [`+${e.to.replace(/^\+/, '')}`, { type: header.type, link: header[header.type].link }];
      }),
    );

  /** Per format: a good link per contact, one http link and one of a type the header does not take. */
  const cases: Array<{ format: Format; good: (i: number) => string; wrongType: string }> = [
    { format: 'IMAGE', good: (i) => `https://cdn.example.com/people/${i}.jpg`, wrongType: 'https://cdn.example.com/people/x.gif' },
    { format: 'VIDEO', good: (i) => `https://cdn.example.com/clips/${i}.mp4`, wrongType: 'https://cdn.example.com/clips/x.mov' },
    { format: 'DOCUMENT', good: (i) => `https://cdn.example.com/invoices/${i}.pdf`, wrongType: 'https://cdn.example.com/invoices/x.png' },
  ];

  it.each(cases)('a broadcast sends each contact its own $format header and skips bad links', async ({ format, good, wrongType }) => {
    const sender = await createSender(url);
    const { listId, contacts } = await seedList(db, 5, (i) => ({
      attributes: { media: i === 3 ? good(i).replace('https:', 'http:') : i === 4 ? wrongType : good(i) },
    }));
    const fixedHttp = await post('/v1/broadcasts', {
      name: 'fixed http',
      senderId: sender.id,
      template: { name: templates[format], language: 'en' },
      audience: { listId },
      variables: { '1': '{{name|there}}' },
      headerMediaUrl: 'http://cdn.example.com/same-for-all.pdf',
    });
    expect(fixedHttp.status).toBe(400);
    expect(fixedHttp.body.message).toMatch(/headerMediaUrl: .*not https/);

    const created = await post('/v1/broadcasts', {
      name: `media ${format}`,
      senderId: sender.id,
      template: { name: templates[format], language: 'en' },
      audience: { listId },
      variables: { '1': '{{name|there}}' },
      headerMediaUrl: '{{media}}',
    });
    expect(created.status).toBe(201);
    await broadcastCompleted(url, created.body.id, 20_000);

    const received = headersAt(sender.phoneNumberId);
    expect(received.size).toBe(3);
    for (const i of [0, 1, 2]) expect(received.get(contacts[i].phone)).toEqual({ type: format.toLowerCase(), link: good(i) });
    const rows = await recipientsOf(db, created.body.id);
    expect(rows.filter((r) => r.status === 'skipped').map((r) => [r.phone, r.skip_reason])).toEqual([
      [contacts[3].phone, 'invalid_media_url'],
      [contacts[4].phone, 'invalid_media_url'],
    ]);
    const skipped = await request(url).get(`/v1/broadcasts/${created.body.id}/recipients?status=skipped`).set(bearer());
    expect(skipped.body.data.map((r: { skipReason: string }) => r.skipReason)).toEqual(['invalid_media_url', 'invalid_media_url']);
  });

  it('a sequence step carries a header URL and sends each enrolled contact its own image, video and document', async () => {
    const sender = await createSender(url);
    const { contacts } = await seedList(db, 3, (i) => ({
      attributes: {
        photo: i === 2 ? 'https://cdn.example.com/p/2.webp' : `https://cdn.example.com/p/${i}.png`,
        clip: `https://cdn.example.com/c/${i}.3gp`,
        doc: i === 1 ? 'http://cdn.example.com/d/1.pdf' : `https://cdn.example.com/d/${i}.docx`,
      },
    }));
    const step = (format: Format, media: string) => ({
      template: { name: templates[format], language: 'en' },
      variables: { '1': '{{name}}' },
      headerMediaUrl: media,
      delay: 'PT0S',
    });
    const noUrl = await post('/v1/sequences', {
      name: 'no url',
      senderId: sender.id,
      steps: [{ template: { name: templates.IMAGE, language: 'en' }, variables: { '1': '{{name}}' }, delay: 'PT0S' }],
    });
    expect(noUrl.status).toBe(400);
    expect(noUrl.body.message).toMatch(/steps\[1\]: headerMediaUrl/);

    const created = await post('/v1/sequences', {
      name: `media seq ${randomInt(1e9)}`,
      senderId: sender.id,
      steps: [step('IMAGE', '{{photo}}'), step('VIDEO', '{{clip}}'), step('DOCUMENT', '{{doc}}')],
    });
    expect(created.status).toBe(201);
    expect(created.body.steps.map((s: { headerMediaUrl: string }) => s.headerMediaUrl)).toEqual(['{{photo}}', '{{clip}}', '{{doc}}']);
    expect((await post(`/v1/sequences/${created.body.id}/enrollments`, { contactIds: contacts.map((c) => c.id) })).status).toBe(202);

    const stepIds: number[] = created.body.steps.map((s: { broadcastId: number }) => s.broadcastId);
    await waitFor(
      async () => {
        const done = await db.query(
          "SELECT COUNT(*) AS n FROM broadcast_recipients WHERE broadcast_id IN (?) AND dispatch_state IN ('accepted','skipped')",
          [stepIds],
        );
        return Number(done[0].n) === 9 ? true : undefined;
      },
      30_000,
      'every step to reach every contact',
    );
    const sent = sandbox.ledger({ phoneNumberId: sender.phoneNumberId }).map((e) => {
      const header = e.params.find((c) => c.type === 'header')!.parameters[0] as unknown as Record<string, { link: string }> & {
        type: string;
      };
      return `+${e.to.replace(/^\+/, '')} ${header.type} ${header[header.type].link}`;
    });
    const [a, b, c] = contacts.map((x) => x.phone);
    expect(sent.sort()).toEqual(
      [
        `${a} image https://cdn.example.com/p/0.png`,
        `${b} image https://cdn.example.com/p/1.png`,
        `${a} video https://cdn.example.com/c/0.3gp`,
        `${b} video https://cdn.example.com/c/1.3gp`,
        `${c} video https://cdn.example.com/c/2.3gp`,
        `${a} document https://cdn.example.com/d/0.docx`,
        `${c} document https://cdn.example.com/d/2.docx`,
      ].sort(),
    );
    const skips = await db.query(
      "SELECT broadcast_id, phone, skip_reason FROM broadcast_recipients WHERE broadcast_id IN (?) AND dispatch_state = 'skipped' ORDER BY broadcast_id",
      [stepIds],
    );
    expect(
      skips.map((r: { broadcast_id: number; phone: string; skip_reason: string }) => [Number(r.broadcast_id), r.phone, r.skip_reason]),
    ).toEqual([
      [stepIds[0], c, 'invalid_media_url'],
      [stepIds[2], b, 'invalid_media_url'],
    ]);

    // An edited step's new URL applies to what is appended from then on.
    const edited = await request(url)
      .patch(`/v1/sequences/${created.body.id}`)
      .set(bearer())
      .send({
        steps: [
          step('IMAGE', 'https://cdn.example.com/{{photo_name|default}}.jpg'),
          step('VIDEO', '{{clip}}'),
          step('DOCUMENT', '{{doc}}'),
        ],
      });
    expect(edited.status).toBe(200);
    expect(edited.body.steps[0].headerMediaUrl).toBe('https://cdn.example.com/{{photo_name|default}}.jpg');
    const stepBroadcast = await request(url).get(`/v1/broadcasts/${stepIds[0]}`).set(bearer());
    expect(stepBroadcast.body.headerMediaUrl).toBe('https://cdn.example.com/{{photo_name|default}}.jpg');
  });
});
