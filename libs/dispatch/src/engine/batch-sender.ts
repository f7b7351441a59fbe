import { Injectable } from '@nestjs/common';
import { ErrorClass, SenderCredentials, SendOutcome, WhatsAppClient } from '@clarion/whatsapp';
import type { ClaimedRecipient } from '../ledger/recipient-claims';
import { Grant, localMicros, ThroughputLimiter } from '../throttling/throughput-limiter';

/** Reference Clarion puts in `biz_opaque_callback_data`; status webhooks echo it back (parsed by stats). */
export function callbackData(broadcastId: number, recipientId: number): string {
  return `clarion:b${broadcastId}:r${recipientId}`;
}

export interface BatchToSend {
  broadcastId: number;
  senderId: number;
  capMps: number;
  template: { name: string; language: string };
  credentials: SenderCredentials;
  client: WhatsAppClient;
  recipients: ClaimedRecipient[];
  /** Asked while waiting for tokens: false stops the batch (pause, cancel, shutdown). */
  stillWanted: () => Promise<boolean>;
  /**
   * Of these contacts, those who opted out since the claim: asked before each portion is fired;
   * their recipients are handed back unsent, and the next claim skips them as opted_out.
   */
  optedOut?: (contactIds: number[]) => Promise<Set<number>>;
}

export interface BatchSendResult {
  sent: Array<{ recipient: ClaimedRecipient; outcome: SendOutcome }>;
  /** Not sent because the batch was no longer wanted, the contact opted out meanwhile, or because of `failure`. */
  unsent: ClaimedRecipient[];
  /**
   * Why the batch stopped early, if it did (the limiter's Redis or the status check failed): what
   * was sent is in `sent` and the rest in `unsent`, so the caller can write both before it rethrows.
   */
  failure?: Error;
}

const RECHECK_WHILE_WAITING_MS = 200;
const MAX_SLEEP_MS = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends one claimed batch: tokens from the shared limiter, each granted portion fired at once (a
 * booked one at the moment its slots free, while the next tokens are asked for) and settled
 * (restamped in the limiter at its last answer) when all its answers are in; returns when every
 * answer is. While it waits for tokens it re-checks every 200 ms that the batch is still wanted. A
 * failing limiter (Redis gone) stops the batch without losing what it knows: the answers of the
 * portions already fired are awaited and returned with the recipients never sent.
 */
@Injectable()
export class BatchSender {
  constructor(private readonly limiter: ThroughputLimiter) {}

  async send(batch: BatchToSend): Promise<BatchSendResult> {
    const queue = [...batch.recipients];
    const sent: BatchSendResult['sent'] = [];
    const handedBack: ClaimedRecipient[] = [];
    const inflight: Array<Promise<void>> = [];
    let waitedSinceCheck = 0;
    let failure: Error | undefined;
    while (queue.length > 0) {
      let grant: Grant;
      try {
        grant = await this.limiter.acquire(batch.senderId, batch.capMps, queue.length);
        if (grant.granted === 0) {
          const ms = Math.min(grant.waitMs, MAX_SLEEP_MS);
          await sleep(ms);
          waitedSinceCheck += ms;
          if (waitedSinceCheck >= RECHECK_WHILE_WAITING_MS) {
            waitedSinceCheck = 0;
            if (!(await batch.stillWanted())) break;
          }
          continue;
        }
      } catch (error) {
        failure = error as Error;
        break;
      }
      let recipients = queue.splice(0, grant.granted);
      if (batch.optedOut) {
        try {
          const out = await batch.optedOut(recipients.map((r) => r.contactId));
          handedBack.push(...recipients.filter((r) => out.has(r.contactId)));
          recipients = recipients.filter((r) => !out.has(r.contactId));
        } catch (error) {
          queue.unshift(...recipients);
          failure = error as Error;
          break;
        }
      }
      let lastAnswer = 0;
      const answered = () => void (lastAnswer = localMicros());
      const fire = () =>
        Promise.all(
          recipients.map((recipient) =>
            batch.client
              .sendTemplate(batch.credentials, {
                to: recipient.phone,
                template: { name: batch.template.name, language: batch.template.language, components: recipient.components },
                bizOpaqueCallbackData: callbackData(batch.broadcastId, recipient.id),
              })
              .then(
                (outcome) => void sent.push({ recipient, outcome }),
                // Clients return refusals; a throw is a bug or a local failure: retry like a transient error.
                (error: Error) =>
                  void sent.push({
                    recipient,
                    outcome: {
                      ok: false,
                      error: { code: -1, title: 'send failed', message: error.message, errorClass: ErrorClass.Transient },
                    },
                  }),
              )
              .finally(answered),
          ),
        );
      const ref = grant.ref;
      inflight.push(
        (grant.startInMs > 0 ? sleep(grant.startInMs).then(fire) : fire())
          .then(() => (ref ? this.limiter.settle(batch.senderId, ref, lastAnswer || undefined) : undefined))
          .then(
            () => undefined,
            () => undefined,
          ),
      );
    }
    await Promise.all(inflight);
    const unsent = [...handedBack, ...queue];
    return failure ? { sent, unsent, failure } : { sent, unsent };
  }
}
