// The graphql-ws client library against a running Coherence (the dev stack by default):
// subscribes to tenant-123's signals, is refused another tenant's, introspects over the socket,
// ingests one signal and expects exactly that one event. Exits non-zero on any surprise.
//   cd perf/graphql-ws-client && npm install && npm run check
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import fs from 'fs';

const devstack = JSON.parse(fs.readFileSync(process.env.COHERENCE_DEVSTACK ?? '../../target/devstack/devstack.json', 'utf8'));
const token = fs.readFileSync(devstack.tokenFile, 'utf8').trim();
const client = createClient({ url: devstack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0,
  connectionParams: { Authorization: `Bearer ${token}` } });
const fail = (why) => { console.error('FAIL:', why); process.exit(1); };

const signalId = `graphql-ws-check-${Date.now()}`;
const events = [];
const subscribed = new Promise((resolve) => client.on('connected', resolve));
client.subscribe(
  { query: 'subscription S($t: ID!){ coherenceEvents(tenantId: $t){ id value sequence committedAt } }',
    variables: { t: 'tenant-123' }, operationName: 'S' },
  { next: (v) => events.push(v.data.coherenceEvents), error: (e) => fail(`subscription error ${JSON.stringify(e)}`), complete: () => {} });

const refused = await new Promise((resolve) => client.subscribe(
  { query: 'subscription { coherenceEvents(tenantId: "tenant-101"){ id } }' },
  { next: () => fail('another tenant\'s events arrived'), error: resolve, complete: () => fail('completed instead of refused') }));
if (refused[0]?.extensions?.code !== 'FORBIDDEN') fail(`expected FORBIDDEN, got ${JSON.stringify(refused)}`);
console.log('cross-tenant subscribe refused:', refused[0].extensions.code);

for await (const r of client.iterate({ query: '{ __schema { subscriptionType { fields { name } } } }' })) {
  console.log('introspection over the socket:', r.data.__schema.subscriptionType.fields.map((f) => f.name).join(', '));
}

await subscribed;
const res = await fetch(devstack.ingestUrl, { method: 'POST',
  headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
  body: JSON.stringify([{ tenantId: 'tenant-123', type: 'check', value: 0.5, source: 'graphql-ws-check', signalId }]) });
if (res.status !== 202) fail(`ingest answered ${res.status}`);

const deadline = Date.now() + 10_000;
while (!events.some((e) => e.id === signalId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
const mine = events.filter((e) => e.id === signalId);
if (mine.length !== 1) fail(`expected the signal once, got it ${mine.length} times`);
console.log(`event received once, ${Date.now() - Date.parse(mine[0].committedAt)} ms after commit, sequence ${mine[0].sequence}`);
await client.dispose();
console.log('OK');
