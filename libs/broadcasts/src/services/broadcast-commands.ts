import type { BroadcastAudience } from '../audience/retarget-audience';
import type { ErrorPolicy } from '../entities/broadcast.entity';

/** Input of CreateBroadcast (validated shape; the use-case checks references and the mapping). */
export interface CreateBroadcastCommand {
  name: string;
  senderId: number;
  template: { name: string; language: string };
  audience: BroadcastAudience | Record<string, unknown>;
  variables?: Record<string, string>;
  headerMediaUrl?: string | null;
  scheduledAt?: Date | null;
  tags?: string[];
  errorPolicy?: ErrorPolicy | null;
  /** Save without scheduling; PATCH with `draft: false` schedules it later. */
  draft?: boolean;
  createdBy?: string | null;
}

/** Changes allowed while a broadcast is a draft or scheduled. */
export type UpdateBroadcastCommand = Partial<Omit<CreateBroadcastCommand, 'createdBy'>>;
