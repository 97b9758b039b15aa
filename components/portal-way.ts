// Words for a way of counting and for entity types, shared by the popup's
// check line and the settings (no page imports the other's module).
import type { Way } from '@/lib/counters/agreement';
import { t } from '@/lib/i18n';

const TYPE_KEYS: Record<number, string> = { 1: 'settingsTypeLeads', 2: 'settingsTypeDeals', 3: 'settingsTypeContacts', 4: 'settingsTypeCompanies' };

export function typeName(entityTypeId: number): string {
  const key = TYPE_KEYS[entityTypeId];
  return key ? t(key) : t('portalCheckSmartType', [String(entityTypeId)]);
}

export const ruleWord = (way: Way) => t(way.litRule === 'lightTime' ? 'wayLightTime' : 'wayDay');
export const modeWord = (way: Way) => t(way.mode === 'activity' ? 'wayActivity' : 'wayItem');
