// The administrator's policy for this extension, as Chromium validates it (lib/managed.ts reads it).
// No imports: wxt.config.ts writes it into Chromium builds as managed_schema.json.

/**
 * The manifest's `storage.managed_schema` (Chromium's subset of JSON Schema).
 * Ranges are left to the code, which clamps (a policy value out of a schema's
 * range would be dropped whole), so every build reads one schema.
 */
export const MANAGED_SCHEMA = {
  type: 'object',
  properties: {
    portalAddress: {
      title: 'Portal address',
      description: 'The Bitrix24 portal to connect, e.g. your-company.bitrix24.com. No other portal can be connected.',
      type: 'string',
    },
    connectionMode: {
      title: 'Connection mode',
      description: 'login: the browser’s Bitrix24 login (connects by itself with portalAddress); webhook: each user’s own incoming webhook.',
      type: 'string',
      enum: ['login', 'webhook'],
    },
    minPollSeconds: {
      title: 'Minimum poll interval',
      description: 'Seconds; users may choose longer intervals only (at least 30, at most 1800).',
      type: 'integer',
    },
    notifications: { title: 'Desktop notifications', description: 'On or off for everyone.', type: 'boolean' },
    litRule: {
      title: 'Counting rule',
      description: 'day: overdue or due today; lightTime: from the activity’s reminder time on.',
      type: 'string',
      enum: ['day', 'lightTime'],
    },
    lightOffsetMinutes: {
      title: 'Light-time offset',
      description: 'Minutes before the deadline for activities without a reminder (rule lightTime).',
      type: 'integer',
    },
    counterMode: {
      title: 'Counter mode',
      description: 'item: an activity counts for the item’s responsible; activity: for the activity’s.',
      type: 'string',
      enum: ['item', 'activity'],
    },
    countedEntityTypes: {
      title: 'Counted types',
      description: 'Entity type ids: 1 leads, 2 deals, 3 contacts, 4 companies, 128 and up smart processes.',
      type: 'array',
      items: { type: 'integer' },
    },
  },
} as const;
