// What the server's codes mean, in words a workbench user can act on (docs/api.md).

const CLOSE_CODES = {
  1000: 'normal closure',
  1001: 'going away (the server is shutting down)',
  1006: 'connection lost',
  1009: 'message too big',
  1013: 'try again later (SLOW_CONSUMER: the page did not read fast enough, or the tenant holds too many connections)',
  4400: 'bad message',
  4401: 'unauthorized (subscribe before the connection was acknowledged)',
  4403: 'forbidden (token missing, invalid or expired)',
  4406: 'sub-protocol not offered',
  4408: 'no connection_init in time',
  4409: 'subscriber already exists',
  4429: 'too many initialisation requests',
  4500: 'server error',
};

export function closeInWords(code, reason) {
  const words = CLOSE_CODES[code] ?? 'closed';
  return `${code} ${words}${reason ? `: ${reason}` : ''}`;
}

/** An error of a subscription's next payload, or of an answer, in words. */
export function errorInWords(error) {
  const code = error?.extensions?.code;
  switch (code) {
    case 'EVENTS_DROPPED':
      return `${error.extensions.missed ?? 'Some'} events were dropped: this page read them too slowly`;
    case 'EVENTS_RATE_LIMITED':
      return `${error.extensions.missed ?? 'Some'} events were not sent: the tenant is over its event rate limit`;
    case 'PERSISTED_QUERY_REQUIRED':
      return 'This server runs registered documents only (strict mode): pick one from the registry';
    case 'INTROSPECTION_DISABLED':
      return 'The server does not answer introspection; the editor uses the schema bundled into this page';
    case 'UNAUTHENTICATED':
      return 'The token was refused (missing, invalid or expired)';
    case 'FORBIDDEN':
      return `Forbidden: ${error.message}`;
    default:
      return code ? `${code}: ${error.message}` : error?.message ?? String(error);
  }
}
