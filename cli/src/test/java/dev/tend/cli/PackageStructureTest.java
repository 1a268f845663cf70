package dev.tend.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * How the CLI's packages may depend on each other (docs/architecture.md, cli): {@code dev.tend.cli} starts the
 * program and knows every command family ({@code kv}, {@code machine}, {@code agent}, {@code governor},
 * {@code fleet}, {@code config}); the families
 * know only what they share ({@code command}: exit statuses, errors, option values, running until signalled; {@code output}: JSON,
 * tables, times, values; {@code store}: which store and how to reach it; {@code settings}: flag, environment,
 * config file, default), never each other. Only this module's main classes are checked.
 */
class PackageStructureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .importUrl(Main.class.getProtectionDomain().getCodeSource().getLocation());

    private static final String[] FAMILIES = {"dev.tend.cli.kv", "dev.tend.cli.machine", "dev.tend.cli.agent",
            "dev.tend.cli.governor", "dev.tend.cli.fleet", "dev.tend.cli.config"};

    @Test
    void packagesDependOnEachOtherOneWayOnly() {
        slices().matching("dev.tend.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void whatTheCommandsShareKnowsNoCommand() {
        noClasses().that().resideInAnyPackage("dev.tend.cli.command", "dev.tend.cli.output", "dev.tend.cli.store",
                        "dev.tend.cli.settings")
                .should().dependOnClassesThat().resideInAnyPackage(append(FAMILIES, "dev.tend.cli"))
                .check(MAIN);
    }

    @Test
    void commandFamiliesDoNotKnowEachOther() {
        for (String family : FAMILIES) {
            noClasses().that().resideInAPackage(family)
                    .should().dependOnClassesThat().resideInAnyPackage(append(others(family), "dev.tend.cli"))
                    .check(MAIN);
        }
    }

    private static String[] others(String family) {
        return java.util.Arrays.stream(FAMILIES).filter(f -> !f.equals(family)).toArray(String[]::new);
    }

    private static String[] append(String[] packages, String one) {
        String[] all = java.util.Arrays.copyOf(packages, packages.length + 1);
        all[packages.length] = one;
        return all;
    }
}
