// What a chip shows, computed in the background for the person chosen in the popup.
import { type ChipState, chipLabel, classifyActivity, type CountingRules, type DayWindow } from '../counters';
import type { CrmActivity, ItemRef } from '../domain';

export interface ChipView extends ItemRef, ChipState {
  /** What the chip reads: the count, `99+` above 99. */
  label: string;
  /** The breakdown and the next deadline, in words. */
  tooltip: string;
}

/** What the tooltip adds to the chip's number. */
export interface ChipDetail {
  incoming: number;
  lit: number;
  /** The earliest deadline that is not lit yet, if any. */
  nextDeadline: number | null;
}

export type Translate = (key: string, substitutions?: string[]) => string;

/** Breakdown of the activities a chip counted (activity mode: the viewer's own on their items). */
export function chipDetail(
  activities: readonly CrmActivity[],
  now: number,
  window: DayWindow,
  rules: Pick<CountingRules, 'litRule' | 'lightOffsetMinutes'>,
): ChipDetail {
  const detail: ChipDetail = { incoming: 0, lit: 0, nextDeadline: null };
  for (const a of activities) {
    const c = classifyActivity(a, now, window, rules);
    if (!c.open) continue;
    if (c.incoming) detail.incoming++;
    else if (c.lit) detail.lit++;
    else if (c.deadline !== null && (detail.nextDeadline === null || c.deadline < detail.nextDeadline)) {
      detail.nextDeadline = c.deadline;
    }
  }
  return detail;
}

export function chipView(
  ref: ItemRef,
  state: ChipState,
  detail: ChipDetail,
  t: Translate,
  time: (ms: number) => string,
): ChipView {
  const lines = [headline(state, t)];
  if (state.state === 'both' || state.state === 'others') {
    lines.push(t('chipBreakdown', [String(detail.incoming), String(detail.lit)]));
  }
  if (detail.nextDeadline !== null) lines.push(t('chipNextDeadline', [time(detail.nextDeadline)]));
  return { ...ref, ...state, label: chipLabel(state.count), tooltip: lines.join('\n') };
}

function headline(state: ChipState, t: Translate): string {
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
