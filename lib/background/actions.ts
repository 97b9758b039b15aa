// Triage from the popup: complete or postpone an activity on the portal, and
// show it at once (the copy and the counters take the change before the next
// poll confirms it). A refused write is remembered, so the buttons explain
// instead of failing again.
import { browser } from 'wxt/browser';
import { BitrixError, type BitrixErrorKind } from '../bitrix/errors';
import type { CrmActivity } from '../domain';
import { loadChosenPerson } from '../settings';
import { getDb, loadConnection } from '../store/db';
import { type PostponeChoice, portalDateTime, postponeTarget } from '../triage';
import { onConnectionChanged } from './connection';
import { applyLocalChange, callPortal, getCounterIndex, getPortalOffsetMinutes, syncNow } from './sync';

export type ActionProblem = 'denied' | 'missingScope' | 'notFound' | BitrixErrorKind;
export type ActionResult = { ok: true } | { ok: false; problem: ActionProblem };

const REFUSED_KEY = 'writesRefused';

/** Whether the portal refused a write before (the webhook's creator may not edit): the popup explains instead. */
export async function writesRefused(): Promise<boolean> {
  return (await browser.storage.local.get(REFUSED_KEY))[REFUSED_KEY] === true;
}

export function setupActions(): void {
  // A new connection may have other rights.
  onConnectionChanged(() => void browser.storage.local.remove(REFUSED_KEY));
}

async function storedActivity(id: number): Promise<CrmActivity | null> {
  return (await (await getDb()).get('activities', id)) ?? null;
}

async function write(change: () => Promise<unknown>, updated: CrmActivity): Promise<ActionResult> {
  if (await writesRefused()) return { ok: false, problem: 'denied' };
  try {
    await change();
  } catch (error) {
    if (!(error instanceof BitrixError)) throw error;
    if (error.kind === 'recordDenied' || error.kind === 'missingScope') {
      await browser.storage.local.set({ [REFUSED_KEY]: true });
      return { ok: false, problem: error.kind === 'recordDenied' ? 'denied' : 'missingScope' };
    }
    return { ok: false, problem: error.kind };
  }
  await applyLocalChange({ upsertActivities: [updated], removeActivityIds: [], upsertItems: [], removeItems: [] });
  void syncNow('action');
  return { ok: true };
}

export async function completeActivity(activityId: number): Promise<ActionResult> {
  const activity = await storedActivity(activityId);
  if (!activity) return { ok: false, problem: 'notFound' };
  return write(
    () => callPortal('crm.activity.update', { id: activityId, fields: { COMPLETED: 'Y' } }),
    { ...activity, completed: true, status: 2, lastUpdated: Date.now() },
  );
}

export async function postponeActivity(activityId: number, choice: PostponeChoice): Promise<ActionResult> {
  const activity = await storedActivity(activityId);
  const connection = await loadConnection(await getDb());
  if (!activity || !connection) return { ok: false, problem: 'notFound' };
  const index = await getCounterIndex();
  const person = (await loadChosenPerson()) ?? connection.userId;
  const zone = index?.zoneOf(person) ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const deadline = postponeTarget(choice, Date.now(), zone, activity.deadline);
  const value = portalDateTime(deadline, (await getPortalOffsetMinutes()) ?? 0);
  const call =
    activity.providerId === 'CRM_TODO'
      ? () =>
          callPortal('crm.activity.todo.updateDeadline', {
            id: activityId,
            ownerTypeId: activity.ownerTypeId,
            ownerId: activity.ownerId,
            value,
          })
      : () => callPortal('crm.activity.update', { id: activityId, fields: { DEADLINE: value } });
  return write(call, { ...activity, deadline, lastUpdated: Date.now() });
}
