package io.coherence.testsupport;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR Maven built, deployed as it is: no hand-listed archive to keep in step with the code. */
public final class Deployments {

    private Deployments() {
    }

    public static WebArchive coherenceWar() {
        File war = new File(System.getProperty("coherence.war", "target/coherence.war"));
        return ShrinkWrap.createFromZipFile(WebArchive.class, war);
    }
}
