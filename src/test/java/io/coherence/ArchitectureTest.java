package io.coherence;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the arrows pointing inward (interfaces → application → domain ← infrastructure), the
 * application free of transports, the infrastructure adapters independent, no package cycles, and
 * the API endpoints free of request state.
 */
class ArchitectureTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainCode() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.coherence");
    }

    @Test
    void theMainCodeWasImported() {
        assertThat(main).extracting(JavaClass::getPackageName)
                .contains("io.coherence.domain.score", "io.coherence.application.ingest",
                        "io.coherence.infrastructure.neo4j", "io.coherence.interfaces.rest");
        assertThat(main.stream().map(JavaClass::getName)).noneMatch(n -> n.endsWith("Test") || n.endsWith("IT"));
    }

    @Test
    void theDomainIsPlainJava() {
        ArchRule rule = noClasses().that().resideInAPackage("io.coherence.domain..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "jakarta..", "javax.sql..", "org.eclipse.microprofile..", "org.neo4j..", "org.redisson..",
                        "java.sql..", "org.postgresql..", "org.flywaydb..")
                .because("the domain depends on nothing but Java");
        rule.check(main);
    }

    @Test
    void theDomainDependsOnNoOuterLayer() {
        noClasses().that().resideInAPackage("io.coherence.domain..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.coherence.application..", "io.coherence.infrastructure..", "io.coherence.interfaces..")
                .check(main);
    }

    @Test
    void theApplicationReachesAdaptersOnlyThroughPorts() {
        noClasses().that().resideInAPackage("io.coherence.application..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.coherence.infrastructure..", "io.coherence.interfaces..")
                .check(main);
    }

    @Test
    void infrastructureDoesNotDependOnInterfaces() {
        noClasses().that().resideInAPackage("io.coherence.infrastructure..")
                .should().dependOnClassesThat().resideInAPackage("io.coherence.interfaces..")
                .check(main);
    }

    @Test
    void theApplicationSpeaksNoTransport() {
        noClasses().that().resideInAPackage("io.coherence.application..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.servlet..", "jakarta.ws.rs..", "jakarta.websocket..")
                .because("HTTP, JAX-RS and WebSocket belong to the interfaces; use cases take plain values")
                .check(main);
    }

    @Test
    void infrastructureAdaptersAreIndependentOfEachOther() {
        slices().matching("io.coherence.infrastructure.(*)..").should().notDependOnEachOther()
                .because("each adapter reaches one engine; what they share lives in infrastructure itself")
                .check(main);
    }

    @Test
    void interfaceAdaptersAreIndependentOfEachOther() {
        slices().matching("io.coherence.interfaces.(*)..").should().notDependOnEachOther()
                .ignoreDependency(resideInAPackage("io.coherence.interfaces.."), resideInAPackage("io.coherence.interfaces.telemetry.."))
                .ignoreDependency(resideInAPackage("io.coherence.interfaces.websocket.."), resideInAPackage("io.coherence.interfaces.graphql.."))
                .because("each transport reaches the others only through application ports; what they share lives in "
                        + "interfaces itself, telemetry observes them all, and the WebSocket transport of GraphQL reads "
                        + "requests with the GraphQL edge")
                .check(main);
    }

    /**
     * One instance serves every request (a request-scoped one was built, with its interceptor, on
     * each call: about a tenth of a read's CPU), so it may hold nothing of a request: its instance
     * fields are injected (request-scoped beans arrive as proxies) or constants.
     */
    @Test
    void graphQLApisAndResourcesAreApplicationScopedAndKeepNoRequestState() {
        DescribedPredicate<JavaClass> endpoint = JavaClass.Predicates.assignableTo(Object.class)
                .and(annotatedWith("org.eclipse.microprofile.graphql.GraphQLApi").or(annotatedWith("jakarta.ws.rs.Path")));
        ArchRule scoped = classes().that(endpoint).should().beAnnotatedWith("jakarta.enterprise.context.ApplicationScoped");
        ArchRule stateless = fields().that().areDeclaredInClassesThat(endpoint).and().areNotStatic()
                .should().beAnnotatedWith("jakarta.inject.Inject");
        scoped.check(main);
        stateless.check(main);
        assertThat(main.stream().filter(endpoint::test).count()).isGreaterThanOrEqualTo(9);
    }

    @Test
    void noPackagesDependOnEachOtherInACycle() {
        slices().matching("io.coherence.(**)").should().beFreeOfCycles().check(main);
    }

    /** package-info.java without annotations compiles to nothing, so look at the sources. */
    @Test
    void everyPackageHasAPackageInfo() throws IOException {
        Path root = Path.of(System.getProperty("basedir", ".")).resolve("src/main/java");
        assertThat(root).isDirectory();
        Set<Path> packagesWithCode;
        try (Stream<Path> files = Files.walk(root)) {
            packagesWithCode = files.filter(p -> p.toString().endsWith(".java"))
                    .map(Path::getParent).collect(Collectors.toCollection(TreeSet::new));
        }
        List<String> missing = packagesWithCode.stream()
                .filter(dir -> !Files.isRegularFile(dir.resolve("package-info.java")))
                .map(dir -> root.relativize(dir).toString().replace('/', '.'))
                .toList();

        assertThat(packagesWithCode).hasSizeGreaterThan(10);
        assertThat(missing).as("packages without package-info.java").isEmpty();
        Set<String> compiledPackages = main.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
        Set<String> sourcePackages = packagesWithCode.stream()
                .map(dir -> root.relativize(dir).toString().replace('/', '.')).collect(Collectors.toSet());
        assertThat(sourcePackages).containsAll(compiledPackages);
    }
}
