// The manifest of every build. A demo build is the store build plus, and only
// plus, what docs/contract.md ("Builds") allows.
import { CLOUD_MATCHES, LOOPBACK_MATCHES, SELF_HOSTED_MATCHES } from './portal-hosts';

export const GECKO_ID = 'counters-for-bitrix24@counters.tools';
export const FIREFOX_MIN_VERSION = '140.0';
export const FIREFOX_ANDROID_MIN_VERSION = '142.0';

/**
 * The demo builds' fixed extension ID in Chromium, from the public key below
 * (manifest `key`), so that a browser policy can name the extension. Only the
 * public half exists: nothing is packed or signed with it.
 */
export const DEMO_EXTENSION_ID = 'olnblbnbielojneadonbejejfigcmjoa';
/** Where Chromium finds the schema of the administrator's policy for this extension (lib/managed.ts). */
export const MANAGED_SCHEMA_FILE = 'managed_schema.json';

export const DEMO_MANIFEST_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1FdPcuCk6A6WIyQlVfpnyTZxGroeInt5pRnBm2kdB6U7MuJ7eZwkgvbbLzVNFlwviyDt0L8dQXT0kZR9mw827uNoskesw83DimlJnOHSd6+7VCQKNgaa/cRsuFRW1OxIS+77fdHhY1fIUDGQLxOwwKnX0ucneahaDyCPFpLvFI0JqAdKspceYnf0aOiwEBIYXr5mzIE5Iyr+WlbAIiBrnKk0p6Ywe44esQ474lxg2bkcRq6oTaBFLRXLzA3bE2kfb3qxBCIPHtei5Wzl7tfU69DFL6BfRHx31KAoiPXhkum0LBas6aDXlkUUKRq63fPEM78AP2YjS3/CGiDnuy+4qwIDAQAB';

export interface ManifestFlavour {
  browser: string;
  demo: boolean;
}

export function buildManifest({ browser, demo }: ManifestFlavour) {
  // scripting: chips on a self-hosted portal, registered once its origin is granted.
  // idle: polls slow down while the computer is idle or locked (a team shares one request budget).
  const permissions = ['storage', 'alarms', 'scripting', 'idle'];
  const optionalPermissions = ['notifications'];
  if (demo) {
    permissions.push(...optionalPermissions);
    optionalPermissions.length = 0;
  }
  const hostPermissions = demo ? [...CLOUD_MATCHES, ...LOOPBACK_MATCHES] : [...CLOUD_MATCHES];
  const firefox = browser === 'firefox';
  return {
    name: '__MSG_extName__',
    short_name: '__MSG_extShortName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions,
    ...(optionalPermissions.length ? { optional_permissions: optionalPermissions } : {}),
    host_permissions: hostPermissions,
    optional_host_permissions: SELF_HOSTED_MATCHES,
    action: { default_title: '__MSG_extName__' },
    commands: {
      _execute_action: { suggested_key: { default: 'Alt+Shift+K' }, description: '__MSG_commandOpenPopup__' },
    },
    // Chromium validates policies against a schema; Firefox has no such key (policies.json `3rdparty` arrives as is).
    ...(firefox ? {} : { storage: { managed_schema: MANAGED_SCHEMA_FILE } }),
    ...(demo && !firefox ? { key: DEMO_MANIFEST_KEY } : {}),
    ...(firefox
      ? {
          // data_collection_permissions (required by addons.mozilla.org) is understood
          // from Firefox 140 (the ESR line) and Firefox for Android 142; older versions
          // ignore it, so these minimums are the first that show users our declaration.
          browser_specific_settings: {
            gecko: {
              id: GECKO_ID,
              strict_min_version: FIREFOX_MIN_VERSION,
              data_collection_permissions: { required: ['none'] },
            },
            gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN_VERSION },
          },
        }
      : {}),
  };
}
