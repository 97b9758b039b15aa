// The legacy list engine behind crm.deal.list, crm.activity.list and friends:
// string values, PHP-style filter prefixes, order, select and pages of 50.
// Also the strict variant crm.item.list uses (camelCase, typed values).

import { formatDateTime, type PortalClock, parseDateTime } from './dates.ts';

export type FieldKind = 'int' | 'float' | 'string' | 'date' | 'yn' | 'object' | 'bool';
export type Raw = number | string | boolean | null | object;

export interface FieldSpec<T> {
  kind: FieldKind;
  get(row: T): Raw;
  /** Returned for `*` / no select. Default true. */
  inDefault?: boolean;
  /** Filtering on the field works. Default true; false = silently ignored (IS_INCOMING_CHANNEL). */
  filterable?: boolean;
}

export type FieldSpecs<T> = Record<string, FieldSpec<T>>;

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
  }
}

export const PAGE_SIZE = 50;

export interface ListAnswer {
  result: unknown;
  total?: number;
  next?: number;
}

const OPS = ['>=', '<=', '!=', '!@', '=%', '%=', '>', '<', '=', '!', '@', '%'] as const;
type Op = (typeof OPS)[number] | '';

export function splitFilterKey(key: string): { op: Op; field: string } {
  for (const op of OPS) {
    if (key.startsWith(op)) return { op, field: key.slice(op.length) };
  }
  return { op: '', field: key };
}

type Comparable = number | string | null;

function comparable(kind: FieldKind, v: Raw, clock: PortalClock): Comparable {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'int':
    case 'float': {
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string' && v.trim() === '') return null;
      const n = Number(v);
      return Number.isFinite(n) ? n : null;
    }
    case 'date': {
      if (v === '') return null;
      // Bitrix24 keeps date-times in whole seconds: `>LAST_UPDATED` of second X leaves out every row of second X.
      const ms = parseDateTime(v, clock.offsetMinutes);
      return ms === null ? null : Math.floor(ms / 1000) * 1000;
    }
    case 'yn':
    case 'bool':
      if (v === true || v === 'Y' || v === 'y' || v === 1 || v === '1' || v === 'true') return 'Y';
      if (v === false || v === 'N' || v === 'n' || v === 0 || v === '0' || v === 'false') return 'N';
      return String(v);
    default:
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

/** PHP's `(int)`: the leading number of text (0 when none), arrays 0 when empty else 1, booleans 0/1. */
export function phpInt(v: unknown): number {
  if (v === null || v === undefined || v === false) return 0;
  if (v === true) return 1;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : 0;
  if (typeof v === 'object') return Object.keys(v).length > 0 ? 1 : 0;
  const m = /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(String(v));
  return m ? Math.trunc(Number(m[0].trim())) || 0 : 0;
}

function asList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') return Object.values(v);
  if (typeof v === 'string' && v.includes(',')) return v.split(',');
  return [v];
}

export type Predicate<T> = (row: T) => boolean;

/**
 * Compiles a filter into one predicate. `strict` (crm.item.list) rejects
 * unknown fields with INVALID_ARG_VALUE; the legacy lists ignore them.
 */
export function compileFilter<T>(filter: unknown, specs: FieldSpecs<T>, clock: PortalClock, strict: boolean): Predicate<T> {
  const tests: Predicate<T>[] = [];
  if (filter === undefined || filter === null || filter === '') return () => true;
  if (typeof filter !== 'object' || Array.isArray(filter)) {
    if (strict) throw new RestError(400, 'INVALID_ARG_VALUE', 'Invalid filter');
    return () => true;
  }
  for (const [key, value] of Object.entries(filter as Record<string, unknown>)) {
    const { op, field } = splitFilterKey(key);
    const spec = specs[field] ?? (strict ? undefined : specs[field.toUpperCase()]);
    if (!spec) {
      if (strict) throw new RestError(400, 'INVALID_ARG_VALUE', `Invalid filter: field '${field}' is not allowed in filter`);
      continue;
    }
    if (spec.filterable === false) continue;
    const kind = spec.kind;
    const isList = Array.isArray(value) || (value !== null && typeof value === 'object');
    if (op === '@' || op === '!@' || ((op === '' || op === '=' || op === '!' || op === '!=') && isList)) {
      const set = new Set(asList(value).map((v) => comparable(kind, v as Raw, clock)));
      const negate = op === '!@' || op === '!' || op === '!=';
      tests.push((row) => set.has(comparable(kind, spec.get(row), clock)) !== negate);
      continue;
    }
    if (op === '%' || op === '=%' || op === '%=') {
      const needle = String(value ?? '').toLowerCase().replace(/%/g, '');
      tests.push((row) => {
        const v = spec.get(row);
        return v !== null && String(v).toLowerCase().includes(needle);
      });
      continue;
    }
    // Legacy lists cast an integer field's value for >, <, >=, <= with PHP's (int)
    // (CCrmRestProxyBase::internalizeFilterFields): so `'>ID': <a batch reference
    // left unresolved>` (an array) is `'>ID': 1` and returns the first page of everything.
    const ranged = op === '>' || op === '<' || op === '>=' || op === '<=';
    const target = !strict && kind === 'int' && ranged ? phpInt(value) : comparable(kind, value as Raw, clock);
    const emptyTarget = value === '' || value === null || value === false && kind === 'date';
    if (op === '' || op === '=') {
      tests.push((row) => {
        const v = comparable(kind, spec.get(row), clock);
        return emptyTarget && kind !== 'yn' ? v === null || v === '' : v === target;
      });
      continue;
    }
    if (op === '!' || op === '!=') {
      tests.push((row) => {
        const v = comparable(kind, spec.get(row), clock);
        return emptyTarget && kind !== 'yn' ? !(v === null || v === '') : v !== target;
      });
      continue;
    }
    if (target === null) {
      if (strict) throw new RestError(400, 'INVALID_ARG_VALUE', `Invalid filter: field '${field}' has invalid value`);
      continue;
    }
    const cmp = (a: Comparable): boolean => {
      if (a === null) return false;
      switch (op) {
        case '>':
          return a > target;
        case '>=':
          return a >= target;
        case '<':
          return a < target;
        case '<=':
          return a <= target;
        default:
          return false;
      }
    };
    tests.push((row) => cmp(comparable(kind, spec.get(row), clock)));
  }
  if (tests.length === 0) return () => true;
  return (row) => {
    for (const t of tests) if (!t(row)) return false;
    return true;
  };
}

export interface OrderKey<T> {
  spec: FieldSpec<T>;
  desc: boolean;
  field: string;
}

export function compileOrder<T>(order: unknown, specs: FieldSpecs<T>, strict: boolean): OrderKey<T>[] {
  const keys: OrderKey<T>[] = [];
  if (!order || typeof order !== 'object') return keys;
  for (const [field, dir] of Object.entries(order as Record<string, unknown>)) {
    const spec = specs[field] ?? specs[field.toUpperCase()];
    if (!spec) {
      if (strict) throw new RestError(400, 'INVALID_ARG_VALUE', `Invalid order: field '${field}' is not allowed in order`);
      continue;
    }
    const direction = String(dir).toUpperCase();
    if (strict && direction !== 'ASC' && direction !== 'DESC') {
      throw new RestError(400, 'INVALID_ARG_VALUE', `Invalid order: allowed sort directions are ASC, DESC. But got '${String(dir)}' for field '${field}'`);
    }
    keys.push({ spec, desc: String(dir).toUpperCase() === 'DESC', field });
  }
  return keys;
}

/** `start` as Bitrix24 reads it: -1 = no count, else rounded down to a multiple of 50. */
export function readStart(raw: unknown): number {
  const n = Number(raw ?? 0);
  if (n === -1) return -1;
  if (!Number.isFinite(n) || n < 0) return 0;
  return Math.floor(n / PAGE_SIZE) * PAGE_SIZE;
}

/**
 * Filters, orders and pages rows. `rows` must come in ascending ID order.
 * Returns the page and, unless start = -1, total and next.
 */
export function pageRows<T>(
  rows: Iterable<T>,
  options: { filter: Predicate<T>; order: OrderKey<T>[]; start: number; idField: string; clock: PortalClock; idOf: (row: T) => number },
): { page: T[]; total?: number; next?: number } {
  const { filter, order, start, idOf, clock } = options;
  const byIdOnly = order.length === 0 || (order.length === 1 && order[0].field.toUpperCase() === options.idField.toUpperCase());
  const idDesc = byIdOnly && order.length === 1 && order[0].desc;
  if (start === -1 && byIdOnly && !idDesc) {
    const page: T[] = [];
    for (const row of rows) {
      if (filter(row)) {
        page.push(row);
        if (page.length === PAGE_SIZE) break;
      }
    }
    return { page };
  }
  const matched: T[] = [];
  for (const row of rows) if (filter(row)) matched.push(row);
  if (idDesc) matched.reverse();
  else if (!byIdOnly) {
    const keyed = matched.map((row) => ({ row, keys: order.map((o) => comparable(o.spec.kind, o.spec.get(row), clock)) }));
    keyed.sort((a, b) => {
      for (let i = 0; i < order.length; i++) {
        const x = a.keys[i];
        const y = b.keys[i];
        if (x === y) continue;
        // Empty values sort first ascending, as in SQL.
        const c = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
        return order[i].desc ? -c : c;
      }
      return idOf(a.row) - idOf(b.row);
    });
    matched.length = 0;
    for (const k of keyed) matched.push(k.row);
  }
  if (start === -1) return { page: matched.slice(0, PAGE_SIZE) };
  const page = matched.slice(start, start + PAGE_SIZE);
  const total = matched.length;
  return start + PAGE_SIZE < total ? { page, total, next: start + PAGE_SIZE } : { page, total };
}

function emptyAsList(v: object): unknown {
  // PHP serialises an empty array as [].
  return Object.keys(v).length === 0 ? [] : v;
}

/** Wire value of a legacy list field: strings everywhere, `Y`/`N`, dates with the portal's offset, "" for empty dates. */
export function legacyValue(kind: FieldKind, v: Raw, clock: PortalClock): unknown {
  if (v === null || v === undefined) return kind === 'date' ? '' : null;
  switch (kind) {
    case 'date':
      return typeof v === 'number' ? formatDateTime(v, clock) : String(v);
    case 'yn':
    case 'bool':
      return v === true || v === 'Y' ? 'Y' : 'N';
    case 'float':
      return Number(v).toFixed(2);
    case 'object':
      return typeof v === 'object' ? emptyAsList(v) : v;
    default:
      return String(v);
  }
}

/** Wire value for crm.item.list: integers, booleans, dates with offset, nulls. */
export function typedValue(kind: FieldKind, v: Raw, clock: PortalClock): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'date':
      return typeof v === 'number' ? formatDateTime(v, clock) : String(v);
    case 'int':
    case 'float':
      return Number(v);
    case 'yn':
      return v === true || v === 'Y' ? 'Y' : 'N';
    case 'bool':
      return v === true || v === 'Y';
    default:
      return v;
  }
}

export function selectFields<T>(select: unknown, specs: FieldSpecs<T>, strict: boolean): string[] {
  const names = select === undefined || select === null || select === '' ? [] : asList(select).map(String);
  const all = Object.keys(specs);
  if (names.length === 0 || names.includes('*')) {
    const base = all.filter((f) => specs[f].inDefault !== false);
    const extra = names.filter((n) => n !== '*' && specs[n] && !base.includes(n));
    return [...base, ...extra];
  }
  const chosen: string[] = [];
  const idField = all[0];
  if (!names.includes(idField)) chosen.push(idField);
  for (const n of names) {
    const key = specs[n] ? n : specs[n.toUpperCase()] ? n.toUpperCase() : null;
    if (key) {
      if (!chosen.includes(key)) chosen.push(key);
    } else if (strict && !n.startsWith('uf') && !n.startsWith('UF_')) {
      // crm.item.list tolerates unknown select entries too; nothing to do.
    }
  }
  return chosen;
}

export function renderRow<T>(row: T, fields: string[], specs: FieldSpecs<T>, clock: PortalClock, typed: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const spec = specs[f];
    out[f] = typed ? typedValue(spec.kind, spec.get(row), clock) : legacyValue(spec.kind, spec.get(row), clock);
  }
  return out;
}
