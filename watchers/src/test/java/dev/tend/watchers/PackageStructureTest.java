package dev.tend.watchers;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.tend.watchers.timer.TimerWatcherFactory;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The built-in watcher types are written as plugins would be (docs/watchers.md): each type in its own package, none
 * knowing another (what several share, such as running a command, is a package of its own that knows no type), and of
 * the runtime only its watcher SPI. Only this module's main classes are checked.
 */
class PackageStructureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .importUrl(TimerWatcherFactory.class.getProtectionDomain().getCodeSource().getLocation());

    private static final String[] TYPES = {"dev.tend.watchers.exec", "dev.tend.watchers.file", "dev.tend.watchers.kv",
            "dev.tend.watchers.schedule", "dev.tend.watchers.timer", "dev.tend.watchers.expression",
            "dev.tend.watchers.nagios", "dev.tend.watchers.metric", "dev.tend.watchers.archive",
            "dev.tend.watchers.plugins"};

    /** What several types share: packages of their own that know no type. */
    private static final String[] SHARED = {"dev.tend.watchers.process", "dev.tend.watchers.perfdata",
            "dev.tend.watchers.prometheus", "dev.tend.watchers.governed", "dev.tend.watchers.noop", "dev.tend.fleet.spec"};

    @Test
    void packagesDependOnEachOtherOneWayOnly() {
        slices().matching("dev.tend.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void noTypeKnowsAnother() {
        for (String type : TYPES) {
            noClasses().that().resideInAPackage(type)
                    .should().dependOnClassesThat().resideInAnyPackage(java.util.Arrays.stream(TYPES)
                            .filter(t -> !t.equals(type)).toArray(String[]::new))
                    .check(MAIN);
        }
    }

    /** What the types share knows none of them. */
    @Test
    void theSharedPackagesKnowNoType() {
        noClasses().that().resideInAnyPackage(SHARED)
                .should().dependOnClassesThat().resideInAnyPackage(TYPES)
                .check(MAIN);
    }

    /**
     * Of the runtime, only the SPI, the expression language's API ({@code dev.tend.machine.expression}, which a
     * plugin may use as well) and the Jackson module that writes numbers as Choria does ({@code dev.tend.machine.json},
     * exec's {@code WATCHER_DATA} and {@code WATCHER_FACTS}; it knows nothing else of the runtime). One exception, named: the kv type checks its templates at load and reads JSON paths
     * with the runtime's own template code ({@code TemplateRenderer.check}, {@code JsonPaths}), which the SPI does not
     * offer (yet), and resolves {@code hiera_config} documents with the runtime's Tiny Hiera
     * ({@code dev.tend.machine.hiera}); a plugin from outside could not do that.
     */
    @Test
    void ofTheRuntimeOnlyTheSpi() {
        noClasses().that().resideInAPackage("dev.tend.watchers..").and().resideOutsideOfPackage("dev.tend.watchers.kv")
                .should().dependOnClassesThat(runtimeBut("dev.tend.machine.spi", "dev.tend.machine.expression",
                        "dev.tend.machine.json"))
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.tend.watchers.kv")
                .should().dependOnClassesThat(runtimeBut("dev.tend.machine.spi", "dev.tend.machine.template",
                        "dev.tend.machine.hiera"))
                .check(MAIN);
    }

    /** A class of the runtime ({@code dev.tend.machine..}) outside these packages. */
    private static DescribedPredicate<JavaClass> runtimeBut(String... allowed) {
        return resideInAPackage("dev.tend.machine..").and(not(resideInAnyPackage(allowed)));
    }
}
