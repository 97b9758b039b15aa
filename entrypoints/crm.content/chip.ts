// The `<crm-counter-chip>` element: attributes in the page's DOM (the
// contract), its look in a shadow root sharing one constructed stylesheet.
import type { ChipView } from '@/lib/views/chips';

export const CHIP_TAG = 'crm-counter-chip';

const CSS = `
:host { all: initial; display: inline-flex; vertical-align: middle; margin-inline-start: 4px; line-height: 0; }
.c { box-sizing: border-box; display: inline-flex; align-items: center; justify-content: center; position: relative;
  min-width: 17px; height: 17px; padding: 0 5px; border-radius: 9px; font: 700 11px/17px "Open Sans", "Helvetica Neue", Arial, sans-serif;
  color: #fff; background: #b8c0c9; cursor: default; user-select: none; white-space: nowrap; }
.planned { background: #f54819; }
.incoming { background: #9dcf00; }
.both { background: #f54819; box-shadow: 0 0 0 2px #9dcf00; }
.others { background: #b8c0c9; }
.waiting, .idle { background: #eef2f4; color: #a8adb4; }
.dot { position: absolute; top: -2px; right: -2px; width: 7px; height: 7px; border-radius: 50%; border: 1px solid #fff; }
.dot.blue { background: #378ee7; }
.dot.grey { background: #b8c0c9; }
`;

let sharedSheet: CSSStyleSheet | null | undefined;

/** One stylesheet for every chip; null where constructed sheets cannot be adopted (then each chip gets a style element). */
function sheet(): CSSStyleSheet | null {
  if (sharedSheet === undefined) {
    try {
      const s = new CSSStyleSheet();
      s.replaceSync(CSS);
      sharedSheet = s;
    } catch {
      sharedSheet = null;
    }
  }
  return sharedSheet;
}

export function createChip(): HTMLElement {
  const host = document.createElement(CHIP_TAG);
  const root = host.attachShadow({ mode: 'open' });
  const s = sheet();
  let adopted = false;
  if (s) {
    try {
      root.adoptedStyleSheets = [s];
      adopted = true;
    } catch {
      // Firefox's content-script sandbox may refuse a sheet built in it.
    }
  }
  if (!adopted) {
    const style = document.createElement('style');
    style.textContent = CSS;
    root.append(style);
  }
  const badge = document.createElement('span');
  badge.className = 'c';
  badge.setAttribute('part', 'counter');
  root.append(badge);
  return host;
}

/** Writes a chip's attributes and look; only what changed is touched. */
export function renderChip(host: HTMLElement, view: ChipView): void {
  const set = (name: string, value: string) => {
    if (host.getAttribute(name) !== value) host.setAttribute(name, value);
  };
  set('data-entity-type-id', String(view.entityTypeId));
  set('data-entity-id', String(view.entityId));
  set('data-state', view.state);
  set('data-count', String(view.count));
  set('data-mine', String(view.mine));
  set('title', view.tooltip);
  set('aria-label', view.tooltip);
  set('role', 'img');
  const badge = host.shadowRoot?.querySelector<HTMLSpanElement>('.c');
  if (!badge) return;
  const className = `c ${view.state}`;
  const look = `${className}|${view.label}|${view.dot ?? ''}`;
  if (badge.dataset.look === look) return;
  badge.dataset.look = look;
  badge.className = className;
  const parts: Node[] = [document.createTextNode(view.label)];
  if (view.dot) {
    const dot = document.createElement('span');
    dot.className = `dot ${view.dot}`;
    parts.push(dot);
  }
  badge.replaceChildren(...parts);
}
