import { parse, print } from 'graphql';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createWsClient, fetchRegistry } from './api.js';
import { Editor } from './Editor.jsx';
import { LiveTenant } from './LiveTenant.jsx';
import { Registry } from './Registry.jsx';
import { schemaVariables } from './schema.js';
import { TokenPanel } from './TokenPanel.jsx';
import { decodeToken, forgetToken, storedToken, storeToken } from './token.js';
import { closeInWords } from './words.js';

const NO_REGISTRY = { loaded: false, mode: null, queries: [], error: null };

function claimedTenant(token) {
  try {
    return decodeToken(token).tenant;
  } catch {
    return '';
  }
}

/** A registered document, pretty-printed, and a variables skeleton for the token's tenant, into GraphiQL. */
function loadDocument({ queryEditor, variableEditor }, entry) {
  queryEditor.setValue(print(parse(entry.document)));
  variableEditor.setValue(schemaVariables(entry.document, claimedTenant(storedToken())));
}

/** The registry the server publishes for this token; a server without it still gets a page. */
function useRegistry(token) {
  const [registry, setRegistry] = useState(NO_REGISTRY);
  useEffect(() => {
    setRegistry(NO_REGISTRY);
    if (!token) return;
    let current = true;
    fetchRegistry(token)
      .then(body => current && setRegistry({ loaded: true, mode: body.mode, queries: body.queries, error: null }))
      .catch(e => current && setRegistry({ ...NO_REGISTRY, loaded: true, error: e.message }));
    return () => { current = false; };
  }, [token]);
  return registry;
}

/** One graphql-ws connection per token, shared by the editor and the live view, and its state. */
function useWsClient(token) {
  const [connection, setConnection] = useState({ state: 'closed', close: null });
  const client = useMemo(() => token ? createWsClient(token, {
    connecting: isRetry => setConnection(c => ({ ...c, state: isRetry ? 'reconnecting' : 'connecting' })),
    connected: () => setConnection(c => ({ ...c, state: 'connected' })),
    closed: e => setConnection({ state: 'closed', close: e?.code ? closeInWords(e.code, e.reason) : null }),
  }) : null, [token]);
  useEffect(() => () => client?.dispose(), [client]);
  return [client, connection];
}

export function App() {
  const [token, setToken] = useState(storedToken);
  const registry = useRegistry(token);
  const [wsClient, connection] = useWsClient(token);
  const editors = useRef(null);
  const pending = useRef(null);
  const tenant = claimedTenant(token);

  // A document picked before GraphiQL's editors exist (Monaco loads lazily) goes in once they do.
  const onEditors = useCallback(e => {
    editors.current = e;
    if (pending.current) loadDocument(e, pending.current);
    pending.current = null;
  }, []);

  const adopt = t => { storeToken(t); setToken(t); };
  const forget = () => { forgetToken(); editors.current = null; setToken(''); };
  const pick = entry => {
    if (editors.current) loadDocument(editors.current, entry);
    else pending.current = entry;
  };

  return (
    <>
      <header className="top">
        <h1>Coherence workbench</h1>
      </header>
      <main>
        <TokenPanel token={token} onToken={adopt} onForget={forget} />
        {token ? (
          <>
            <LiveTenant key={token} token={token} claimTenant={tenant} registry={registry} wsClient={wsClient}
                        connection={connection} />
            <div className="editing">
              <Registry registry={registry} onPick={pick} />
              <Editor token={token} registry={registry} wsClient={wsClient} onEditors={onEditors} />
            </div>
          </>
        ) : <p className="muted">The workbench needs a token to call the API.</p>}
      </main>
    </>
  );
}
