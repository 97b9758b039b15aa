/** The extension's first database: the only one before several portals, the first portal's since. */
export const DB_NAME = 'counters-for-bitrix24';
