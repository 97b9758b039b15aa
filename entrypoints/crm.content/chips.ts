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
  /** The href the key was read from. */
  href: string;
  key: string;
  chip: HTMLElement | null;
}

export function startChips(signal: AbortSignal): void {
  const origin = location.origin;
  /** Links on the page by item key; pruned of links that left the page. */
  const linksByKey = new Map<string, Set<Placed>>();
  const placedByLink = new WeakMap<HTMLAnchorElement, Placed>();
  const refs = new Map<string, ItemRef>();
  const views = new Map<string, ChipView | null>();
  let pending = new Set<string>();
  let flushing = false;
  let enabled = false;

  /** Puts (or moves, updates, removes) the chip right after its link. */
  const place = (entry: Placed) => {
    const view = enabled ? views.get(entry.key) : null;
    if (!view) {
      entry.chip?.remove();
      entry.chip = null;
      return;
    }
    if (!entry.chip) {
      const next = entry.link.nextElementSibling;
      entry.chip = next?.localName === CHIP_TAG ? (next as HTMLElement) : createChip();
    }
    if (entry.link.nextElementSibling !== entry.chip) entry.link.after(entry.chip);
    renderChip(entry.chip, view);
  };

  const flush = async () => {
    if (flushing || pending.size === 0 || !enabled) return;
    flushing = true;
    const keys = [...pending].filter((key) => refs.has(key));
    pending = new Set();
    try {
      const answer = await sendMessage('getChips', { origin, refs: keys.map((key) => refs.get(key)!) });
      if (!answer.enabled) {
        enabled = false;
        return;
      }
      for (const [i, key] of keys.entries()) views.set(key, answer.chips[i] ?? null);
      for (const key of keys) for (const entry of linksByKey.get(key) ?? []) place(entry);
    } catch {
      // The background is restarting: ask again with the next change notice.
      for (const key of keys) pending.add(key);
    } finally {
      flushing = false;
      if (pending.size) queueMicrotask(() => void flush());
    }
  };

  const onLink = (link: HTMLAnchorElement, base: string) => {
    const href = link.getAttribute('href') ?? '';
    const known = placedByLink.get(link);
    if (known?.href === href) {
      place(known);
      return;
    }
    if (known) {
      // The page reused the element for another item.
      linksByKey.get(known.key)?.delete(known);
      placedByLink.delete(link);
      known.chip?.remove();
    }
    const ref = itemRefFromHref(href, base, origin);
    if (!ref || !hasVisibleText(link)) return;
    const key = itemKey(ref);
    const entry: Placed = { link, href, key, chip: null };
    placedByLink.set(link, entry);
    refs.set(key, ref);
    const set = linksByKey.get(key) ?? new Set();
    linksByKey.set(key, set);
    set.add(entry);
    if (views.has(key)) place(entry);
    else pending.add(key);
  };

  /** One batch of found links: what is known is placed now, the rest asked for in one message. */
  const onLinks = (links: HTMLAnchorElement[]) => {
    const base = document.baseURI;
    for (const link of links) onLink(link, base);
    if (pending.size) void flush();
  };

  /** Asks again for every item still on the page (data or the chosen person changed). */
  const refreshAll = () => {
    for (const [key, set] of linksByKey) {
      for (const entry of set) if (!entry.link.isConnected) set.delete(entry);
      if (set.size === 0) {
        linksByKey.delete(key);
        refs.delete(key);
        views.delete(key);
      } else pending.add(key);
    }
    void flush();
  };

  const applyContext = (context: { enabled: boolean }) => {
    const was = enabled;
    enabled = context.enabled;
    if (!enabled && was) for (const set of linksByKey.values()) for (const entry of set) place(entry);
    if (enabled) refreshAll();
  };

  const removeListener = onMessage('chipsChanged', () => {
    void sendMessage('chipContext', { origin }).then(applyContext, () => undefined);
  });
  signal.addEventListener('abort', removeListener);

  if (window === window.top) {
    const focused = () => void sendMessage('portalFocused', { origin }).catch(() => undefined);
    window.addEventListener('focus', focused, { signal });
    document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && focused(), { signal });
  }

  void sendMessage('chipContext', { origin }).then(
    (context) => {
      observeLinks(document, onLinks, signal, CHIP_TAG);
      applyContext(context);
    },
    () => undefined,
  );
}
