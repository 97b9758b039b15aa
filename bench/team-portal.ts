// The company of a team bench (issue #14, item 4): one demo portal of
// `employees` active employees in departments of ten, each department with a
// head; a team of most of them running the extension, nine in ten reps (own
// items) and one in ten heads (their department) or administrators (all), each
// with a webhook of their own so every engine runs with its user's rights.
// And the people who change the portal all day: to-dos added, completed and
// edited through the portal's own methods, each change remembered with the
// team members who can see it (for freshness).
import { type CrmRole, roleOf, visibleResponsibles } from '../demo/rights';
import { createRandom } from '../demo/seed';
import { type DemoPortal, startPortal } from '../demo/server';

export interface TeamMember {
  userId: number;
  role: CrmRole;
  webhookUrl: string;
}

export interface TeamPortalOptions {
  employees: number;
  team: number;
  /** Administrators in the team (the rest of its one in ten are department heads). */
  admins: number;
  openActivities: number;
  seed: number;
  now: () => number;
}

/** A change made on the portal, and what the copy of a member who sees it must then hold. */
export interface PortalChange {
  at: number;
  activityId: number;
  /** present: the copy holds the activity as of `lastUpdated` or later; absent: it is gone (completed). */
  expect: 'present' | 'absent';
  lastUpdated: number;
  seers: number[];
}

const DEPARTMENT_SIZE = 10;
const secretOf = (userId: number) => `team${userId}bench${userId * 7919}`;

export class TeamPortal {
  readonly members: TeamMember[];
  private readonly employees: number[];
  /** Responsible → team members who read that person's items. */
  private readonly seers = new Map<number, number[]>();
  /** Responsible → their open deals, and the open activities whose primary owner is one of them. */
  private readonly deals = new Map<number, number[]>();
  private readonly open = new Map<number, number[]>();
  private readonly rnd: () => number;

  private constructor(
    readonly portal: DemoPortal,
    options: TeamPortalOptions,
  ) {
    this.rnd = createRandom(options.seed * 31 + 7);
    const store = portal.store;
    // Exactly `employees` active employees: every generated user but the seed's one former employee (user 8).
    for (const u of store.users.values()) u.active = u.id !== 8;
    this.employees = [...store.users.values()].filter((u) => u.active).map((u) => u.id);
    const others = shuffle(
      this.employees.filter((id) => id !== 1),
      this.rnd,
    );
    // Departments of ten under the root (user 1 heads the root and is an administrator).
    store.departments.clear();
    store.departments.set(1, { id: 1, name: 'Company', parentId: null, headId: 1, sort: 100 });
    store.users.get(1)!.departmentIds = [1];
    const heads: number[] = [];
    for (let k = 0; k * DEPARTMENT_SIZE < others.length; k++) {
      const group = others.slice(k * DEPARTMENT_SIZE, (k + 1) * DEPARTMENT_SIZE);
      const id = 100 + k;
      store.departments.set(id, { id, name: `Sales ${k + 1}`, parentId: 1, headId: group[0], sort: 500 });
      for (const userId of group) store.users.get(userId)!.departmentIds = [id];
      heads.push(group[0]);
    }
    const reps = others.filter((id) => !heads.includes(id));
    const admins = [1, ...reps.slice(0, options.admins - 1)];
    for (const id of admins) store.users.get(id)!.isAdmin = true;
    const leaders = Math.max(options.admins, Math.round(options.team / 10));
    const teamHeads = heads.slice(0, leaders - admins.length);
    const teamReps = reps.slice(options.admins - 1, options.admins - 1 + options.team - admins.length - teamHeads.length);
    this.members = [...admins, ...teamHeads, ...teamReps].map((userId) => ({
      userId,
      role: roleOf(store, userId),
      webhookUrl: `${portal.origin}/rest/${userId}/${secretOf(userId)}/`,
    }));

    const sight = this.members.map((m) => ({ userId: m.userId, sees: visibleResponsibles(store, m.userId) }));
    for (const r of this.employees) this.seers.set(r, sight.filter((s) => s.sees === null || s.sees.has(r)).map((s) => s.userId));
    const dealOwner = new Map<number, number>();
    for (const d of store.deals.values()) {
      dealOwner.set(d.id, d.assignedById);
      push(this.deals, d.assignedById, d.id);
    }
    for (const a of store.activities.values()) {
      if (!a.completed && a.ownerTypeId === 2) push(this.open, dealOwner.get(a.ownerId) ?? 0, a.id);
    }
  }

  static async start(options: TeamPortalOptions): Promise<TeamPortal> {
    const users = options.employees + 1;
    const webhooks = Array.from({ length: users }, (_, i) => ({ userId: i + 1, secret: secretOf(i + 1) }));
    const portal = await startPortal({
      port: 0,
      quiet: true,
      seed: options.seed,
      openActivities: options.openActivities,
      users,
      now: options.now,
      webhooks,
      rateLimit: { enabled: true, drainPerSecond: 2, capacity: 50 },
      // Per-method server time is measured in real milliseconds over real minutes: meaningless on a
      // simulated clock, and no user comes near 480 s in ten minutes.
      operatingLimit: { enabled: false },
    });
    return new TeamPortal(portal, options);
  }

  /**
   * One change by a random employee at their desk: a to-do added (40 %),
   * completed (35 %) or edited (25 %) on one of their deals, through the
   * portal's own methods (in-process: people in the web UI use no REST).
   */
  change(): PortalChange | null {
    const r = this.employees[Math.floor(this.rnd() * this.employees.length)];
    const store = this.portal.store;
    const open = this.open.get(r) ?? [];
    const deals = this.deals.get(r) ?? [];
    const dice = this.rnd();
    let activityId: number;
    let expect: PortalChange['expect'] = 'present';
    if (dice < 0.4 || open.length === 0) {
      if (deals.length === 0) return null;
      const deal = deals[Math.floor(this.rnd() * deals.length)];
      const deadline = new Date(this.portal.clock.now() + Math.floor(this.rnd() * 3 * 86_400_000)).toISOString();
      activityId = Number(
        this.portal.call('crm.activity.add', {
          fields: { OWNER_TYPE_ID: 2, OWNER_ID: deal, RESPONSIBLE_ID: r, SUBJECT: 'Call back', DEADLINE: deadline },
        }).result,
      );
      push(this.open, r, activityId);
    } else {
      const k = Math.floor(this.rnd() * open.length);
      activityId = open[k];
      if (dice < 0.75) {
        this.portal.call('crm.activity.update', { id: activityId, fields: { COMPLETED: 'Y' } });
        open[k] = open[open.length - 1];
        open.pop();
        expect = 'absent';
      } else {
        this.portal.call('crm.activity.update', { id: activityId, fields: { SUBJECT: `Edited ${Math.floor(this.rnd() * 1000)}` } });
      }
    }
    const lastUpdated = store.activities.get(activityId)?.lastUpdated ?? 0;
    return { at: this.portal.clock.now(), activityId, expect, lastUpdated, seers: this.seers.get(r) ?? [] };
  }

  close(): Promise<void> {
    return this.portal.close();
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function shuffle<T>(list: T[], rnd: () => number): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}
