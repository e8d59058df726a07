// The server's endpoints, addressed relative to the page (served at /workbench/), so the page works
// behind any host, port or scheme: POST ../graphql, GET ../v1/persisted-queries, ../graphql/ws.
import { createClient } from 'graphql-ws';

export const graphqlUrl = new URL('../graphql', location.href).href;
export const registryUrl = new URL('../v1/persisted-queries', location.href).href;
export const wsUrl = graphqlUrl.replace(/^http/, 'ws') + '/ws';

/** A refusal with the server's code (errors[0].extensions.code, or the REST error.code). */
export class ApiError extends Error {
  constructor(message, { code = null, status = 0, errors = [] } = {}) {
    super(message);
    this.code = code;
    this.status = status;
    this.errors = errors;
  }
}

/** Apollo's persisted-query extension: the registry's hash stands in for the document. */
export function persisted(entry) {
  return { persistedQuery: { version: 1, sha256Hash: entry.sha256 } };
}

/** POST ../graphql; answers the parsed body whatever the status (GraphiQL shows errors as they came). */
export async function postGraphQL(token, body) {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  try {
    return { status: response.status, json: JSON.parse(text) };
  } catch {
    throw new ApiError(`${graphqlUrl} answered ${response.status} with a body that is not JSON`, { status: response.status });
  }
}

/** Runs a registered document by its hash alone; answers data, or throws with the first error's code. */
export async function runPersisted(token, entry, variables) {
  const { status, json } = await postGraphQL(token, { variables, extensions: persisted(entry) });
  const errors = json.errors ?? [];
  if (errors.length > 0 || !json.data) {
    const first = errors[0] ?? {};
    throw new ApiError(first.message ?? `answered ${status} without data`,
      { code: first.extensions?.code ?? null, status, errors });
  }
  return json.data;
}

/** GET ../v1/persisted-queries: the server's mode and the documents it runs by hash. */
export async function fetchRegistry(token) {
  const response = await fetch(registryUrl, { headers: { Accept: 'application/json', Authorization: `Bearer ${token}` } });
  if (response.status === 404) {
    throw new ApiError('This server does not publish its persisted-query registry (GET /v1/persisted-queries answered 404)',
      { status: 404, code: 'NOT_FOUND' });
  }
  const body = await response.json().catch(() => null);
  if (!response.ok || !body || !Array.isArray(body.queries)) {
    const code = body?.error?.code ?? null;
    throw new ApiError(`The registry could not be read (${response.status}${code ? ` ${code}` : ''}${body?.error?.message ? `: ${body.error.message}` : ''})`,
      { status: response.status, code });
  }
  return body;
}

/**
 * A graphql-transport-ws client for ../graphql/ws with the token in connection_init. A subscribe
 * payload that carries a persisted query goes out without its query text (the server takes the
 * hash); graphql-ws insists on a query string, so the page leaves it empty and drops it here.
 */
export function createWsClient(token, listeners = {}) {
  return createClient({
    url: wsUrl,
    connectionParams: { Authorization: `Bearer ${token}` },
    retryAttempts: 5,
    // A refused token stays refused: 4403 is not worth retrying.
    shouldRetry: (closeOrError) => closeOrError?.code !== 4403,
    jsonMessageReplacer(key, value) {
      if (key === 'payload' && value && value.extensions?.persistedQuery && !value.query) {
        const { query, ...byHash } = value;
        return byHash;
      }
      return value;
    },
    on: listeners,
  });
}
