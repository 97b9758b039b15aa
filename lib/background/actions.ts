// Triage from the popup: complete or postpone an activity on the portal, and
// show it at once (the copy and the counters take the change before the next
// poll confirms it). A refused write is remembered, so the buttons explain
// instead of failing again.
import { browser } from 'wxt/browser';
import { BitrixError, type BitrixErrorKind } from '../bitrix/errors';
import type { CrmActivity } from '../domain';
import { loadChosenPerson } from '../settings';
import { slotKey } from '../store/portals';
import { type PostponeChoice, portalDateTime, postponeTarget } from '../triage';
import { onConnectionChanged } from './connection';
import { connectedPortal, connectedPortals, type PortalSlot, slotOf } from './portals';
import { applyLocalChange, callPortal, getCounterIndex, getPortalOffsetMinutes, syncNow } from './sync';

export type ActionProblem = 'denied' | 'missingScope' | 'notFound' | BitrixErrorKind;
export type ActionResult = { ok: true } | { ok: false; problem: ActionProblem };

const REFUSED_KEY = 'writesRefused';

/** Whether the portal refused a write before (the webhook's creator may not edit): the popup explains instead. */
export async function writesRefused(slot: PortalSlot): Promise<boolean> {
  const key = slotKey(REFUSED_KEY, slot);
  return (await browser.storage.local.get(key))[key] === true;
}

export function setupActions(): void {
  // A new connection may have other rights (a slot's key stays right for the first slot's when it is gone).
  onConnectionChanged((origin) => {
    void (async () => {
      const slot = await slotOf(origin);
      await browser.storage.local.remove(slot ? slotKey(REFUSED_KEY, slot) : `${REFUSED_KEY} ${origin}`);
    })();
  });
}

async function write(slot: PortalSlot, change: () => Promise<unknown>, updated: CrmActivity): Promise<ActionResult> {
  if (await writesRefused(slot)) return { ok: false, problem: 'denied' };
  try {
    await change();
  } catch (error) {
    if (!(error instanceof BitrixError)) throw error;
    if (error.kind === 'recordDenied' || error.kind === 'missingScope') {
      await browser.storage.local.set({ [slotKey(REFUSED_KEY, slot)]: true });
      return { ok: false, problem: error.kind === 'recordDenied' ? 'denied' : 'missingScope' };
    }
    return { ok: false, problem: error.kind };
  }
  await applyLocalChange({ upsertActivities: [updated], removeActivityIds: [], upsertItems: [], removeItems: [] }, slot.origin);
  void syncNow('action', slot.origin);
  return { ok: true };
}

/** The activity in a portal's copy, with the portal; null when either is not there. */
async function storedActivity(origin: string | undefined, id: number) {
  const portal = origin === undefined ? ((await connectedPortals())[0] ?? null) : await connectedPortal(origin);
  const activity = portal ? await portal.db.get('activities', id) : undefined;
  return portal && activity ? { ...portal, activity } : null;
}

export async function completeActivity(activityId: number, origin?: string): Promise<ActionResult> {
  const found = await storedActivity(origin, activityId);
  if (!found) return { ok: false, problem: 'notFound' };
  const { slot, activity } = found;
  return write(
    slot,
    () => callPortal('crm.activity.update', { id: activityId, fields: { COMPLETED: 'Y' } }, slot.origin),
    { ...activity, completed: true, status: 2, lastUpdated: Date.now() },
  );
}

export async function postponeActivity(activityId: number, choice: PostponeChoice, origin?: string): Promise<ActionResult> {
  const found = await storedActivity(origin, activityId);
  if (!found) return { ok: false, problem: 'notFound' };
  const { slot, activity, connection } = found;
  const index = await getCounterIndex(slot.origin);
  const person = (await loadChosenPerson(slot)) ?? connection.userId;
  const zone = index?.zoneOf(person) ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const deadline = postponeTarget(choice, Date.now(), zone, activity.deadline);
  const value = portalDateTime(deadline, (await getPortalOffsetMinutes(slot.origin)) ?? 0);
  const call =
    activity.providerId === 'CRM_TODO'
      ? () =>
          callPortal(
            'crm.activity.todo.updateDeadline',
            { id: activityId, ownerTypeId: activity.ownerTypeId, ownerId: activity.ownerId, value },
            slot.origin,
          )
      : () => callPortal('crm.activity.update', { id: activityId, fields: { DEADLINE: value } }, slot.origin);
  return write(slot, call, { ...activity, deadline, lastUpdated: Date.now() });
}
