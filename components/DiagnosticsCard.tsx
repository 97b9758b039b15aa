// The options page's "Copy diagnostics": the last two checks against the
// portal's own counters (both sides' numbers per type) and the counting
// settings, as text for a report; no secret (lib/background/portal-check.ts).
// With several portals, the one the settings card shows.
import { useEffect, useId, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { sendMessage } from '@/lib/messaging';

/** `origin`: whose report (null: the first connected portal's). */
export function DiagnosticsCard(props: { origin: string | null }) {
  const id = useId();
  const [text, setText] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  // Another portal chosen: the report shown was the other one's.
  useEffect(() => {
    setText(null);
    setCopied(false);
  }, [props.origin]);

  const copy = async () => {
    const report = await sendMessage('getDiagnostics', props.origin);
    setText(report);
    try {
      await navigator.clipboard.writeText(report);
      setCopied(true);
    } catch (error) {
      // No clipboard (a page without focus, say): the text below can be copied by hand.
      console.info('clipboard', error);
      setCopied(false);
    }
  };

  return (
    <section class="card diagnostics" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('diagnosticsTitle')}</h2>
      <p class="muted help">{t('diagnosticsHelp')}</p>
      <button type="button" onClick={() => void copy()}>
        {t('diagnosticsCopy')}
      </button>
      <span role="status">{copied ? ` ${t('diagnosticsCopied')}` : ''}</span>
      {text !== null && <textarea readOnly rows={8} aria-label={t('diagnosticsTitle')} value={text} data-diagnostics="" />}
    </section>
  );
}
