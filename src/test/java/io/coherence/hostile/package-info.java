/** The hostile-input suite: every entry point against malformed, oversized, forged and cross-tenant input. */
package io.coherence.hostile;
