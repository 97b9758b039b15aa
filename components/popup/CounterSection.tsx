import { useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { PopupEntry, PopupView } from '@/lib/views/popup';
import { ago, due } from '@/lib/views/when';
import { Entry } from './Entry';

const FILTER_FROM = 8;

function matches(entry: PopupEntry, filter: string): boolean {
  if (!filter) return true;
  const needle = filter.toLocaleLowerCase();
  return `${entry.itemTitle} ${entry.subject} ${entry.responsibleName ?? ''}`.toLocaleLowerCase().includes(needle);
}

function timeIn(zone: string) {
  const format = new Intl.DateTimeFormat(browser.i18n.getUILanguage(), {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: zone,
  });
  return (ms: number) => format.format(ms);
}

/** Arrow keys move between the entries of a list. */
function onListKey(event: KeyboardEvent) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const links = [...document.querySelectorAll<HTMLAnchorElement>('.entry:not([hidden]) > a')];
  if (!(event.target instanceof HTMLAnchorElement)) return;
  const at = links.indexOf(document.activeElement as HTMLAnchorElement);
  if (at < 0) return;
  event.preventDefault();
  links[Math.max(0, Math.min(links.length - 1, at + (event.key === 'ArrowDown' ? 1 : -1)))]?.focus();
}

function Filter({ value, onInput, label }: { value: string; onInput: (v: string) => void; label: string }) {
  return (
    <input
      class="filter"
      type="search"
      placeholder={t('popupFilter')}
      aria-label={label}
      value={value}
      onInput={(e) => onInput(e.currentTarget.value)}
    />
  );
}

export function CounterSection({ view }: { kind: 'incoming'; view: PopupView }) {
  const [filter, setFilter] = useState('');
  const entries = view.incoming;
  return (
    <section class="counter incoming" data-counter="incoming" data-count={entries.length}>
      <h2>
        <span class="dot" aria-hidden="true" />
        {t('popupIncoming')} <span class="n">{entries.length}</span>
      </h2>
      {entries.length >= FILTER_FROM && (
        <Filter value={filter} onInput={setFilter} label={t('popupFilterIncoming')} />
      )}
      <ul onKeyDown={onListKey}>
        {entries.map((e) => (
          <Entry
            key={`${e.entityTypeId}:${e.entityId}:${e.activityId}`}
            entry={e}
            when={ago(e.at, view.now)}
            hidden={!matches(e, filter)}
            planned={false}
          />
        ))}
      </ul>
    </section>
  );
}

const GROUPS = [
  ['overdue', 'popupOverdue'],
  ['today', 'popupToday'],
  ['soon', 'popupSoon'],
] as const;

export function PlannedSection({ view }: { view: PopupView }) {
  const [filter, setFilter] = useState('');
  const { planned } = view;
  const count = planned.overdue.length + planned.today.length + planned.soon.length;
  const time = timeIn(view.zone);
  return (
    <section class="counter planned" data-counter="planned" data-count={count}>
      <h2>
        <span class="dot" aria-hidden="true" />
        {t('popupPlanned')} <span class="n">{count}</span>
      </h2>
      {count >= FILTER_FROM && <Filter value={filter} onInput={setFilter} label={t('popupFilterPlanned')} />}
      {GROUPS.map(([group, label]) =>
        planned[group].length === 0 ? null : (
          <div class={`group group-${group}`} key={group}>
            <h3>
              {t(label)} <span class="n">{planned[group].length}</span>
            </h3>
            <ul onKeyDown={onListKey}>
              {planned[group].map((e) => (
                <Entry
                  key={`${e.entityTypeId}:${e.entityId}:${e.activityId}`}
                  entry={e}
                  when={due(group, e.at, view.now, view.todayStart, time)}
                  hidden={!matches(e, filter)}
                  planned
                />
              ))}
            </ul>
          </div>
        ),
      )}
    </section>
  );
}
