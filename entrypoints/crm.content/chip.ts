// The `<crm-counter-chip>` element: attributes in the page's DOM (the
// contract), its look in a shadow root sharing one constructed stylesheet.
import type { ChipView } from '@/lib/views/chips';

export const CHIP_TAG = 'crm-counter-chip';

const CSS = `
:host { all: initial; display: inline-block; vertical-align: middle; margin-inline-start: 4px; line-height: 0; }
.c { box-sizing: border-box; display: block; position: relative; text-align: center;
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
/** The counter span of each chip this script made (no shadow-root query per render). */
const badges = new WeakMap<HTMLElement, HTMLSpanElement>();
/** What each chip shows now: a render that changes nothing touches nothing. */
const looks = new WeakMap<HTMLElement, string>();

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
  badges.set(host, badge);
  return host;
}

/** Writes a chip's attributes and look; only what changed is touched. */
export function renderChip(host: HTMLElement, view: ChipView): void {
  const known = looks.get(host);
  // A chip rendered before may hold any of these already; a new one holds none.
  const set =
    known === undefined
      ? (name: string, value: string) => host.setAttribute(name, value)
      : (name: string, value: string) => {
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
  const className = `c ${view.state}`;
  const look = `${className}|${view.label}|${view.dot ?? ''}`;
  if (known === look) return;
  // A chip left by an earlier run of this script (the extension was updated) has its span in the shadow root.
  const badge = badges.get(host) ?? host.shadowRoot?.querySelector<HTMLSpanElement>('.c');
  if (!badge) return;
  looks.set(host, look);
  badge.className = className;
  badge.textContent = view.label;
  if (view.dot) {
    const dot = document.createElement('span');
    dot.className = `dot ${view.dot}`;
    badge.append(dot);
  }
}
