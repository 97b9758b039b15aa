// The check against the portal's own counters in the background: what the
// popup shows (`[data-portal-check]`), the options page's diagnostics, the
// demo build's "check now" for tests (contract, Builds), and forgetting the
// portal's way when another portal or person connects. The check itself
// rides in the sync (lib/sync/portal-check.ts).
import { browser } from 'wxt/browser';
import { type AgreementState, agreementState, differences, offeredWay, skippedTypes, type Pair, type Way } from '../counters/agreement';
import { IS_DEMO_BUILD } from '../flavour';
import { loadPortalWay, loadSettings, loadSettingsWithPolicy, saveSettings } from '../settings';
import { loadManaged } from '../managed';
import { getMeta } from '../store/sync-store';
import { forgetPortalWay, loadPortalChecks } from '../sync/portal-check';
import { onConnectionChanged } from './connection';
import { connectedPortal, connectedPortals } from './portals';

/** The demo build's "check now" (storage.local key): the next run carries the check, in a request of its own if need be. */
export const CHECK_NOW_KEY = 'portalCheckNow';

export interface PortalCheckView {
  state: AgreementState;
  /** Portal time of the last check. */
  at: number;
  /** Types whose numbers differ at the last check. */
  differences: { entityTypeId: number; ours: Pair; portal: Pair }[];
  /** Deal pipelines that differ, or that did not answer, at the last check (asked only to locate a difference). */
  pipelines: { categoryId: number; name: string | null; ours: Pair; portal: Pair | null; answer: string }[];
  /** Types that did not answer with today's codes: left out of the comparison. */
  skipped: { entityTypeId: number; answer: string }[];
  /** The way that would agree, when the numbers differ and one would. */
  offer: Way | null;
  /** The way in force. */
  way: Way;
}

/** Portals whose next run carries the check (the demo build's "check now" asks every connected one). */
const forced = new Set<string>();

/** Consumed by that portal's run that starts next (lib/background/sync.ts passes it to the sync's check). */
export function takeForcedCheck(origin: string): boolean {
  const was = forced.has(origin);
  forced.delete(origin);
  return was;
}

/**
 * Registers listeners synchronously. `syncNow` starts a run (lib/background/sync.ts),
 * passed in so that this module does not import the sync's wiring.
 */
export function setupPortalCheck(syncNow: (reason: string) => Promise<void>): void {
  if (IS_DEMO_BUILD) {
    browser.storage.onChanged.addListener((changes, area) => {
      if (area !== 'local' || !(CHECK_NOW_KEY in changes) || changes[CHECK_NOW_KEY].newValue === undefined) return;
      void (async () => {
        for (const { slot } of await connectedPortals()) forced.add(slot.origin);
        await syncNow('portal-check');
      })();
    });
  }
  // Another portal or person: their records are erased, and the way their portal counts is not this one's.
  onConnectionChanged((origin) => {
    void (async () => {
      const portal = await connectedPortal(origin);
      if (portal && !(await loadPortalChecks(portal.db))) await forgetPortalWay(portal.slot);
    })();
  });
}

/** A connected portal (the first when no origin is given). */
async function portalOf(origin: string | undefined) {
  if (origin !== undefined) return connectedPortal(origin);
  return (await connectedPortals())[0] ?? null;
}

/** The popup's `[data-portal-check]`: null when no check is recorded or no type answered (`unavailable`: no element). */
export async function getPortalCheckView(origin?: string): Promise<PortalCheckView | null> {
  const portal = await portalOf(origin);
  if (!portal) return null;
  const { db, slot } = portal;
  const [checks, categories] = await Promise.all([loadPortalChecks(db), getMeta(db, 'dealCategories')]);
  const last = checks?.records[0];
  if (!checks || !last) {
    // Connected, before the first check (it comes with the first full sync, or after an update): checking.
    const settings = await loadSettings(slot);
    return { state: 'checking', at: 0, differences: [], pipelines: [], skipped: [], offer: null, way: { litRule: settings.litRule, mode: settings.counterMode } };
  }
  const state = agreementState(checks.records);
  if (state === 'unavailable') return null;
  const byType = new Map(last.types.map((c) => [c.entityTypeId, c]));
  return {
    state,
    at: last.at,
    differences: differences(last).map((d) => ({ entityTypeId: d.entityTypeId, ours: byType.get(d.entityTypeId)!.ours, portal: byType.get(d.entityTypeId)!.portal! })),
    pipelines: (last.pipelines ?? [])
      .filter((c) => c.portal === null || c.portal.incoming !== c.ours.incoming || c.portal.planned !== c.ours.planned)
      .map((c) => ({ categoryId: c.entityTypeId, name: categories?.[c.entityTypeId] ?? null, ours: c.ours, portal: c.portal, answer: c.answer })),
    skipped: skippedTypes(last).map((c) => ({ entityTypeId: c.entityTypeId, answer: c.error ?? c.answer })),
    // No offer the user cannot take: a policy that sets the rule or the mode outranks following the portal.
    offer: state === 'differs' && !(await policySetsTheWay()) ? offeredWay(last) : null,
    way: last.way,
  };
}

async function policySetsTheWay(): Promise<boolean> {
  const managed = await loadManaged();
  return managed.litRule !== undefined || managed.counterMode !== undefined;
}

/**
 * The popup's offer taken: that portal's rule and mode (the first's when no origin is given) follow
 * the portal again, and the next run checks again (the line says so then).
 */
export async function followPortal(origin?: string): Promise<void> {
  const portal = await portalOf(origin);
  if (portal) forced.add(portal.slot.origin);
  await saveSettings({ litRule: 'portal', counterMode: 'portal' }, portal?.slot ?? null);
}

/** The options page's "Copy diagnostics": the last two checks (both sides' counts per type), our settings; no secret. */
export async function getDiagnostics(origin?: string): Promise<string> {
  const portal = await portalOf(origin);
  const slot = portal?.slot ?? null;
  const [checks, inForce, { settings: chosen, managed }, portalWay] = await Promise.all([
    portal ? loadPortalChecks(portal.db) : null,
    loadSettings(slot),
    loadSettingsWithPolicy(slot),
    loadPortalWay(slot),
  ]);
  const connection = portal?.connection ?? null;
  const report = {
    generatedAt: new Date().toISOString(),
    extension: browser.runtime.getManifest().version,
    portal: connection ? { host: new URL(connection.origin).host, mode: connection.mode, userId: connection.userId } : null,
    settings: {
      chosen: { litRule: chosen.litRule, counterMode: chosen.counterMode },
      inForce: { litRule: inForce.litRule, counterMode: inForce.counterMode, lightOffsetMinutes: inForce.lightOffsetMinutes, countedEntityTypes: inForce.countedEntityTypes, timeZone: inForce.timeZone },
      policy: { litRule: managed.litRule, counterMode: managed.counterMode, countedEntityTypes: managed.countedEntityTypes },
      portalWay,
    },
    state: checks ? agreementState(checks.records) : 'checking',
    checks: (checks?.records ?? []).map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
    checkedAt: checks ? new Date(checks.checkedAt).toISOString() : null,
    follow: checks?.follow ?? null,
  };
  return JSON.stringify(report, null, 2);
}
