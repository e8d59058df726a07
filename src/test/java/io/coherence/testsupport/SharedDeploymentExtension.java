package io.coherence.testsupport;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.deployment.Deployment;
import org.jboss.arquillian.container.spi.event.DeployDeployment;
import org.jboss.arquillian.container.spi.event.UnDeployDeployment;
import org.jboss.arquillian.container.spi.event.container.BeforeStop;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.EventContext;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.shrinkwrap.api.Archive;

/**
 * One deployment of the WAR for all {@link TestServerIT} classes instead of a deploy and undeploy
 * per class (each cost the export of the 48 MB WAR and the application's start): Arquillian's
 * per-class deploy of {@link SharedWarDeployment#NAME} happens only when the WAR is not deployed
 * yet, its per-class undeploy is skipped, and the WAR is undeployed before the server stops. A class
 * with a deployment of its own (an undeploy/redeploy test) first gets the shared one undeployed.
 */
public final class SharedDeploymentExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(Keeper.class);
    }

    /**
     * Undeploys the shared WAR, if it is deployed: a test class that is not a {@link TestServerIT}
     * (an engine test) runs with no application beside it, as it did when every class undeployed its
     * own (the application's timers would otherwise work on the same engines).
     */
    public static void undeployShared() {
        Keeper keeper = Keeper.current;
        if (keeper != null && keeper.deployed != null) {
            try {
                keeper.undeployShared(keeper.container);
            } catch (DeploymentException e) {
                throw new IllegalStateException("the shared deployment could not be undeployed", e);
            }
        }
    }

    /** Arquillian creates one per test run; it observes every deploy and undeploy. */
    public static final class Keeper {

        private static volatile Keeper current;

        private Archive<?> deployed;
        private DeployableContainer<?> container;

        public void deploy(@Observes EventContext<DeployDeployment> context) throws DeploymentException {
            DeployDeployment event = context.getEvent();
            Deployment deployment = event.getDeployment();
            if (!isShared(deployment)) {
                undeployShared(event.getDeployableContainer());
                context.proceed();
                return;
            }
            if (deployed == null) {
                context.proceed();
                if (deployment.isDeployed() && !deployment.hasDeploymentError()) {
                    deployed = deployment.getDescription().getArchive();
                    container = event.getDeployableContainer();
                    current = this;
                }
                return;
            }
            deployment.deployed();
        }

        public void undeploy(@Observes EventContext<UnDeployDeployment> context) {
            Deployment deployment = context.getEvent().getDeployment();
            if (isShared(deployment) && deployed != null) {
                deployment.undeployed();
                return;
            }
            context.proceed();
        }

        public void beforeStop(@Observes BeforeStop event) throws DeploymentException {
            undeployShared(event.getDeployableContainer());
        }

        private void undeployShared(DeployableContainer<?> container) throws DeploymentException {
            if (deployed != null) {
                Archive<?> archive = deployed;
                deployed = null;
                container.undeploy(archive);
            }
        }

        private static boolean isShared(Deployment deployment) {
            return SharedWarDeployment.NAME.equals(deployment.getDescription().getName());
        }
    }
}
