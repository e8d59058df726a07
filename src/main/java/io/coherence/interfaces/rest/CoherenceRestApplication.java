package io.coherence.interfaces.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/** JAX-RS under /v1; every request of this web module may carry a MicroProfile JWT. */
@ApplicationPath("/v1")
@LoginConfig(authMethod = "MP-JWT", realmName = "coherence")
public class CoherenceRestApplication extends Application {
}
