// PHP-style request parameters: `filter[>ID]=5&select[]=ID&order[ID]=ASC`.
// Bitrix24 reads query strings and form bodies the way PHP's parse_str does;
// batch command strings use the same form.

export type ParamValue = string | ParamValue[] | ParamObject;
export interface ParamObject {
  [key: string]: ParamValue;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    // PHP keeps malformed escapes as they are instead of failing.
    return s.replace(/\+/g, ' ');
  }
}

/** Splits `a[b][]` into `['a', 'b', '']`. Anything after a stray `[` stays part of the name, as in PHP. */
function keyPath(rawKey: string): string[] {
  const open = rawKey.indexOf('[');
  if (open <= 0) return [rawKey];
  const parts = [rawKey.slice(0, open)];
  const re = /\[([^\]]*)\]/gy;
  re.lastIndex = open;
  let m: RegExpExecArray | null = re.exec(rawKey);
  while (m) {
    parts.push(m[1]);
    if (re.lastIndex >= rawKey.length) break;
    m = re.exec(rawKey);
  }
  return parts;
}

function nextIndex(obj: ParamObject): string {
  let max = -1;
  for (const k of Object.keys(obj)) {
    if (/^\d+$/.test(k)) max = Math.max(max, Number(k));
  }
  return String(max + 1);
}

/** Parses a query string (without `?`) into nested objects. Lists come back as objects with numeric keys; see {@link normalizeLists}. */
export function parsePhpQuery(query: string): ParamObject {
  const root: ParamObject = {};
  if (!query) return root;
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    if (!rawKey) continue;
    const path = keyPath(rawKey);
    let node: ParamObject = root;
    for (let i = 0; i < path.length; i++) {
      const key = path[i] === '' ? nextIndex(node) : path[i];
      if (i === path.length - 1) {
        node[key] = value;
      } else {
        const child = node[key];
        if (child === undefined || typeof child === 'string' || Array.isArray(child)) {
          const fresh: ParamObject = {};
          node[key] = fresh;
          node = fresh;
        } else {
          node = child;
        }
      }
    }
  }
  return normalizeLists(root) as ParamObject;
}

/** Objects whose keys are exactly 0..n-1 become arrays, as JSON clients would send them. */
export function normalizeLists(value: ParamValue): ParamValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  for (const k of keys) value[k] = normalizeLists(value[k]);
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) {
    return keys.map((k) => value[k]);
  }
  return value;
}

/** Builds a PHP-style query string from nested data (for the pages' own calls and for tests). */
export function buildPhpQuery(data: Record<string, unknown>): string {
  const out: string[] = [];
  const walk = (prefix: string, v: unknown) => {
    if (v === undefined) return;
    if (v === null) {
      out.push(`${encodeURIComponent(prefix)}=`);
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(`${prefix}[${i}]`, v[i]);
    } else if (typeof v === 'object') {
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) walk(`${prefix}[${k}]`, item);
    } else {
      out.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(String(v))}`);
    }
  };
  for (const [k, v] of Object.entries(data)) walk(k, v);
  return out.join('&');
}
