// The signed-in session and every call to the API.
//
// The bearer token lives in sessionStorage only: it survives a reload of the
// tab and is gone when the tab closes; it is never put in a URL (so it lands
// in no server log and no browser history). Any 401 ends the session and
// sends the user back to sign-in.

const STORAGE_KEY = 'switchyard.session';
const ROLE_RANK = {read: 0, operator: 1, admin: 2};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const session = {
  // {token, sub, roles, exp (seconds since the epoch), job_actions} or null.
  current() {
    try {
      return JSON.parse(sessionStorage.getItem(STORAGE_KEY));
    } catch (e) {
      return null;
    }
  },
  clear() {
    sessionStorage.removeItem(STORAGE_KEY);
  },
  // The token's holder may do what `role` allows (operator implies read;
  // admin implies everything), as the server decides.
  can(role) {
    const s = this.current();
    if (!s) return false;
    return s.roles.some((r) => (ROLE_RANK[r] ?? -1) >= ROLE_RANK[role]);
  },
  // PUT /job/<id> actions the server accepts (ABORT; RETRY once it exists).
  jobActions() {
    const s = this.current();
    return s ? s.job_actions || ['ABORT'] : [];
  },
  // Checks `token` with the server; stores it when valid. Throws ApiError.
  async signIn(token) {
    token = token.trim().replace(/^Bearer\s+/i, '');
    if (!token) throw new ApiError(401, 'paste a token first');
    const {data} = await request('api/v1.0/auth/session', {token});
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify({
      token, sub: data.sub, roles: data.roles, exp: data.expires_at, job_actions: data.job_actions,
    }));
    return this.current();
  },
  // Trades a one-time code from `switchyard token --link` for a token.
  async redeemLink(code) {
    const {data} = await request('api/v1.0/auth/link', {method: 'POST', body: {code}, token: null});
    return this.signIn(data.token);
  },
};

// Fired on window when the server refuses the token (expired, revoked secret).
export const SESSION_ENDED = 'switchyard:session-ended';

function endSession(message) {
  session.clear();
  window.dispatchEvent(new CustomEvent(SESSION_ENDED, {detail: message}));
}

export function authHeader() {
  const s = session.current();
  return s ? {Authorization: `Bearer ${s.token}`} : {};
}

async function request(path, {method = 'GET', body, query, token} = {}) {
  const headers = {Accept: 'application/json'};
  const t = token === undefined ? session.current()?.token : token;
  if (t) headers.Authorization = `Bearer ${t}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let url = path;
  if (query) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== '' && v !== null && v !== undefined) p.append(k, v);
    if ([...p].length) url += `?${p}`;
  }
  let res;
  try {
    res = await fetch(url, {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
                            cache: 'no-store', credentials: 'omit'});
  } catch (e) {
    throw new ApiError(0, `the service cannot be reached (${e.message})`);
  }
  let doc = null;
  try {
    doc = await res.json();
  } catch (e) {
    // An error page without the envelope: keep the status.
  }
  if (!res.ok) {
    const message = doc?.message || `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, message);
  }
  return {data: doc?.data, doc, headers: res.headers, status: res.status};
}

// A call with the session's token. A 401 ends the session.
export async function api(path, options = {}) {
  try {
    return await request(`api/v1.0/${path}`, options);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && session.current()) endSession(`Signed out: ${e.message}.`);
    throw e;
  }
}

// Ends the session when the token's exp passes, even while nothing is asked.
let expiryTimer = null;
export function watchExpiry() {
  clearTimeout(expiryTimer);
  const s = session.current();
  if (!s || !s.exp) return;
  const ms = s.exp * 1000 - Date.now();
  if (ms <= 0) endSession('Signed out: the token expired.');
  // setTimeout holds at most 2^31-1 ms (about 24 days): look again then.
  else if (ms > 2 ** 31 - 1) expiryTimer = setTimeout(watchExpiry, 2 ** 31 - 1);
  else expiryTimer = setTimeout(() => endSession('Signed out: the token expired.'), ms);
}
