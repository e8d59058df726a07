/**
 * The per-tenant coherence score: the pure weighted-mean calculation, status thresholds and the ports that store and project scores.
 */
package io.coherence.domain.score;
