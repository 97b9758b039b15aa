import { syncProblemMessage } from '@/lib/connect-problems';
import { formatTime, t } from '@/lib/i18n';
import type { PopupView } from '@/lib/views/popup';

/** Last sync time, progress, staleness and the Refresh button. */
export function StatusLine({ view, onRefresh }: { view: PopupView; onRefresh: () => void }) {
  const { status } = view;
  let text: string;
  if (status.progress && status.phase === 'firstSync') {
    const { done, total } = status.progress;
    text = total ? t('popupProgress', [String(done), String(total)]) : t('popupProgressUnknown', [String(done)]);
  } else if (status.lastSyncAt) {
    text = t('popupLastSync', [formatTime(status.lastSyncAt, view.now)]);
  } else {
    text = t('popupFirstSync');
  }
  return (
    <div class={status.stale ? 'status stale' : 'status'}>
      <span>{text}</span>
      {status.error && view.totals && (
        <span class="problem" role="alert">
          {syncProblemMessage(status.error.kind, t, 'crm')}
        </span>
      )}
      <button type="button" class="link" onClick={onRefresh} title={t('popupRefresh')} aria-label={t('popupRefresh')}>
        ↻
      </button>
    </div>
  );
}
