// The options page's connection: who we are connected as and how, then the
// two ways in: the browser's Bitrix24 login first (no webhook, no
// administrator, every plan), an incoming webhook second. Each form has its
// own role="alert". The administrator's policy (lib/managed.ts) may lock the
// portal and the way in, and have the page connect by itself.
import { useEffect, useId, useState } from 'preact/hooks';
import type { ConnectionView } from '@/lib/connection';
import { formatTime, t } from '@/lib/i18n';
import { autoConnectOrigin, loadManaged, type ManagedSettings, onManagedChanged, policyRefusal } from '@/lib/managed';
import { onMessage, sendMessage } from '@/lib/messaging';
import { LoginForm } from './LoginForm';
import { WebhookForm } from './WebhookForm';

export type Busy = 'idle' | 'connecting' | 'disconnecting';

export function ConnectionCard() {
  const titleId = useId();
  const [connection, setConnection] = useState<ConnectionView | null | undefined>(undefined);
  const [busy, setBusy] = useState<Busy>('idle');
  const [address, setAddress] = useState('');
  const [problem, setProblem] = useState('');
  const [managed, setManaged] = useState<ManagedSettings | undefined>(undefined);
  /** The user disconnected on this page: the policy's login is not tried again by itself until the page is opened again. */
  const [disconnectedHere, setDisconnectedHere] = useState(false);

  useEffect(() => {
    const fetchConnection = () => sendMessage('getConnection', undefined).then(setConnection, () => setConnection(null));
    void fetchConnection();
    // The background may connect by itself (policy): its announcements bring the new connection.
    const stopListening = onMessage('chipsChanged', () => void fetchConnection());
    const fetchManaged = () => void loadManaged().then(setManaged);
    fetchManaged();
    const stopManaged = onManagedChanged(fetchManaged);
    // An open portal tab fills in the address, unless the user typed one meanwhile.
    sendMessage('suggestPortal', undefined).then(
      (origin) => origin && setAddress((typed) => typed || origin),
      () => {},
    );
    return () => {
      stopListening();
      stopManaged();
    };
  }, []);

  async function disconnect() {
    setBusy('disconnecting');
    setProblem('');
    try {
      await sendMessage('disconnect', undefined);
      setDisconnectedHere(true);
      setConnection(null);
    } catch {
      setProblem(t('problemInternal'));
    } finally {
      setBusy('idle');
    }
  }

  const connected = (view: ConnectionView) => setConnection(view);
  // With a policy that names the portal (not the webhook mode), the page tries the login once it knows it is not connected so.
  // Never right after a Disconnect clicked on this page: that would erase the copy and download it all again.
  const autoStart =
    !disconnectedHere &&
    managed !== undefined &&
    connection !== undefined &&
    autoConnectOrigin(managed) !== null &&
    (connection === null || policyRefusal(managed, connection.mode, connection.origin) !== null);
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
      <LoginForm
        address={address}
        setAddress={setAddress}
        busy={busy}
        setBusy={setBusy}
        onConnected={connected}
        managed={managed ?? {}}
        autoStart={autoStart}
        connection={connection}
      />
      <WebhookForm
        busy={busy}
        setBusy={setBusy}
        onConnected={connected}
        offerLogin={(origin) => setAddress(origin)}
        managed={managed ?? {}}
      />
    </section>
  );
}
