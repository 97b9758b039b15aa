// Finds links to CRM items as they appear, without a page-wide re-scan: a
// MutationObserver hands over what was inserted (or whose href changed), in
// the same task that inserted it, so a list that loads more rows gets its
// chips before the next frame. Only the inserted subtrees are searched.
const CANDIDATES = 'a[href*="/details/"]';

/**
 * Calls `onLinks` with the candidate links already on the page, then with
 * those of every later insertion, re-insertion or href change, one call per
 * batch of DOM changes. `onLinks` must be idempotent: a link may come again.
 * Elements named `ignore` (the chips themselves) are skipped unopened.
 */
export function observeLinks(
  root: Document,
  onLinks: (links: HTMLAnchorElement[]) => void,
  signal: AbortSignal,
  ignore: string,
): void {
  let found: HTMLAnchorElement[] = [];
  const visit = (node: Node) => {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const element = node as Element;
    if (element.localName === ignore) return;
    if (element.localName === 'a') {
      if (element instanceof HTMLAnchorElement && element.matches(CANDIDATES)) found.push(element);
    } else if (element.firstElementChild) {
      for (const link of element.querySelectorAll<HTMLAnchorElement>(CANDIDATES)) found.push(link);
    }
  };
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') visit(record.target);
      else for (const node of record.addedNodes) visit(node);
    }
    if (found.length === 0) return;
    const links = found;
    found = [];
    onLinks(links);
  });
  observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['href'] });
  signal.addEventListener('abort', () => observer.disconnect());
  onLinks([...root.querySelectorAll<HTMLAnchorElement>(CANDIDATES)]);
}

/** Icon-only links (no visible text) get no chip. */
export function hasVisibleText(link: HTMLAnchorElement): boolean {
  return (link.textContent ?? '').trim().length > 0;
}
