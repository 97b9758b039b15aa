// Fixed identities of the demo portal. Other code (tests, npm start, the
// options page preset) relies on these exact values.

/** The webhook owner: every webhook of the demo portal belongs to user 1. */
export const DEMO_USER_ID = 1;
/** The main incoming webhook's code: all scopes the product needs. */
export const DEMO_SECRET = 'k3y4demo8counter';
/** A second webhook of user 1 without the `crm` scope: every crm.* method answers `insufficient_scope`. */
export const NO_CRM_SCOPE_SECRET = 'n0crmscope4demo1';
export const DEFAULT_PORT = 8024;
/** A sales rep (Lucía Fernández, role "rep": her own items only) and her webhook, all scopes. */
export const REP_USER_ID = 3;
export const REP_SECRET = 'r3p4demo8lucia03';
/** A department head (Yuki Tanaka, head of support and its sub-department) and his webhook, all scopes. */
export const HEAD_USER_ID = 7;
export const HEAD_SECRET = 'h3ad4demo8yuki07';
/** An account of an external type (a bot): it can sign in, session REST refuses it ("Access denied for this type of user"). */
export const BOT_USER_ID = 9001;
