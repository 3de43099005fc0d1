package io.github.listenerdedup;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final String ROOT = "io.github.listenerdedup";

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void shouldKeepCoreFreeOfBrokerStoreAndFrameworkTypes() {
        noClasses().that().resideInAPackage(ROOT + ".core..")
                .should().dependOnClassesThat()
                .resideOutsideOfPackages(ROOT + ".core..", "java..", "org.slf4j..", "io.github.resilience4j..")
                .because("core holds the protocol and decisions, and knows no broker, store or framework")
                .check(classes);
    }

    @Test
    void shouldLetStoresDependOnCoreOnly() {
        onlyCoreAmongOurs("store.memory");
        onlyCoreAmongOurs("store.redis");
    }

    @Test
    void shouldLetBrokerAdaptersDependOnCoreOnly() {
        onlyCoreAmongOurs("rabbit");
        onlyCoreAmongOurs("jms");
    }

    private static void onlyCoreAmongOurs(String subPackage) {
        String own = ROOT + "." + subPackage + "..";
        noClasses().that().resideInAPackage(own)
                .should().dependOnClassesThat(DescribedPredicate.describe("classes of ours outside core",
                        (JavaClass target) -> target.getPackageName().startsWith(ROOT + ".")
                                && !target.getPackageName().startsWith(ROOT + ".core")
                                && !target.getPackageName().startsWith(ROOT + "." + subPackage)))
                .allowEmptyShould(true)
                .because("broker and store packages depend on core only")
                .check(classes);
    }
}
