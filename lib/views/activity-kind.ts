// What kind of activity an entry shows as (its icon and wording in the popup).
import type { CrmActivity } from '../domain';

export type ActivityKind = 'call' | 'missedCall' | 'chat' | 'email' | 'meeting' | 'todo' | 'other';

export function activityKind(a: Pick<CrmActivity, 'typeId' | 'providerId' | 'missedCall'>): ActivityKind {
  const provider = a.providerId.toUpperCase();
  if (provider === 'VOXIMPLANT_CALL' || provider === 'CALL' || a.typeId === 2) return a.missedCall ? 'missedCall' : 'call';
  if (provider === 'IMOPENLINES_SESSION') return 'chat';
  if (provider === 'CRM_EMAIL' || a.typeId === 4) return 'email';
  if (provider === 'CRM_MEETING' || a.typeId === 1) return 'meeting';
  if (provider === 'CRM_TODO' || provider === 'CRM_TASKS_TASK' || a.typeId === 3) return 'todo';
  return 'other';
}
