// The manifest of every build. A demo build is the store build plus, and only
// plus, what docs/contract.md ("Builds") allows.
import { CLOUD_MATCHES, LOOPBACK_MATCHES, SELF_HOSTED_MATCHES } from './portal-hosts';

export const GECKO_ID = 'counters-for-bitrix24@counters.tools';

export interface ManifestFlavour {
  browser: string;
  demo: boolean;
}

export function buildManifest({ browser, demo }: ManifestFlavour) {
  // scripting: chips on a self-hosted portal, registered once its origin is granted.
  const permissions = ['storage', 'alarms', 'scripting'];
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
    ...(firefox
      ? {
          browser_specific_settings: {
            gecko: {
              id: GECKO_ID,
              strict_min_version: '128.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  };
}
