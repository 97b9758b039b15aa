// Small line icons for activity kinds (no emoji: not every system has the font).
import type { ActivityKind } from '@/lib/views/activity-kind';

const PATHS: Record<ActivityKind, string> = {
  call: 'M5 2h3l1.5 4-2 1.2a9 9 0 0 0 4.3 4.3L13 9.5l4 1.5v3a2 2 0 0 1-2 2A13 13 0 0 1 3 4a2 2 0 0 1 2-2z',
  missedCall: 'M5 2h3l1.5 4-2 1.2a9 9 0 0 0 4.3 4.3L13 9.5l4 1.5v3a2 2 0 0 1-2 2A13 13 0 0 1 3 4a2 2 0 0 1 2-2zM12 2l5 5M17 2l-5 5',
  chat: 'M3 4h14v9H8l-4 3v-3H3z',
  email: 'M2 4h16v12H2zM2 4l8 7 8-7',
  meeting: 'M7 8a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM13.5 8a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM2 16c0-3 2.2-5 5-5s5 2 5 5M12 11.2c3 0 5 1.8 5 4.8',
  todo: 'M3 3h14v14H3zM6.5 10l2.5 2.5 4.5-5',
  other: 'M10 10m-3 0a3 3 0 1 0 6 0 3 3 0 1 0-6 0',
};

export function KindIcon({ kind, label }: { kind: ActivityKind; label: string }) {
  return (
    <svg class={`kind kind-${kind}`} viewBox="0 0 20 20" width="18" height="18" role="img" aria-label={label}>
      <path d={PATHS[kind]} fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
