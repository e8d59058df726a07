// The bearer token: taken from the page's #token= fragment or pasted, kept in sessionStorage only
// (gone with the tab), and decoded, never verified, to show whom it acts for. The server verifies it.
const KEY = 'coherence.workbench.token';

/** Moves a #token=… fragment into sessionStorage and takes it out of the address bar and history. */
export function adoptTokenFromFragment() {
  const match = /(?:^|&)token=([^&]*)/.exec(location.hash.slice(1));
  if (!match) return;
  const token = decodeURIComponent(match[1]).trim();
  if (token) storeToken(token);
  history.replaceState(history.state, '', location.pathname + location.search);
}

export function storedToken() {
  return sessionStorage.getItem(KEY) || '';
}

export function storeToken(token) {
  sessionStorage.setItem(KEY, token.trim());
}

export function forgetToken() {
  sessionStorage.removeItem(KEY);
}

/** The claims the page shows; throws when the text is not a JWT with a JSON payload. */
export function decodeToken(token) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('not a JWT (three dot-separated parts expected)');
  const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), c => c.charCodeAt(0));
  const claims = JSON.parse(new TextDecoder().decode(bytes));
  return {
    sub: claims.sub ?? '',
    tenant: claims.tenant ?? '',
    scopes: typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [],
    expires: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null,
  };
}

/** "expires in 11 h 59 min", "expired 3 min ago". */
export function expiryInWords(expires, now = new Date()) {
  if (!expires) return 'no expiry claim';
  const minutes = Math.round(Math.abs(expires - now) / 60000);
  const span = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return expires > now ? `expires in ${span}` : `expired ${span} ago`;
}
