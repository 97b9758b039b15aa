import { needsSignIn, syncProblemMessage } from '@/lib/connect-problems';
import { sendMessage } from '@/lib/messaging';
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
          {needsSignIn(status.error.kind) && <SignInButton origin={view.connection?.origin ?? null} />}
        </span>
      )}
      <button type="button" class="link" onClick={onRefresh} title={t('popupRefresh')} aria-label={t('popupRefresh')}>
        ↻
      </button>
    </div>
  );
}

/** Opens the connected portal in a tab, where it asks the user to sign in. */
/** Opens the portal shown (null: the first connected), where it asks to sign in. */
export function SignInButton({ origin }: { origin: string | null }) {
  return (
    <>
      <button type="button" class="link sign-in" onClick={() => void sendMessage('openPortal', origin).then(() => window.close())}>
        {t('popupSignIn')}
      </button>
      {/* A browser that stops sending the portal's cookies to extensions looks signed out forever: say so. */}
      <small class="sign-in-hint">{t('popupCookiesHint')}</small>
    </>
  );
}
