package io.github.listenerdedup.jms;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class PlainJmsDependenciesTest {

    @Test
    void shouldNeedNoSpringTypeWhenDecoratingPlainJmsListener() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.github.listenerdedup");

        noClasses().that().haveFullyQualifiedName(DeduplicatingSessionListener.class.getName())
                .should().transitivelyDependOnClassesThat().resideInAPackage("org.springframework..")
                .because("plain JMS users have no Spring on the class path")
                .check(classes);
    }
}
