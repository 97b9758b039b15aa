// What the sync writes: change sets applied in one transaction each, the
// staging area of a full sync and its swap into the live stores, and the
// small records of the `meta` store (cursors, status, lock, bucket).
import type { BucketState } from '../bitrix/limiter';
import type { CrmActivity, CrmItem, Department, ItemRef, Person } from '../domain';
import type { ReconcileDeferral } from '../sync/reconcile-timing';
import type { ReminderMemory } from '../sync/reminders';
import { type Db, type StoredActivity, toStored } from './db';

/** Poll cursors and what the sync knows about the portal. Kept in meta 'sync'. */
export interface SyncState {
  /** When the last full sync (first or reconciliation) committed; null before the first. */
  fullSyncAt: number | null;
  /** Portal-clock instants (epoch ms) for `>LAST_UPDATED` and `>DATE_MODIFY`, overlap already taken off. */
  activityCursor: number | null;
  itemCursor: number | null;
  /** Minutes east of UTC, from `time.date_start`. */
  portalOffsetMinutes: number | null;
  /** Smart-process entity type ids with counters on (crm.type.list). */
  smartTypes: number[];
  /** Entity type ids the sync copies. */
  countedTypes: number[];
  /** Stage id → semantic, for smart processes. */
  stageSemantics: [string, 'P' | 'S' | 'F'][];
  lastSyncAt: number | null;
  lastReconcileAt: number | null;
  lastPeopleAt: number | null;
  /** The binding sweep's position: polls verify the bindings of a few stored activities after this id each time. */
  sweepAfter: number;
}

export const EMPTY_SYNC_STATE: SyncState = {
  fullSyncAt: null,
  activityCursor: null,
  itemCursor: null,
  portalOffsetMinutes: null,
  smartTypes: [],
  countedTypes: [],
  stageSemantics: [],
  lastSyncAt: null,
  lastReconcileAt: null,
  lastPeopleAt: null,
  sweepAfter: 0,
};

/** The error the UI shows. */
export interface SyncErrorRecord {
  kind: string;
  message: string;
  since: number;
}

/** Progress of a full sync, persisted with every staged page so a killed worker resumes where it stopped. */
export interface FullSyncProgress {
  kind: 'first' | 'reconcile';
  startedAt: number;
  /** Portal time (ms) of the first answer: the poll cursor after commit. */
  portalStartedAt: number | null;
  stage: string;
  /** Per scan chain: the last ID staged, or 'done'. */
  chains: Record<string, number | 'done'>;
  /** Items whose bindings were looked up (keys), or activity ids in per-activity mode. */
  bindingsDone: number;
  bindingMode: 'perItem' | 'perActivity' | null;
  /** Keys of the binding look-ups still to do. */
  bindingQueue: string[];
  done: number;
  total: number | null;
}

export interface LockRecord {
  owner: string;
  expiresAt: number;
}

export interface MetaRecords {
  sync: SyncState;
  /** Deal pipelines: CATEGORY_ID → name (crm.category.list). */
  dealCategories: Record<number, string>;
  fullSync: FullSyncProgress;
  error: SyncErrorRecord;
  lock: LockRecord;
  bucket: BucketState;
  /** To-dos' reminder offsets read so far (lib/sync/reminders.ts). */
  reminders: ReminderMemory;
  /** A reconciliation overdue after an absence, spread over its interval (lib/sync/reconcile-timing.ts). */
  reconcileDeferral: ReconcileDeferral;
  /** When the user's own syncs ran in the last hour (popup, portal focus): the team's pace counts them (lib/sync/pace.ts). */
  demand: number[];
}

export async function getMeta<K extends keyof MetaRecords>(db: Db, key: K): Promise<MetaRecords[K] | null> {
  return ((await db.get('meta', key)) as MetaRecords[K] | undefined) ?? null;
}

export async function putMeta<K extends keyof MetaRecords>(db: Db, key: K, value: MetaRecords[K]): Promise<void> {
  await db.put('meta', value, key);
}

export async function deleteMeta(db: Db, key: keyof MetaRecords): Promise<void> {
  await db.delete('meta', key);
}

export async function loadSyncState(db: Db): Promise<SyncState> {
  return { ...EMPTY_SYNC_STATE, ...(await getMeta(db, 'sync')) };
}

/** One change set: applied in one transaction with the sync state, so a crash leaves old or new, never a mix. */
export interface ChangeSet {
  upsertItems: CrmItem[];
  removeItems: ItemRef[];
  upsertActivities: CrmActivity[];
  removeActivityIds: number[];
}

export function emptyChangeSet(): ChangeSet {
  return { upsertItems: [], removeItems: [], upsertActivities: [], removeActivityIds: [] };
}

export function isEmptyChangeSet(c: ChangeSet): boolean {
  return !c.upsertItems.length && !c.removeItems.length && !c.upsertActivities.length && !c.removeActivityIds.length;
}

/** `state` null: the change only (an item look-up for a page), the sync's cursors untouched. */
export async function applyChangeSet(db: Db, change: ChangeSet, state: SyncState | null): Promise<void> {
  const tx = db.transaction(['items', 'activities', 'meta'], 'readwrite');
  const items = tx.objectStore('items');
  const activities = tx.objectStore('activities');
  const writes: Promise<unknown>[] = [];
  for (const ref of change.removeItems) writes.push(items.delete([ref.entityTypeId, ref.entityId]));
  for (const item of change.upsertItems) writes.push(items.put(item));
  for (const id of change.removeActivityIds) writes.push(activities.delete(id));
  for (const a of change.upsertActivities) writes.push(activities.put(toStored(a)));
  if (state) writes.push(tx.objectStore('meta').put(state, 'sync'));
  await Promise.all([...writes, tx.done]);
}

/** Stages rows of a full sync and its progress, in one transaction. */
export async function stageRows(
  db: Db,
  rows: { items?: CrmItem[]; activities?: CrmActivity[] },
  progress: FullSyncProgress,
): Promise<void> {
  const tx = db.transaction(['stagedItems', 'stagedActivities', 'meta'], 'readwrite');
  const writes: Promise<unknown>[] = [];
  for (const item of rows.items ?? []) writes.push(tx.objectStore('stagedItems').put(item));
  for (const a of rows.activities ?? []) writes.push(tx.objectStore('stagedActivities').put(toStored(a)));
  writes.push(tx.objectStore('meta').put(progress, 'fullSync'));
  await Promise.all([...writes, tx.done]);
}

/** Adds bindings to staged activities (secondary ones found by look-ups), with progress, in one transaction. */
export async function stageBindings(db: Db, bindings: Map<number, ItemRef[]>, progress: FullSyncProgress): Promise<void> {
  const tx = db.transaction(['stagedActivities', 'meta'], 'readwrite');
  const store = tx.objectStore('stagedActivities');
  await Promise.all(
    [...bindings].map(async ([id, refs]) => {
      const row = await store.get(id);
      if (!row) return;
      const merged = [...row.bindings];
      for (const r of refs) {
        if (!merged.some((b) => b.entityTypeId === r.entityTypeId && b.entityId === r.entityId)) merged.push(r);
      }
      await store.put(toStored({ ...row, bindings: merged }));
    }),
  );
  await tx.objectStore('meta').put(progress, 'fullSync');
  await tx.done;
}

export async function clearStaging(db: Db): Promise<void> {
  const tx = db.transaction(['stagedItems', 'stagedActivities', 'meta'], 'readwrite');
  await Promise.all([
    tx.objectStore('stagedItems').clear(),
    tx.objectStore('stagedActivities').clear(),
    tx.objectStore('meta').delete('fullSync'),
    tx.done,
  ]);
}

/** Swaps the staged copy into the live stores and clears staging, with the new sync state: one transaction. */
export async function commitStaging(db: Db, state: SyncState): Promise<void> {
  const tx = db.transaction(['items', 'activities', 'stagedItems', 'stagedActivities', 'meta'], 'readwrite');
  const [items, activities] = await Promise.all([
    tx.objectStore('stagedItems').getAll(),
    tx.objectStore('stagedActivities').getAll(),
  ]);
  await Promise.all([tx.objectStore('items').clear(), tx.objectStore('activities').clear()]);
  const writes: Promise<unknown>[] = [];
  for (const item of items) writes.push(tx.objectStore('items').put(item));
  for (const a of activities) writes.push(tx.objectStore('activities').put(a));
  writes.push(tx.objectStore('stagedItems').clear(), tx.objectStore('stagedActivities').clear());
  writes.push(tx.objectStore('meta').delete('fullSync'), tx.objectStore('meta').put(state, 'sync'));
  await Promise.all([...writes, tx.done]);
}

export async function replacePeople(db: Db, people: Person[], departments: Department[] | null): Promise<void> {
  const stores = departments ? (['people', 'departments'] as const) : (['people'] as const);
  const tx = db.transaction([...stores], 'readwrite');
  const writes: Promise<unknown>[] = [tx.objectStore('people').clear()];
  for (const p of people) writes.push(tx.objectStore('people').put(p));
  if (departments) {
    const store = tx.objectStore('departments');
    writes.push(store.clear());
    for (const d of departments) writes.push(store.put(d));
  }
  await Promise.all([...writes, tx.done]);
}

export async function loadLive(db: Db): Promise<{ items: CrmItem[]; activities: StoredActivity[] }> {
  const tx = db.transaction(['items', 'activities'], 'readonly');
  const [items, activities] = await Promise.all([tx.objectStore('items').getAll(), tx.objectStore('activities').getAll(), tx.done]);
  return { items, activities };
}

/**
 * Takes the single-flight lock unless another owner holds an unexpired lease
 * (and is not known dead: `isDead`). Atomic: one transaction.
 */
export async function takeLock(
  db: Db,
  owner: string,
  now: number,
  leaseMs: number,
  isDead: (owner: string) => boolean = () => false,
): Promise<boolean> {
  const tx = db.transaction('meta', 'readwrite');
  const current = (await tx.store.get('lock')) as LockRecord | undefined;
  if (current && current.owner !== owner && current.expiresAt > now && !isDead(current.owner)) {
    await tx.done;
    return false;
  }
  await tx.store.put({ owner, expiresAt: now + leaseMs } satisfies LockRecord, 'lock');
  await tx.done;
  return true;
}

/** Releases the lock if this owner holds it; `clearError`: and forgets the last run's error, in the same transaction. */
export async function releaseLock(db: Db, owner: string, options: { clearError?: boolean } = {}): Promise<void> {
  const tx = db.transaction('meta', 'readwrite');
  const current = (await tx.store.get('lock')) as LockRecord | undefined;
  if (current?.owner === owner) await tx.store.delete('lock');
  if (options.clearError) await tx.store.delete('error');
  await tx.done;
}
