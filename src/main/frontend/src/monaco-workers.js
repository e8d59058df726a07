// Monaco's workers, built by build.mjs as scripts of their own beside the page (no blob: or data:
// code, nothing from another origin): the editor's, JSON's (variables, response) and GraphQL's.
const workers = { json: 'json.worker.js', graphql: 'graphql.worker.js' };

globalThis.MonacoEnvironment = {
  getWorker(_id, label) {
    return new Worker(new URL(`workers/${workers[label] ?? 'editor.worker.js'}`, document.baseURI), { name: label });
  },
};
