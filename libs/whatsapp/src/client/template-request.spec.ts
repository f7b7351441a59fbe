import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTemplateRequest } from './template-request';
import type { TemplateComponentParameters, TemplateMessage } from './types';

const FIXTURES = join(__dirname, '../../../../test/fixtures');
const example = (name: string) => JSON.parse(readFileSync(join(FIXTURES, 'whatsapp-examples', name), 'utf8'));

/**
 * A validator for one schema of Meta's OpenAPI file (extracted into messages-schemas.json, see
 * extract-schema.mjs there), adjusted only for the file's known gaps:
 * - `LanguageObject` marks `policy` required; Meta's own send examples and docs omit it.
 * - the button `index` pattern `^[2-6, 11-14]$` is malformed (a character class) and rejects "0",
 *   which Meta's own examples use.
 * - `parameter_name` is not declared; the schemas do not forbid extra properties, so it passes as is.
 * OpenAPI's `discriminator` (a base schema with a mapping and no oneOf) becomes a oneOf of the
 * mapped subtypes, so each parameter and component is checked against its own subtype.
 */
function validatorFor(root: string): ValidateFunction {
  const fixture = JSON.parse(readFileSync(join(FIXTURES, 'whatsapp-spec/messages-schemas.json'), 'utf8'));
  const schemas: Record<string, Record<string, unknown>> = fixture.components.schemas;
  for (const [name, schema] of Object.entries({ ...schemas })) {
    const mapping = (schema.discriminator as { mapping?: Record<string, string> } | undefined)?.mapping;
    if (!mapping || schema.oneOf) continue;
    const { discriminator: _d, ...base } = schema;
    schemas[`${name}Base`] = base;
    for (const ref of Object.values(mapping)) {
      const subtype = schemas[ref.split('/').pop()!];
      subtype.allOf = (subtype.allOf as Array<{ $ref?: string }>).map((part) =>
        part.$ref === `#/components/schemas/${name}` ? { $ref: `#/components/schemas/${name}Base` } : part,
      );
    }
    schemas[name] = { oneOf: Object.values(mapping).map(($ref) => ({ $ref })) };
  }
  const language = schemas.LanguageObject as { required: string[] };
  language.required = language.required.filter((r) => r !== 'policy');
  for (const name of ['TemplateComponentBase', 'ButtonComponent']) {
    const json = JSON.stringify(schemas[name]).replace(/,?"pattern":"\^\[2-6, 11-14\]\$"/g, '');
    schemas[name] = JSON.parse(json);
  }
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('url', /^https?:\/\/|^http\(s\):\/\//);
  ajv.addFormat('int32', true);
  return ajv.compile({ $ref: `#/components/schemas/${root}`, components: { schemas } });
}

/** The TemplateMessage that should produce this example body. */
function messageFrom(body: {
  to: string;
  template: { name: string; language: { code: string }; components?: TemplateComponentParameters[] };
}): TemplateMessage {
  return {
    to: body.to,
    template: { name: body.template.name, language: body.template.language.code, components: body.template.components },
  };
}

describe('buildTemplateRequest', () => {
  const validate = validatorFor('TemplateMessage');
  const valid = (body: unknown) => (validate(body) ? [] : validate.errors);

  it.each([
    'send-template-request.hello-world.openapi.json',
    'send-template-request.media-header.openapi.json',
    'send-template-request.named-params.meta-docs.json',
    'send-template-request.positional-params.meta-docs.json',
    'send-template-request.quick-reply-buttons.openapi.json',
    'send-template-request.text-currency-datetime.openapi.json',
  ])('reproduces %s exactly, and the body is valid against the OpenAPI schema', (file) => {
    const expected = example(file);
    const body = buildTemplateRequest(messageFrom(expected));
    // Meta's minimal example leaves recipient_type out; its schema requires it, so Clarion always sends it.
    expect(body).toEqual({ recipient_type: 'individual', ...expected });
    expect(valid(body)).toEqual([]);
  });

  it('carries biz_opaque_callback_data, a document header with filename and a URL button', () => {
    const body = buildTemplateRequest({
      to: '+14155550123',
      template: {
        name: 'invoice_ready',
        language: 'pt_BR',
        components: [
          { type: 'header', parameters: [{ type: 'document', document: { link: 'https://example.com/inv.pdf', filename: 'inv.pdf' } }] },
          { type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Ana' }] },
          { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'inv-42' }] },
        ],
      },
      bizOpaqueCallbackData: 'b:9f1c/r:123456',
    });
    expect(body).toMatchObject({ biz_opaque_callback_data: 'b:9f1c/r:123456', template: { language: { code: 'pt_BR' } } });
    expect(valid(body)).toEqual([]);
  });

  it('leaves out empty components', () => {
    expect(buildTemplateRequest({ to: '1', template: { name: 'x', language: 'en', components: [] } }).template).toEqual({
      name: 'x',
      language: { code: 'en' },
    });
  });

  it('is checked by a validator that does reject wrong bodies', () => {
    const good = buildTemplateRequest({
      to: '+1',
      template: { name: 'n', language: 'en', components: [{ type: 'body', parameters: [{ type: 'text', text: 'a' }] }] },
    });
    expect(valid({ ...good, template: { language: { code: 'en' } } })).not.toEqual([]);
    expect(valid({ ...good, recipient_type: undefined })).not.toEqual([]);
    const badParameter = { ...good, template: { ...good.template, components: [{ type: 'body', parameters: [{ type: 'text' }] }] } };
    expect(valid(badParameter)).not.toEqual([]);
    const badButton = {
      ...good,
      template: { ...good.template, components: [{ type: 'button', index: '0', parameters: [{ type: 'payload', payload: 'p' }] }] },
    };
    expect(valid(badButton)).not.toEqual([]);
  });
});

describe('send responses', () => {
  const validate = validatorFor('MessageResponsePayload');

  it.each([
    'send-success-response.openapi.json',
    'send-success-response.message_status.schema-example.openapi.json',
    'send-success-response.production-capture.whaloc.json',
  ])('the response schema accepts %s', (file) => {
    expect(validate(example(file)) ? [] : validate.errors).toEqual([]);
  });
});
