// Deterministic seed data: the same seed and the same clock give the same
// portal. A handful of hand-made records reproduce the worked examples of
// docs/counters.md for user 1; the rest is a random mix that keeps the same
// shape from 300 to 100,000 open activities.

import { BOT_USER_ID } from './config.ts';
import {
  bindActivity,
  type DemoActivity,
  type DemoStage,
  type DemoStore,
  type DemoUser,
  emptyStore,
  insertActivity,
  type ItemRef,
} from './store.ts';

export interface SeedOptions {
  seed: number;
  now: number;
  /** Open activities to create (the hand-made ones included). */
  openActivities: number;
  /** CRM items of all kinds; default openActivities / 5, at least 150. */
  items?: number;
  /** Employees; default 8, or 200 from 10,000 open activities on. */
  users?: number;
}

/** mulberry32: small, fast and good enough for test data. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Offset of an IANA zone at an instant, in ms. */
function zoneOffsetMs(zone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** Midnight that starts the day containing `at` in `zone`. */
export function dayStartIn(zone: string, at: number): number {
  const off = zoneOffsetMs(zone, at);
  const local = at + off;
  return local - (((local % DAY) + DAY) % DAY) - off;
}

const BASE_USERS: Omit<DemoUser, 'dateRegister'>[] = [
  { id: 1, name: 'Anna', lastName: 'Schmidt', email: 'anna.schmidt@demo.example', timeZone: 'Europe/Berlin', departmentIds: [1, 2], active: true, workPosition: 'Head of Sales', gender: 'F', isAdmin: true },
  { id: 2, name: 'Camille', lastName: 'Dubois', email: 'camille.dubois@demo.example', timeZone: 'Europe/Paris', departmentIds: [2], active: true, workPosition: 'Account manager', gender: 'F', isAdmin: false },
  { id: 3, name: 'Lucía', lastName: 'Fernández', email: 'lucia.fernandez@demo.example', timeZone: 'America/New_York', departmentIds: [2], active: true, workPosition: 'Sales rep', gender: 'F', isAdmin: false },
  { id: 4, name: 'João', lastName: 'Gonçalves', email: 'joao.goncalves@demo.example', timeZone: '', departmentIds: [3], active: true, workPosition: 'Support engineer', gender: 'M', isAdmin: false },
  { id: 5, name: 'Дмитрий', lastName: 'Иванов', email: 'dmitry.ivanov@demo.example', timeZone: 'Europe/Moscow', departmentIds: [2], active: true, workPosition: 'Sales rep', gender: 'M', isAdmin: false },
  { id: 6, name: 'Katarzyna', lastName: 'Wiśniewska', email: 'katarzyna.w@demo.example', timeZone: 'Europe/Warsaw', departmentIds: [4], active: true, workPosition: 'Customer success', gender: 'F', isAdmin: false },
  { id: 7, name: 'Yuki', lastName: 'Tanaka', email: 'yuki.tanaka@demo.example', timeZone: 'Asia/Tokyo', departmentIds: [3], active: true, workPosition: 'Support lead', gender: 'M', isAdmin: false },
  { id: 8, name: 'Marco', lastName: "D'Angelo", email: 'marco.dangelo@demo.example', timeZone: 'Europe/Rome', departmentIds: [2], active: false, workPosition: 'Former sales rep', gender: 'M', isAdmin: false },
];

const EXTRA_FIRST = ['Lena', 'Hugo', 'Inès', 'Mateo', 'Beatriz', 'Olga', 'Piotr', 'Sofia', 'Jonas', 'Élodie', 'Pablo', 'Tiago', 'Ирина', 'Zofia', 'Kenji', 'Giulia', 'Noah', 'Chloé'];
const EXTRA_LAST = ['Becker', 'Lefèvre', 'Ruiz', 'Pereira', 'Смирнова', 'Kowalski', 'Sato', 'Bianchi', 'Wagner', 'Moreau', 'López', 'Costa', 'Kuznetsov', 'Zieliński', "O'Neill"];
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Europe/Paris', '', 'Europe/Madrid', 'America/Sao_Paulo', 'Europe/Warsaw'];

const COMPANY_NAMES = [
  'Müller & Söhne GmbH',
  'Boulangerie «Chez Léa»',
  'Ferretería <Norte> S.L.',
  'ООО «Ромашка»',
  'Piekarnia Żółw & S-ka',
  'Construções Ribeiro Lda',
  '"Quote" Consulting Ltd',
  'Nordlicht Logistik AG',
  'Atelier Dupont & Fils',
  'Café Olé',
  'Ibérica Solar S.A.',
  'Tecnologia Verde Ltda',
  'Северный Ветер',
  'Sakura Trading 株式会社',
  'Bäckerei Schäfer',
];
const DEAL_PRODUCTS = [
  'Website-Relaunch',
  'Angebot <Premium>',
  'Devis « maintenance annuelle »',
  'Renovación de licencias',
  'Contrato & soporte',
  'Поставка оборудования',
  'Wdrożenie CRM',
  'Proposta "Plano Ouro"',
  'Rahmenvertrag 2027',
  'Formation équipe commerciale',
  'Migración a la nube',
  'Consultoria de vendas',
  'Годовое обслуживание',
  'Audyt bezpieczeństwa',
];
const CONTACT_FIRST = ['Jürgen', 'Amélie', 'José', 'Marta', 'Сергей', 'Agnieszka', 'Léa', 'Thomas', 'Inês', 'Pierre', 'Анна', 'Paweł', 'Carmen', "Seán"];
const CONTACT_LAST = ['Müller', 'Lefèvre', 'Martínez', 'Sousa', 'Петров', 'Kowalczyk', 'Bernard', 'Weiß', 'Carvalho', 'Rousseau', 'Соколова', 'Wójcik', 'Ortega', "O'Brien"];
const LEAD_TITLES = [
  'Anfrage über Webformular',
  'Demande de devis – site web',
  'Solicitud de información',
  'Pedido de orçamento',
  'Заявка с сайта',
  'Zapytanie ofertowe',
  'Rückruf erbeten: "dringend"',
  'Lead <import> #',
];

const SUBJECTS = {
  todo: [
    'Angebot nachfassen',
    'Rappeler le client',
    'Enviar propuesta revisada',
    'Preparar contrato',
    'Подготовить КП',
    'Wysłać fakturę',
    'Check <budget> & timeline',
    'Relancer « devis signé »',
    'Vertrag "final" prüfen',
  ],
  callIn: ['Eingehender Anruf', 'Appel entrant', 'Llamada entrante', 'Chamada recebida', 'Входящий звонок', 'Połączenie przychodzące'],
  callOut: ['Rückruf: Preisfrage', 'Appeler pour la démo', 'Llamar sobre el pedido', 'Позвонить по договору', 'Zadzwonić & potwierdzić'],
  chat: ['Chat: Frage zur Lieferung', 'Chat en ligne : « commande »', 'WhatsApp: consulta', 'Открытая линия: вопрос', 'Czat <Telegram>'],
  emailIn: ['Re: Angebot Nr. 4711', 'RE: Votre devis & conditions', 'Re: Factura pendiente', 'Re: "Urgent" – contract', 'Re: Коммерческое предложение'],
  emailOut: ['Angebot gesendet', 'Devis envoyé', 'Propuesta enviada'],
  meeting: ['Termin vor Ort', 'Réunion de lancement', 'Reunión de seguimiento', 'Встреча в офисе', 'Spotkanie <online>'],
};

export function dealStages(): DemoStage[] {
  const s = (statusId: string, entityId: string, name: string, sort: number, semantic: 'P' | 'S' | 'F', categoryId: number | null, color: string): DemoStage => ({
    statusId,
    entityId,
    name,
    sort,
    semantic,
    categoryId,
    color,
  });
  return [
    s('NEW', 'DEAL_STAGE', 'New', 10, 'P', 0, '#39A8EF'),
    s('PREPARATION', 'DEAL_STAGE', 'Preparing documents', 20, 'P', 0, '#2FC6F6'),
    s('PREPAYMENT_INVOICE', 'DEAL_STAGE', 'Invoice & prepayment', 30, 'P', 0, '#55D0E0'),
    s('EXECUTING', 'DEAL_STAGE', 'In progress', 40, 'P', 0, '#47E4C2'),
    s('FINAL_INVOICE', 'DEAL_STAGE', 'Final invoice', 50, 'P', 0, '#FFA900'),
    s('WON', 'DEAL_STAGE', 'Deal won', 60, 'S', 0, '#7BD500'),
    s('LOSE', 'DEAL_STAGE', 'Deal lost', 70, 'F', 0, '#FF5752'),
    s('APOLOGY', 'DEAL_STAGE', 'Analyze failure', 80, 'F', 0, '#FF5752'),
    s('C1:NEW', 'DEAL_STAGE_1', 'Nouvelle demande', 10, 'P', 1, '#39A8EF'),
    s('C1:PREPARATION', 'DEAL_STAGE_1', 'Qualification', 20, 'P', 1, '#2FC6F6'),
    s('C1:EXECUTING', 'DEAL_STAGE_1', 'Négociation', 30, 'P', 1, '#47E4C2'),
    s('C1:WON', 'DEAL_STAGE_1', 'Gagnée', 40, 'S', 1, '#7BD500'),
    s('C1:LOSE', 'DEAL_STAGE_1', 'Perdue', 50, 'F', 1, '#FF5752'),
    s('NEW', 'STATUS', 'Unassigned', 10, 'P', null, '#39A8EF'),
    s('IN_PROCESS', 'STATUS', 'In progress', 20, 'P', null, '#2FC6F6'),
    s('PROCESSED', 'STATUS', 'Processed', 30, 'P', null, '#FFA900'),
    s('CONVERTED', 'STATUS', 'Good lead', 40, 'S', null, '#7BD500'),
    s('JUNK', 'STATUS', 'Junk lead', 50, 'F', null, '#FF5752'),
    s('DT128_5:NEW', 'DYNAMIC_128_STAGE_5', 'Backlog', 10, 'P', 5, '#39A8EF'),
    s('DT128_5:PREPARATION', 'DYNAMIC_128_STAGE_5', 'Planning', 20, 'P', 5, '#2FC6F6'),
    s('DT128_5:CLIENT', 'DYNAMIC_128_STAGE_5', 'With the client', 30, 'P', 5, '#47E4C2'),
    s('DT128_5:SUCCESS', 'DYNAMIC_128_STAGE_5', 'Delivered', 40, 'S', 5, '#7BD500'),
    s('DT128_5:FAIL', 'DYNAMIC_128_STAGE_5', 'Cancelled', 50, 'F', 5, '#FF5752'),
    s('DT129_7:NEW', 'DYNAMIC_129_STAGE_7', 'New supplier', 10, 'P', 7, '#39A8EF'),
    s('DT129_7:CHECK', 'DYNAMIC_129_STAGE_7', 'Checking', 20, 'P', 7, '#2FC6F6'),
    s('DT129_7:SUCCESS', 'DYNAMIC_129_STAGE_7', 'Approved', 30, 'S', 7, '#7BD500'),
    s('DT129_7:FAIL', 'DYNAMIC_129_STAGE_7', 'Rejected', 40, 'F', 7, '#FF5752'),
  ];
}

export function generateStore(options: SeedOptions): DemoStore {
  const rnd = createRandom(options.seed);
  const now = Math.floor(options.now / 1000) * 1000;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const between = (a: number, b: number) => Math.floor(a + rnd() * (b - a));
  const store = emptyStore();
  const openTarget = Math.max(0, Math.floor(options.openActivities));
  const userCount = Math.max(8, options.users ?? (openTarget >= 10_000 ? 200 : 8));
  const itemCount = Math.max(150, options.items ?? Math.round(openTarget / 5));

  // People
  for (const u of BASE_USERS) store.users.set(u.id, { ...u, departmentIds: [...u.departmentIds], dateRegister: now - 900 * DAY });
  for (let id = 9; id <= userCount; id++) {
    const name = pick(EXTRA_FIRST);
    const lastName = pick(EXTRA_LAST);
    store.users.set(id, {
      id,
      name,
      lastName,
      email: `user${id}@demo.example`,
      timeZone: pick(ZONES),
      departmentIds: [id % 2 === 0 ? 2 : 3],
      active: rnd() > 0.05,
      workPosition: 'Manager',
      gender: '',
      isAdmin: false,
      dateRegister: now - between(30, 900) * DAY,
    });
  }
  store.departments.set(1, { id: 1, name: 'Demo & Co', parentId: null, headId: 1, sort: 500 });
  store.departments.set(2, { id: 2, name: 'Sales & Marketing', parentId: 1, headId: 1, sort: 500 });
  store.departments.set(3, { id: 3, name: 'Kundenservice <Support>', parentId: 1, headId: 7, sort: 500 });
  // A sub-department without a head of its own: its items are the support head's (user 7) too (demo/rights.ts).
  store.departments.set(4, { id: 4, name: 'Customer success', parentId: 3, headId: null, sort: 500 });
  store.stages = dealStages();
  store.dealCategories.set(0, { id: 0, name: 'General', sort: 100 });
  store.dealCategories.set(1, { id: 1, name: 'Partenaires', sort: 200 });
  store.smartTypes.set(128, { id: 1, entityTypeId: 128, title: 'Projects', isCountersEnabled: true, categoryIds: [5], createdTime: now - 400 * DAY, updatedTime: now - 40 * DAY });
  store.smartTypes.set(129, { id: 2, entityTypeId: 129, title: 'Supplier onboarding', isCountersEnabled: false, categoryIds: [7], createdTime: now - 300 * DAY, updatedTime: now - 30 * DAY });
  store.smartItems.set(128, new Map());
  store.smartItems.set(129, new Map());

  const activeIds = [...store.users.values()].filter((u) => u.active).map((u) => u.id);
  const colleagues = activeIds.filter((id) => id !== 1);
  const everyoneElse = [...store.users.keys()].filter((id) => id !== 1);
  // User 1 owns the hand-made records plus a few of the rest: lively counters, not 99+.
  const owner = () => (rnd() < 0.06 ? 1 : rnd() < 0.04 ? 0 : pick(rnd() < 0.95 ? colleagues : everyoneElse));
  const past = (maxDays: number) => now - between(HOUR, maxDays * DAY);
  const modifiedAfter = (created: number) => created + Math.floor(rnd() * (now - created));

  // Items. Hand-made records first (ids 1..), then the random mix.
  const nDeals = Math.round(itemCount * 0.4);
  const nLeads = Math.round(itemCount * 0.2);
  const nContacts = Math.round(itemCount * 0.22);
  const nCompanies = Math.max(3, Math.round(itemCount * 0.12));
  const nSmart = Math.max(4, itemCount - nDeals - nLeads - nContacts - nCompanies);

  for (let id = 1; id <= nCompanies; id++) {
    const created = past(400);
    const base = COMPANY_NAMES[(id - 1) % COMPANY_NAMES.length];
    store.companies.set(id, {
      id,
      title: id === 1 ? 'Demo & Co (my company)' : id <= COMPANY_NAMES.length + 1 ? base : `${base} ${Math.ceil(id / COMPANY_NAMES.length)}`,
      assignedById: id === 2 ? 1 : owner(),
      isMyCompany: id === 1,
      createdBy: 1,
      dateCreate: created,
      dateModify: modifiedAfter(created),
    });
  }
  for (let id = 1; id <= nContacts; id++) {
    const created = past(400);
    const name = pick(CONTACT_FIRST);
    const lastName = id === 3 ? '' : pick(CONTACT_LAST);
    store.contacts.set(id, {
      id,
      name,
      lastName,
      assignedById: id === 1 ? 1 : owner(),
      companyId: rnd() < 0.7 ? between(2, nCompanies + 1) : null,
      email: `contact${id}@client.example`,
      createdBy: 1,
      dateCreate: created,
      dateModify: modifiedAfter(created),
    });
  }
  const openStages0 = ['NEW', 'PREPARATION', 'PREPAYMENT_INVOICE', 'EXECUTING', 'FINAL_INVOICE'];
  const openStages1 = ['C1:NEW', 'C1:PREPARATION', 'C1:EXECUTING'];
  for (let id = 1; id <= nDeals; id++) {
    const created = past(200);
    const cat = rnd() < 0.75 ? 0 : 1;
    const r = rnd();
    let stageId: string;
    if (r < 0.7) stageId = pick(cat === 0 ? openStages0 : openStages1);
    else if (r < 0.85) stageId = cat === 0 ? 'WON' : 'C1:WON';
    else stageId = cat === 0 ? pick(['LOSE', 'APOLOGY']) : 'C1:LOSE';
    const contactId = rnd() < 0.8 ? between(1, nContacts + 1) : null;
    const companyId = contactId ? (store.contacts.get(contactId)?.companyId ?? null) : rnd() < 0.5 ? between(2, nCompanies + 1) : null;
    store.deals.set(id, {
      id,
      title: `${pick(DEAL_PRODUCTS)} – ${COMPANY_NAMES[id % COMPANY_NAMES.length]}`,
      assignedById: owner(),
      stageId,
      categoryId: cat,
      isRecurring: false,
      contactId,
      companyId,
      opportunity: between(5, 500) * 100,
      currencyId: pick(['EUR', 'EUR', 'USD', 'BRL', 'PLN']),
      createdBy: 1,
      dateCreate: created,
      dateModify: modifiedAfter(created),
    });
  }
  // Hand-made deals: the worked examples (docs/counters.md) on ids 1..12.
  const fixDeal = (id: number, title: string, assignedById: number, stageId = 'EXECUTING') => {
    const d = store.deals.get(id);
    if (!d) return;
    Object.assign(d, { title, assignedById, stageId, categoryId: stageId.startsWith('C1:') ? 1 : 0, isRecurring: false });
  };
  fixDeal(1, 'Website-Relaunch für Müller & Söhne', 1);
  fixDeal(2, 'Angebot <Premium> – Café "Belle Époque"', 1);
  fixDeal(3, 'Devis « maintenance » & support', 1);
  fixDeal(4, 'Renovación de licencias – Ibérica Solar', 1);
  fixDeal(5, 'Поставка оборудования (Camille)', 2);
  fixDeal(6, 'Wdrożenie CRM – etap 1', 1, 'C1:NEW');
  fixDeal(7, 'Wdrożenie CRM – etap 2', 1, 'C1:PREPARATION');
  fixDeal(8, 'Rahmenvertrag 2026 (gewonnen)', 1, 'WON');
  fixDeal(9, 'Formation équipe commerciale', 1, 'PREPARATION');
  fixDeal(10, 'Consultoria de vendas – concluída?', 1, 'NEW');
  fixDeal(11, 'Migración a la nube – llamada perdida', 1, 'NEW');
  fixDeal(12, 'Proposta "Plano Ouro"', 3, 'PREPAYMENT_INVOICE');
  // Two recurring deals: templates, never counted.
  for (const id of [13, 14]) {
    const d = store.deals.get(id);
    if (d) Object.assign(d, { title: `Monatliche Wartung #${id - 12} (wiederkehrend)`, isRecurring: true, stageId: 'NEW', categoryId: 0, assignedById: 1 });
  }
  for (let id = 1; id <= nLeads; id++) {
    const created = past(120);
    const r = rnd();
    store.leads.set(id, {
      id,
      title: `${pick(LEAD_TITLES)}${id}`,
      name: pick(CONTACT_FIRST),
      lastName: pick(CONTACT_LAST),
      assignedById: id <= 2 ? 1 : owner(),
      statusId: id <= 2 ? 'IN_PROCESS' : r < 0.7 ? pick(['NEW', 'IN_PROCESS', 'PROCESSED']) : r < 0.85 ? 'CONVERTED' : 'JUNK',
      createdBy: 1,
      dateCreate: created,
      dateModify: modifiedAfter(created),
    });
  }
  const projects = store.smartItems.get(128)!;
  const suppliers = store.smartItems.get(129)!;
  const nSuppliers = Math.max(2, Math.round(nSmart / 6));
  for (let i = 1; i <= nSmart; i++) {
    const created = past(200);
    const id = store.nextId.smartItem++;
    const isSupplier = i > nSmart - nSuppliers;
    const r = rnd();
    const item = {
      id,
      entityTypeId: isSupplier ? 129 : 128,
      title: isSupplier ? `Lieferant: ${pick(COMPANY_NAMES)}` : `Projekt ${pick(DEAL_PRODUCTS)} #${id}`,
      assignedById: id <= 2 ? 1 : owner(),
      stageId: isSupplier
        ? pick(['DT129_7:NEW', 'DT129_7:CHECK', 'DT129_7:SUCCESS'])
        : id <= 2 || r < 0.75
          ? pick(['DT128_5:NEW', 'DT128_5:PREPARATION', 'DT128_5:CLIENT'])
          : pick(['DT128_5:SUCCESS', 'DT128_5:FAIL']),
      categoryId: isSupplier ? 7 : 5,
      contactId: rnd() < 0.5 ? between(1, nContacts + 1) : null,
      companyId: rnd() < 0.5 ? between(2, nCompanies + 1) : null,
      createdBy: 1,
      createdTime: created,
      updatedTime: modifiedAfter(created),
    };
    (isSupplier ? suppliers : projects).set(id, item);
  }
  store.nextId.deal = nDeals + 1;
  store.nextId.lead = nLeads + 1;
  store.nextId.contact = nContacts + 1;
  store.nextId.company = nCompanies + 1;

  // Activities
  const berlinToday = dayStartIn('Europe/Berlin', now);
  let nextActivityId = 1;
  let openMade = 0;
  const make = (a: Partial<DemoActivity> & Pick<DemoActivity, 'providerId' | 'subject' | 'responsibleId'> & { owner: ItemRef; also?: ItemRef[] }): DemoActivity => {
    const created = a.created ?? past(20);
    const completed = a.completed ?? false;
    const act: DemoActivity = {
      id: nextActivityId++,
      ownerTypeId: a.owner.entityTypeId,
      ownerId: a.owner.entityId,
      bindings: [a.owner, ...(a.also ?? [])],
      typeId: a.typeId ?? 6,
      providerId: a.providerId,
      providerTypeId: a.providerTypeId ?? 'TODO',
      direction: a.direction ?? 0,
      completed,
      status: completed ? 2 : 1,
      subject: a.subject,
      description: a.description ?? '',
      priority: a.priority ?? 2,
      responsibleId: a.responsibleId,
      authorId: a.authorId ?? a.responsibleId,
      created,
      startTime: a.startTime ?? created,
      endTime: a.endTime ?? null,
      deadline: a.deadline === undefined ? null : a.deadline,
      notifyType: a.notifyType ?? 0,
      notifyValue: a.notifyValue ?? 0,
      // A to-do made in the portal's form gets its author's reminder choice,
      // by default "at the deadline" and "15 minutes before"
      // (CCrmActivity::fetchActivityPingOffsets → TodoPingSettingsProvider::DEFAULT_OFFSETS);
      // other providers keep none unless given.
      pingOffsets: a.pingOffsets ?? (a.providerId === 'CRM_TODO' ? [0, 15] : undefined),
      lastUpdated: a.lastUpdated ?? Math.min(now, created + Math.floor(rnd() * (now - created))),
      settings: a.settings ?? {},
      isIncomingChannel: a.isIncomingChannel ?? false,
    };
    insertActivity(store, act);
    if (!completed) openMade++;
    return act;
  };
  const deal = (id: number): ItemRef => ({ entityTypeId: 2, entityId: id });
  const todo = (owner: ItemRef, subject: string, deadline: number | null, responsibleId = 1, also?: ItemRef[]) =>
    make({ owner, also, subject, deadline, responsibleId, providerId: 'CRM_TODO', providerTypeId: 'TODO', typeId: 6, endTime: deadline });
  const incomingCall = (owner: ItemRef, subject: string, missed: boolean, responsibleId = 1) => {
    const at = now - between(5 * MINUTE, 3 * HOUR);
    return make({ owner, subject, responsibleId, providerId: 'VOXIMPLANT_CALL', providerTypeId: 'CALL', typeId: 2, direction: 1, isIncomingChannel: true, created: at, startTime: at, endTime: at + (missed ? 0 : 4 * MINUTE), deadline: at, lastUpdated: at, settings: missed ? { MISSED_CALL: true } : {} });
  };
  const incomingEmail = (owner: ItemRef, subject: string, responsibleId = 1) => {
    const at = now - between(10 * MINUTE, 2 * DAY);
    return make({ owner, subject, responsibleId, providerId: 'CRM_EMAIL', providerTypeId: 'EMAIL', typeId: 4, direction: 1, isIncomingChannel: true, created: at, startTime: at, endTime: at, deadline: at, lastUpdated: at, description: 'Guten Tag,\n<b>bitte</b> senden Sie uns das Angebot & die AGB.' });
  };
  const chat = (owner: ItemRef, subject: string, responsibleId = 1) => {
    const at = now - between(MINUTE, 6 * HOUR);
    return make({ owner, subject, responsibleId, providerId: 'IMOPENLINES_SESSION', providerTypeId: 'IMOPENLINES_SESSION', typeId: 6, direction: 1, isIncomingChannel: true, created: at, startTime: at, lastUpdated: at, deadline: null });
  };
  const outgoingCall = (owner: ItemRef, subject: string, deadline: number, responsibleId = 1) =>
    make({ owner, subject, responsibleId, providerId: 'VOXIMPLANT_CALL', providerTypeId: 'CALL', typeId: 2, direction: 2, startTime: deadline, endTime: deadline + 15 * MINUTE, deadline });
  const meeting = (owner: ItemRef, subject: string, deadline: number, responsibleId = 1) =>
    make({ owner, subject, responsibleId, providerId: 'CRM_MEETING', providerTypeId: 'MEETING', typeId: 1, direction: 0, startTime: deadline, endTime: deadline + HOUR, deadline, notifyType: rnd() < 0.5 ? 1 : 2, notifyValue: rnd() < 0.5 ? 15 : 1 });

  todo(deal(1), 'Angebot nachfassen (heute 18:00)', berlinToday + 18 * HOUR);
  for (let i = 0; i < 3; i++) todo(deal(2), `Rappeler le client – relance ${i + 1}`, berlinToday - DAY + (9 + i * 2) * HOUR);
  incomingEmail(deal(3), 'Re: Votre devis & conditions « urgent »');
  chat(deal(4), 'Chat: ¿Dónde está mi pedido?');
  outgoingCall(deal(4), 'Llamar sobre el pedido <vencido>', berlinToday - 2 * DAY + 11 * HOUR);
  todo(deal(5), 'Подготовить КП для Camille', berlinToday - DAY + 15 * HOUR, 1);
  todo(deal(6), 'Wysłać umowę (dwie transakcje)', berlinToday - DAY + 10 * HOUR, 1, [deal(7)]);
  todo(deal(8), 'Rechnung prüfen (Deal gewonnen)', berlinToday - 3 * DAY);
  todo(deal(9), 'Préparer la formation vendredi', berlinToday + 3 * DAY + 10 * HOUR);
  make({ owner: deal(10), subject: 'Reunião concluída', responsibleId: 1, providerId: 'CRM_MEETING', providerTypeId: 'MEETING', typeId: 1, completed: true, deadline: now - 5 * DAY });
  incomingCall(deal(11), 'Llamada perdida de +34 600 000 000', true);
  meeting(deal(11), 'Réunion de lancement (rappel 15 min)', berlinToday + 20 * HOUR, 1);
  todo(deal(12), 'Enviar proposta – tarefa da Anna', now + 2 * HOUR, 1);
  todo(deal(13), 'Wartung planen (Vorlage)', berlinToday - DAY);
  incomingCall({ entityTypeId: 3, entityId: 1 }, 'Eingehender Anruf von Jürgen', false);
  todo({ entityTypeId: 4, entityId: 2 }, 'Jahresgespräch vereinbaren', null);
  todo({ entityTypeId: 1, entityId: 1 }, 'Lead qualifizieren – "Rückruf"', berlinToday + 12 * HOUR);
  todo({ entityTypeId: 128, entityId: 1 }, 'Projektplan <v2> abstimmen', berlinToday - 2 * DAY + 14 * HOUR);
  incomingEmail({ entityTypeId: 1, entityId: 2 }, 'Re: Zapytanie ofertowe & cennik');

  // The random mix stays off the hand-made records, so the worked examples hold exactly.
  const dealIds = [...store.deals.keys()].filter((id) => id > 14);
  const leadIds = [...store.leads.keys()].filter((id) => id > 2);
  const contactIds = [...store.contacts.keys()].filter((id) => id > 1);
  const companyIds = [...store.companies.keys()].filter((id) => id > 2);
  const projectIds = [...projects.keys()].filter((id) => id > 1);
  const supplierIds = [...suppliers.keys()];
  const randomOwner = (): ItemRef => {
    const r = rnd();
    if (r < 0.45) return deal(pick(dealIds));
    if (r < 0.65) return { entityTypeId: 1, entityId: pick(leadIds) };
    if (r < 0.8) return { entityTypeId: 3, entityId: pick(contactIds) };
    if (r < 0.9) return { entityTypeId: 4, entityId: pick(companyIds) };
    if (r < 0.98) return { entityTypeId: 128, entityId: pick(projectIds) };
    return { entityTypeId: 129, entityId: pick(supplierIds) };
  };
  const responsibleOf = (ref: ItemRef): number => {
    switch (ref.entityTypeId) {
      case 1:
        return store.leads.get(ref.entityId)?.assignedById ?? 1;
      case 2:
        return store.deals.get(ref.entityId)?.assignedById ?? 1;
      case 3:
        return store.contacts.get(ref.entityId)?.assignedById ?? 1;
      case 4:
        return store.companies.get(ref.entityId)?.assignedById ?? 1;
      default:
        return store.smartItems.get(ref.entityTypeId)?.get(ref.entityId)?.assignedById ?? 1;
    }
  };
  const plannedDeadline = (allowNone: boolean): number | null => {
    const r = rnd();
    if (r < 0.3) return berlinToday - between(1, 25) * DAY + between(8, 19) * HOUR;
    if (r < 0.45) return berlinToday + between(8 * HOUR, 23 * HOUR);
    if (r < 0.9 || !allowNone) return berlinToday + between(1, 30) * DAY + between(8, 19) * HOUR;
    return null;
  };
  const completedTotal = Math.round(openTarget * 0.3);
  let completedMade = 1;
  while (openMade < openTarget || completedMade < completedTotal) {
    const wantCompleted = completedMade < completedTotal && (openMade >= openTarget || rnd() < completedTotal / (completedTotal + openTarget));
    const ownerRef = randomOwner();
    const itemResponsible = responsibleOf(ownerRef);
    const responsibleId = rnd() < 0.85 && itemResponsible > 0 ? itemResponsible : pick(activeIds);
    const also: ItemRef[] = [];
    if (ownerRef.entityTypeId === 2 && rnd() < 0.2) {
      const d = store.deals.get(ownerRef.entityId);
      if (d?.contactId) also.push({ entityTypeId: 3, entityId: d.contactId });
      else if (d?.companyId) also.push({ entityTypeId: 4, entityId: d.companyId });
    }
    const k = rnd();
    let act: DemoActivity;
    if (k < 0.5) {
      act = todo(ownerRef, pick(SUBJECTS.todo), plannedDeadline(true), responsibleId);
    } else if (k < 0.58) {
      act = incomingCall(ownerRef, pick(SUBJECTS.callIn), rnd() < 0.35, responsibleId);
    } else if (k < 0.65) {
      act = chat(ownerRef, pick(SUBJECTS.chat), responsibleId);
    } else if (k < 0.73) {
      act = incomingEmail(ownerRef, pick(SUBJECTS.emailIn), responsibleId);
    } else if (k < 0.87) {
      act = outgoingCall(ownerRef, pick(SUBJECTS.callOut), plannedDeadline(false) ?? now, responsibleId);
    } else if (k < 0.98) {
      act = meeting(ownerRef, pick(SUBJECTS.meeting), plannedDeadline(false) ?? now, responsibleId);
    } else {
      act = make({ owner: ownerRef, subject: pick(SUBJECTS.emailOut), responsibleId, providerId: 'CRM_EMAIL', providerTypeId: 'EMAIL', typeId: 4, direction: 2, deadline: now - between(HOUR, 10 * DAY) });
    }
    for (const ref of also) bindActivity(store, act, ref);
    if (wantCompleted) {
      act.completed = true;
      act.status = 2;
      openMade--;
      completedMade++;
    }
  }
  store.nextId.activity = nextActivityId;
  // Added last and without the random stream, so nothing else in the seed moves.
  store.externalUsers.set(BOT_USER_ID, {
    id: BOT_USER_ID,
    name: 'Sales',
    lastName: 'Bot',
    email: 'sales.bot@demo.example',
    timeZone: '',
    departmentIds: [],
    active: true,
    workPosition: '',
    gender: '',
    isAdmin: false,
    dateRegister: now - 100 * DAY,
    externalType: 'bot',
  });
  // Bitrix24 stores date-times in whole seconds; so does the seed.
  toWholeSeconds(store);
  return store;
}

const second = (ms: number) => Math.floor(ms / 1000) * 1000;
const secondOrNull = (ms: number | null) => (ms === null ? null : second(ms));

/** Truncates every stored date-time to its second, as the portal's database keeps them. */
export function toWholeSeconds(store: DemoStore): void {
  for (const a of store.activities.values()) {
    a.created = second(a.created);
    a.lastUpdated = second(a.lastUpdated);
    a.startTime = secondOrNull(a.startTime);
    a.endTime = secondOrNull(a.endTime);
    a.deadline = secondOrNull(a.deadline);
  }
  for (const items of [store.deals, store.leads, store.contacts, store.companies]) {
    for (const i of items.values()) {
      i.dateCreate = second(i.dateCreate);
      i.dateModify = second(i.dateModify);
    }
  }
  for (const items of store.smartItems.values()) {
    for (const i of items.values()) {
      i.createdTime = second(i.createdTime);
      i.updatedTime = second(i.updatedTime);
    }
  }
}
