import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { CounterSection, PlannedSection } from '@/components/popup/CounterSection';
import { EmployeeSelect } from '@/components/popup/EmployeeSelect';
import { Extras } from '@/components/popup/Extras';
import { PortalCheckLine } from '@/components/popup/PortalCheck';
import { PortalSelect } from '@/components/popup/PortalSelect';
import { SignInButton, StatusLine } from '@/components/popup/StatusLine';
import { TriageContext, useTriageState } from '@/components/popup/triage';
import { needsSignIn, syncProblemMessage } from '@/lib/connect-problems';
import { t } from '@/lib/i18n';
import { onMessage, sendMessage } from '@/lib/messaging';
import type { PopupView } from '@/lib/views/popup';

export function App() {
  const [view, setView] = useState<PopupView | null>(null);
  const [failed, setFailed] = useState(false);
  const triage = useTriageState(view);

  /** The portal shown (null until the first answer: the background picks the active tab's, else the first). */
  const origin = useRef<string | null>(null);
  const load = useCallback(async (personId: number | null = null) => {
    try {
      const next = await sendMessage('getPopup', { origin: origin.current, personId });
      origin.current = next.connection?.origin ?? null;
      setView(next);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);

  useEffect(() => {
    void load();
    return onMessage('chipsChanged', () => void load());
  }, [load]);

  const choosePortal = (next: string) => {
    origin.current = next;
    void load();
  };
  // With two or more portals, the Portal select comes first; everything below it is that portal's.
  const portalSelect =
    view && view.portals.length > 1 && view.connection ? (
      <PortalSelect portals={view.portals} value={view.connection.origin} onChange={choosePortal} />
    ) : null;

  useEffect(() => {
    if (view?.totals) performance.mark('popup-counts-painted');
  }, [view]);

  if (failed) return <Message text={t('popupInternalError')} />;
  if (!view) return <div class="popup loading" aria-busy="true" />;
  if (!view.connection) {
    return (
      <Message text={t('popupNotConnected')}>
        <button type="button" onClick={() => void browser.runtime.openOptionsPage().then(() => window.close())}>
          {t('popupOpenOptions')}
        </button>
      </Message>
    );
  }

  const shownOrigin = view.connection.origin;
  const refresh = () => void sendMessage('refresh', shownOrigin);
  if (!view.totals || view.personId === null) {
    return (
      <main class="popup">
        {portalSelect && <header class="popup-header">{portalSelect}</header>}
        <StatusLine view={view} onRefresh={refresh} />
        {view.status.phase === 'failing' ? (
          <Message text={view.status.error ? syncProblemMessage(view.status.error.kind, t, 'crm') : t('popupSyncFailed')}>
            {needsSignIn(view.status.error?.kind) ? (
              <SignInButton origin={shownOrigin} />
            ) : (
              <button type="button" onClick={refresh}>
                {t('popupRetry')}
              </button>
            )}
          </Message>
        ) : (
          <Message text={t('popupFirstSync')} />
        )}
      </main>
    );
  }

  const choose = (personId: number) => {
    void sendMessage('choosePerson', { origin: shownOrigin, personId });
    void load(personId);
  };
  const shown = withoutLeaving(view, triage.leaving);
  const nothing = shown.incoming.length + plannedCount(shown) === 0;
  return (
    <TriageContext.Provider value={triage}>
      <main class="popup">
        {portalSelect && <header class="popup-header">{portalSelect}</header>}
        <header class="popup-header">
          <EmployeeSelect people={view.people} value={view.personId} onChange={choose} />
        </header>
        <StatusLine view={view} onRefresh={refresh} />
        <PortalCheckLine changed={view} origin={shownOrigin} />
        <div role="alert" class={triage.problem ? 'action-problem' : 'action-problem quiet'}>
          {triage.problem}
        </div>
        {nothing && <p class="nothing">{t('popupNothingToDo')}</p>}
        <CounterSection kind="incoming" view={shown} />
        <PlannedSection view={shown} />
        <Extras view={view} />
      </main>
    </TriageContext.Provider>
  );
}

/** The view without the entries being completed or postponed (they leave at once; a failure brings them back). */
function withoutLeaving(view: PopupView, leaving: ReadonlySet<number>): PopupView {
  if (leaving.size === 0) return view;
  const keep = (list: PopupView['incoming']) => list.filter((e) => !leaving.has(e.activityId));
  return {
    ...view,
    incoming: keep(view.incoming),
    planned: { overdue: keep(view.planned.overdue), today: keep(view.planned.today), soon: keep(view.planned.soon) },
  };
}

function plannedCount(view: PopupView): number {
  return view.planned.overdue.length + view.planned.today.length + view.planned.soon.length;
}

function Message({ text, children }: { text: string; children?: preact.ComponentChildren }) {
  return (
    <div class="popup message" role="status">
      <p>{text}</p>
      {children}
    </div>
  );
}
