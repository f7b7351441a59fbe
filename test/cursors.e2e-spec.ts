import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { bearer, startApi } from './support/apps';

const b64 = (json: string) => Buffer.from(json).toString('base64url');

/** Cursors a client could send that no page ever handed out. */
const BAD_CURSORS: Array<[string, string]> = [
  ['garbage', 'garbage'],
  ['not JSON', b64('{id:1')],
  ['a JSON string', b64('"abc"')],
  ['an array', b64('[1,2]')],
  ['an empty object', b64('{}')],
  ['a string id', b64('{"id":"1 OR 1=1","v":"a","k":"a"}')],
  ['an object id', b64('{"id":{"a":1},"v":"a","k":"a"}')],
  ['a fractional id', b64('{"id":1.5,"v":"a","k":"a"}')],
  ['an object sort key', b64('{"id":1,"v":{"a":1},"k":{"a":1}}')],
  ['an array sort key', b64('{"id":1,"v":[1,2],"k":[1,2]}')],
];

const LISTS = [
  '/v1/contacts',
  '/v1/contacts?sort=name',
  '/v1/contacts?sort=-createdAt',
  '/v1/broadcasts',
  '/v1/broadcasts?sort=deliveryRate&order=desc',
  '/v1/imports',
  '/v1/lists',
  '/v1/templates',
  '/v1/senders',
  '/v1/sequences',
  '/v1/tokens',
  '/v1/users',
  '/v1/webhook-endpoints',
];

/** Every cursor-paginated list answers 400 to a cursor it did not hand out, never 500. */
describe('list cursors', () => {
  let api: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    api = await startApi();
    http = request(api.getHttpServer());
  });
  afterAll(async () => {
    await api?.close();
  });

  describe.each(LISTS)('%s', (path) => {
    it.each(BAD_CURSORS)('answers 400 to %s', async (_what, cursor) => {
      const res = await http.get(`${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`).set(bearer());
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: expect.stringContaining('cursor') });
    });

    it('still takes the nextCursor it handed out', async () => {
      const first = await http.get(`${path}${path.includes('?') ? '&' : '?'}limit=1`).set(bearer());
      expect(first.status).toBe(200);
      const cursor = first.body.nextCursor ?? b64('{"id":1,"v":"a","k":"a"}');
      const next = await http.get(`${path}${path.includes('?') ? '&' : '?'}limit=1&cursor=${cursor}`).set(bearer());
      expect(next.status).toBe(200);
    });
  });
});
