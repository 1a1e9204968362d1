package io.leadflow.schemas.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 only instantiates classes from trusted packages. Our generated classes live in
 * {@code io.leadflow.avro}; admitting that package here means no service, test or container has to
 * remember the {@code org.apache.avro.SERIALIZABLE_PACKAGES} system property.
 */
public final class AvroTrust {

    public static final String GENERATED_PACKAGE = "io.leadflow.avro.";

    private static volatile boolean admitted;

    private AvroTrust() {
    }

    public static void admitGeneratedClasses() {
        if (admitted) {
            return;
        }
        synchronized (AvroTrust.class) {
            if (!admitted) {
                ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
                ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                        clazz -> clazz.getName().startsWith(GENERATED_PACKAGE)));
                admitted = true;
            }
        }
    }
}
