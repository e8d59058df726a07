import { useEffect, useRef, useState } from 'react';
import { persisted, runPersisted } from './api.js';
import { ScoreChart } from './ScoreChart.jsx';
import { closeInWords, errorInWords } from './words.js';

const MINUTE = 60_000;
const KEPT = 20;

/** The registered documents the live view runs, by id; their hashes come from the registry. */
const DOCS = {
  score: 'pq_tenant_coherence_v1',
  history: 'pq_tenant_coherence_history_v1',
  events: 'pq_coherence_events_v1',
  changes: 'pq_coherence_score_changed_v1',
};

/** The last 24 h up to the next whole minute (the server allows a few minutes ahead), every 5 min. */
function lastDay() {
  const to = Math.ceil((Date.now() + 1) / MINUTE) * MINUTE;
  return { from: new Date(to - 24 * 60 * MINUTE).toISOString(), to: new Date(to).toISOString(), step: 'PT5M' };
}

/** Subscribes to a registered subscription by hash while the component shows this tenant. */
function useSubscription(wsClient, entry, tenant, onNext, onError) {
  const handlers = useRef({ onNext, onError });
  handlers.current = { onNext, onError };
  useEffect(() => {
    if (!wsClient || !entry || !tenant) return undefined;
    return wsClient.subscribe(
      { query: '', variables: { tenantId: tenant }, extensions: persisted(entry) },
      {
        next: payload => handlers.current.onNext(payload),
        error: e => handlers.current.onError(e),
        complete: () => {},
      });
  }, [wsClient, entry, tenant]);
}

export function LiveTenant({ token, claimTenant, registry, wsClient, connection }) {
  const [draft, setDraft] = useState(claimTenant);
  const [tenant, setTenant] = useState(claimTenant);
  const [score, setScore] = useState(null);
  const [problems, setProblems] = useState({});
  const [points, setPoints] = useState([]);
  const [events, setEvents] = useState([]);
  const [changes, setChanges] = useState([]);
  const [notices, setNotices] = useState([]);
  const [historyTick, setHistoryTick] = useState(0);
  const historyTimer = useRef(null);
  const entry = Object.fromEntries(Object.entries(DOCS).map(([k, id]) => [k, registry.queries.find(q => q.id === id)]));
  const problem = (key, text) => setProblems(p => ({ ...p, [key]: text }));

  useEffect(() => {
    setScore(null); setPoints([]); setEvents([]); setChanges([]); setNotices([]); setProblems({});
  }, [tenant]);

  useEffect(() => {
    if (!entry.score || !tenant) return;
    runPersisted(token, entry.score, { tenantId: tenant })
      .then(d => { setScore(d.tenantCoherence); problem('score', null); })
      .catch(e => problem('score', `The score could not be read: ${errorInWords(e.errors?.[0] ?? e)}`));
  }, [token, tenant, entry.score]);

  useEffect(() => {
    if (!entry.history || !tenant) return;
    runPersisted(token, entry.history, { tenantId: tenant, ...lastDay() })
      .then(d => { setPoints(d.tenantCoherenceHistory); problem('history', null); })
      .catch(e => problem('history', `The score history could not be read: ${errorInWords(e.errors?.[0] ?? e)}`));
  }, [token, tenant, entry.history, historyTick]);

  useEffect(() => {
    if (score) performance.mark('workbench-score-visible');
  }, [score !== null]);

  useEffect(() => () => clearTimeout(historyTimer.current), []);

  // graphql-ws ends a subscription with the socket's close event, or with the server's errors.
  const streamError = e => problem('stream', `The stream ended: ${typeof e?.code === 'number' ? closeInWords(e.code, e.reason)
    : Array.isArray(e) ? e.map(errorInWords).join('; ') : errorInWords(e)}`);
  const noticeErrors = payload => {
    if (payload.errors?.length) setNotices(n => [...payload.errors.map(errorInWords), ...n].slice(0, 5));
  };

  useSubscription(wsClient, entry.events, tenant, payload => {
    noticeErrors(payload);
    const event = payload.data?.coherenceEvents;
    if (event) setEvents(list => [event, ...list].slice(0, KEPT));
  }, streamError);

  useSubscription(wsClient, entry.changes, tenant, payload => {
    noticeErrors(payload);
    const change = payload.data?.coherenceScoreChanged;
    if (!change) return;
    setScore(change);
    setChanges(list => [change, ...list].slice(0, KEPT));
    // The chart follows the score, at most once a second however fast scores change.
    if (!historyTimer.current) {
      historyTimer.current = setTimeout(() => { historyTimer.current = null; setHistoryTick(t => t + 1); }, 1000);
    }
  }, streamError);

  const missing = Object.entries(DOCS).filter(([k]) => !entry[k]).map(([, id]) => id);
  return (
    <section className="panel live" aria-labelledby="live-heading" data-testid="live">
      <h2 id="live-heading">Live tenant</h2>
      <form className="tenant-form" onSubmit={e => { e.preventDefault(); setTenant(draft.trim()); }}>
        <label htmlFor="tenant-input">Tenant</label>
        <input id="tenant-input" data-testid="tenant-input" value={draft} onChange={e => setDraft(e.target.value)} />
        <button type="submit">Watch</button>
      </form>
      {registry.error && <p className="problem" data-testid="live-problem">The live view runs registered documents by hash and needs the registry: {registry.error}</p>}
      {!registry.error && registry.loaded && missing.length > 0 && (
        <p className="problem" data-testid="live-problem">Not registered on this server, so not shown: {missing.join(', ')}</p>
      )}
      {Object.entries(problems).filter(([, v]) => v).map(([k, v]) => <p key={k} className="problem" role="status" data-testid={`live-problem-${k}`}>{v}</p>)}
      <div className="live-grid">
        <div className="score" data-testid="live-score" data-status={score?.status ?? ''}>
          <h3>Score</h3>
          {score ? (
            <>
              <p className={`score-value status-${score.status}`}><span data-testid="live-score-value">{score.score.toFixed(2)}</span> <span data-testid="live-status">{score.status}</span></p>
              <p className="muted">updated <time data-testid="live-updated" dateTime={score.updatedAt}>{new Date(score.updatedAt).toLocaleString()}</time></p>
            </>
          ) : <p className="muted">–</p>}
          <p className="muted legend">HEALTHY ≥ 0.75 · WARN ≥ 0.5 · CRITICAL below · UNKNOWN: no signals in 24 h</p>
          <p>Subscriptions: <strong data-testid="ws-state" data-state={connection.state}>{connection.state}</strong></p>
          {connection.close && <p className="muted" data-testid="ws-close">last close: {connection.close}</p>}
          {notices.map((n, i) => <p key={i} className="problem" data-testid="stream-notice">{n}</p>)}
        </div>
        <div className="history">
          <h3>Last 24 hours</h3>
          <ScoreChart points={points} />
        </div>
      </div>
      <div className="streams">
        <div>
          <h3>Latest events</h3>
          <table data-testid="events">
            <thead><tr><th>type</th><th>value</th><th>weight</th><th>source</th><th>sequence</th><th>committed</th></tr></thead>
            <tbody>
              {events.map(e => (
                <tr key={`${e.sequence}-${e.id}`} data-testid="event-row" data-signal-id={e.id} data-sequence={e.sequence}>
                  <td>{e.type}</td><td>{e.value}</td><td>{e.weight ?? ''}</td><td>{e.source}</td><td>{e.sequence}</td>
                  <td><time dateTime={e.committedAt}>{new Date(e.committedAt).toLocaleTimeString()}</time></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h3>Score changes</h3>
          <ol className="changes" data-testid="score-changes">
            {changes.map(c => (
              <li key={c.updatedAt} data-testid="score-change" data-score={c.score}>
                <span className={`status-${c.status}`}>{c.score.toFixed(2)} {c.status}</span> <time className="muted" dateTime={c.updatedAt}>{new Date(c.updatedAt).toLocaleTimeString()}</time>
              </li>
            ))}
          </ol>
        </div>
      </div>
    </section>
  );
}
