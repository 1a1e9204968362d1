package io.leadflow.platform.kafka;

import io.leadflow.schemas.serde.AvroTrust;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Admits the generated Avro classes before any bean can build a record (Avro 1.12 class check). */
public class AvroTrustInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        AvroTrust.admitGeneratedClasses();
    }
}
