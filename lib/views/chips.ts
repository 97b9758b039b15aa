// What a chip shows, computed in the background for the person chosen in the popup.
import { type ChipState, chipLabel } from '../counters';
import type { ItemRef } from '../domain';

export interface ChipView extends ItemRef, ChipState {
  /** What the chip reads: the count, `99+` above 99. */
  label: string;
  tooltip: string;
}

export type Translate = (key: string, substitutions?: string[]) => string;

export function chipView(ref: ItemRef, state: ChipState, t: Translate): ChipView {
  return { ...ref, ...state, label: chipLabel(state.count), tooltip: chipTooltip(state, t) };
}

function chipTooltip(state: ChipState, t: Translate): string {
  const n = String(state.count);
  switch (state.state) {
    case 'both':
      return t('chipBoth', [n]);
    case 'planned':
      return t('chipPlanned', [n]);
    case 'incoming':
      return t('chipIncoming', [n]);
    case 'others':
      return t('chipOthers', [n]);
    case 'waiting':
      return state.mine ? t('chipWaitingMine') : t('chipWaitingOthers');
    case 'idle':
      return t('chipIdle');
  }
}
