import { t } from '@/lib/i18n';
import type { PopupView } from '@/lib/views/popup';
import { entityTypeName, openItem } from './Entry';

/** Colleagues' counters, the breakdown by type and pipeline, and the deals and leads without activities. */
export function Extras({ view }: { view: PopupView }) {
  const totals = view.totals!;
  const others = totals.othersIncoming + totals.othersPlanned;
  const types = Object.entries(totals.byEntityType).filter(([, c]) => c.all > 0);
  const categories = Object.entries(totals.byDealCategory).filter(([, c]) => c.all > 0);
  return (
    <>
      {(others > 0 || view.people.length > 1) && (
        <p class="others">
          {t('popupOthers', [String(totals.othersIncoming), String(totals.othersPlanned)])}
        </p>
      )}
      {types.length > 0 && (
        <details class="breakdown">
          <summary>{t('popupBreakdown')}</summary>
          <table>
            <thead>
              <tr>
                <th scope="col" />
                <th scope="col">{t('popupIncoming')}</th>
                <th scope="col">{t('popupPlanned')}</th>
              </tr>
            </thead>
            <tbody>
              {types.map(([type, c]) => (
                <tr key={type}>
                  <th scope="row">{entityTypeName(Number(type))}</th>
                  <td>{c.incoming}</td>
                  <td>{c.planned}</td>
                </tr>
              ))}
              {categories.map(([category, c]) => (
                <tr key={`c${category}`} class="pipeline">
                  <th scope="row">
                    {t('popupPipeline', [view.dealCategoryNames[Number(category)] ?? `#${category}`])}
                  </th>
                  <td>{c.incoming}</td>
                  <td>{c.planned}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      {view.withoutActivities.length > 0 && (
        <details class="without">
          <summary>
            {t('popupWithoutActivities')} <span class="n">{view.withoutActivities.length}</span>
          </summary>
          <ul>
            {view.withoutActivities.map((item) => (
              <li key={`${item.entityTypeId}:${item.entityId}`}>
                <a href={item.url} target="_blank" rel="noreferrer" onClick={(e) => openItem(item.url, e)}>
                  {item.title} <span class="type">· {entityTypeName(item.entityTypeId)}</span>
                </a>
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
