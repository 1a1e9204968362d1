package io.leadflow.schemas;

import io.leadflow.schemas.serde.AvroTrust;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Admits the generated Avro classes before any test builds a record (Avro 1.12 class check). */
public class AvroTrustListener implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        AvroTrust.admitGeneratedClasses();
    }
}
