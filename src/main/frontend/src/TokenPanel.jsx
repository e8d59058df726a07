import { useState } from 'react';
import { decodeToken, expiryInWords } from './token.js';

/** The token: a paste box without one; with one, whom it acts for and a way to forget it. */
export function TokenPanel({ token, onToken, onForget }) {
  const [draft, setDraft] = useState('');
  if (!token) {
    return (
      <section className="panel" aria-labelledby="token-heading" data-testid="token-panel">
        <h2 id="token-heading">Token</h2>
        <form onSubmit={e => { e.preventDefault(); if (draft.trim()) onToken(draft.trim()); setDraft(''); }}>
          <label htmlFor="token-input">Paste a bearer token (JWT). It stays in this tab only (sessionStorage).</label>
          <textarea id="token-input" data-testid="token-input" rows={3} value={draft} autoComplete="off"
                    spellCheck={false} onChange={e => setDraft(e.target.value)} />
          <button type="submit" data-testid="token-use">Use token</button>
        </form>
      </section>
    );
  }
  let claims = null;
  let problem = null;
  try {
    claims = decodeToken(token);
  } catch (e) {
    problem = e.message;
  }
  return (
    <section className="panel" aria-labelledby="token-heading" data-testid="token-panel">
      <h2 id="token-heading">Token</h2>
      {problem ? <p role="alert" className="problem" data-testid="token-problem">This token cannot be read: {problem}</p> : (
        <dl className="identity" data-testid="identity">
          <dt>Subject</dt><dd data-testid="identity-sub">{claims.sub || '(none)'}</dd>
          <dt>Acts for tenant</dt><dd data-testid="identity-tenant">{claims.tenant || '(no tenant claim)'}</dd>
          <dt>Scopes</dt><dd data-testid="identity-scopes">{claims.scopes.join(' ') || '(none)'}</dd>
          <dt>Expires</dt>
          <dd data-testid="identity-expiry">
            {claims.expires ? claims.expires.toLocaleString() : '–'} ({expiryInWords(claims.expires)})
          </dd>
        </dl>
      )}
      <button type="button" onClick={onForget} data-testid="token-forget">Forget token</button>
    </section>
  );
}
