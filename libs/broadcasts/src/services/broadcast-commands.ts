import type { BroadcastAudience } from '../audience/retarget-audience';
import type { ErrorPolicy } from '../entities/broadcast.entity';
import type { LocalTimePassed, QuietHours } from '../scheduling/recipient-local-time';

/** Input of CreateBroadcast (validated shape; the use-case checks references and the mapping). */
export interface CreateBroadcastCommand {
  name: string;
  senderId: number;
  template: { name: string; language: string };
  audience: BroadcastAudience | Record<string, unknown>;
  variables?: Record<string, string>;
  headerMediaUrl?: string | null;
  scheduledAt?: Date | null;
  /** `recipient_local`: at scheduledAt's wall-clock time in each recipient's zone; absent/`immediate`: at scheduledAt. */
  sendAt?: 'immediate' | 'recipient_local' | null;
  localTimePassed?: LocalTimePassed | null;
  quietHours?: QuietHours | null;
  timezone?: string | null;
  tags?: string[];
  errorPolicy?: ErrorPolicy | null;
  /** Save without scheduling; PATCH with `draft: false` schedules it later. */
  draft?: boolean;
  createdBy?: string | null;
}

/** Changes allowed while a broadcast is a draft or scheduled. */
export type UpdateBroadcastCommand = Partial<Omit<CreateBroadcastCommand, 'createdBy'>>;
