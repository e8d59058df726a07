/** The persisted-query registry: what the server runs by hash; a click loads a document into the editor. */
export function Registry({ registry, onPick }) {
  return (
    <section className="panel registry" aria-labelledby="registry-heading" data-testid="registry">
      <h2 id="registry-heading">Registered documents</h2>
      {registry.error && <p role="status" className="problem" data-testid="registry-problem">{registry.error}</p>}
      {registry.mode && (
        <p data-testid="registry-mode">
          Mode: <strong>{registry.mode}</strong>
          {registry.mode === 'strict' ? ' (only these documents run)' : ' (any document runs)'}
        </p>
      )}
      <ul data-testid="registry-list">
        {registry.queries.map(q => (
          <li key={q.id} data-testid="registry-entry" data-id={q.id}>
            <button type="button" onClick={() => onPick(q)} title={q.document}>
              <span className="pq-id">{q.id}</span> <span className="pq-meta">{q.operation} · v{q.version ?? /_v(\d+)$/.exec(q.id)?.[1]}</span>
            </button>
            {(q.deprecated || q.sunset || q.successor) && (
              <span className="pq-retiring">
                {q.deprecated && ` deprecated ${q.deprecated}`}
                {q.sunset && ` · sunset ${q.sunset}`}
                {q.successor && ` · use ${q.successor}`}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
