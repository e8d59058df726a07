package io.coherence.testsupport;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.DeploymentConfiguration;
import org.jboss.arquillian.container.test.spi.client.deployment.AutomaticDeployment;
import org.jboss.arquillian.test.spi.TestClass;

/**
 * The deployment of every {@link TestServerIT} class without a {@code @Deployment} method of its own:
 * the built WAR, run from the outside (not testable), under one name that
 * {@link SharedDeploymentExtension} recognises so that it deploys it only once.
 */
public final class SharedWarDeployment implements AutomaticDeployment {

    /** The Arquillian name of the shared deployment (the application is still called after the WAR). */
    public static final String NAME = "shared-coherence-war";

    @Override
    public DeploymentConfiguration generateDeploymentScenario(TestClass testClass) {
        if (!testClass.isAnnotationPresent(TestServerIT.class) || testClass.getMethods(Deployment.class).length > 0) {
            return null;
        }
        return new DeploymentConfiguration.DeploymentContentBuilder(Deployments.coherenceWar())
                .withDeployment().withName(NAME).withTestable(false).build().get();
    }
}
