import { useGraphiQL } from '@graphiql/react';
import { GraphiQL } from 'graphiql';
import { useEffect, useMemo, useState } from 'react';
import { createFetcher } from './fetcher.js';
import { schema } from './schema.js';
import { errorInWords } from './words.js';

// GraphiQL keeps its tabs in this tab's sessionStorage, like the token, never in localStorage.
const sessionScoped = {
  getItem: key => sessionStorage.getItem(key),
  setItem: (key, value) => sessionStorage.setItem(key, value),
  removeItem: key => sessionStorage.removeItem(key),
  get length() {
    return Object.keys(sessionStorage).filter(k => k.startsWith('graphiql:')).length;
  },
  clear() {
    Object.keys(sessionStorage).filter(k => k.startsWith('graphiql:')).forEach(k => sessionStorage.removeItem(k));
  },
};

/** Inside GraphiQL: hands its editors to the page, so a registry pick can fill them. */
function EditorBridge({ onEditors }) {
  const queryEditor = useGraphiQL(s => s.queryEditor);
  const variableEditor = useGraphiQL(s => s.variableEditor);
  useEffect(() => {
    if (queryEditor && variableEditor) onEditors({ queryEditor, variableEditor });
  }, [queryEditor, variableEditor, onEditors]);
  return null;
}

/** The GraphQL editor, with the bundled schema and a fetcher that knows the registry. */
export function Editor({ token, registry, wsClient, onEditors }) {
  const [code, setCode] = useState(null);
  const fetcher = useMemo(
    () => createFetcher({ token, registry: registry.queries, wsClient, onAnswerCode: setCode }),
    [token, registry.queries, wsClient]);
  const notice = code === 'PERSISTED_QUERY_REQUIRED' || code === 'INTROSPECTION_DISABLED'
    ? errorInWords({ extensions: { code } }) : null;
  return (
    <section className="panel editor" aria-labelledby="editor-heading" data-testid="editor">
      <h2 id="editor-heading">GraphQL editor</h2>
      {notice && (
        <p role="status" className={code === 'PERSISTED_QUERY_REQUIRED' ? 'banner' : 'note'} data-testid="editor-banner"
           data-code={code}>{notice}</p>
      )}
      <div className="graphiql-frame">
        <GraphiQL fetcher={fetcher} schema={schema} storage={sessionScoped} isHeadersEditorEnabled={false}
                  defaultEditorToolsVisibility="variables" forcedTheme="light"
                  defaultQuery={'# Pick a registered document on the left, or write one.\n'}>
          <EditorBridge onEditors={onEditors} />
        </GraphiQL>
      </div>
    </section>
  );
}
