// Where Bitrix24 portals live. One table for the manifest and the URL checks.

/** Second-level domains of Bitrix24's cloud portals (`*.bitrix24.com`, ...). */
export const CLOUD_ZONES = [
  'bitrix24.com',
  'bitrix24.eu',
  'bitrix24.de',
  'bitrix24.fr',
  'bitrix24.es',
  'bitrix24.it',
  'bitrix24.pl',
  'bitrix24.com.br',
  'bitrix24.in',
  'bitrix24.uk',
  'bitrix24.ru',
  'bitrix24.by',
  'bitrix24.kz',
  'bitrix24.ua',
  'bitrix24.jp',
  'bitrix24.cn',
  'bitrix24.com.tr',
] as const;

/** Match patterns for the cloud portals. */
export const CLOUD_MATCHES: string[] = CLOUD_ZONES.map((zone) => `https://*.${zone}/*`);

/** Loopback origins the demo builds may talk to and annotate (any port). */
export const LOOPBACK_MATCHES = ['http://127.0.0.1/*', 'http://localhost/*'];

/** Self-hosted portals live anywhere: asked for at run time, one origin at a time. */
export const SELF_HOSTED_MATCHES = ['https://*/*'];

export function isCloudHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return CLOUD_ZONES.some((zone) => host.endsWith(`.${zone}`));
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/**
 * Whether the manifest already covers a portal origin (host permission and
 * chips): cloud portals always, loopback in demo builds. Others are
 * self-hosted: asked for at run time.
 */
export function isCoveredByManifest(origin: string, demo: boolean): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol === 'https:' && isCloudHost(url.hostname)) return true;
  return demo && url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

/** The match pattern of a self-hosted portal's host (match patterns carry no port: any port matches). */
export function originPattern(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}
