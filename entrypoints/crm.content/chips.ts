// Puts a chip after every link to a CRM item on the connected portal's pages
// and keeps the chips in step with the background's data.
import { itemRefFromHref } from '@/lib/crm-links';
import { type ItemRef, itemKey } from '@/lib/domain';
import { onMessage, sendMessage } from '@/lib/messaging';
import type { ChipView } from '@/lib/views/chips';
import { CHIP_TAG, createChip, renderChip } from './chip';
import { hasVisibleText, observeLinks } from './links';

interface Placed {
  link: HTMLAnchorElement;
  chip: HTMLElement | null;
  ref: ItemRef;
}

export function startChips(signal: AbortSignal): void {
  const placed = new Map<string, Placed[]>();
  const views = new Map<string, ChipView | null>();
  let pending = new Set<string>();
  let flushing = false;
  let enabled = false;
  const origin = location.origin;

  const place = (entry: Placed) => {
    const view = views.get(itemKey(entry.ref));
    if (!view) {
      entry.chip?.remove();
      entry.chip = null;
      return;
    }
    if (!entry.chip || !entry.chip.isConnected) {
      const next = entry.link.nextElementSibling;
      entry.chip = next?.localName === CHIP_TAG ? (next as HTMLElement) : createChip();
      if (entry.chip !== next) entry.link.after(entry.chip);
    }
    renderChip(entry.chip, view);
  };

  const flush = async () => {
    if (flushing || pending.size === 0 || !enabled) return;
    flushing = true;
    const keys = [...pending];
    pending = new Set();
    try {
      const refs = keys.map((key) => placed.get(key)![0].ref);
      const answer = await sendMessage('getChips', { origin, refs });
      if (!answer.enabled) {
        enabled = false;
        return;
      }
      for (const [i, key] of keys.entries()) views.set(key, answer.chips[i] ?? null);
      for (const key of keys) for (const entry of placed.get(key) ?? []) place(entry);
    } catch {
      // The background is restarting: the next change notice asks again.
      for (const key of keys) pending.add(key);
    } finally {
      flushing = false;
      if (pending.size) queueMicrotask(() => void flush());
    }
  };

  const schedule = (key: string) => {
    pending.add(key);
    queueMicrotask(() => void flush());
  };

  const onLink = (link: HTMLAnchorElement) => {
    const ref = itemRefFromHref(link.getAttribute('href') ?? '', document.baseURI, origin);
    if (!ref || !hasVisibleText(link)) return;
    const key = itemKey(ref);
    const list = placed.get(key) ?? [];
    // Drop entries whose links left the page.
    const alive = list.filter((entry) => entry.link.isConnected);
    const entry: Placed = { link, chip: null, ref };
    alive.push(entry);
    placed.set(key, alive);
    if (views.has(key)) place(entry);
    else schedule(key);
  };

  const refreshAll = () => {
    for (const key of placed.keys()) pending.add(key);
    void flush();
  };

  const removeListener = onMessage('chipsChanged', () => {
    void sendMessage('chipContext', { origin }).then((context) => {
      const wasEnabled = enabled;
      enabled = context.enabled;
      if (!enabled) {
        for (const list of placed.values()) for (const entry of list) entry.chip?.remove();
        views.clear();
        return;
      }
      if (!wasEnabled) views.clear();
      refreshAll();
    });
  });
  signal.addEventListener('abort', removeListener);

  if (window === window.top) {
    const focused = () => void sendMessage('portalFocused', { origin }).catch(() => undefined);
    window.addEventListener('focus', focused, { signal });
    document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && focused(), { signal });
  }

  void sendMessage('chipContext', { origin }).then(
    (context) => {
      enabled = context.enabled;
      observeLinks(document, onLink, signal);
      if (enabled) void flush();
    },
    () => undefined,
  );
}
