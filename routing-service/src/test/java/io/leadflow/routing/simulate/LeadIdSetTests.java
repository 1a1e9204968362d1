package io.leadflow.routing.simulate;

import io.leadflow.schemas.LeadIds;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class LeadIdSetTests {

    @Test
    void remembersEveryLeadIdExactlyOnceThroughGrowth() {
        LeadIdSet set = new LeadIdSet();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            String id = LeadIds.leadId("WEBSITE_FORM", "sub-" + i);
            assertThat(set.add(id)).isEqualTo(expected.add(id));
        }

        assertThat(set.size()).isEqualTo(50_000);
        assertThat(set.add(LeadIds.leadId("WEBSITE_FORM", "sub-123"))).as("seen before").isFalse();
        assertThat(set.contains(LeadIds.leadId("WEBSITE_FORM", "sub-49999"))).isTrue();
        assertThat(set.contains(LeadIds.leadId("WEBSITE_FORM", "sub-50000"))).isFalse();
    }

    @Test
    void idsThatAreNotCanonicalUuidsAreKeptAsTheyAreAndNeverConfusedWithOne() {
        LeadIdSet set = new LeadIdSet();
        String id = UUID.nameUUIDFromBytes("EMAIL:<m@x>".getBytes()).toString();

        set.add(id);

        assertThat(set.contains(id.toUpperCase(Locale.ROOT))).as("another string, another lead").isFalse();
        assertThat(set.add(id.toUpperCase(Locale.ROOT))).isTrue();
        assertThat(set.add("preview")).isTrue();
        assertThat(set.add("preview")).isFalse();
        assertThat(set.add("00000000-0000-0000-0000-000000000001")).isTrue();
        assertThat(set.contains("00000000-0000-0000-0000-000000000001")).isTrue();
        assertThat(set.contains("00000000-0000-0000-0000-000000000002")).isFalse();
        assertThat(set.add("１2345678-1234-1234-1234-123456789abc")).as("not ASCII hex").isTrue();
        assertThat(set.size()).isEqualTo(5);
    }
}
