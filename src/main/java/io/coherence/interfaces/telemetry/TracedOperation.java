package io.coherence.interfaces.telemetry;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** An API operation with a span of its own, named {@link #value()}; see {@link TracedOperationInterceptor}. */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface TracedOperation {

    /** The span's name: {@code ingest}, {@code graphql query tenantCoherence}, … */
    @Nonbinding
    String value() default "";
}
