// Done / Postpone from the popup: optimistic (the entry leaves at once), rolled
// back with the reason when the portal refuses.
import { createContext } from 'preact';
import { useCallback, useContext, useMemo, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { sendMessage } from '@/lib/messaging';
import type { PostponeChoice } from '@/lib/triage';
import type { PopupEntry, PopupView } from '@/lib/views/popup';

export interface Triage {
  /** Entries being completed or postponed: not shown meanwhile. */
  leaving: ReadonlySet<number>;
  /** The portal refused a write before: buttons explain instead. */
  refused: boolean;
  problem: string;
  complete(entry: PopupEntry): void;
  postpone(entry: PopupEntry, choice: PostponeChoice): void;
}

export const TriageContext = createContext<Triage | null>(null);

export function useTriage(): Triage | null {
  return useContext(TriageContext);
}

const PROBLEM_KEYS: Record<string, string> = {
  denied: 'actionDenied',
  missingScope: 'actionDenied',
  notFound: 'actionNotFound',
  unreachable: 'problemUnreachable',
  timeout: 'problemTimeout',
  rateLimit: 'problemBusy',
  timeLimit: 'problemBusy',
  badCredentials: 'problemBadCredentials',
};

export function useTriageState(view: PopupView | null): Triage {
  const [leaving, setLeaving] = useState<ReadonlySet<number>>(new Set());
  const [problem, setProblem] = useState('');
  const [refusedNow, setRefusedNow] = useState(false);

  const run = useCallback((entry: PopupEntry, action: () => Promise<{ ok: boolean; problem?: string }>) => {
    setProblem('');
    setLeaving((s) => new Set(s).add(entry.activityId));
    const back = (reason: string) => {
      setLeaving((s) => {
        const next = new Set(s);
        next.delete(entry.activityId);
        return next;
      });
      setProblem(reason);
    };
    action().then(
      (result) => {
        if (result.ok) return;
        if (result.problem === 'denied' || result.problem === 'missingScope') setRefusedNow(true);
        back(t(PROBLEM_KEYS[result.problem ?? ''] ?? 'actionFailed'));
      },
      () => back(t('actionFailed')),
    );
  }, []);

  return useMemo(
    () => ({
      leaving,
      refused: refusedNow || (view?.writesRefused ?? false),
      problem,
      complete: (entry) => run(entry, () => sendMessage('completeActivity', { origin: new URL(entry.url).origin, activityId: entry.activityId })),
      postpone: (entry, choice) =>
        run(entry, () => sendMessage('postponeActivity', { origin: new URL(entry.url).origin, activityId: entry.activityId, choice })),
    }),
    [leaving, refusedNow, view?.writesRefused, problem, run],
  );
}
