// The one typed protocol between the background and the extension's pages
// (and, later, content scripts). Nothing in it carries the webhook secret.
import { defineExtensionMessaging } from '@webext-core/messaging';
import type { ConnectionView, ConnectResult } from './connection';

export interface ProtocolMap {
  /** The saved connection, without its secret; null when not connected. */
  getConnection(): ConnectionView | null;
  /** Checks and saves a webhook URL; a failure keeps the previous connection. */
  connect(webhookUrl: string): ConnectResult;
  /** Forgets the webhook and erases every CRM record. */
  disconnect(): void;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();
