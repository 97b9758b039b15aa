// How the crm module's controller methods (crm.activity.binding.*,
// crm.item.*, crm.activity.todo.*) receive an integer parameter. They are
// `Bitrix\Main\Engine` controller actions with typed PHP arguments
// (`listAction(int $activityId)` in crm/lib/controller/activity/binding.php),
// bound from the request by the main module's parameter binder:
// `Bitrix\Main\Engine\AutoWire\Binder::getParameterValue` looks the name up
// (exact case) and, for a builtin type, asks
// `AutoWire\TypeDeclarationChecker::isSatisfied`, which accepts an int only
// when the value is an int or `is_numeric`; anything else (an array, a bool,
// null, non-numeric text) throws `BinderArgumentException` ("Invalid value
// {…} to match with parameter {…}. Should be value of type int.", an
// ArgumentException, code 100). `Controller::run` turns it into an error and
// `Bitrix\Rest\Engine\RestManager::processMethodRequest` into a RestException
// with that code: the command fails with `error: 100`, HTTP 400. A missing
// parameter without a default fails the same way ("Could not find value for
// parameter {…}"). So a batch reference that resolved to a row list (a short
// page) makes such a command fail; it never runs on a wrong ID.
// (Read in avshatalov48/bitrix-core-business, modules/main/lib/engine/autowire/binder.php,
// typedeclarationchecker.php, modules/main/lib/exception.php, modules/rest/lib/engine/restmanager.php.)

import { RestError } from './legacy.ts';

/** A binder failure: Bitrix24 writes its code as the number 100, not a string. */
export class BinderError extends RestError {
  readonly wireCode = 100;
  constructor(description: string) {
    super(400, '100', description);
  }
}

/** PHP's `is_numeric`: optional leading/trailing whitespace, sign, decimal or exponent form. */
export function phpIsNumeric(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'string') return false;
  return /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$/.test(v);
}

/** How PHP prints a value inside "Invalid value {…}": arrays as `Array`, false and null as nothing. */
function phpString(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (v === true) return '1';
  if (typeof v === 'object') return 'Array';
  return String(v);
}

/**
 * The value of an `int $name` argument, or the BinderError Bitrix24 answers.
 * `fallback` stands for a PHP default value (used only when the parameter is absent).
 */
export function intArg(params: Record<string, unknown>, name: string, fallback?: number): number {
  if (!(name in params) || params[name] === undefined) {
    if (fallback !== undefined) return fallback;
    throw new BinderError(`Could not find value for parameter {${name}}`);
  }
  const v = params[name];
  if (!phpIsNumeric(v)) throw new BinderError(`Invalid value {${phpString(v)}} to match with parameter {${name}}. Should be value of type int.`);
  // PHP coerces the numeric value into the int argument (fractions truncated).
  return Math.trunc(Number(typeof v === 'string' ? v.trim() : v));
}
