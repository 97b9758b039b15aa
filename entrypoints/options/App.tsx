import { useEffect, useState } from 'preact/hooks';
import { ConnectionCard } from '@/components/connection/ConnectionCard';
import { DiagnosticsCard } from '@/components/DiagnosticsCard';
import { usePortalSlots } from '@/components/portal-slots';
import { SettingsCard } from '@/components/SettingsCard';
import { t } from '@/lib/i18n';

export function App() {
  const slots = usePortalSlots();
  /** The portal whose own settings (and diagnostics) the page shows: the first connected until the user chooses. */
  const [chosen, setChosen] = useState<string | null>(null);
  const slot = slots.find((s) => s.origin === chosen) ?? slots[0] ?? null;
  return (
    <main class="page">
      <header class="page-header">
        <img src="/icon/48.png" alt="" width={32} height={32} />
        <h1>{t('extName')}</h1>
      </header>
      <ConnectionCard />
      <SettingsCard slots={slots} slot={slot} onChooseSlot={setChosen} />
      <DiagnosticsCard origin={slot?.origin ?? null} />
      <Version />
    </main>
  );
}

function Version() {
  const [version, setVersion] = useState('');
  useEffect(() => setVersion(browser.runtime.getManifest().version), []);
  return <footer class="muted">{t('optionsVersion', [version])}</footer>;
}
