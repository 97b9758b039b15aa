// How many chained pages each scan chain gets in one batch. A chain whose
// rows still to come are known (a count) gets exactly the pages they fill:
// a page chained after a short one would carry junk, since its reference
// resolves to the short page's row list, which a legacy list reads as
// `'>ID': 1` (the first page of everything). A chain not counted yet gets one
// page, asked with its count.
import { PAGE_SIZE } from '../bitrix/batch';

/** Pages a chain still needs: exact for a known count (0 = nothing left), one to learn it otherwise. */
export function pagesNeeded(left: number | null): number {
  if (left === null) return 1;
  return Math.max(0, Math.ceil(left / PAGE_SIZE));
}

/**
 * Shares `limit` slots between chains needing `needs[i]` pages: each gets
 * its need when all fit; otherwise the slots are filled level by level, so a
 * small chain finishes in this request while the big ones share the rest.
 */
export function allocatePages(needs: number[], limit: number): number[] {
  const out = needs.map(() => 0);
  let free = limit;
  let open = needs.map((n, i) => (n > 0 ? i : -1)).filter((i) => i >= 0);
  while (free > 0 && open.length > 0) {
    const share = Math.max(1, Math.floor(free / open.length));
    for (const i of open) {
      if (free === 0) break;
      const give = Math.min(share, needs[i] - out[i], free);
      out[i] += give;
      free -= give;
    }
    open = open.filter((i) => out[i] < needs[i]);
  }
  return out;
}
