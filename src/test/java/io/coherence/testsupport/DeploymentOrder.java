package io.coherence.testsupport;

import java.util.Comparator;
import org.jboss.arquillian.container.test.api.Deployment;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * The order of the integration test classes (failsafe's {@code junit.jupiter.testclass.order.default}):
 * the engine classes first, then the classes on the shared deployment, then those with a deployment
 * of their own; by name within each group. An engine class undeploys the shared WAR and the next
 * Arquillian class deploys it again (about 8 s each time), so interleaving them by name cost five
 * redeployments a run; in this order the shared WAR is deployed once.
 */
public final class DeploymentOrder implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparingInt((ClassDescriptor d) -> group(d.getTestClass()))
                .thenComparing(d -> d.getTestClass().getName()));
    }

    /** 0: no Arquillian; 1: the shared deployment; 2: a deployment of its own. */
    static int group(Class<?> test) {
        if (!LibertyStackListener.isArquillian(test)) {
            return 0;
        }
        return AnnotationSupport.findAnnotatedMethods(test, Deployment.class, HierarchyTraversalMode.TOP_DOWN).isEmpty() ? 1 : 2;
    }
}
