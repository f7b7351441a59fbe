import { MappingError, MessageRenderer } from './message-renderer';

const template = {
  parameterFormat: 'POSITIONAL' as const,
  components: [
    { type: 'HEADER', format: 'IMAGE' },
    { type: 'BODY', text: 'Hi {{1}}, your plan {{2}} ends soon' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Stop' },
        { type: 'URL', text: 'Open', url: 'https://x.example/{{1}}' },
      ],
    },
  ],
};
const contact = { phone: '+14155550100', name: 'Ada', country: 'US', attributes: { Plan: 'Pro', code: 'A1' } };

describe('MessageRenderer', () => {
  const mapping = { '1': '{{name|there}}', '2': '{{plan}}', 'button.1': '{{code|none}}' };

  it('renders header media, body and URL button parameters per contact', () => {
    const r = MessageRenderer.compile(template, mapping, 'https://cdn.example/{{code}}.png').render(contact);
    expect(r).toEqual({
      ok: true,
      components: [
        { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example/A1.png' } }] },
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Ada' },
            { type: 'text', text: 'Pro' },
          ],
        },
        { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'A1' }] },
      ],
    });
  });

  it('uses the fallback when the field is empty and skips when there is none', () => {
    const r = MessageRenderer.compile(template, mapping, 'https://cdn.example/x.png');
    const noName = r.render({ ...contact, name: null });
    expect(noName.ok && noName.components[1].parameters[0]).toEqual({ type: 'text', text: 'there' });
    expect(r.render({ ...contact, attributes: {} })).toMatchObject({ ok: false, reason: 'missing_variable' });
  });

  it('skips text Meta would refuse: newline, tab, five spaces', () => {
    const r = MessageRenderer.compile(template, mapping, 'https://cdn.example/x.png');
    for (const plan of ['a\nb', 'a\tb', 'a     b'])
      expect(r.render({ ...contact, attributes: { plan } })).toMatchObject({ ok: false, reason: 'invalid_parameter' });
    expect(r.render({ ...contact, attributes: { plan: 'a    b' } }).ok).toBe(true);
  });

  it('refuses a mapping that leaves a variable out or names one the template lacks', () => {
    expect(() => MessageRenderer.compile(template, { '1': 'x' }, 'https://x')).toThrow(MappingError);
    expect(() => MessageRenderer.compile(template, { ...mapping, '3': 'x' }, 'https://x')).toThrow(/no variable/);
    expect(() => MessageRenderer.compile(template, mapping, null)).toThrow(/headerMediaUrl/);
  });

  it('skips a contact whose header media URL is not https or not a type the header takes, and refuses such a fixed URL', () => {
    const r = MessageRenderer.compile(template, mapping, '{{image_url}}');
    const withImage = (image_url: string) => r.render({ ...contact, attributes: { ...contact.attributes, image_url } });
    expect(withImage('https://cdn.example/ada.jpg')).toMatchObject({ ok: true });
    expect(withImage('http://cdn.example/ada.jpg')).toMatchObject({
      ok: false,
      reason: 'invalid_media_url',
      message: expect.stringMatching(/https/),
    });
    expect(withImage('https://cdn.example/ada.gif')).toMatchObject({
      ok: false,
      reason: 'invalid_media_url',
      message: expect.stringMatching(/\.gif/),
    });
    expect(r.render(contact)).toMatchObject({ ok: false, reason: 'missing_variable' });
    expect(() => MessageRenderer.compile(template, mapping, 'http://cdn.example/a.png')).toThrow(/headerMediaUrl: .*not https/);
    expect(() => MessageRenderer.compile(template, mapping, 'https://cdn.example/a.mp4')).toThrow(/headerMediaUrl: .*\.mp4/);
  });

  it('sends parameter names for named templates, header variables included', () => {
    const named = {
      parameterFormat: 'NAMED' as const,
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'For {{who}}' },
        { type: 'BODY', text: 'Hello {{first_name}}' },
      ],
    };
    const r = MessageRenderer.compile(named, { who: 'you', first_name: '{{name}}' }).render(contact);
    expect(r).toEqual({
      ok: true,
      components: [
        { type: 'header', parameters: [{ type: 'text', text: 'you', parameter_name: 'who' }] },
        { type: 'body', parameters: [{ type: 'text', text: 'Ada', parameter_name: 'first_name' }] },
      ],
    });
  });

  it('orders positional body parameters by number, as Meta reads them, whatever order the text uses', () => {
    const reordered = { parameterFormat: 'POSITIONAL' as const, components: [{ type: 'BODY', text: 'Plan {{2}} for {{1}}; bye {{1}}' }] };
    const r = MessageRenderer.compile(reordered, { '1': '{{name}}', '2': '{{plan}}' }).render(contact);
    expect(r).toEqual({
      ok: true,
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Ada' },
            { type: 'text', text: 'Pro' },
          ],
        },
      ],
    });
  });

  it('fills a copy-code button with a coupon code, and requires it in the mapping', () => {
    const offer = {
      parameterFormat: 'POSITIONAL' as const,
      components: [
        { type: 'BODY', text: 'Your code is inside' },
        { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'SAVE10' }] },
      ],
    };
    expect(() => MessageRenderer.compile(offer, {})).toThrow(/"button.0"/);
    const r = MessageRenderer.compile(offer, { 'button.0': '{{code}}' }).render(contact);
    expect(r).toEqual({
      ok: true,
      components: [{ type: 'button', sub_type: 'copy_code', index: '0', parameters: [{ type: 'coupon_code', coupon_code: 'A1' }] }],
    });
  });

  it("refuses a template whose variables break Meta's rules as a mapping problem", () => {
    const broken = { parameterFormat: 'NAMED' as const, components: [{ type: 'BODY', text: 'Hi {{First Name}}' }] };
    expect(() => MessageRenderer.compile(broken, {})).toThrow(MappingError);
  });
});
