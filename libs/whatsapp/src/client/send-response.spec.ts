import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorFromException, parseSendResponse } from './send-response';
import { ErrorClass } from './types';

const EXAMPLES = join(__dirname, '../../../../test/fixtures/whatsapp-examples');
const read = (file: string) => readFileSync(join(EXAMPLES, file), 'utf8');

/** The HTTP status each captured answer came with (from its file name; Meta's error examples without one are 400s). */
function statusOf(file: string): number {
  const match = /\.http(\d{3})\./.exec(file);
  if (match) return Number(match[1]);
  return file.startsWith('send-success') ? 200 : 400;
}

describe('parseSendResponse on Meta example payloads', () => {
  const expected: Record<string, { code: number; errorClass: ErrorClass }> = {
    'error-response.100-mm-api.meta-docs.json': { code: 100, errorClass: ErrorClass.Permanent },
    'error-response.130429.meta-docs.json': { code: 130429, errorClass: ErrorClass.Throughput },
    'error-response.131056.community-capture.json': { code: 131056, errorClass: ErrorClass.PairRate },
    'error-response.132000.production-capture.whaloc.json': { code: 132000, errorClass: ErrorClass.Permanent },
    'error-response.190-invalid-token.http401.openapi.json': { code: 190, errorClass: ErrorClass.Auth },
    'error-response.2-transient.http500.openapi.json': { code: 2, errorClass: ErrorClass.Transient },
    'error-response.4-app-rate-limit.http429.openapi.json': { code: 4, errorClass: ErrorClass.Throughput },
  };

  it('covers every JSON error example in the fixtures', () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.startsWith('error-response.') && f.endsWith('.json'));
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('classifies %s', (file, { code, errorClass }) => {
    const raw = JSON.parse(read(file)).error;
    const outcome = parseSendResponse(statusOf(file), read(file));
    expect(outcome).toEqual({
      ok: false,
      error: expect.objectContaining({
        code,
        errorClass,
        httpStatus: statusOf(file),
        message: raw.message,
        details: raw.error_data?.details,
      }),
    });
  });

  it('keeps the subcode and trace id', () => {
    const outcome = parseSendResponse(400, read('error-response.130429.meta-docs.json'));
    expect(outcome).toMatchObject({
      ok: false,
      error: { subcode: 2494055, fbtraceId: 'Az8or2yhqkZfEZ-_4Qn_Bam', details: 'Cloud API message throughput has been reached.' },
    });
  });

  it.each(readdirSync(EXAMPLES).filter((f) => f.startsWith('send-success-response.') && f.endsWith('.json')))(
    'reads the wamid of %s',
    (file) => {
      const id = JSON.parse(read(file)).messages[0].id;
      expect(parseSendResponse(200, read(file))).toEqual({ ok: true, wamid: id });
    },
  );

  it('reads an On-Premises success and error', () => {
    expect(parseSendResponse(201, '{"messages":[{"id":"gBEGkYiEB1VXAglK1ZEqA1YKPrU"}]}')).toEqual({
      ok: true,
      wamid: 'gBEGkYiEB1VXAglK1ZEqA1YKPrU',
    });
    expect(parseSendResponse(400, '{"errors":[{"code":1015,"title":"Too many requests"}]}')).toMatchObject({
      ok: false,
      error: { code: 1015, errorClass: ErrorClass.Throughput },
    });
  });

  it('never throws on answers that are not Graph errors', () => {
    expect(parseSendResponse(502, '<html>Bad Gateway</html>')).toMatchObject({
      ok: false,
      error: { code: -3, errorClass: ErrorClass.Transient },
    });
    expect(parseSendResponse(404, '')).toMatchObject({ ok: false, error: { code: -3, errorClass: ErrorClass.Permanent } });
    expect(parseSendResponse(401, 'Unauthorized')).toMatchObject({ ok: false, error: { code: -3, errorClass: ErrorClass.Auth } });
    expect(parseSendResponse(200, '{"messaging_product":"whatsapp"}')).toMatchObject({
      ok: false,
      error: { errorClass: ErrorClass.Permanent },
    });
  });

  it("keeps nothing of an answer but Meta's error fields", () => {
    const html = parseSendResponse(502, '<html><body>Bad Gateway: upstream 10.0.0.7 secret-internals</body></html>');
    expect(html.ok).toBe(false);
    expect(JSON.stringify(html)).not.toContain('secret-internals');

    const junk = parseSendResponse(
      400,
      JSON.stringify({
        error: {
          code: 131026,
          message: 'x'.repeat(5_000),
          error_data: { details: { nested: 'secret-internals' }, dump: 'secret-internals' },
          error_user_msg: 'Receiver is incapable of receiving this message',
          error_subcode: 'secret-internals',
          fbtrace_id: 'AbC123',
          stack: 'secret-internals',
        },
        proxy: 'secret-internals',
      }),
    );
    expect(JSON.stringify(junk)).not.toContain('secret-internals');
    expect(junk).toMatchObject({
      ok: false,
      error: { code: 131026, details: 'Receiver is incapable of receiving this message', fbtraceId: 'AbC123' },
    });
    expect(!junk.ok && junk.error.message.length).toBe(500);
    expect(!junk.ok && junk.error.subcode).toBeUndefined();

    const onPrem = parseSendResponse(
      400,
      JSON.stringify({ errors: [{ code: 1014, title: 'Internal error', details: 42, raw: 'secret-internals' }] }),
    );
    expect(JSON.stringify(onPrem)).not.toContain('secret-internals');
    expect(onPrem).toMatchObject({ ok: false, error: { code: 1014, title: 'Internal error', details: undefined } });
  });

  it('files undici timeouts and socket errors as transient', () => {
    expect(errorFromException(Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))).toMatchObject({
      code: -2,
      errorClass: ErrorClass.Transient,
    });
    expect(errorFromException(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toMatchObject({
      code: -1,
      errorClass: ErrorClass.Transient,
    });
  });
});
