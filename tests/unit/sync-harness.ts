// For the sync's tests and benchmark (not shipped, and kept out of lib/: the
// product's library never imports the demo portal): a demo portal, a client
// and an engine on a database, and the two sides of the "exact copy"
// comparison, normalized record by record.
import { type DemoPortal, type PortalOptions, startPortal } from '../../demo/server';
import { type DemoStore, semanticOf } from '../../demo/store';
import { type ClientOptions, createClient } from '../../lib/bitrix/client';
import { parseWebhookUrl } from '../../lib/bitrix/webhook';
import { type CrmActivity, type CrmItem, fullName, itemKey } from '../../lib/domain';
import { type Db, openCountersDb } from '../../lib/store/db';
import { getMeta, putMeta } from '../../lib/store/sync-store';
import { SyncEngine, type SyncEngineOptions } from '../../lib/sync/engine';

export async function startTestPortal(options: PortalOptions = {}): Promise<DemoPortal> {
  return startPortal({ port: 0, quiet: true, rateLimit: { enabled: false }, ...options });
}

export function testEngine(
  portal: DemoPortal,
  db: Db,
  options: Partial<Omit<SyncEngineOptions, 'client'>> & { client?: Partial<ClientOptions> } = {},
): SyncEngine {
  const parsed = parseWebhookUrl(portal.webhookUrl);
  if (!parsed.ok) throw new Error('bad demo webhook');
  const { client: clientOptions, ...engineOptions } = options;
  const client = createClient({
    webhook: parsed.webhook,
    backoffMs: 20,
    retries: 3,
    timeoutMs: 5_000,
    // The portal's rate limit is off in most tests; the client's own bucket follows it (tests that turn it on pass `bucket`).
    bucket: { capacity: 1_000_000, drainPerSecond: 1_000_000 },
    bucketStore: {
      load: async () => (await getMeta(db, 'bucket')) ?? { level: 0, at: 0 },
      save: (state) => putMeta(db, 'bucket', state),
    },
    ...clientOptions,
  });
  return new SyncEngine({ db, client, leaseMs: 60_000, ...engineOptions });
}

export { openCountersDb };

const sec = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000) * 1000);

export interface ComparableActivity {
  id: number;
  owner: string;
  bindings: string[];
  responsibleId: number;
  subject: string;
  deadline: number | null;
  incoming: boolean;
  typeId: number;
  providerId: string;
  lastUpdated: number;
}

export interface ComparableItem {
  key: string;
  title: string;
  responsibleId: number;
  stageSemantic: string | null;
}

function smartCounted(store: DemoStore): number[] {
  return [...store.smartTypes.values()].filter((t) => t.isCountersEnabled).map((t) => t.entityTypeId);
}

/** The portal's open data, as the copy must hold it. */
export function expectedCopy(store: DemoStore): { activities: ComparableActivity[]; items: ComparableItem[] } {
  const counted = new Set([1, 2, 3, 4, ...smartCounted(store)]);
  const activities: ComparableActivity[] = [];
  const bound = new Set<string>();
  for (const a of store.activities.values()) {
    if (a.completed) continue;
    for (const b of a.bindings) bound.add(itemKey(b));
    activities.push({
      id: a.id,
      owner: `${a.ownerTypeId}:${a.ownerId}`,
      bindings: a.bindings.map(itemKey).sort(),
      responsibleId: a.responsibleId,
      subject: a.subject,
      deadline: sec(a.deadline),
      incoming: a.isIncomingChannel,
      typeId: a.typeId,
      providerId: a.providerId,
      lastUpdated: sec(a.lastUpdated)!,
    });
  }
  const items: ComparableItem[] = [];
  for (const d of store.deals.values()) {
    const s = semanticOf(store, d.stageId);
    if (s === 'P' && !d.isRecurring) items.push({ key: `2:${d.id}`, title: d.title, responsibleId: d.assignedById, stageSemantic: s });
  }
  for (const l of store.leads.values()) {
    const s = semanticOf(store, l.statusId);
    if (s === 'P') items.push({ key: `1:${l.id}`, title: l.title, responsibleId: l.assignedById, stageSemantic: s });
  }
  for (const c of store.contacts.values()) {
    if (bound.has(`3:${c.id}`)) items.push({ key: `3:${c.id}`, title: fullName(c.name, c.lastName), responsibleId: c.assignedById, stageSemantic: null });
  }
  for (const c of store.companies.values()) {
    if (bound.has(`4:${c.id}`)) items.push({ key: `4:${c.id}`, title: c.title, responsibleId: c.assignedById, stageSemantic: null });
  }
  for (const [t, map] of store.smartItems) {
    if (!counted.has(t)) continue;
    for (const i of map.values()) {
      const s = semanticOf(store, i.stageId);
      if (s === 'P') items.push({ key: `${t}:${i.id}`, title: i.title, responsibleId: i.assignedById, stageSemantic: s });
    }
  }
  activities.sort((a, b) => a.id - b.id);
  items.sort((a, b) => a.key.localeCompare(b.key));
  return { activities, items };
}

export function comparableActivity(a: CrmActivity): ComparableActivity {
  return {
    id: a.id,
    owner: `${a.ownerTypeId}:${a.ownerId}`,
    bindings: a.bindings.map(itemKey).sort(),
    responsibleId: a.responsibleId,
    subject: a.subject,
    deadline: a.deadline,
    incoming: a.isIncomingChannel === true,
    typeId: a.typeId,
    providerId: a.providerId,
    lastUpdated: a.lastUpdated,
  };
}

export function comparableItem(i: CrmItem): ComparableItem {
  return { key: `${i.entityTypeId}:${i.id}`, title: i.title, responsibleId: i.responsibleId, stageSemantic: i.stageSemantic };
}

/** The live copy in the database, normalized like {@link expectedCopy}. */
export async function actualCopy(db: Db): Promise<{ activities: ComparableActivity[]; items: ComparableItem[] }> {
  const activities = (await db.getAll('activities')).map(comparableActivity).sort((a, b) => a.id - b.id);
  const items = (await db.getAll('items')).map(comparableItem).sort((a, b) => a.key.localeCompare(b.key));
  return { activities, items };
}

/** Calls the portal's own REST API, as a user or a script would change data. */
export async function portalCall(portal: DemoPortal, method: string, params: Record<string, unknown> = {}): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${portal.webhookUrl}${method}.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(params),
    });
    const body = (await response.json()) as { result?: unknown; error?: string; error_description?: string };
    if (body.error === 'QUERY_LIMIT_EXCEEDED' && attempt < 100) {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    if (body.error) throw new Error(`${method}: ${body.error} ${body.error_description ?? ''}`);
    return body.result;
  }
}

export type PortalChange =
  | { op: 'create'; pick: number; deadlineDays: number; secondary: number | null }
  | { op: 'complete'; pick: number }
  | { op: 'delete'; pick: number }
  | { op: 'reassignDeal'; pick: number; userId: number }
  | { op: 'reassignContact'; pick: number; userId: number }
  | { op: 'closeDeal'; pick: number }
  | { op: 'reopenDeal'; pick: number }
  | { op: 'closeLead'; pick: number }
  | { op: 'rebind'; pick: number; target: number }
  | { op: 'unbind'; pick: number }
  | { op: 'moveSmartItem'; pick: number; open: boolean };

const nth = <T>(list: T[], pick: number): T | undefined => (list.length ? list[pick % list.length] : undefined);

/** Applies one change through REST; picks index into the portal's current records, so any sequence is valid. */
export async function applyPortalChange(portal: DemoPortal, change: PortalChange): Promise<void> {
  const store = portal.store;
  const open = [...store.activities.values()].filter((a) => !a.completed);
  const deals = [...store.deals.values()];
  switch (change.op) {
    case 'create': {
      const deal = nth(deals, change.pick);
      if (!deal) return;
      const deadline = new Date(Date.now() + change.deadlineDays * 86_400_000).toISOString();
      const contacts = [...store.contacts.values()];
      const extra = change.secondary === null ? [] : [{ OWNER_TYPE_ID: 3, OWNER_ID: nth(contacts, change.secondary)!.id }];
      await portalCall(portal, 'crm.activity.add', {
        fields: { OWNER_TYPE_ID: 2, OWNER_ID: deal.id, SUBJECT: `Created ${change.pick}`, DEADLINE: deadline, RESPONSIBLE_ID: deal.assignedById, BINDINGS: extra },
      });
      return;
    }
    case 'complete': {
      const a = nth(open, change.pick);
      if (a) await portalCall(portal, 'crm.activity.update', { id: a.id, fields: { COMPLETED: 'Y' } });
      return;
    }
    case 'delete': {
      const a = nth(open, change.pick);
      if (a) await portalCall(portal, 'crm.activity.delete', { id: a.id });
      return;
    }
    case 'reassignDeal': {
      const d = nth(deals, change.pick);
      if (d) await portalCall(portal, 'crm.deal.update', { id: d.id, fields: { ASSIGNED_BY_ID: change.userId } });
      return;
    }
    case 'reassignContact': {
      const c = nth([...store.contacts.values()], change.pick);
      if (c) await portalCall(portal, 'crm.contact.update', { id: c.id, fields: { ASSIGNED_BY_ID: change.userId } });
      return;
    }
    case 'closeDeal': {
      const d = nth(deals.filter((x) => x.categoryId === 0 && semanticOf(store, x.stageId) === 'P'), change.pick);
      if (d) await portalCall(portal, 'crm.deal.update', { id: d.id, fields: { STAGE_ID: 'WON' } });
      return;
    }
    case 'reopenDeal': {
      const d = nth(deals.filter((x) => x.categoryId === 0 && semanticOf(store, x.stageId) !== 'P'), change.pick);
      if (d) await portalCall(portal, 'crm.deal.update', { id: d.id, fields: { STAGE_ID: 'EXECUTING' } });
      return;
    }
    case 'closeLead': {
      const l = nth([...store.leads.values()].filter((x) => semanticOf(store, x.statusId) === 'P'), change.pick);
      if (l) await portalCall(portal, 'crm.lead.update', { id: l.id, fields: { STATUS_ID: 'JUNK' } });
      return;
    }
    case 'rebind': {
      const a = nth(open, change.pick);
      // The portal refuses a second binding to the same item (ACTIVITY_IS_ALREADY_BOUND).
      const target = a && nth([...store.contacts.values()].filter((c) => !a.bindings.some((x) => x.entityTypeId === 3 && x.entityId === c.id)), change.target);
      if (a && target) await portalCall(portal, 'crm.activity.binding.add', { activityId: a.id, entityTypeId: 3, entityId: target.id });
      return;
    }
    case 'unbind': {
      const a = nth(open.filter((x) => x.bindings.length > 1), change.pick);
      if (a) {
        const b = a.bindings[a.bindings.length - 1];
        await portalCall(portal, 'crm.activity.binding.delete', { activityId: a.id, entityTypeId: b.entityTypeId, entityId: b.entityId });
      }
      return;
    }
    case 'moveSmartItem': {
      const items = [...(store.smartItems.get(128)?.values() ?? [])];
      const item = nth(items, change.pick);
      if (item) await portalCall(portal, 'crm.item.update', { entityTypeId: 128, id: item.id, fields: { stageId: change.open ? 'DT128_5:NEW' : 'DT128_5:SUCCESS' } });
      return;
    }
  }
}

/** The lower bound on a first sync's requests: ⌈I/2500⌉ + ⌈A/2500⌉ + ⌈B/50⌉. */
export function requestFloor(store: DemoStore): { I: number; A: number; B: number; rMin: number } {
  const expected = expectedCopy(store);
  const I = expected.items.length;
  const A = expected.activities.length;
  const itemsWithOpen = new Set<string>();
  for (const a of expected.activities) for (const b of a.bindings) itemsWithOpen.add(b);
  const B = Math.min(A, itemsWithOpen.size);
  return { I, A, B, rMin: Math.ceil(I / 2500) + Math.ceil(A / 2500) + Math.ceil(B / 50) };
}

/** Gives the `n`-th open deal with open activities to another person: the next poll asks for its activities in a follow-up request. */
export async function handOver(portal: DemoPortal, n: number): Promise<void> {
  const owners = new Set<number>();
  for (const a of portal.store.activities.values()) if (!a.completed && a.ownerTypeId === 2) owners.add(a.ownerId);
  const deals = [...portal.store.deals.values()].filter((d) => owners.has(d.id) && semanticOf(portal.store, d.stageId) === 'P');
  const deal = deals[n % deals.length];
  await portalCall(portal, 'crm.deal.update', { id: deal.id, fields: { ASSIGNED_BY_ID: (deal.assignedById % 7) + 1 } });
}
