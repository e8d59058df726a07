// Apollo Client's persisted-query link against a running Coherence (the dev stack by default),
// unchanged: Apollo's own protocol, hashing and retry. Exits non-zero on any surprise.
//   cd perf/apollo-client && npm install && npm run check
// 1. The registered seed read query: Apollo sends only its hash, the server runs it.
// 2. A document that is not registered (dev mode): hash -> PersistedQueryNotFound -> Apollo
//    retries with the document -> data; the next request with only the hash works.
// 3. The same as GET requests (useGETForHashedQueries).
import { ApolloClient, InMemoryCache, HttpLink, gql } from '@apollo/client/core/index.js';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries/index.js';
import { print } from 'graphql';
import { createHash } from 'crypto';
import fs from 'fs';

const devstack = JSON.parse(fs.readFileSync(process.env.COHERENCE_DEVSTACK ?? '../../target/devstack/devstack.json', 'utf8'));
const token = fs.readFileSync(devstack.tokenFile, 'utf8').trim();
const registry = JSON.parse(fs.readFileSync('../../src/main/resources/graphql/persisted-queries.json', 'utf8'));
const fail = (why) => { console.error('FAIL:', why); process.exit(1); };

const sent = [];
const recordingFetch = async (url, init) => {
  const body = init.body ? JSON.parse(init.body) : Object.fromEntries(new URL(url).searchParams);
  const response = await fetch(url, init);
  sent.push({ method: init.method ?? 'GET', hasQuery: Boolean(body.query), status: response.status });
  return response;
};

// Apollo hashes its own printing of a document, which is not the registry's text; the documented
// generateHash option gives registered documents the registry's hash and hashes the rest as usual.
const registered = new Map(registry.queries.map((q) => [print(gql(q.document)), q.sha256]));
const generateHash = (document) => registered.get(print(document)) ?? createHash('sha256').update(print(document)).digest('hex');

function client(useGET) {
  const link = createPersistedQueryLink({ generateHash, useGETForHashedQueries: useGET })
    .concat(new HttpLink({ uri: devstack.graphqlUrl, fetch: recordingFetch, headers: { Authorization: `Bearer ${token}` } }));
  // addTypename off: Apollo would add __typename to registered documents and change their hash.
  return new ApolloClient({ link, cache: new InMemoryCache({ addTypename: false }), defaultOptions: { query: { fetchPolicy: 'no-cache' } } });
}

async function run(useGET) {
  const apollo = client(useGET);
  const via = useGET ? 'GET' : 'POST';
  const registered = registry.queries.find((q) => q.id === 'pq_tenant_coherence_v1');
  sent.length = 0;
  const read = await apollo.query({ query: gql(registered.document), variables: { tenantId: 'tenant-123' } });
  if (!(read.data.tenantCoherence.score >= 0)) fail(`no score: ${JSON.stringify(read)}`);
  if (sent.length !== 1 || sent[0].hasQuery) fail(`${via}: the registered query should go as its hash alone, sent ${JSON.stringify(sent)}`);
  console.log(`${via} registered query by hash alone: score ${read.data.tenantCoherence.score} ${read.data.tenantCoherence.status}`);

  const fresh = `query Fresh${useGET ? 'Get' : 'Post'}${Date.now()}($t: ID!) { tenantCoherence(tenantId: $t) { status } }`;
  sent.length = 0;
  const first = await apollo.query({ query: gql(fresh), variables: { t: 'tenant-123' } });
  if (!first.data.tenantCoherence.status) fail('no data after the retry');
  if (sent.length !== 2 || sent[0].hasQuery || !sent[1].hasQuery) fail(`${via}: expected hash, then hash + document: ${JSON.stringify(sent)}`);
  sent.length = 0;
  await apollo.query({ query: gql(fresh), variables: { t: 'tenant-123' } });
  if (sent.length !== 1 || sent[0].hasQuery) fail(`${via}: the registered hash should now suffice: ${JSON.stringify(sent)}`);
  console.log(`${via} unregistered query: PersistedQueryNotFound, retried with the document, then its hash alone sufficed`);
}

await run(false);
await run(true);
console.log('OK');
