package dev.tend.machine;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * How the runtime's packages may depend on each other (docs/architecture.md, runtime): the watcher SPI at the bottom,
 * then the events and the model, then the loader, the engine and the machine data, then the control socket, and the
 * agent on top. Only this module's main classes are checked.
 */
class PackageStructureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .importUrl(Machine.class.getProtectionDomain().getCodeSource().getLocation());

    @Test
    void packagesDependOnEachOtherOneWayOnly() {
        slices().matching("dev.tend.(**)").should().beFreeOfCycles().check(MAIN);
    }

    /** Plugin authors compile against the SPI and the store's API; nothing of the runtime may leak into it. */
    @Test
    void theWatcherSpiNeedsOnlyTheStoreApi() {
        classes().that().resideInAPackage("dev.tend.machine.spi")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.tend.machine.spi", "dev.tend.kv", "java..",
                        "org.slf4j")
                .check(MAIN);
    }

    /** The model and the settings are what every runner shares; they name no implementation. */
    @Test
    void theModelNamesNoImplementation() {
        noClasses().that().resideInAPackage("dev.tend.machine")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tend.machine.load", "dev.tend.machine.engine",
                        "dev.tend.machine.data", "dev.tend.machine.template", "dev.tend.machine.agent",
                        "dev.tend.machine.control")
                .check(MAIN);
    }

    /** Events are published by everything, so they know nothing of the runtime beyond themselves. */
    @Test
    void eventsKnowNoOtherRuntimePackage() {
        noClasses().that().resideInAPackage("dev.tend.machine.event")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tend.machine", "dev.tend.machine.spi",
                        "dev.tend.machine.load", "dev.tend.machine.engine", "dev.tend.machine.data",
                        "dev.tend.machine.template", "dev.tend.machine.agent", "dev.tend.machine.control")
                .check(MAIN);
    }

    /** Loading and running a machine do not depend on who runs it: an agent, {@code tend machine run}, a test. */
    @Test
    void loaderAndEngineDoNotKnowWhoRunsThem() {
        noClasses().that().resideInAnyPackage("dev.tend.machine.load", "dev.tend.machine.engine",
                        "dev.tend.machine.data", "dev.tend.machine.template")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tend.machine.agent", "dev.tend.machine.control")
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.tend.machine.load")
                .should().dependOnClassesThat().resideInAPackage("dev.tend.machine.engine")
                .check(MAIN);
    }

    /** The control socket serves whatever implements {@code RunningMachines}; the agent uses it, not the reverse. */
    @Test
    void theControlSocketDoesNotKnowTheAgent() {
        noClasses().that().resideInAPackage("dev.tend.machine.control")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tend.machine.agent", "dev.tend.machine.engine",
                        "dev.tend.machine.load")
                .check(MAIN);
    }
}
