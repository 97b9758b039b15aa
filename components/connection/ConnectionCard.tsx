// The options page's connection: who we are connected as and how, then the
// two ways in: the browser's Bitrix24 login first (no webhook, no
// administrator, every plan), an incoming webhook second. Each form has its
// own role="alert".
import { useEffect, useId, useState } from 'preact/hooks';
import type { ConnectionView } from '@/lib/connection';
import { formatTime, t } from '@/lib/i18n';
import { sendMessage } from '@/lib/messaging';
import { LoginForm } from './LoginForm';
import { WebhookForm } from './WebhookForm';

export type Busy = 'idle' | 'connecting' | 'disconnecting';

export function ConnectionCard() {
  const titleId = useId();
  const [connection, setConnection] = useState<ConnectionView | null | undefined>(undefined);
  const [busy, setBusy] = useState<Busy>('idle');
  const [address, setAddress] = useState('');
  const [problem, setProblem] = useState('');

  useEffect(() => {
    sendMessage('getConnection', undefined).then(setConnection, () => setConnection(null));
    // An open portal tab fills in the address, unless the user typed one meanwhile.
    sendMessage('suggestPortal', undefined).then(
      (origin) => origin && setAddress((typed) => typed || origin),
      () => {},
    );
  }, []);

  async function disconnect() {
    setBusy('disconnecting');
    setProblem('');
    try {
      await sendMessage('disconnect', undefined);
      setConnection(null);
    } catch {
      setProblem(t('problemInternal'));
    } finally {
      setBusy('idle');
    }
  }

  const connected = (view: ConnectionView) => setConnection(view);
  return (
    <section class="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('connectionTitle')}</h2>
      {connection && (
        <div class="connected">
          <p class="connected-as">
            <strong>{t('connectedAs', [connection.userName])}</strong>
          </p>
          <p class="muted">
            {connection.maskedUrl ?? t('connectedWithLogin', [new URL(connection.origin).host])}
            <br />
            {t('connectedSince', [formatTime(connection.connectedAt)])}
          </p>
          <button type="button" class="secondary" onClick={disconnect} disabled={busy !== 'idle'}>
            {t('disconnect')}
          </button>
          {problem && <p class="muted help">{problem}</p>}
        </div>
      )}
      <LoginForm address={address} setAddress={setAddress} busy={busy} setBusy={setBusy} onConnected={connected} />
      <WebhookForm busy={busy} setBusy={setBusy} onConnected={connected} offerLogin={(origin) => setAddress(origin)} />
    </section>
  );
}
