// What differs between the store and the demo builds (docs/contract.md, "Builds").
import { DEFAULT_PORT, DEMO_SECRET, DEMO_USER_ID } from '../demo/config';

export const IS_DEMO_BUILD = import.meta.env.MODE === 'demo';

/** The demo portal's webhook, offered as a one-click preset on the options page of demo builds. */
export const DEMO_WEBHOOK_URL = `http://127.0.0.1:${DEFAULT_PORT}/rest/${DEMO_USER_ID}/${DEMO_SECRET}/`;

/** Shortest poll interval a user may choose, in seconds. */
export const MIN_POLL_SECONDS = IS_DEMO_BUILD ? 5 : 30;
