// The options page's connection: paste a webhook URL, Connect, see who you
// are connected as, Disconnect. Failures go into a role="alert".
import { useEffect, useId, useState } from 'preact/hooks';
import { parseWebhookUrl } from '@/lib/bitrix/webhook';
import { problemMessage } from '@/lib/connect-problems';
import type { ConnectionView } from '@/lib/connection';
import { DEMO_WEBHOOK_URL, IS_DEMO_BUILD } from '@/lib/flavour';
import { formatTime, t } from '@/lib/i18n';
import { sendMessage } from '@/lib/messaging';
import { isCoveredByManifest, originPattern } from '@/lib/portal-hosts';

type Busy = 'idle' | 'connecting' | 'disconnecting';

export function ConnectionCard() {
  const inputId = useId();
  const helpId = useId();
  const [connection, setConnection] = useState<ConnectionView | null | undefined>(undefined);
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState<Busy>('idle');
  const [error, setError] = useState('');
  const [note, setNote] = useState('');

  useEffect(() => {
    sendMessage('getConnection', undefined).then(setConnection, () => setConnection(null));
  }, []);

  async function connect(webhookUrl: string) {
    setBusy('connecting');
    setError('');
    setNote('');
    try {
      // A self-hosted portal: ask for its origin now, while the click still counts as the user's gesture.
      const parsed = parseWebhookUrl(webhookUrl);
      if (parsed.ok && !isCoveredByManifest(parsed.webhook.origin, IS_DEMO_BUILD)) {
        const granted = await browser.permissions
          .request({ origins: [originPattern(parsed.webhook.origin)] })
          .catch(() => false);
        if (!granted) setNote(t('selfHostedNoChips'));
      }
      const result = await sendMessage('connect', webhookUrl);
      if (result.ok) {
        setConnection(result.connection);
        setUrl('');
      } else {
        setError(problemMessage(result, t));
      }
    } catch {
      setError(t('problemInternal'));
    } finally {
      setBusy('idle');
    }
  }

  async function disconnect() {
    setBusy('disconnecting');
    setError('');
    try {
      await sendMessage('disconnect', undefined);
      setConnection(null);
    } catch {
      setError(t('problemInternal'));
    } finally {
      setBusy('idle');
    }
  }

  return (
    <section class="card" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`}>{t('connectionTitle')}</h2>
      {connection && (
        <div class="connected">
          <p class="connected-as">
            <strong>{t('connectedAs', [connection.userName])}</strong>
          </p>
          <p class="muted">
            {connection.maskedUrl}
            <br />
            {t('connectedSince', [formatTime(connection.connectedAt)])}
          </p>
          <button type="button" class="secondary" onClick={disconnect} disabled={busy !== 'idle'}>
            {t('disconnect')}
          </button>
        </div>
      )}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void connect(url);
        }}
      >
        <label for={inputId}>{t('webhookUrlLabel')}</label>
        <input
          id={inputId}
          type="url"
          inputMode="url"
          autoComplete="off"
          spellcheck={false}
          placeholder="https://your-company.bitrix24.com/rest/1/abc123def456/"
          value={url}
          aria-describedby={helpId}
          aria-invalid={error ? true : undefined}
          onInput={(event) => setUrl(event.currentTarget.value)}
        />
        <p id={helpId} class="muted help">
          {t('webhookUrlHelp')}
        </p>
        <div class="actions">
          <button type="submit" disabled={busy !== 'idle'}>
            {busy === 'connecting' ? t('connecting') : t('connect')}
          </button>
          {IS_DEMO_BUILD && (
            <button
              type="button"
              class="secondary"
              disabled={busy !== 'idle'}
              onClick={() => {
                setUrl(DEMO_WEBHOOK_URL);
                void connect(DEMO_WEBHOOK_URL);
              }}
            >
              {t('useDemoPortal')}
            </button>
          )}
        </div>
      </form>
      {note && <p class="muted help">{note}</p>}
      <div role="alert" class={error ? 'alert' : 'alert quiet'}>
        {error}
      </div>
    </section>
  );
}
