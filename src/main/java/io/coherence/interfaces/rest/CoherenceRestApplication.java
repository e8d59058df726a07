package io.coherence.interfaces.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** JAX-RS under /v1; callers are authenticated by the bearer token filter in front of it. */
@ApplicationPath("/v1")
public class CoherenceRestApplication extends Application {
}
