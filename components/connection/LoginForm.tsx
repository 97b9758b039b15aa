// "Use my Bitrix24 login": the portal's address, and the browser's own
// session on it. Signed out: the alert offers to open the portal, where it
// asks to sign in; pressing the button again then connects. An
// administrator's policy may fix the address (locked), turn this way off, or
// have the page try by itself when it opens (auto-connect).
import { useEffect, useId, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { parsePortalAddress } from '@/lib/bitrix/portal-address';
import type { ConnectFailure, ConnectionView } from '@/lib/connection';
import { problemMessage } from '@/lib/connect-problems';
import { t } from '@/lib/i18n';
import type { ManagedSettings } from '@/lib/managed';
import { sendMessage } from '@/lib/messaging';
import { originPattern } from '@/lib/portal-hosts';
import type { Busy } from './ConnectionCard';
import { requestHostPermission } from './host-permission';

interface Props {
  address: string;
  setAddress: (address: string) => void;
  busy: Busy;
  setBusy: (busy: Busy) => void;
  onConnected: (view: ConnectionView) => void;
  managed: ManagedSettings;
  /** The policy asks to connect by itself: try once when the page opens, as if the button were pressed. */
  autoStart: boolean;
  /** The connection now (it may come from the background's auto-connect): a success clears the alert. */
  connection: ConnectionView | null | undefined;
}

export function LoginForm({ address, setAddress, busy, setBusy, onConnected, managed, autoStart, connection }: Props) {
  const inputId = useId();
  const helpId = useId();
  const [failure, setFailure] = useState<ConnectFailure | null>(null);
  const [internal, setInternal] = useState(false);
  const off = managed.connectionMode === 'webhook';
  const fixed = managed.portalAddress !== undefined;

  useEffect(() => {
    if (autoStart && managed.portalAddress) void connect(managed.portalAddress, true);
  }, [autoStart, managed.portalAddress]);

  useEffect(() => {
    if (connection) setFailure(null);
  }, [connection?.origin, connection?.connectedAt]);

  async function connect(input = address, auto = false) {
    const parsed = parsePortalAddress(input);
    // Asked for first, while the click still counts as the user's gesture; the login needs it. A try by
    // itself cannot ask: without the permission it waits for the click.
    const permitted = !parsed.ok
      ? Promise.resolve(true)
      : auto
        ? browser.permissions.contains({ origins: [originPattern(parsed.origin)] })
        : requestHostPermission(parsed.origin);
    if (auto && !(await permitted)) return;
    setBusy('connecting');
    setFailure(null);
    setInternal(false);
    try {
      if (!(await permitted)) {
        setFailure({ ok: false, problem: 'hostRefused' });
        return;
      }
      const result = await sendMessage('connectLogin', input);
      if (result.ok) onConnected(result.connection);
      else setFailure(result);
    } catch {
      setInternal(true);
    } finally {
      setBusy('idle');
    }
  }

  const message = internal ? t('problemInternal') : failure ? problemMessage(failure, t) : '';
  const signInAt = failure?.problem === 'signedOut' ? (failure.origin ?? null) : null;
  return (
    <form
      class="connect-form login"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void connect(fixed ? managed.portalAddress : address);
      }}
    >
      <h3>{t('loginTitle')}</h3>
      <fieldset class="plain" disabled={off}>
        {off && <p class="muted help managed">{t('managedModeOff')}</p>}
        <label for={inputId}>{t('portalAddressLabel')}</label>
        <input
          id={inputId}
          type="url"
          inputMode="url"
          autoComplete="url"
          spellcheck={false}
          placeholder="your-company.bitrix24.com"
          value={fixed ? managed.portalAddress : address}
          readOnly={fixed}
          aria-describedby={helpId}
          aria-invalid={message ? true : undefined}
          onInput={(event) => setAddress(event.currentTarget.value)}
        />
        <p id={helpId} class="muted help">
          {fixed ? t('managedLocked') : t('portalAddressHelp')}
        </p>
        <div class="actions">
          <button type="submit" disabled={busy !== 'idle'}>
            {busy === 'connecting' ? t('connecting') : t('useLogin')}
          </button>
        </div>
      </fieldset>
      <div role="alert" class={message ? 'alert' : 'alert quiet'}>
        {message}
        {signInAt && (
          <button type="button" class="secondary alert-action" onClick={() => void sendMessage('openPortal', signInAt)}>
            {t('signIn')}
          </button>
        )}
      </div>
    </form>
  );
}
