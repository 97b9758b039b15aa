import { useId } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { PopupPerson } from '@/lib/views/popup';

/** The Employee selector: value = Bitrix24 user ID, text = full name and All count. */
export function EmployeeSelect(props: { people: PopupPerson[]; value: number; onChange: (id: number) => void }) {
  const id = useId();
  return (
    <div class="employee">
      <label for={id}>{t('popupEmployee')}</label>
      <select id={id} value={String(props.value)} onChange={(e) => props.onChange(Number(e.currentTarget.value))}>
        {props.people.map((p) => (
          <option key={p.id} value={String(p.id)}>
            {`${p.fullName} (${p.all})`}
          </option>
        ))}
      </select>
    </div>
  );
}
