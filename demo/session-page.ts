// The demo portal's sign-in page: pick a person, no password. One form, so
// that "Remember me" applies to whichever button is pressed.

import { esc } from './pages.ts';
import type { DemoUser } from './store.ts';

export interface SignInPageData {
  employees: DemoUser[];
  /** Accounts of external types (bots, ...): listed apart. */
  others: DemoUser[];
  backurl: string;
  current: DemoUser | null;
  sessid: string | null;
  problem: string;
}

const STYLE = `body{margin:0;font:14px/1.45 "Helvetica Neue",Arial,sans-serif;color:#333;background:#eef2f4}
header{background:#2fc6f6;color:#fff;padding:10px 20px;font-weight:bold;font-size:18px}main{max-width:560px;margin:24px auto;background:#fff;border-radius:6px;padding:20px 28px}
h1{font-weight:normal;font-size:24px;margin:0 0 8px}h2{font-size:15px;margin:18px 0 6px;color:#535c69}ul{list-style:none;padding:0;margin:0}li{margin:4px 0}
button{border:1px solid #c6cdd3;background:#fff;border-radius:3px;padding:6px 14px;cursor:pointer;font:inherit;min-width:260px;text-align:left}button:hover{background:#e6f6fd}
.meta{font-size:12px;color:#80868e;margin-left:8px}.problem{color:#d0021b}.current{background:#e6f6fd;padding:8px 12px;border-radius:4px}`;

const fullName = (u: DemoUser) => `${u.name} ${u.lastName}`.trim();

function entry(u: DemoUser): string {
  const meta = u.externalType ? u.externalType : u.workPosition;
  return `<li><button type="submit" name="user_id" value="${u.id}">Sign in as ${esc(fullName(u))}</button>${meta ? `<span class="meta">${esc(meta)}</span>` : ''}</li>`;
}

export function signInPage(d: SignInPageData): string {
  const current = d.current
    ? `<p class="current">Signed in as ${esc(fullName(d.current))}. <a href="/auth/?logout=yes">Sign out</a> · <a href="${esc(d.backurl)}">Continue</a></p>`
    : '';
  const problem = d.problem ? `<p class="problem" role="alert">${esc(d.problem)}</p>` : '';
  const others = d.others.length ? `<h2>Other accounts</h2><ul>${d.others.map(entry).join('')}</ul>` : '';
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in – Demo Bitrix24</title><meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><header>Bitrix24 <small>demo</small></header><main>
<h1>Sign in</h1><p>Choose who you are: the demo portal asks for no password.</p>${current}${problem}
<form method="post" action="/auth/">
<input type="hidden" name="backurl" value="${esc(d.backurl)}">${d.sessid ? `<input type="hidden" name="sessid" value="${esc(d.sessid)}">` : ''}
<p><label><input type="checkbox" name="remember" value="Y" checked> Remember me</label></p>
<h2>Employees</h2><ul>${d.employees.map(entry).join('')}</ul>${others}
</form></main></body></html>`;
}
