// The popup's line about the portal's own counters (contract, "Agreement with
// the portal's own counters"): `[data-portal-check]` with `data-state` match,
// differs or checking; nothing when the portal does not answer (unavailable).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { modeWord, ruleWord, typeName } from '@/components/portal-way';
import type { PortalCheckView } from '@/lib/background/portal-check';
import { t } from '@/lib/i18n';
import { sendMessage } from '@/lib/messaging';

function pairText(ours: { incoming: number; planned: number }, portal: { incoming: number; planned: number }): string {
  const parts: string[] = [];
  if (ours.incoming !== portal.incoming) parts.push(t('portalCheckDiffIncoming', [String(ours.incoming), String(portal.incoming)]));
  if (ours.planned !== portal.planned) parts.push(t('portalCheckDiffPlanned', [String(ours.planned), String(portal.planned)]));
  return parts.join('; ');
}

/** `changed`: the popup's view, reloaded on every change announced (one listener per message type: the popup's). */
export function PortalCheckLine({ changed, origin }: { changed: unknown; origin: string }) {
  const [view, setView] = useState<PortalCheckView | null>(null);
  const load = useCallback(() => {
    void sendMessage('getPortalCheck', origin).then(setView, () => setView(null));
  }, [origin]);
  useEffect(load, [load, changed]);
  if (!view) return null;

  const text =
    view.state === 'match' ? t('portalCheckMatch') : view.state === 'checking' ? t('portalCheckChecking') : t('portalCheckDiffers');
  // Types, and deal pipelines asked to locate a difference, that did not answer: named, left out.
  const skipped = [
    ...view.skipped.map((s) => typeName(s.entityTypeId)),
    ...view.pipelines.filter((p) => p.portal === null).map((p) => `${typeName(2)}, ${t('portalCheckPipeline', [p.name ?? String(p.categoryId)])}`),
  ].join('; ');
  return (
    <div class={`portal-check ${view.state}`} data-portal-check="" data-state={view.state} role="status">
      <span>{text}</span>
      {view.state === 'differs' && (
        <ul>
          {view.differences.map((d) => (
            <li key={d.entityTypeId} data-entity-type-id={d.entityTypeId}>
              {typeName(d.entityTypeId)}: {pairText(d.ours, d.portal)}
            </li>
          ))}
          {view.pipelines.map(
            (p) =>
              p.portal && (
                <li key={`c${p.categoryId}`}>
                  {typeName(2)}, {t('portalCheckPipeline', [p.name ?? String(p.categoryId)])}: {pairText(p.ours, p.portal)}
                </li>
              ),
          )}
        </ul>
      )}
      {view.offer && (
        <p class="offer">
          {t('portalCheckOffer', [ruleWord(view.offer), modeWord(view.offer)])}{' '}
          <button type="button" class="link" onClick={() => void sendMessage('followPortal', origin)}>
            {t('portalCheckFollow')}
          </button>
        </p>
      )}
      {skipped && <small class="skipped">{t('portalCheckSkipped', [skipped])}</small>}
    </div>
  );
}
