import { bubbleOf, bubbleText, templateVariables, type TemplateLike } from './bubble';

const springSale: TemplateLike = {
  name: 'spring_sale',
  language: 'en_US',
  category: 'MARKETING',
  parameter_format: 'positional',
  components: [
    { type: 'HEADER', format: 'IMAGE' },
    { type: 'BODY', text: 'Hi {{1}}, enjoy {{2}} off everything this week!' },
    { type: 'FOOTER', text: 'Reply STOP to opt out' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Shop now' },
        { type: 'URL', text: 'Open', url: 'https://shop.example/{{1}}' },
      ],
    },
  ],
};

const named: TemplateLike = {
  name: 'order_confirmation',
  language: 'en_US',
  category: 'UTILITY',
  parameter_format: 'named',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{order_number}}' },
    { type: 'BODY', text: 'Thank you, {{first_name}}! Your order number is {{order_number}}.' },
  ],
};

describe('template variables', () => {
  it("names what a send must supply under the API's keys", () => {
    expect(templateVariables(springSale)).toEqual({ keys: ['1', '2', 'button.1'], media: 'IMAGE' });
    expect(templateVariables(named)).toEqual({ keys: ['order_number', 'first_name'], media: null });
    expect(
      templateVariables({ ...named, parameter_format: 'positional', components: [{ type: 'HEADER', format: 'TEXT', text: 'Hi {{1}}' }] })
        .keys,
    ).toEqual(['header.1']);
  });
});

describe('the bubble', () => {
  it('marks the variables of the template as placeholders', () => {
    const b = bubbleOf(springSale);
    expect(b.header).toEqual({ kind: 'media', format: 'IMAGE', url: null });
    expect(b.body).toEqual([
      { text: 'Hi ' },
      { text: '{{1}}', variable: '1' },
      { text: ', enjoy ' },
      { text: '{{2}}', variable: '2' },
      { text: ' off everything this week!' },
    ]);
    expect(b.footer).toBe('Reply STOP to opt out');
    expect(b.buttons.map((x) => x.text)).toEqual(['Shop now', 'Open']);
  });

  it("shows a contact's values from the server's rendered components, and the media URL of that contact", () => {
    const b = bubbleOf(springSale, [
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example/gold.jpg' } }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Asha' },
          { type: 'text', text: '20%' },
        ],
      },
    ]);
    expect(b.header).toEqual({ kind: 'media', format: 'IMAGE', url: 'https://cdn.example/gold.jpg' });
    expect(bubbleText(b)).toBe('Hi Asha, enjoy 20% off everything this week!');
    expect(b.body[1]).toEqual({ text: 'Asha', variable: '1', rendered: true });
  });

  it('matches named parameters by name, in the header and the body', () => {
    const b = bubbleOf(named, [
      { type: 'header', parameters: [{ type: 'text', parameter_name: 'order_number', text: 'A-9' }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', parameter_name: 'order_number', text: 'A-9' },
          { type: 'text', parameter_name: 'first_name', text: 'Ravi' },
        ],
      },
    ]);
    expect(b.header).toEqual({ kind: 'text', segments: [{ text: 'Order ' }, { text: 'A-9', variable: 'order_number', rendered: true }] });
    expect(bubbleText(b)).toBe('Thank you, Ravi! Your order number is A-9.');
  });
});
