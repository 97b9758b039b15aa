// With the browser's login, every answer must be the connected user's: the
// browser may be signed in to the portal as someone else by now, and then
// nothing of that person's data may be kept. A batch carries one more
// command, `user.current`, and its answer is checked before anything else is
// read; the command is taken out again, so callers never see it.
import { BitrixError, classifyErrorCode } from './errors';

/** The key of the identity command; no caller's key starts with two underscores. */
export const IDENTITY_KEY = '__who';

/** A batch's commands with the identity check first. */
export function withIdentityCommand(cmd: unknown): Record<string, unknown> | null {
  if (!cmd || typeof cmd !== 'object' || Array.isArray(cmd)) return null;
  return { [IDENTITY_KEY]: 'user.current', ...(cmd as Record<string, unknown>) };
}

const asMap = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** The ID of a `user.current` answer (a string on the wire), or null. */
export function userIdOf(user: unknown): number | null {
  const id = Number(asMap(user).ID);
  return Number.isInteger(id) && id > 0 ? id : null;
}

/** Throws when a session's answer is another user's (or the check itself failed). */
export function assertUser(user: unknown, expected: number, method: string): void {
  const id = userIdOf(user);
  if (id === expected) return;
  throw new BitrixError('otherUser', `${method}: the portal session belongs to another user`);
}

/**
 * Checks the identity command of a batch answer and returns the answer
 * without it. Each map becomes `[]` again when only the check was in it, as
 * the portal sends an empty map.
 */
export function checkedBatchResult(result: unknown, expected: number): unknown {
  const body = asMap(result);
  const failed = asMap(asMap(body.result_error)[IDENTITY_KEY]);
  if (Object.keys(failed).length > 0) {
    const code = typeof failed.error === 'string' ? failed.error : '';
    const description = typeof failed.error_description === 'string' ? failed.error_description : '';
    throw new BitrixError(classifyErrorCode(code, description, null), `batch: user.current: ${code || 'error'}`, { code });
  }
  assertUser(asMap(body.result)[IDENTITY_KEY], expected, 'batch');
  const out: Record<string, unknown> = { ...body };
  for (const key of ['result', 'result_error', 'result_total', 'result_next', 'result_time']) {
    if (!(key in body)) continue;
    const { [IDENTITY_KEY]: _check, ...rest } = asMap(body[key]);
    out[key] = Object.keys(rest).length === 0 ? [] : rest;
  }
  return out;
}
