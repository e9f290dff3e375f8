export { EMBEDDED_SCHEMA, EmbeddedStore, openEmbeddedStore } from './embedded-store.js';
export { type ServedEmbedded, serveEmbedded } from './serve.js';
