import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSubmission, SUBMISSION_SUBCODES } from './template-submission';

const EXAMPLES = join(__dirname, '../../../test/fixtures/whatsapp-examples');
const example = (file: string) => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Record<string, unknown>;
const positional = (components: unknown[]) => ({ name: 'order_ready', language: 'en_US', category: 'utility', components });

describe('readSubmission', () => {
  it.each(['template-create.positional-params.meta-docs.json', 'template-create.named-params.meta-docs.json'])(
    "accepts Meta's own create example %s as PENDING",
    (file) => {
      const body = example(file);
      expect(readSubmission(body)).toMatchObject({
        name: body.name,
        language: body.language,
        category: 'UTILITY',
        parameter_format: String(body.parameter_format).toUpperCase(),
        status: 'PENDING',
        components: [expect.objectContaining({ type: 'BODY' })],
      });
    },
  );

  it('refuses variables without the sample values Meta requires, saying which', () => {
    const missing = (components: unknown[], format?: string) =>
      readSubmission({ ...positional(components), ...(format ? { parameter_format: format } : {}) });
    expect(missing([{ type: 'BODY', text: 'Hi {{1}}, order {{2}}' }])).toEqual({
      subcode: SUBMISSION_SUBCODES.missingExample,
      title: 'Message template "components" param is missing expected field(s)',
      message: 'BODY: example.body_text needs 2 sample value(s), one per variable',
    });
    expect(missing([{ type: 'BODY', text: 'Hi {{1}}, order {{2}}', example: { body_text: [['Ana']] } }])).toMatchObject({
      message: 'BODY: example.body_text needs 2 sample value(s), one per variable',
    });
    expect(
      missing(
        [
          {
            type: 'BODY',
            text: 'Hi {{first_name}} {{code}}',
            example: { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] },
          },
        ],
        'named',
      ),
    ).toMatchObject({ message: 'BODY: example.body_text_named_params has no sample for {{code}}' });
    expect(
      missing([
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'Hello' },
      ]),
    ).toMatchObject({
      message: expect.stringMatching(/^HEADER: a media header needs example.header_handle/),
    });
    expect(
      missing([
        { type: 'BODY', text: 'Hello' },
        { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://example.com/t/{{1}}' }] },
      ]),
    ).toMatchObject({ message: 'BUTTONS: the URL button "Track" has a variable but no example' });
  });

  it('accepts text without variables and examples that match', () => {
    expect(readSubmission(positional([{ type: 'BODY', text: 'Hello' }]))).toMatchObject({ status: 'PENDING' });
    expect(
      readSubmission(
        positional([
          { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['A-1'] } },
          { type: 'BODY', text: 'Hi {{1}}', example: { body_text: [['Ana']] } },
          { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://example.com/t/{{1}}', example: ['A-1'] }] },
        ]),
      ),
    ).toMatchObject({ status: 'PENDING' });
  });

  it('refuses a body that is not a template', () => {
    expect(readSubmission({ ...positional([{ type: 'BODY', text: 'x' }]), name: 'Bad Name' })).toMatchObject({
      subcode: SUBMISSION_SUBCODES.invalid,
    });
    expect(readSubmission({ ...positional([{ type: 'BODY', text: 'x' }]), category: 'promo' })).toMatchObject({
      subcode: SUBMISSION_SUBCODES.invalid,
    });
    expect(readSubmission(positional([]))).toMatchObject({ subcode: SUBMISSION_SUBCODES.invalid });
    expect(readSubmission(null)).toMatchObject({ subcode: SUBMISSION_SUBCODES.invalid });
  });
});
