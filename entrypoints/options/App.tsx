import { useEffect, useState } from 'preact/hooks';
import { ConnectionCard } from '@/components/connection/ConnectionCard';
import { DiagnosticsCard } from '@/components/DiagnosticsCard';
import { SettingsCard } from '@/components/SettingsCard';
import { t } from '@/lib/i18n';

export function App() {
  return (
    <main class="page">
      <header class="page-header">
        <img src="/icon/48.png" alt="" width={32} height={32} />
        <h1>{t('extName')}</h1>
      </header>
      <ConnectionCard />
      <SettingsCard />
      <DiagnosticsCard />
      <Version />
    </main>
  );
}

function Version() {
  const [version, setVersion] = useState('');
  useEffect(() => setVersion(browser.runtime.getManifest().version), []);
  return <footer class="muted">{t('optionsVersion', [version])}</footer>;
}
