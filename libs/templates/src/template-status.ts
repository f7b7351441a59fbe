import type { TemplateStatus } from './template.entity';

/**
 * Meta's template statuses and webhook events → Clarion's five. REINSTATED means approved
 * again; deletion, archiving and limit-exceeded all mean "cannot be sent"; an appeal is
 * pending review. FLAGGED keeps the current status (the template still sends while Meta
 * watches its quality). Unknown values → undefined: the caller logs and leaves it.
 */
export function toTemplateStatus(meta: string): TemplateStatus | 'unchanged' | undefined {
  switch (meta.toUpperCase()) {
    case 'APPROVED':
    case 'REINSTATED':
      return 'APPROVED';
    case 'PENDING':
    case 'IN_APPEAL':
      return 'PENDING';
    case 'REJECTED':
      return 'REJECTED';
    case 'PAUSED':
      return 'PAUSED';
    case 'DISABLED':
    case 'PENDING_DELETION':
    case 'DELETED':
    case 'ARCHIVED':
    case 'LIMIT_EXCEEDED':
      return 'DISABLED';
    case 'FLAGGED':
      return 'unchanged';
    default:
      return undefined;
  }
}
