package io.leadflow.platform.privacy;

import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureStatus;

import java.time.Instant;

/** One system's line on an erasure's receipt, as every service writes it to {@code privacy.erasure-reports}. */
public final class ErasureReports {

    private ErasureReports() {
    }

    /** The record key: the latest report per erasure and system is the receipt's line. */
    public static String key(String erasureId, String system) {
        return erasureId + ":" + system;
    }

    /**
     * @param detail what was erased (counts, never values) or why it failed; no personal data
     */
    public static ErasureReport of(String erasureId, String system, ErasureStatus status, String detail, int attempts, Instant at) {
        return ErasureReport.newBuilder().setErasureId(erasureId).setSystem(system).setStatus(status).setDetail(detail)
                .setAttempts(attempts).setReportedAt(at).build();
    }
}
