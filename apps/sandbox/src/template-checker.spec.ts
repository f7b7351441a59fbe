import type { TemplateMessageRequest } from '@clarion/whatsapp';
import { checkTemplate } from './template-checker';
import { DEMO_TEMPLATES, type SandboxTemplate } from './sandbox-config';

const request = (
  name: string,
  components: TemplateMessageRequest['template']['components'] = [],
  language = 'en_US',
): TemplateMessageRequest => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '15550001111',
  type: 'template',
  template: { name, language: { code: language }, components },
});
const text = (...values: string[]) => values.map((v) => ({ type: 'text' as const, text: v }));

describe('checkTemplate', () => {
  it('accepts a send that matches the template', () => {
    expect(checkTemplate(DEMO_TEMPLATES, request('hello_world'))).toBeUndefined();
    expect(checkTemplate(DEMO_TEMPLATES, request('order_update', [{ type: 'body', parameters: text('Ana', 'A-1') }]))).toBeUndefined();
    const sale = request('spring_sale', [
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/a.jpg' } }] },
      { type: 'body', parameters: text('Ana', '20%') },
    ]);
    expect(checkTemplate(DEMO_TEMPLATES, sale)).toBeUndefined();
  });

  it('refuses an unknown name or language with 132001', () => {
    expect(checkTemplate(DEMO_TEMPLATES, request('nope'))).toMatchObject({ code: 132001 });
    expect(checkTemplate(DEMO_TEMPLATES, request('hello_world', [], 'pt_BR'))).toMatchObject({ code: 132001 });
  });

  it('refuses a wrong parameter count per component with 132000, in Meta words', () => {
    expect(checkTemplate(DEMO_TEMPLATES, request('order_update', [{ type: 'body', parameters: text('Ana') }]))).toEqual({
      code: 132000,
      details: 'body: number of localizable_params (1) does not match the expected number of params (2)',
    });
    expect(checkTemplate(DEMO_TEMPLATES, request('spring_sale', [{ type: 'body', parameters: text('Ana', '20%') }]))).toMatchObject({
      code: 132000,
      details: expect.stringMatching(/^header:/),
    });
  });

  it('checks parameter names of named templates', () => {
    const named = (...names: string[]) =>
      request('order_confirmation', [
        { type: 'body', parameters: names.map((n) => ({ type: 'text' as const, text: 'x', parameter_name: n })) },
      ]);
    expect(checkTemplate(DEMO_TEMPLATES, named('order_number', 'first_name'))).toBeUndefined();
    expect(checkTemplate(DEMO_TEMPLATES, named('first_name', 'order_id'))).toMatchObject({
      code: 132000,
      details: expect.stringContaining('order_number'),
    });
  });

  it('refuses paused and disabled templates', () => {
    const registry: SandboxTemplate[] = [
      { name: 'p', language: 'en', category: 'MARKETING', status: 'PAUSED', components: [] },
      { name: 'd', language: 'en', category: 'MARKETING', status: 'DISABLED', components: [] },
    ];
    expect(checkTemplate(registry, request('p', [], 'en'))).toMatchObject({ code: 132015 });
    expect(checkTemplate(registry, request('d', [], 'en'))).toMatchObject({ code: 132016 });
  });
});
