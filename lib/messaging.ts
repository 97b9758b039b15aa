// The one typed protocol between the background, the extension's pages and
// the content scripts. Nothing in it carries the webhook secret.
import { defineExtensionMessaging } from '@webext-core/messaging';
import type { ActionResult } from './background/actions';
import type { PortalCheckView } from './background/portal-check';
import type { ConnectionView, ConnectResult } from './connection';
import type { ItemRef } from './domain';
import type { PostponeChoice } from './triage';
import type { ChipView } from './views/chips';
import type { PopupView } from './views/popup';

export interface ChipsAnswer {
  /** False when this page is not the connected portal's, or no full sync has finished yet: no chips. */
  enabled: boolean;
  /** One per asked ref, in order; null = no chip (closed, not counted, not visible to the webhook). */
  chips: (ChipView | null)[];
}

export interface ProtocolMap {
  /** The connected portals, in the order they were connected, without secrets; [] when none. */
  getConnections(): ConnectionView[];
  /** Checks and saves a webhook URL (replacing its portal's connection); a failure keeps the connections there were. */
  connect(webhookUrl: string): ConnectResult;
  /** Connects with the browser's Bitrix24 login on this portal address (replacing its connection); a failure keeps the others. */
  connectLogin(portalAddress: string): ConnectResult;
  /** The origin of an open Bitrix24 portal tab (the active one first), to fill in the portal address. */
  suggestPortal(): string | null;
  /** Opens a portal's start page in a tab (where it asks to sign in): this origin, or the first connected. */
  openPortal(origin: string | null): void;
  /** Disconnects a portal, erasing its records only (null: every portal). */
  disconnect(origin: string | null): void;

  /**
   * Everything the popup shows of a portal (null: the active tab's portal, else the first connected),
   * for the chosen person (null: the portal's remembered choice).
   */
  getPopup(data: { origin: string | null; personId: number | null }): PopupView;
  /** Remembers the popup's Employee choice for that portal; its chips follow it. */
  choosePerson(data: { origin: string; personId: number }): void;
  /** Syncs a portal now (the popup's Refresh button); null: every portal. */
  refresh(origin: string | null): void;
  /** Opens an item's page, in an open tab of its portal when there is one. */
  openItem(url: string): void;
  /** Completes an activity on its portal (Done; for calls: processed). */
  completeActivity(data: { origin: string; activityId: number }): ActionResult;
  /** Moves an activity's deadline. */
  postponeActivity(data: { origin: string; activityId: number; choice: PostponeChoice }): ActionResult;

  /** Whether chips belong on pages of this origin now. */
  chipContext(data: { origin: string }): { enabled: boolean };
  /** The chips of these items, for the chosen person. */
  getChips(data: { origin: string; refs: ItemRef[] }): ChipsAnswer;
  /** A portal page got the focus: sync soon if the data is older than 30 s. */
  portalFocused(data: { origin: string }): void;

  /** A portal's check against its own counters, for the popup's `[data-portal-check]`; null: none to show. */
  getPortalCheck(origin: string | null): PortalCheckView | null;
  /** The options page's "Copy diagnostics": the last two checks and our settings, as text; no secret. */
  getDiagnostics(origin: string | null): string;
  /** The popup's offer: rule and mode back to "As your portal counts" (the page itself never loads the settings module). */
  followPortal(origin: string | null): void;

  /** Background → content scripts and popup: data or choice changed, ask again. */
  chipsChanged(): void;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();
