import type { AudienceContact } from '@clarion/contacts';
import type { BroadcastRates, StatsView } from '@clarion/stats';

/** What a step broadcast is made from. */
export interface StepBroadcastSpec {
  sequenceId: number;
  position: number;
  name: string;
  senderId: number;
  template: { name: string; language: string };
  variables: Record<string, string>;
  /** The media header's URL (templated per contact), for templates with one. */
  headerMediaUrl: string | null;
  createdBy: string | null;
}

/** Per-step figures: exactly a broadcast's `stats` and rates (the step's broadcast's). */
export type StepStats = StatsView & { rates: BroadcastRates };

/** Where dispatch is with one enrolment's send of a step: `acceptedAt` once WhatsApp took it. */
export interface StepSend {
  acceptedAt: Date | null;
  /** Dispatch is done with it (accepted, failed or skipped): no acceptedAt will come later. */
  settled: boolean;
}

/** A step broadcast as a sequence shows it: paused by dispatch (a broken sender) shows here. */
export interface StepBroadcastState {
  status: string;
  statusReason: string | null;
  stats: StepStats;
}

/**
 * The broadcast engine as sequences use it: every step owns a `sequence_step` broadcast, so its
 * sends get the same caps, messaging limits, retries, skips and statistics as any broadcast.
 * Implemented over @clarion/broadcasts (see step-broadcasts.adapter.ts).
 */
export abstract class StepBroadcasts {
  /** Creates a running step broadcast (validating sender, template and variables); returns its id. */
  abstract create(spec: StepBroadcastSpec): Promise<number>;
  /** Points the step broadcast at an edited template/variables: affects recipients appended from now on. */
  abstract update(broadcastId: number, spec: StepBroadcastSpec): Promise<void>;
  /** Adds recipients (idempotent per broadcast × contact × enrolment) and wakes dispatch. */
  abstract append(broadcastId: number, items: Array<{ contact: AudienceContact; enrollmentId: number }>): Promise<void>;
  /** What dispatch did with these enrolments' sends of a step broadcast, by enrolment id (absent: never handed). */
  abstract sends(broadcastId: number, items: Array<{ contactId: number; enrollmentId: number }>): Promise<Map<number, StepSend>>;
  /** Skips what these enrolments were handed but dispatch has not claimed yet; returns how many. */
  abstract withdraw(broadcastIds: number[], enrollmentIds: number[]): Promise<number>;
  abstract pause(broadcastIds: number[]): Promise<void>;
  abstract resume(broadcastIds: number[]): Promise<void>;
  abstract cancel(broadcastIds: number[]): Promise<void>;
  /** Step broadcasts that can no longer send (cancelled, failed or completed), of these. */
  abstract unusable(broadcastIds: number[]): Promise<Set<number>>;
  /** Each step broadcast's status and figures, by broadcast id. */
  abstract describe(broadcastIds: number[]): Promise<Map<number, StepBroadcastState>>;
}
