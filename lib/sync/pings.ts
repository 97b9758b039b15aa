// Reading to-dos' reminder ("ping") offsets, which rule light time needs to
// light an activity at the minute Bitrix24 does (counters.md, lib/counters/classify.ts).
//
// Where Bitrix24 keeps them, and why this is the cheapest read (crm module,
// read in a May 2026 snapshot, yuliai/bitrix-modules):
// - they live in their own table, b_crm_act_ping_offsets
//   (`Bitrix\Crm\Model\ActivityPingOffsetsTable`), not in the activity row
//   nor in SETTINGS;
// - crm.activity.list cannot return them, nor LIGHT_COUNTER_AT: the list's
//   `CCrmActivityDbResult` can add LIGHT_COUNTER_AT, but the REST proxy's
//   `CCrmRestProxyBase::externalizeFields` drops every field missing from
//   `CCrmActivity::GetFieldsInfo()`, and neither is there;
// - crm.activity.configurable.get returns `pingOffsets` for configurable
//   (REST app) activities only;
// - for to-dos, the controller action `Activity\ToDo::fetchSettingsAction`
//   (REST `crm.activity.todo.fetchSettings`, not in the REST docs) answers
//   `entityData.pingOffsets`, one to-do per command.
// So: batches of fetchSettings (50 to-dos a request), only for open to-dos
// whose deadline is still ahead (a passed deadline is lit whatever the
// offset) and that are new or changed since their reminders were read
// (changing reminders saves the activity, and every `CCrmActivity::Update`
// stamps LAST_UPDATED: `CCrmActivity::CheckFields`, update branch). Other
// providers keep NOTIFY: tasks and calendar sharing get [0, 15] by default,
// which lights at the same minute as the 15-minute default.
import { callBatch, type BatchCommand } from '../bitrix/batch';
import type { BitrixClient } from '../bitrix/client';
import type { CrmActivity } from '../domain';

/** `crm.activity.todo.fetchSettings` loads CRM_TODO activities only (`BaseActivity::load` filters PROVIDER_ID). */
const TODO_PROVIDER = 'CRM_TODO';

/**
 * The to-dos whose reminders are worth a command: open, with a deadline after
 * `now`, bound to an owner, and not yet read at their current LAST_UPDATED
 * (`readAt`: activity id → the lastUpdated its reminders were read at).
 */
export function pingCandidates(
  activities: Iterable<CrmActivity>,
  readAt: ReadonlyMap<number, number>,
  now: number,
): CrmActivity[] {
  const out: CrmActivity[] = [];
  for (const a of activities) {
    if (a.providerId !== TODO_PROVIDER || a.completed) continue;
    if (a.deadline === null || a.deadline <= now) continue;
    if (a.ownerTypeId <= 0 || a.ownerId <= 0) continue;
    if (readAt.get(a.id) === a.lastUpdated) continue;
    out.push(a);
  }
  return out;
}

/** The commands for `todos`, in batches of at most `batchLimit`, keyed `p<ID>`. */
export function pingBatches(todos: readonly CrmActivity[], batchLimit: number): Map<string, BatchCommand>[] {
  const batches: Map<string, BatchCommand>[] = [];
  for (let i = 0; i < todos.length; i += batchLimit) {
    batches.push(
      new Map(
        todos.slice(i, i + batchLimit).map((a) => [
          `p${a.id}`,
          { method: 'crm.activity.todo.fetchSettings', params: { ownerTypeId: a.ownerTypeId, ownerId: a.ownerId, id: a.id } },
        ]),
      ),
    );
  }
  return batches;
}

/**
 * `entityData.pingOffsets` of a fetchSettings answer as whole minutes ≥ 0,
 * each once; null when the answer has no such list (then NOTIFY applies).
 */
export function narrowPingOffsets(result: unknown): number[] | null {
  if (!result || typeof result !== 'object') return null;
  const data = (result as { entityData?: unknown }).entityData;
  if (!data || typeof data !== 'object') return null;
  const raw = (data as { pingOffsets?: unknown }).pingOffsets;
  const values = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.values(raw) : null;
  if (values === null) return null;
  const out: number[] = [];
  for (const v of values) {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    if (Number.isInteger(n) && n >= 0 && !out.includes(n)) out.push(n);
  }
  return out;
}

/**
 * Reads the reminders of `todos`: activity id → offsets. A command that
 * fails (the to-do is gone, unreadable, or the portal lacks the method) is
 * left out, so that activity keeps lighting by NOTIFY; errors of the whole
 * request (credentials, rate limit) are thrown by the client as usual.
 */
export async function readPingOffsets(client: BitrixClient, todos: readonly CrmActivity[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  for (const batch of pingBatches(todos, client.batchLimit)) {
    const answer = await callBatch(client, batch);
    for (const [key, result] of answer.results) {
      const offsets = narrowPingOffsets(result);
      if (offsets !== null) out.set(Number(key.slice(1)), offsets);
    }
  }
  return out;
}
