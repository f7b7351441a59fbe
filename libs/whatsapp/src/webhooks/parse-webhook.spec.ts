import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLooseJson } from './loose-json';
import { parseWebhook } from './parse-webhook';
import { signPayload, verifySignature } from './signature';

const EXAMPLES = join(__dirname, '../../../../test/fixtures/whatsapp-examples');
const load = (file: string) => parseLooseJson(readFileSync(join(EXAMPLES, file), 'utf8'));
const webhookFiles = readdirSync(EXAMPLES).filter((f) => f.startsWith('webhook-') && /\.jsonc?$/.test(f));

describe('parseWebhook', () => {
  it('finds the webhook examples', () => {
    expect(webhookFiles.length).toBeGreaterThanOrEqual(25);
  });

  it.each(webhookFiles)('parses %s into at least one event, never throwing', (file) => {
    const events = parseWebhook(load(file));
    expect(events.length).toBeGreaterThan(0);
    const expected = file.startsWith('webhook-status-')
      ? 'status'
      : file.startsWith('webhook-inbound-')
        ? 'inbound'
        : file.startsWith('webhook-user-preferences.resume')
          ? 'user_preference'
          : file.startsWith('webhook-template-status')
            ? 'template_status'
            : file.startsWith('webhook-template-quality')
              ? 'template_quality'
              : 'other';
    expect(events[0].kind).toBe(expected);
  });

  it.each(readdirSync(EXAMPLES).filter((f) => !f.startsWith('webhook-') && /\.jsonc?$/.test(f)))(
    'yields no events for the non-webhook example %s',
    (file) => {
      expect(parseWebhook(load(file))).toEqual([]);
    },
  );

  it('reads a per-message-pricing (PMP) sent status with its conversation', () => {
    const [event] = parseWebhook(load('webhook-status-sent.meta-docs.via-whaloc.json'));
    expect(event).toEqual({
      kind: 'status',
      phoneNumberId: '106540352242922',
      wamid: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
      status: 'sent',
      timestamp: new Date(1750030073 * 1000),
      recipientId: '16505551234',
      pricing: { billable: true, category: 'marketing', pricingModel: 'PMP', type: 'regular' },
      conversation: { id: '72b14d6bd5407799e66f64d1b338e567', category: 'marketing', expiresAt: new Date(1750116480 * 1000) },
    });
  });

  it('reads the older conversation-based (CBP) pricing shape', () => {
    const [event] = parseWebhook(load('webhook-status-read.cbp-2024.production-capture.json'));
    expect(event).toMatchObject({
      kind: 'status',
      status: 'read',
      pricing: { pricingModel: 'CBP', category: 'service', billable: true },
      conversation: { category: 'service', expiresAt: undefined },
    });
  });

  it('reads a failed status with its error code and details', () => {
    const [event] = parseWebhook(load('webhook-status-failed.131049.meta-docs.via-whaloc.json'));
    expect(event).toMatchObject({
      kind: 'status',
      status: 'failed',
      errors: [{ code: 131049, details: expect.stringContaining('healthy ecosystem') }],
    });
  });

  it('tolerates placeholders: an unreadable timestamp becomes the receive time', () => {
    const receivedAt = new Date('2026-01-01T00:00:00Z');
    const [event] = parseWebhook(load('webhook-status-failed.131014.postman.PLACEHOLDERS.jsonc'), { receivedAt });
    expect(event).toMatchObject({ kind: 'status', status: 'failed', timestamp: receivedAt, errors: [{ code: 131014 }] });
  });

  it('echoes biz_opaque_callback_data', () => {
    const body = {
      entry: [
        {
          changes: [
            {
              field: 'messages',
              value: {
                metadata: { phone_number_id: '1' },
                statuses: [{ id: 'wamid.x', status: 'delivered', timestamp: '1', recipient_id: '9', biz_opaque_callback_data: 'b7:r42' }],
              },
            },
          ],
        },
      ],
    };
    expect(parseWebhook(body)[0]).toMatchObject({ callbackData: 'b7:r42' });
  });

  it('reads text, quick-reply button and interactive replies with their context', () => {
    expect(parseWebhook(load('webhook-inbound-text.openapi.json'))[0]).toMatchObject({
      kind: 'inbound',
      from: '16505551234',
      type: 'text',
      text: 'Does it come in another color?',
      profileName: 'Sheena Nelson',
    });
    expect(parseWebhook(load('webhook-inbound-button-quick-reply.openapi.json'))[0]).toMatchObject({
      type: 'button',
      text: 'Unsubscribe',
      payload: 'Unsubscribe',
      contextWamid: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJFNjk2OTMwNEZCQjhGMzUyQUYA',
    });
    expect(parseWebhook(load('webhook-inbound-interactive-button-reply.openapi.json'))[0]).toMatchObject({
      type: 'interactive',
      text: 'Cancel',
      payload: 'cancel-button',
    });
  });

  it('reads user preference and template status changes', () => {
    expect(parseWebhook(load('webhook-user-preferences.resume.meta-docs.json'))).toEqual([
      {
        kind: 'user_preference',
        phoneNumberId: '106540352242922',
        waId: '16505551234',
        value: 'resume',
        timestamp: new Date(1731705721 * 1000),
      },
    ]);
    expect(parseWebhook(load('webhook-template-status-rejected.via-whaloc.json'))).toEqual([
      {
        kind: 'template_status',
        wabaId: '102290129340398',
        templateId: '1689556908129835',
        name: 'abandoned_cart',
        language: 'en',
        status: 'REJECTED',
        reason: expect.stringContaining('parameters placed next to each other'),
      },
    ]);
  });

  it('reads template quality updates and completed category changes, not the notice of a coming one', () => {
    expect(parseWebhook(load('webhook-template-quality-update.via-whaloc.json'))).toEqual([
      {
        kind: 'template_quality',
        wabaId: '102290129340398',
        templateId: '806312974732579',
        name: 'welcome_template',
        language: 'en-US',
        quality: 'YELLOW',
        previousQuality: 'GREEN',
      },
    ]);
    // Shapes from Meta's template_category_update webhook reference (completed change, then advance notice).
    const categoryChange = (value: Record<string, unknown>) => ({
      object: 'whatsapp_business_account',
      entry: [{ id: '102290129340398', time: 1751247548, changes: [{ field: 'template_category_update', value }] }],
    });
    const ref = { message_template_id: 806312974732579, message_template_name: 'welcome_template', message_template_language: 'en_US' };
    expect(parseWebhook(categoryChange({ ...ref, previous_category: 'UTILITY', new_category: 'MARKETING' }))).toEqual([
      {
        kind: 'template_category',
        wabaId: '102290129340398',
        templateId: '806312974732579',
        name: 'welcome_template',
        language: 'en_US',
        category: 'MARKETING',
        previousCategory: 'UTILITY',
      },
    ]);
    expect(
      parseWebhook(
        categoryChange({ ...ref, correct_category: 'MARKETING', new_category: 'UTILITY', category_update_timestamp: 1751247548 }),
      ),
    ).toEqual([{ kind: 'other', field: 'template_category_update:notice of a coming change' }]);
  });

  it('returns nothing for a body that is not a webhook', () => {
    expect(parseWebhook(null)).toEqual([]);
    expect(parseWebhook({ entry: 'x' })).toEqual([]);
  });
});

describe('verifySignature', () => {
  const body = readFileSync(join(EXAMPLES, 'webhook-status-sent.meta-docs.via-whaloc.json'));

  it('matches the test vector computed independently for the example body', () => {
    const header = 'sha256=ce859151c27ee256fae0ad4d7bf64749b46aabe74767aa4410d96545f8ef59e2';
    expect(signPayload(body, 'test-app-secret')).toBe(header);
    expect(verifySignature(body, header, 'test-app-secret')).toBe(true);
  });

  it('refuses a wrong secret, a changed byte, a missing or malformed header', () => {
    const header = signPayload(body, 'test-app-secret');
    expect(verifySignature(body, header, 'other-secret')).toBe(false);
    expect(verifySignature(Buffer.concat([body, Buffer.from(' ')]), header, 'test-app-secret')).toBe(false);
    expect(verifySignature(body, undefined, 'test-app-secret')).toBe(false);
    expect(verifySignature(body, 'sha1=abc', 'test-app-secret')).toBe(false);
    expect(verifySignature(body, 'sha256=abc', 'test-app-secret')).toBe(false);
  });
});
