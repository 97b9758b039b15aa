// Finds links to CRM items as they appear, without a page-wide re-scan: a
// 1 ms CSS animation on candidate links fires `animationstart` for every such
// element when it is inserted (or shown), wherever the page puts it.
const ANIMATION = 'crm-counter-chip-seen';
const CANDIDATES = 'a[href*="/details/"]';

export function observeLinks(root: Document, onLink: (link: HTMLAnchorElement) => void, signal: AbortSignal): void {
  const style = root.createElement('style');
  style.textContent = `@keyframes ${ANIMATION} { from { opacity: 1; } to { opacity: 1; } } ${CANDIDATES} { animation: ${ANIMATION} 1ms; }`;
  (root.head ?? root.documentElement).append(style);
  signal.addEventListener('abort', () => style.remove());

  // Fires again when a link is re-inserted or shown: `onLink` must be idempotent.
  const visit = (element: Element) => {
    if (element instanceof HTMLAnchorElement) onLink(element);
  };
  root.addEventListener(
    'animationstart',
    (event) => {
      if ((event as AnimationEvent).animationName === ANIMATION && event.target instanceof Element) visit(event.target);
    },
    { capture: true, signal },
  );
  for (const link of root.querySelectorAll(CANDIDATES)) visit(link);
}

/** Icon-only links (no visible text) get no chip. */
export function hasVisibleText(link: HTMLAnchorElement): boolean {
  return (link.textContent ?? '').trim().length > 0;
}
