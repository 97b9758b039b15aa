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
