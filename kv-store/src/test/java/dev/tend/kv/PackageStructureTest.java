package dev.tend.kv;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * How the store's packages may depend on each other (docs/architecture.md, kv-store): the API on nothing of ours but
 * at one documented place, the SPI on the API, every backend and the backup on the API and the SPI, never on each
 * other. Only this module's main classes are checked.
 */
class PackageStructureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .importUrl(KvStore.class.getProtectionDomain().getCodeSource().getLocation());

    /** The one class of the API that reaches into the SPI and a backend: it finds the backend for a URL. */
    private static final String OPENER = KvStoreBuilder.class.getName();

    /**
     * No cycles but one, named: {@code KvStore.open} finds its backend through the SPI ({@code KvBackendProvider}) and
     * opens {@code file:} URLs with the embedded backend directly (start-up time: no ServiceLoader scan), while the SPI
     * and the backends return and implement the API's types. That is the API and its SPI seen from two sides, as in
     * {@code java.nio.file} and {@code java.nio.file.spi}, and it is confined to {@link KvStoreBuilder}: see
     * {@link #theApiNamesItsSpiAndBackendsOnlyToOpenAStore()}.
     */
    @Test
    void packagesDependOnEachOtherOneWayOnly() {
        slices().matching("dev.tend.(**)").should().beFreeOfCycles()
                .ignoreDependency(name(OPENER), resideInAnyPackage("dev.tend.kv.spi", "dev.tend.kv.embedded"))
                .check(MAIN);
    }

    @Test
    void theApiNamesItsSpiAndBackendsOnlyToOpenAStore() {
        noClasses().that().resideInAPackage("dev.tend.kv").and().doNotHaveFullyQualifiedName(OPENER)
                .should().dependOnClassesThat().resideInAnyPackage("dev.tend.kv.spi", "dev.tend.kv.embedded",
                        "dev.tend.kv.nats", "dev.tend.kv.backup")
                .check(MAIN);
        noClasses().that().haveFullyQualifiedName(OPENER)
                .should().dependOnClassesThat().resideInAnyPackage("dev.tend.kv.nats", "dev.tend.kv.backup")
                .because("only the embedded backend is named, for file: URLs; NATS is found as a service")
                .check(MAIN);
    }

    @Test
    void theSpiNeedsOnlyTheApi() {
        classes().that().resideInAPackage("dev.tend.kv.spi")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.tend.kv", "dev.tend.kv.spi", "java..")
                .check(MAIN);
    }

    /** Each backend stands alone, and a backup is backend-neutral (it moves buckets between backends). */
    @Test
    void backendsAndTheBackupDoNotKnowEachOther() {
        String[] parts = {"dev.tend.kv.embedded", "dev.tend.kv.nats", "dev.tend.kv.backup"};
        for (String part : parts) {
            noClasses().that().resideInAPackage(part)
                    .should().dependOnClassesThat(resideInAnyPackage(others(parts, part)))
                    .check(MAIN);
        }
    }

    /** The units parsers serve every module, so they need nothing but the API's exception for bad input. */
    @Test
    void unitsNeedOnlyTheApisExceptions() {
        classes().that().resideInAPackage("dev.tend.units")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.tend.units", "dev.tend.kv", "java..")
                .check(MAIN);
    }

    /** Governors are an application of the store's API: no backend, SPI or backup. */
    @Test
    void governorsUseOnlyTheApi() {
        classes().that().resideInAPackage("dev.tend.governor")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.tend.governor", "dev.tend.kv",
                        "dev.tend.units", "java..", "org.slf4j..", "com.fasterxml.jackson.core..")
                .check(MAIN);
    }

    private static String[] others(String[] all, String one) {
        return java.util.Arrays.stream(all).filter(p -> !p.equals(one)).toArray(String[]::new);
    }
}
