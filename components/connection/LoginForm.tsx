// "Use my Bitrix24 login": the portal's address, and the browser's own
// session on it. Signed out: the alert offers to open the portal, where it
// asks to sign in; pressing the button again then connects.
import { useId, useState } from 'preact/hooks';
import { parsePortalAddress } from '@/lib/bitrix/portal-address';
import { type ConnectFailure, type ConnectionView } from '@/lib/connection';
import { problemMessage } from '@/lib/connect-problems';
import { t } from '@/lib/i18n';
import { sendMessage } from '@/lib/messaging';
import type { Busy } from './ConnectionCard';
import { requestHostPermission } from './host-permission';

interface Props {
  address: string;
  setAddress: (address: string) => void;
  busy: Busy;
  setBusy: (busy: Busy) => void;
  onConnected: (view: ConnectionView) => void;
}

export function LoginForm({ address, setAddress, busy, setBusy, onConnected }: Props) {
  const inputId = useId();
  const helpId = useId();
  const [failure, setFailure] = useState<ConnectFailure | null>(null);
  const [internal, setInternal] = useState(false);

  async function connect() {
    const parsed = parsePortalAddress(address);
    // Asked for first, while the click still counts as the user's gesture; the login needs it.
    const permitted = parsed.ok ? requestHostPermission(parsed.origin) : Promise.resolve(true);
    setBusy('connecting');
    setFailure(null);
    setInternal(false);
    try {
      if (!(await permitted)) {
        setFailure({ ok: false, problem: 'hostRefused' });
        return;
      }
      const result = await sendMessage('connectLogin', address);
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
        void connect();
      }}
    >
      <h3>{t('loginTitle')}</h3>
      <label for={inputId}>{t('portalAddressLabel')}</label>
      <input
        id={inputId}
        type="url"
        inputMode="url"
        autoComplete="url"
        spellcheck={false}
        placeholder="your-company.bitrix24.com"
        value={address}
        aria-describedby={helpId}
        aria-invalid={message ? true : undefined}
        onInput={(event) => setAddress(event.currentTarget.value)}
      />
      <p id={helpId} class="muted help">
        {t('portalAddressHelp')}
      </p>
      <div class="actions">
        <button type="submit" disabled={busy !== 'idle'}>
          {busy === 'connecting' ? t('connecting') : t('useLogin')}
        </button>
      </div>
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
