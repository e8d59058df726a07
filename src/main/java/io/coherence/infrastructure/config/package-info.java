/**
 * MicroProfile Config read once into typed settings; every key and default is listed in docs/configuration.md.
 */
package io.coherence.infrastructure.config;
