import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '@clarion/common';
import { validateTemplate, TemplateInput } from './template-rules';
import { describeVariables } from './template-variables';

const base = (components: unknown, extra: Partial<TemplateInput> = {}): TemplateInput => ({
  name: 'order_update',
  language: 'en_US',
  category: 'UTILITY',
  components,
  ...extra,
});
const body = (text: string) => ({ type: 'BODY', text });
const ruleOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return (error as DomainError).details?.rule as string;
  }
  return undefined;
};

describe('validateTemplate', () => {
  it.each(['template-create.named-params.meta-docs.json', 'template-create.positional-params.meta-docs.json'])(
    "accepts Meta's example %s, normalising case",
    (file) => {
      const input = JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/whatsapp-examples', file), 'utf8'));
      const valid = validateTemplate(input);
      expect(valid.category).toBe('UTILITY');
      expect(valid.components[0].type).toBe('BODY');
      expect(valid.parameterFormat).toBe(input.parameter_format.toUpperCase());
    },
  );

  it.each([
    ['name_format', () => validateTemplate(base([body('hi')], { name: 'Order Update' }))],
    ['category', () => validateTemplate(base([body('hi')], { category: 'PROMO' }))],
    ['body_required', () => validateTemplate(base([{ type: 'FOOTER', text: 'x' }]))],
    ['body_length', () => validateTemplate(base([body('x'.repeat(1025))]))],
    ['header_length', () => validateTemplate(base([{ type: 'HEADER', format: 'TEXT', text: 'x'.repeat(61) }, body('hi')]))],
    ['footer_length', () => validateTemplate(base([body('hi'), { type: 'FOOTER', text: 'x'.repeat(61) }]))],
    ['variable_sequence', () => validateTemplate(base([body('Hi {{1}}, order {{3}}')]))],
    ['variable_format', () => validateTemplate(base([body('Hi {{First_Name}}')]))],
    ['variable_mix', () => validateTemplate(base([body('Hi {{first_name}}, order {{1}}')]))],
    [
      'buttons_count',
      () =>
        validateTemplate(
          base([body('hi'), { type: 'BUTTONS', buttons: Array.from({ length: 11 }, (_, i) => ({ type: 'QUICK_REPLY', text: `b${i}` })) }]),
        ),
    ],
    ['component_type', () => validateTemplate(base([body('a'), body('b')]))],
  ])('refuses a template breaking %s', (expected, fn) => {
    expect(ruleOf(fn)).toBe(expected);
  });

  it('accepts the limits exactly', () => {
    expect(() =>
      validateTemplate(
        base([
          { type: 'header', format: 'text', text: 'x'.repeat(60) },
          body('x'.repeat(1024)),
          { type: 'footer', text: 'x'.repeat(60) },
          { type: 'buttons', buttons: Array.from({ length: 10 }, (_, i) => ({ type: 'quick_reply', text: `b${i}` })) },
        ]),
      ),
    ).not.toThrow();
  });
});

describe('describeVariables', () => {
  it('counts positional variables, media headers and buttons needing parameters', () => {
    const t = validateTemplate(
      base([
        { type: 'HEADER', format: 'IMAGE' },
        body('Hi {{1}}, your order {{2}} ships {{1}}'),
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'URL', text: 'Track', url: 'https://x.example/{{1}}' },
            { type: 'QUICK_REPLY', text: 'Stop' },
          ],
        },
      ]),
    );
    expect(describeVariables(t.parameterFormat, t.components)).toEqual({
      parameterFormat: 'POSITIONAL',
      bodyCount: 2,
      bodyNames: [],
      header: { format: 'IMAGE', needsMedia: true },
      buttons: [
        { index: 0, type: 'URL', subType: 'url', required: true },
        { index: 1, type: 'QUICK_REPLY', subType: 'quick_reply', required: false },
      ],
    });
  });

  it('lists named variables in order', () => {
    const t = validateTemplate(
      base([{ type: 'HEADER', format: 'TEXT', text: 'For {{first_name}}' }, body('Hi {{first_name}}, order {{order_number}}')]),
    );
    expect(describeVariables(t.parameterFormat, t.components)).toMatchObject({
      parameterFormat: 'NAMED',
      bodyNames: ['first_name', 'order_number'],
      header: { format: 'TEXT', variable: 'first_name' },
    });
  });
});
