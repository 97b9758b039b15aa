import { useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { sendMessage } from '@/lib/messaging';
import type { PopupEntry } from '@/lib/views/popup';
import type { Message } from '@/lib/views/when';
import { EntryActions } from './EntryActions';
import { KindIcon } from './KindIcon';
import { useTriage } from './triage';

const TYPE_KEYS: Record<number, string> = { 1: 'typeLead', 2: 'typeDeal', 3: 'typeContact', 4: 'typeCompany' };

export function entityTypeName(entityTypeId: number): string {
  const key = TYPE_KEYS[entityTypeId];
  return key ? t(key) : t('typeSmartProcess');
}

/** Opens the item in an open portal tab when there is one, and closes the popup. */
export function openItem(url: string, event: MouseEvent | KeyboardEvent) {
  if (event.ctrlKey || event.metaKey || event.shiftKey || ('button' in event && event.button === 1)) return;
  event.preventDefault();
  void sendMessage('openItem', url).then(() => window.close());
}

/** One (item, activity) pair; its element carries the contract's data attributes. Keys: d done, p postpone. */
export function Entry({
  entry,
  when,
  hidden,
  planned,
}: {
  entry: PopupEntry;
  when: Message | null;
  hidden: boolean;
  planned: boolean;
}) {
  const triage = useTriage();
  const [menuOpen, setMenuOpen] = useState(false);
  const onKeyDown = (event: KeyboardEvent) => {
    if (!triage || triage.refused || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'd') {
      event.preventDefault();
      triage.complete(entry);
    } else if (event.key === 'p' && planned) {
      event.preventDefault();
      setMenuOpen(true);
    } else if (event.key === 'Escape' && menuOpen) {
      event.preventDefault();
      event.stopPropagation();
      setMenuOpen(false);
    }
  };
  return (
    <li
      class="entry"
      data-entity-type-id={entry.entityTypeId}
      data-entity-id={entry.entityId}
      data-activity-id={entry.activityId}
      hidden={hidden}
      onKeyDown={onKeyDown}
    >
      <a href={entry.url} target="_blank" rel="noreferrer" onClick={(e) => openItem(entry.url, e)}>
        <KindIcon kind={entry.kind} label={t(`kind_${entry.kind}`)} />
        <span class="text">
          <span class="title">
            {entry.itemTitle}
            <span class="type"> · {entityTypeName(entry.entityTypeId)}</span>
          </span>
          <span class="subject">{entry.subject || t(`kind_${entry.kind}`)}</span>
          <span class="meta">
            {when && <span class={`when when-${when.key}`}>{t(when.key, when.subs)}</span>}
            {entry.responsibleName && <span class="who">{entry.responsibleName}</span>}
          </span>
        </span>
      </a>
      <EntryActions entry={entry} planned={planned} menuOpen={menuOpen} onMenu={setMenuOpen} />
    </li>
  );
}
