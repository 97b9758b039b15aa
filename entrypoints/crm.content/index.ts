import { CLOUD_MATCHES } from '@/lib/portal-hosts';
import { startChips } from './chips';

// Demo builds add the loopback origins to `matches` (wxt.config.ts).
export default defineContentScript({
  matches: CLOUD_MATCHES,
  allFrames: true,
  runAt: 'document_idle',
  main(ctx) {
    startChips(ctx.signal);
  },
});
