// "Connect" with an incoming webhook: for paid portals, self-hosted ones, and
// a connection that does not follow the browser's login. Refused by the plan
// or the subscription, it offers the login mode (the address is filled in).
import { useId, useState } from 'preact/hooks';
import { parseWebhookUrl } from '@/lib/bitrix/webhook';
import { loginWouldHelp, problemMessage } from '@/lib/connect-problems';
import type { ConnectionView } from '@/lib/connection';
import { DEMO_WEBHOOK_URL, IS_DEMO_BUILD } from '@/lib/flavour';
import { t } from '@/lib/i18n';
import type { ManagedSettings } from '@/lib/managed';
import { sendMessage } from '@/lib/messaging';
import type { Busy } from './ConnectionCard';
import { requestHostPermission } from './host-permission';

interface Props {
  busy: Busy;
  setBusy: (busy: Busy) => void;
  onConnected: (view: ConnectionView) => void;
  /** The webhook's portal, for the login form, when the login mode would do better. */
  offerLogin: (origin: string) => void;
  /** The administrator's policy: the login mode only turns this form off. */
  managed: ManagedSettings;
}

export function WebhookForm({ busy, setBusy, onConnected, offerLogin, managed }: Props) {
  const off = managed.connectionMode === 'login';
  const inputId = useId();
  const helpId = useId();
  const [url, setUrl] = useState('');
  const [error, setError] = useState('');
  const [note, setNote] = useState('');

  async function connect(webhookUrl: string) {
    const parsed = parseWebhookUrl(webhookUrl);
    // A portal the manifest does not cover: asked for now, while the click still counts as the user's gesture.
    const permitted = parsed.ok ? requestHostPermission(parsed.webhook.origin) : Promise.resolve(true);
    setBusy('connecting');
    setError('');
    setNote('');
    try {
      if (!(await permitted)) setNote(t('selfHostedNoChips'));
      const result = await sendMessage('connect', webhookUrl);
      if (result.ok) {
        onConnected(result.connection);
        setUrl('');
      } else {
        setError(problemMessage(result, t));
        if (parsed.ok && loginWouldHelp(result.problem) && managed.connectionMode !== 'webhook') offerLogin(parsed.webhook.origin);
      }
    } catch {
      setError(t('problemInternal'));
    } finally {
      setBusy('idle');
    }
  }

  return (
    <form
      class="connect-form webhook"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void connect(url);
      }}
    >
      <h3>{t('webhookTitle')}</h3>
      <fieldset class="plain" disabled={off}>
        {off && <p class="muted help managed">{t('managedModeOff')}</p>}
        <p class="muted help">{t('webhookWhen')}</p>
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
      </fieldset>
      {note && <p class="muted help">{note}</p>}
      <div role="alert" class={error ? 'alert' : 'alert quiet'}>
        {error}
      </div>
    </form>
  );
}
