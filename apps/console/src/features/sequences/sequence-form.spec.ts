import type { Sequence } from '../../api/types';
import {
  emptySequence,
  fromSequence,
  type SequenceFormValues,
  templateVariableKeys,
  toSequenceRequest,
  validateSequence,
} from './sequence-form';

const built: SequenceFormValues = {
  name: '  Welcome drip ',
  senderId: '7',
  steps: [
    { template: 'order_update|en_US', variables: { '1': '{{name|there}}', '2': '' }, amount: 0, unit: 'days' },
    { template: 'spring_sale|en', variables: { '1': '{{name}}', '2': '{{discount|10%}}' }, amount: 2, unit: 'days' },
  ],
  windowEnabled: true,
  days: ['fri', 'mon'],
  from: '09:00',
  to: '18:00',
  timezone: 'Asia/Kolkata',
  stopOnReply: false,
};

describe('toSequenceRequest', () => {
  it('maps the form to the request POST /v1/sequences takes', () => {
    expect(toSequenceRequest(built)).toEqual({
      name: 'Welcome drip',
      senderId: 7,
      steps: [
        { template: { name: 'order_update', language: 'en_US' }, variables: { '1': '{{name|there}}' }, delay: 'PT0S' },
        { template: { name: 'spring_sale', language: 'en' }, variables: { '1': '{{name}}', '2': '{{discount|10%}}' }, delay: 'P2D' },
      ],
      window: { days: ['mon', 'fri'], from: '09:00', to: '18:00' },
      timezone: 'Asia/Kolkata',
      stopOnReply: false,
      reenrollment: 'ignore',
    });
  });

  it('sends no window and no zone when they are off', () => {
    const request = toSequenceRequest({ ...built, windowEnabled: false, timezone: null });
    expect(request.window).toBeNull();
    expect(request.timezone).toBeNull();
  });
});

describe('fromSequence', () => {
  it('gives back the form a stored sequence was built with', () => {
    const request = toSequenceRequest(built);
    const stored = {
      ...request,
      id: 1,
      status: 'active',
      stopWhen: null,
      steps: request.steps.map((s, i) => ({ ...s, position: i + 1, headerMediaUrl: null, broadcastId: null, waiting: 0 })),
    } as unknown as Sequence;
    expect(fromSequence(stored)).toEqual({
      ...built,
      name: 'Welcome drip',
      days: ['mon', 'fri'],
      steps: built.steps.map((s) => ({ ...s, variables: Object.fromEntries(Object.entries(s.variables).filter(([, v]) => v)) })),
    });
  });
});

describe('validateSequence', () => {
  it('names every field to fix', () => {
    const errors = validateSequence({ ...emptySequence(), windowEnabled: true, days: [], from: '10:00', to: '10:00' });
    expect(Object.keys(errors).sort()).toEqual(['days', 'name', 'senderId', 'steps.0.template', 'to']);
  });
  it('has nothing to say about a complete form', () => {
    expect(validateSequence(built)).toEqual({});
  });
});

describe('templateVariableKeys', () => {
  it('lists header, body and URL button variables as the API keys them', () => {
    expect(
      templateVariableKeys({
        parameter_format: 'positional',
        components: [
          { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
          { type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped. {{1}}' },
          {
            type: 'BUTTONS',
            buttons: [
              { type: 'QUICK_REPLY', text: 'Stop' },
              { type: 'URL', url: 'https://x.test/{{1}}' },
            ],
          },
        ],
      }),
    ).toEqual(['header.1', '1', '2', 'button.1']);
  });
  it('keeps named variables by their names, and an image header needs none', () => {
    expect(
      templateVariableKeys({
        parameter_format: 'named',
        components: [
          { type: 'HEADER', format: 'IMAGE' },
          { type: 'BODY', text: 'Thank you, {{first_name}}! Your order number is {{order_number}}.' },
        ],
      }),
    ).toEqual(['first_name', 'order_number']);
  });
});
