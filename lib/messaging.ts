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
  /** The saved connection, without its secret; null when not connected. */
  getConnection(): ConnectionView | null;
  /** Checks and saves a webhook URL; a failure keeps the previous connection. */
  connect(webhookUrl: string): ConnectResult;
  /** Connects with the browser's Bitrix24 login on this portal address; a failure keeps the previous connection. */
  connectLogin(portalAddress: string): ConnectResult;
  /** The origin of an open Bitrix24 portal tab (the active one first), to fill in the portal address. */
  suggestPortal(): string | null;
  /** Opens a portal's start page in a tab (where it asks to sign in): the connected one, or this origin. */
  openPortal(origin: string | null): void;
  /** Forgets the webhook and erases every CRM record. */
  disconnect(): void;

  /** Everything the popup shows, for the chosen person (null: the remembered choice). */
  getPopup(data: { personId: number | null }): PopupView;
  /** Remembers the popup's Employee choice; chips follow it. */
  choosePerson(personId: number): void;
  /** Syncs now (the popup's Refresh button). */
  refresh(): void;
  /** Opens an item's page, in an open tab of the portal when there is one. */
  openItem(url: string): void;
  /** Completes an activity on the portal (Done; for calls: processed). */
  completeActivity(activityId: number): ActionResult;
  /** Moves an activity's deadline. */
  postponeActivity(data: { activityId: number; choice: PostponeChoice }): ActionResult;

  /** Whether chips belong on pages of this origin now. */
  chipContext(data: { origin: string }): { enabled: boolean };
  /** The chips of these items, for the chosen person. */
  getChips(data: { origin: string; refs: ItemRef[] }): ChipsAnswer;
  /** A portal page got the focus: sync soon if the data is older than 30 s. */
  portalFocused(data: { origin: string }): void;

  /** The check against the portal's own counters, for the popup's `[data-portal-check]`; null: none to show. */
  getPortalCheck(): PortalCheckView | null;
  /** The options page's "Copy diagnostics": the last two checks and our settings, as text; no secret. */
  getDiagnostics(): string;
  /** The popup's offer: rule and mode back to "As your portal counts" (the page itself never loads the settings module). */
  followPortal(): void;

  /** Background → content scripts and popup: data or choice changed, ask again. */
  chipsChanged(): void;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();
