package io.leadflow.routing.decide;

import java.time.Instant;

/** Who owns an account (a company domain) and since when; stored as {@code repId|epochMillis}. */
public record AccountOwner(String repId, Instant since) {

    public String encode() {
        return repId + "|" + since.toEpochMilli();
    }

    public static AccountOwner decode(String value) {
        if (value == null) {
            return null;
        }
        int bar = value.lastIndexOf('|');
        if (bar <= 0) {
            return null;
        }
        try {
            return new AccountOwner(value.substring(0, bar), Instant.ofEpochMilli(Long.parseLong(value.substring(bar + 1))));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
