// The connected portals' slots for the options page, kept in step with the
// registry in storage.local (lib/store/portals.ts): the settings and the
// diagnostics are per portal once there are two or more.
import { useEffect, useState } from 'preact/hooks';
import { type PortalSlot, REGISTRY_KEY, readRegistry } from '@/lib/store/portals';

export function usePortalSlots(): PortalSlot[] {
  const [slots, setSlots] = useState<PortalSlot[]>([]);
  useEffect(() => {
    const read = () => void readRegistry().then((stored) => setSlots(stored ?? []), (error) => console.warn('portals', error));
    read();
    const changed = (changes: Record<string, unknown>, area: string) => {
      if (area === 'local' && REGISTRY_KEY in changes) read();
    };
    browser.storage.onChanged.addListener(changed);
    return () => browser.storage.onChanged.removeListener(changed);
  }, []);
  return slots;
}
