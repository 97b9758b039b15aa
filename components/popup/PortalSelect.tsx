import { useId } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { PopupPortal } from '@/lib/views/popup';

/** The Portal selector (two or more portals): value = the portal's origin, text = its host and its user's All. */
export function PortalSelect(props: { portals: PopupPortal[]; value: string; onChange: (origin: string) => void }) {
  const id = useId();
  return (
    <div class="employee portal">
      <label for={id}>{t('popupPortal')}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {props.portals.map((p) => (
          <option key={p.origin} value={p.origin}>
            {p.all === null ? p.host : `${p.host} (${p.all})`}
          </option>
        ))}
      </select>
    </div>
  );
}
