// `batch` as the rest module runs it (`CRestProvider::methodsBatch` in
// rest/classes/general/rest_provider.php, references by
// `CRestUtil::ParseBatchQuery` / `processBatchStructure` /
// `processBatchElement` in rest_util.php, both read in
// avshatalov48/bitrix-core-business): commands in order, each command's
// query parsed and its `$result[...]` references substituted from the answers
// so far, at most 50 commands, `halt` stopping after the first error.

import { BinderError } from './binder.ts';
import { type ListAnswer, RestError } from './legacy.ts';
import { parsePhpQuery } from './params.ts';

/** What earlier commands left, by command key: what a reference can point into. */
export interface BatchMaps {
  result: Record<string, unknown>;
  next: Record<string, unknown>;
  total: Record<string, unknown>;
  time: Record<string, unknown>;
  error: Record<string, unknown>;
}

export const BATCH_MAX_LENGTH = 50;

// The server builds its pattern from the names of its maps, case-insensitively,
// and takes the path up to the first whitespace (so text glued to a reference is part of it).
const REFERENCE = /\$(result|next|total|time|error)([^\s]*)/gi;
const PATH_STEP = /\[([^\]]+)\]/g;

/** PHP's `isset($node[$key])`: an array or map key holding a non-null value, or a character offset of a string. */
function stepInto(node: unknown, key: string): { ok: boolean; value: unknown } {
  if (typeof node === 'string') {
    const i = /^\d+$/.test(key) ? Number(key) : -1;
    return i >= 0 && i < node.length ? { ok: true, value: node[i] } : { ok: false, value: undefined };
  }
  if (node === null || typeof node !== 'object') return { ok: false, value: undefined };
  const value = (node as Record<string, unknown>)[key];
  return value === undefined || value === null ? { ok: false, value: undefined } : { ok: true, value };
}

const isNumeric = (v: unknown) =>
  (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(v));

/**
 * One parameter value: each reference walks its path and stops at the deepest
 * level that exists (a failed command: the whole map of answers; a short page:
 * that command's row list). A reference that is the whole value is replaced by
 * what it found, array or not; inside longer text only a scalar is written in,
 * anything else leaves the reference's text as it was. Nothing here fails.
 */
export function resolveElement(value: string, maps: BatchMaps): unknown {
  let out: unknown = value;
  for (const m of value.matchAll(REFERENCE)) {
    const steps = [...m[2].matchAll(PATH_STEP)].map((s) => s[1]);
    if (steps.length === 0) continue;
    // The map is looked up by the name as written: `$RESULT[...]` finds nothing and stays at null.
    let node: unknown = (maps as unknown as Record<string, unknown>)[m[1]] ?? null;
    for (const key of steps) {
      const next = stepInto(node, key);
      if (!next.ok) break;
      node = next.value;
    }
    if (m[0] === out) {
      out = node;
      break;
    }
    if (typeof out !== 'string') break;
    const text = isNumeric(node) ? String(node) : node;
    if (typeof text !== 'string') continue;
    out = out.split(m[0]).join(text);
  }
  return out;
}

/** Every value of a parsed query, nested arrays included. */
export function resolveRefs(node: unknown, maps: BatchMaps): unknown {
  if (typeof node === 'string') return node.includes('$') ? resolveElement(node, maps) : node;
  if (Array.isArray(node)) return node.map((v) => resolveRefs(v, maps));
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = resolveRefs(v, maps);
    return out;
  }
  return node;
}

/** PHP's `(bool)` of the `halt` parameter: "0", "", 0 and empty arrays are false, any other text is true. */
export function phpTruthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '' || v === '0') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function keyOf(params: Record<string, unknown>, name: string): unknown {
  const k = Object.keys(params).find((p) => p.toUpperCase() === name);
  return k === undefined ? undefined : params[k];
}

export interface BatchDeps {
  /** Runs one command (method name already lower-cased); throws RestError. */
  run(method: string, params: Record<string, unknown>): ListAnswer;
  /** The `time` block of one command that started at portal time `at`, performance time `t0`. */
  time(at: number, t0: number): Record<string, unknown>;
  now(): number;
}

function errorEntry(e: RestError): Record<string, unknown> {
  return { error: e instanceof BinderError ? e.wireCode : e.code, error_description: e.description };
}

const emptyAsList = (m: Record<string, unknown>) => (Object.keys(m).length === 0 ? [] : m);

export function runBatch(params: Record<string, unknown>, deps: BatchDeps): Record<string, unknown> {
  const halt = phpTruthy(keyOf(params, 'HALT'));
  const cmd = keyOf(params, 'CMD');
  const entries: [string, unknown][] = Array.isArray(cmd) ? cmd.map((v, i) => [String(i), v]) : cmd && typeof cmd === 'object' ? Object.entries(cmd) : [];
  const maps: BatchMaps = { result: {}, next: {}, total: {}, time: {}, error: {} };
  let count = 0;
  for (const [key, call] of entries) {
    if (count++ >= BATCH_MAX_LENGTH) {
      maps.error[key] = { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' };
    } else {
      // Not a command string: skipped without an answer.
      if (typeof call !== 'string') continue;
      const t0 = performance.now();
      const at = deps.now();
      try {
        const q = call.indexOf('?');
        const method = (q < 0 ? call : call.slice(0, q)).toLowerCase().replace(/\.json$/, '').replace(/\/+$/, '');
        if (method === 'batch') throw new RestError(400, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Batch call is not allowed in batch');
        const raw = q < 0 ? {} : parsePhpQuery(call.slice(q + 1));
        const answer = deps.run(method, resolveRefs(raw, maps) as Record<string, unknown>);
        maps.result[key] = answer.result;
        if (answer.next !== undefined) maps.next[key] = answer.next;
        if (answer.total !== undefined) maps.total[key] = answer.total;
        maps.time[key] = deps.time(at, t0);
      } catch (e) {
        if (!(e instanceof RestError)) throw e;
        maps.error[key] = errorEntry(e);
      }
    }
    if (key in maps.error && halt) break;
  }
  return {
    result: emptyAsList(maps.result),
    result_error: emptyAsList(maps.error),
    result_total: emptyAsList(maps.total),
    result_next: emptyAsList(maps.next),
    result_time: emptyAsList(maps.time),
  };
}
