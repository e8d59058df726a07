/**
 * MicroProfile Config read once into typed settings; every key and default is listed in the README.
 */
package io.coherence.infrastructure.config;
