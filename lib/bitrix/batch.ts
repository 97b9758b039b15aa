// `batch`: up to 50 commands in one HTTP request (one slot of the portal's
// leaky bucket). Commands are `method?php-query` strings; a command may refer
// to an earlier answer with `$result[key][49][ID]`, which is how a full scan
// chains 50 pages of 50 rows into one request.
import type { BitrixClient, RestParams, RestTime } from './client';
import { BitrixError, classifyErrorCode, scopeFromDescription } from './errors';

export const BATCH_LIMIT = 50;
export const PAGE_SIZE = 50;

export interface BatchCommand {
  method: string;
  params?: RestParams;
}

export interface BatchAnswer {
  /** Results by command key; a command that failed has none. */
  results: Map<string, unknown>;
  /** Errors by command key, classified like top-level errors. */
  errors: Map<string, BitrixError>;
  totals: Map<string, number>;
  /** The `time` block of the batch answer: `date_start` is the portal's clock. */
  time: RestTime | undefined;
}

/** PHP bracket form, as Bitrix24 (and PHP's parse_str) reads it: `filter[>ID]=5&select[0]=ID`. */
export function phpQuery(data: RestParams): string {
  const out: string[] = [];
  const walk = (prefix: string, value: unknown): void => {
    if (value === undefined) return;
    if (value === null) {
      out.push(`${encodeURIComponent(prefix)}=`);
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) walk(`${prefix}[${i}]`, item);
    } else if (typeof value === 'object') {
      for (const [k, item] of Object.entries(value as Record<string, unknown>)) walk(`${prefix}[${k}]`, item);
    } else {
      out.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(String(value))}`);
    }
  };
  for (const [k, v] of Object.entries(data)) walk(k, v);
  return out.join('&');
}

export function commandString(command: BatchCommand): string {
  const query = command.params ? phpQuery(command.params) : '';
  return query ? `${command.method}?${query}` : command.method;
}

/** A reference to a field of an earlier command's answer, resolved by the portal. */
export function ref(key: string, ...path: (string | number)[]): string {
  return `$result[${key}]${path.map((p) => `[${p}]`).join('')}`;
}

const asMap = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/**
 * Sends one batch. Throws when the request as a whole fails; errors of single
 * commands come back in `errors` for the caller to judge. A reference to
 * what does not exist fails nothing by itself: it resolves to the deepest
 * level that does (a short page's row list); a legacy list reads that as
 * `'>ID': 1`, a controller method's `int` parameter refuses it (error 100,
 * a number: its code is read here as ''). With `halt` the portal
 * stops at the first failing command: later ones come back neither as
 * results nor as errors.
 */
export async function callBatch(
  client: BitrixClient,
  commands: ReadonlyMap<string, BatchCommand>,
  options: { halt?: boolean } = {},
): Promise<BatchAnswer> {
  if (commands.size === 0) throw new Error('callBatch: no commands');
  if (commands.size > BATCH_LIMIT) throw new Error(`callBatch: ${commands.size} commands, at most ${BATCH_LIMIT}`);
  const cmd: Record<string, string> = {};
  for (const [key, command] of commands) cmd[key] = commandString(command);
  const answer = await client.call<unknown>('batch', { halt: options.halt ? 1 : 0, cmd });
  const body = asMap(answer.result);
  const results = new Map<string, unknown>();
  for (const [key, value] of Object.entries(asMap(body.result))) results.set(key, value);
  const errors = new Map<string, BitrixError>();
  for (const [key, value] of Object.entries(asMap(body.result_error))) {
    const e = asMap(value);
    const code = typeof e.error === 'string' ? e.error : '';
    const description = typeof e.error_description === 'string' ? e.error_description : '';
    const kind = classifyErrorCode(code, description, null);
    const method = commands.get(key)?.method ?? key;
    errors.set(
      key,
      new BitrixError(kind, `${method}: ${code || 'error'}${description ? `: ${description.slice(0, 200)}` : ''}`, {
        code,
        scope: kind === 'missingScope' ? scopeFromDescription(description) : null,
      }),
    );
  }
  const totals = new Map<string, number>();
  for (const [key, value] of Object.entries(asMap(body.result_total))) {
    const n = Number(value);
    if (Number.isFinite(n)) totals.set(key, n);
  }
  return { results, errors, totals, time: answer.time };
}

/** Errors that concern the webhook or the portal as a whole, whichever command reports them. */
const WHOLE_REQUEST_KINDS = new Set(['badCredentials', 'authExpired', 'restUnavailable', 'httpsRequired']);

/**
 * The first error of a batch that must stop the caller. Commands the caller
 * says may fail (`mayFail`) only stop it for errors that will not go away by
 * skipping them: the webhook's, or a transient one (retried as a whole).
 */
export function fatalError(answer: BatchAnswer, mayFail: (key: string) => boolean = () => false): BitrixError | null {
  for (const [key, error] of answer.errors) {
    const transient = error.action === 'retry' || error.action === 'wait';
    if (mayFail(key) && !transient && !WHOLE_REQUEST_KINDS.has(error.kind)) continue;
    return error;
  }
  return null;
}

/** Rows of a list answer: legacy lists give an array, crm.item.list `{ items: [...] }`. */
export function listRows(result: unknown): unknown[] {
  if (Array.isArray(result)) return result;
  const items = asMap(result).items;
  return Array.isArray(items) ? items : [];
}
