// The options page's connections: each portal, who we are connected as there
// and how, with its Disconnect; then the two ways in (which add a portal, or
// replace the connection of one already there): the browser's Bitrix24 login
// first (no webhook, no administrator, every plan), an incoming webhook
// second. Each form has its own role="alert". The administrator's policy
// (lib/managed.ts) may lock the portal and the way in, and have the page
// connect by itself.
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
  const [connections, setConnections] = useState<ConnectionView[] | undefined>(undefined);
  const [busy, setBusy] = useState<Busy>('idle');
  const [address, setAddress] = useState('');
  const [problem, setProblem] = useState('');
  const [managed, setManaged] = useState<ManagedSettings | undefined>(undefined);
  /** The user disconnected on this page: the policy's login is not tried again by itself until the page is opened again. */
  const [disconnectedHere, setDisconnectedHere] = useState(false);

  useEffect(() => {
    const fetchConnection = () => sendMessage('getConnections', undefined).then(setConnections, () => setConnections([]));
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

  async function disconnect(origin: string) {
    setBusy('disconnecting');
    setProblem('');
    try {
      await sendMessage('disconnect', origin);
      setDisconnectedHere(true);
      setConnections((list) => list?.filter((c) => c.origin !== origin));
    } catch {
      setProblem(t('problemInternal'));
    } finally {
      setBusy('idle');
    }
  }

  // A connection replaces its origin's, and a new origin comes last.
  const connected = (view: ConnectionView) =>
    setConnections((list) => {
      const others = (list ?? []).filter((c) => c.origin !== view.origin);
      return list?.some((c) => c.origin === view.origin) ? (list ?? []).map((c) => (c.origin === view.origin ? view : c)) : [...others, view];
    });
  // The newest connection: a success (here, or the background's auto-connect) clears the login form's alert.
  const latest = connections?.reduce<ConnectionView | null>((a, c) => (a === null || c.connectedAt > a.connectedAt ? c : a), null);
  // With a policy that names the portal (not the webhook mode), the page tries the login once it knows it is not connected so.
  // Never right after a Disconnect clicked on this page: that would erase the copy and download it all again.
  const policyOrigin = managed === undefined ? null : autoConnectOrigin(managed);
  const policyConnection = connections?.find((c) => c.origin === policyOrigin) ?? null;
  const autoStart =
    !disconnectedHere &&
    managed !== undefined &&
    connections !== undefined &&
    policyOrigin !== null &&
    (policyConnection === null || policyRefusal(managed, policyConnection.mode, policyConnection.origin) !== null);
  const several = (connections?.length ?? 0) > 1;
  return (
    <section class="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('connectionTitle')}</h2>
      {connections?.map((connection) => {
        const host = new URL(connection.origin).host;
        return (
          <div class="connected" key={connection.origin} data-origin={connection.origin}>
            <p class="connected-as">
              <strong>{t('connectedAs', [connection.userName])}</strong>
            </p>
            <p class="muted">
              {connection.maskedUrl ?? t('connectedWithLogin', [host])}
              <br />
              {t('connectedSince', [formatTime(connection.connectedAt)])}
            </p>
            <button type="button" class="secondary" onClick={() => void disconnect(connection.origin)} disabled={busy !== 'idle'}>
              {several ? t('disconnectHost', [host]) : t('disconnect')}
            </button>
          </div>
        );
      })}
      {problem && <p class="muted help">{problem}</p>}
      {connections && connections.length > 0 && <h3 class="connect-another">{t('connectAnother')}</h3>}
      <LoginForm
        address={address}
        setAddress={setAddress}
        busy={busy}
        setBusy={setBusy}
        onConnected={connected}
        managed={managed ?? {}}
        autoStart={autoStart}
        connection={latest ?? null}
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
