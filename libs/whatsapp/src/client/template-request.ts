import type { TemplateMessageRequest } from '../payloads';
import type { TemplateMessage } from './types';

/**
 * The body of a template send exactly as Meta documents it (Cloud and On-Premises share it):
 * `{ messaging_product, recipient_type, to, type: "template", template: { name, language: { code },
 * components? }, biz_opaque_callback_data? }`. Components and their parameters pass through as given
 * (positional, or named with `parameter_name`; header media by `link`; buttons with `sub_type`/`index`).
 */
export function buildTemplateRequest(message: TemplateMessage): TemplateMessageRequest {
  const template: TemplateMessageRequest['template'] = {
    name: message.template.name,
    language: { code: message.template.language },
  };
  if (message.template.components && message.template.components.length > 0) template.components = message.template.components;
  const body: TemplateMessageRequest = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: message.to,
    type: 'template',
    template,
  };
  if (message.bizOpaqueCallbackData !== undefined) body.biz_opaque_callback_data = message.bizOpaqueCallbackData;
  return body;
}
