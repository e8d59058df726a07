// GraphiQL's fetcher: queries and mutations over POST ../graphql, subscriptions over ../graphql/ws.
// A document that is exactly a registered one goes by its hash alone, so it runs in strict mode too.
import { getOperationAST, parse, print } from 'graphql';
import { persisted, postGraphQL } from './api.js';

const printed = new WeakMap();

function normalized(document) {
  try {
    return print(parse(document));
  } catch {
    return null;
  }
}

/**
 * The registry entry whose document this is: the same text, or the same document laid out
 * differently (the editor shows registered documents pretty-printed); the server runs the entry.
 */
export function registeredEntry(registry, query) {
  const exact = registry.find(e => e.document.trim() === query.trim());
  if (exact) return exact;
  const mine = normalized(query);
  if (mine === null) return undefined;
  return registry.find(e => {
    if (!printed.has(e)) printed.set(e, normalized(e.document));
    return printed.get(e) === mine;
  });
}

function operationType(query, operationName) {
  try {
    return getOperationAST(parse(query), operationName || undefined)?.operation ?? 'query';
  } catch {
    return 'query'; // the server names the syntax error (GRAPHQL_PARSE_FAILED)
  }
}

/**
 * @param token the bearer token
 * @param registry the registry's entries ([] when the server publishes none)
 * @param wsClient the graphql-ws client subscriptions use
 * @param onAnswerCode told the first error code of every answer (null for none)
 */
export function createFetcher({ token, registry, wsClient, onAnswerCode }) {
  return (params) => {
    const entry = registeredEntry(registry, params.query);
    const payload = entry
      ? { query: '', variables: params.variables, operationName: params.operationName, extensions: persisted(entry) }
      : { query: params.query, variables: params.variables, operationName: params.operationName };
    if (operationType(params.query, params.operationName) === 'subscription') {
      return wsClient.iterate(payload);
    }
    if (entry) delete payload.query;
    return postGraphQL(token, payload).then(({ json }) => {
      onAnswerCode(json?.errors?.[0]?.extensions?.code ?? null);
      return json;
    });
  };
}
