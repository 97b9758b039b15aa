// The portal address of the login mode: `example.bitrix24.com`,
// `https://example.bitrix24.com/`, or any page URL of the portal. Plain http
// only for loopback (the demo portal).
import { isLoopbackHost } from '../portal-hosts';

export type PortalAddressProblem = 'emptyAddress' | 'notAddress' | 'notHttpsAddress';

export type ParsedPortalAddress = { ok: true; origin: string } | { ok: false; problem: PortalAddressProblem };

export function parsePortalAddress(input: string): ParsedPortalAddress {
  const text = input.trim();
  if (!text) return { ok: false, problem: 'emptyAddress' };
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return { ok: false, problem: 'notAddress' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: 'notAddress' };
  if (url.username || url.password) return { ok: false, problem: 'notAddress' };
  const host = url.hostname;
  if (!isLoopbackHost(host) && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(host)) return { ok: false, problem: 'notAddress' };
  if (url.protocol === 'http:' && !isLoopbackHost(host)) return { ok: false, problem: 'notHttpsAddress' };
  return { ok: true, origin: url.origin };
}
