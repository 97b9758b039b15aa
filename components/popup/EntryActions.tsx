// The Done and Postpone buttons of one entry (keys: d, p).
import { useEffect, useRef } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { POSTPONE_CHOICES, type PostponeChoice } from '@/lib/triage';
import type { PopupEntry } from '@/lib/views/popup';
import { useTriage } from './triage';

const CHOICE_KEYS: Record<PostponeChoice, string> = {
  hour: 'postponeHour',
  tomorrow: 'postponeTomorrow',
  nextMonday: 'postponeNextMonday',
};

export function EntryActions({ entry, planned, menuOpen, onMenu }: {
  entry: PopupEntry;
  planned: boolean;
  menuOpen: boolean;
  onMenu: (open: boolean) => void;
}) {
  const triage = useTriage();
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (menuOpen) first.current?.focus();
  }, [menuOpen]);
  if (!triage) return null;
  const title = triage.refused ? t('actionDeniedShort') : undefined;
  const doneLabel = entry.kind === 'call' || entry.kind === 'missedCall' ? t('actionProcessed') : t('actionDone');
  return (
    <span class="actions">
      <button
        type="button"
        class="act"
        aria-label={`${doneLabel}: ${entry.subject || entry.itemTitle}`}
        title={title ?? `${doneLabel} (d)`}
        aria-disabled={triage.refused}
        onClick={() => (triage.refused ? undefined : triage.complete(entry))}
      >
        ✓
      </button>
      {planned && (
        <button
          type="button"
          class="act"
          aria-label={`${t('actionPostpone')}: ${entry.subject || entry.itemTitle}`}
          title={title ?? `${t('actionPostpone')} (p)`}
          aria-disabled={triage.refused}
          aria-expanded={menuOpen}
          onClick={() => (triage.refused ? undefined : onMenu(!menuOpen))}
        >
          ⏱
        </button>
      )}
      {menuOpen && (
        <span class="menu" role="menu">
          {POSTPONE_CHOICES.map((choice, i) => (
            <button
              key={choice}
              ref={i === 0 ? first : undefined}
              type="button"
              role="menuitem"
              onClick={() => {
                onMenu(false);
                triage.postpone(entry, choice);
              }}
            >
              {t(CHOICE_KEYS[choice])}
            </button>
          ))}
        </span>
      )}
    </span>
  );
}
