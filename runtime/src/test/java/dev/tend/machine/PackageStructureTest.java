package dev.tend.machine;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

class PackageStructureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .importUrl(Machine.class.getProtectionDomain().getCodeSource().getLocation());

    @Test
    void packagesDependOnEachOtherOneWayOnly() {
        slices().matching("dev.tend.(**)").should().beFreeOfCycles().check(MAIN);
    }
}
