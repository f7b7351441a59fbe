import type { BroadcastStatus } from '../../api/types';

export type BroadcastAction = 'pause' | 'resume' | 'cancel' | 'retryFailed' | 'delete';

const SENDING: BroadcastStatus[] = ['running', 'waiting_quota'];
const NOT_STARTED: BroadcastStatus[] = ['draft', 'scheduled'];
const ENDED: BroadcastStatus[] = ['completed', 'cancelled', 'failed'];

/**
 * The actions the API accepts in a status (BroadcastLifecycle): pause while sending, resume when
 * paused, cancel anything not yet ended (a draft is deleted instead), delete before it starts,
 * and retry the failures of one that stopped sending.
 */
export function allowedActions(status: BroadcastStatus, failed: number): BroadcastAction[] {
  const actions: BroadcastAction[] = [];
  if (SENDING.includes(status)) actions.push('pause');
  if (status === 'paused') actions.push('resume');
  if (status !== 'draft' && !ENDED.includes(status)) actions.push('cancel');
  if (failed > 0 && (status === 'paused' || ENDED.includes(status))) actions.push('retryFailed');
  if (NOT_STARTED.includes(status)) actions.push('delete');
  return actions;
}
