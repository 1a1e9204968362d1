package io.leadflow.schemas.serde;

import io.leadflow.avro.AlertField;
import io.leadflow.avro.AlertKind;
import io.leadflow.avro.Contact;
import io.leadflow.avro.DealStageChanged;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.IntroEmail;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Owner;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.avro.PlanInterest;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.RoutingReason;
import io.leadflow.schemas.registry.MockSchemaRegistry;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Personal fields (tagged {@code PII}) are written encrypted under a key of the person the schema's subject path names,
 * in the same schema and wire format; a reader with the keys gets the record back, one without sees tokens, and a
 * deleted key makes the record unreadable as {@link PersonErasedException}.
 */
class PersonalFieldsTests {

    private static final String SCOPE = "personal-fields";
    private static final List<String> PERSONAL = List.of("jane.doe@acme.com", "Jane", "Doe", "Head of Data",
            "We need SSO for 400 engineers", "Hi Jane, thanks for asking about SSO", "Jane Doe, Head of Data <jane.doe@acme.com>",
            "New lead: Jane Doe at Acme");

    private final MockSchemaRegistry registry = MockSchemaRegistry.scope(SCOPE);
    /** Long enough for a busy machine, far below a hang: the parsing is linear, a few milliseconds a token. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(10);

    private final TestCipher keys = new TestCipher();

    @AfterEach
    void forgetSchemas() {
        MockSchemaRegistry.drop(SCOPE);
    }

    @Test
    void aDecisionRoundTripsWithTheCipherAndItsBytesHoldNoneOfThePersonalValues() {
        byte[] bytes = writer(keys).serialize("leads.routed", decision());

        for (String value : PERSONAL) {
            assertThat(contains(bytes, value)).as("plaintext %s in the bytes", value).isFalse();
        }
        assertThat(contains(bytes, "Acme Corp")).as("a field that is not personal stays readable").isTrue();
        assertThat(reader(LeadRouted.class, keys).deserialize("leads.routed", bytes)).isEqualTo(decision());
    }

    @Test
    void theSerializerEncryptsACopyAndLeavesTheCallersRecordAlone() {
        LeadRouted decision = decision();
        writer(keys).serialize("leads.routed", decision);
        assertThat(decision).isEqualTo(decision());
    }

    @Test
    void anAlertIsKeyedByTheAddressInItsContactField() {
        byte[] bytes = writer(keys).serialize("rep.alerts", alert());

        assertThat(contains(bytes, "jane.doe@acme.com")).isFalse();
        assertThat(contains(bytes, "New lead: Jane Doe")).isFalse();
        assertThat(reader(RepAlert.class, keys).deserialize("rep.alerts", bytes)).isEqualTo(alert());
        keys.forget("jane.doe@acme.com");
        assertThatThrownBy(() -> reader(RepAlert.class, keys).deserialize("rep.alerts", bytes)).isInstanceOf(PersonErasedException.class);
    }

    @Test
    void aReaderWithoutTheCipherSeesTokensInThePersonalFieldsAsAnAvroClientWould() {
        byte[] bytes = writer(keys).serialize("leads.routed", decision());

        GenericRecord generic = new AvroDeserializer<GenericRecord>(registry, null).deserialize("leads.routed", bytes);
        GenericRecord contact = (GenericRecord) ((GenericRecord) generic.get("lead")).get("contact");
        assertThat(contact.get("email").toString()).startsWith("lfx1:k1:");
        assertThat(contact.get("companyName").toString()).isEqualTo("Acme Corp");
        LeadRouted specific = reader(LeadRouted.class, null).deserialize("leads.routed", bytes);
        assertThat(specific.getLead().getMessage()).startsWith("lfx1:k1:");
    }

    @Test
    void aGenericReaderWithTheCipherFindsTheTagsInTheRegisteredSchema() {
        byte[] bytes = writer(keys).serialize("leads.routed", decision());
        GenericRecord generic = new AvroDeserializer<GenericRecord>(registry, null).withCipher(keys).deserialize("leads.routed", bytes);
        assertThat(((GenericRecord) ((GenericRecord) generic.get("lead")).get("contact")).get("email").toString()).isEqualTo("jane.doe@acme.com");
    }

    @Test
    void withoutACipherTheBytesAreExactlyTheUnencryptedEncoding() throws IOException {
        byte[] bytes = writer(null).serialize("leads.routed", decision());
        assertThat(bytes).isEqualTo(plainEncoding(decision(), bytes));
    }

    @Test
    void aRecordThatNamesNoPersonIsWrittenAsItIsEvenWithTheCipher() {
        DealStageChanged change = DealStageChanged.newBuilder().setEventId(1).setPortalId(2).setDealId("42").setStageId("trial")
                .setOccurredAt(Instant.ofEpochMilli(1000)).setSubscriptionType("deal.creation").build();
        assertThat(writer(keys).serialize("deals.stage-changed", change)).isEqualTo(writer(null).serialize("deals.stage-changed", change));
        ErasureRequested done = ErasureRequested.newBuilder().setErasureId("e-1").setSubject("ab").setEmail(null)
                .setRequestedAt(Instant.EPOCH).build();
        assertThat(writer(keys).serialize("privacy.erasures", done)).isEqualTo(writer(null).serialize("privacy.erasures", done));
    }

    @Test
    void anAlertWhoseContactFieldHoldsNoAddressNamesNoPerson() {
        RepAlert noAddress = RepAlert.newBuilder(alert()).setFields(List.of(new AlertField("Contact", "Jane Doe"))).build();
        assertThat(PersonalFields.email(noAddress, "fields[label=Contact].value")).isNull();
        assertThat(PersonalFields.email(alert(), "fields[label=Contact].value")).isEqualTo("jane.doe@acme.com");
        assertThat(PersonalFields.email(alert(), "fields[label=Company].value")).isNull();
    }

    @Test
    void aPlaintextRecordFromAWriterWithoutTheCipherReadsUnchanged() {
        byte[] bytes = writer(null).serialize("leads.routed", decision());
        assertThat(reader(LeadRouted.class, keys).deserialize("leads.routed", bytes)).isEqualTo(decision());
    }

    @Test
    void aRecordUnderADeletedKeyIsAnErasedPersonNotAnUnreadableRecord() {
        byte[] bytes = writer(keys).serialize("leads.routed", decision());
        keys.forget("jane.doe@acme.com");

        assertThatThrownBy(() -> reader(LeadRouted.class, keys).deserialize("leads.routed", bytes))
                .isInstanceOf(PersonErasedException.class)
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("k1")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("jane"));
    }

    @Test
    void twoRecordsOfThePersonShareTheKeyButNeverACiphertext() {
        byte[] first = writer(keys).serialize("leads.routed", decision());
        byte[] second = writer(keys).serialize("leads.routed", decision());
        assertThat(first).isNotEqualTo(second);
        assertThat(reader(LeadRouted.class, keys).deserialize("leads.routed", second)).isEqualTo(decision());
    }

    /** Ciphers are kept per thread and initialised per field: threads in parallel each get their own values back. */
    @Test
    void manyThreadsEncryptingAndDecryptingAtOnceEachReadTheirOwnValues() {
        List<String> values = java.util.stream.IntStream.range(0, 2_000).mapToObj(i -> "message " + i + " ".repeat(i % 50)).toList();
        FieldCipher.DataKey key = keys.keyFor("jane.doe@acme.com");

        List<String> tokens = values.parallelStream().map(value -> PersonalFields.encrypt(key, value)).toList();
        List<String> read = tokens.parallelStream().map(token -> PersonalFields.decrypt(token, keys)).toList();

        assertThat(read).isEqualTo(values);
        assertThat(java.util.Set.copyOf(tokens)).hasSameSizeAs(tokens);
    }

    @Test
    void forgedOrMalformedTokensAreAClearSerializationErrorAndNeverAHang() {
        keys.keyFor("jane.doe@acme.com");
        String valid = PersonalFields.encrypt(keys.keyFor("jane.doe@acme.com"), "We need SSO");
        String payload = valid.substring("lfx1:k1:".length());
        byte[] sealed = Base64.getUrlDecoder().decode(payload);
        sealed[sealed.length - 1] ^= 1;
        Map<String, String> forged = Map.of(
                "lfx1:", "no key id",
                "lfx1:k1", "no key id",
                "lfx1:k 1:AAAA", "malformed key id",
                "lfx1:" + "k".repeat(65) + ":AAAA", "malformed key id",
                "lfx1:k1:***not base64***", "not base64url",
                "lfx1:k1:AAAA", "shorter than an IV and a tag",
                "lfx1:k1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed), "does not authenticate",
                "lfx1:k1:" + "A".repeat(2_000_000), "longer than any record",
                "lfx1:" + "k".repeat(2_000_000), "longer than any record");
        Random random = new Random(20260302L);
        for (int round = 0; round < 200; round++) {
            char[] noise = new char[random.nextInt(64)];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = "lfx1:kK_-=/+A9 ".charAt(random.nextInt(15));
            }
            String token = "lfx1:k1:" + new String(noise);
            assertTimeoutPreemptively(HANG_GUARD, () -> assertThatThrownBy(() -> readMessage(token))
                    .isInstanceOf(SerializationException.class).isNotInstanceOf(PersonErasedException.class));
        }
        forged.forEach((token, problem) -> assertTimeoutPreemptively(HANG_GUARD, () ->
                assertThatThrownBy(() -> readMessage(token)).isInstanceOf(SerializationException.class)
                        .isNotInstanceOf(PersonErasedException.class).hasMessageContaining(problem)));
    }

    @Test
    void aCipherNamedInTheConfigIsLookedUpWhenFirstUsedAndAnUnregisteredNameFailsRatherThanWritePlaintext() {
        AvroSerializer<LeadRouted> named = new AvroSerializer<>(registry, Map.of(FieldCiphers.CONFIG, "personal-fields-test"));
        assertThatThrownBy(() -> named.serialize("leads.routed", decision())).isInstanceOf(SerializationException.class)
                .hasMessageContaining("not registered");
        FieldCiphers.register("personal-fields-test", keys);
        try {
            byte[] bytes = named.serialize("leads.routed", decision());
            AvroDeserializer<LeadRouted> reader = new AvroDeserializer<>(registry, LeadRouted.class);
            reader.configure(Map.of("schema.registry.url", "mock://" + SCOPE, FieldCiphers.CONFIG, "personal-fields-test"), false);
            assertThat(contains(bytes, "jane.doe@acme.com")).isFalse();
            assertThat(reader.deserialize("leads.routed", bytes)).isEqualTo(decision());
        } finally {
            FieldCiphers.unregister("personal-fields-test", keys);
        }
    }

    private void readMessage(String message) {
        LeadReceived lead = LeadReceived.newBuilder(decision().getLead()).setMessage(message).build();
        byte[] bytes = writer(null).serialize("leads.received", lead);
        reader(LeadReceived.class, keys).deserialize("leads.received", bytes);
    }

    private <T extends org.apache.avro.generic.IndexedRecord> AvroSerializer<T> writer(FieldCipher cipher) {
        return new AvroSerializer<T>(registry, Map.of()).withCipher(cipher);
    }

    private <T> AvroDeserializer<T> reader(Class<T> type, FieldCipher cipher) {
        return new AvroDeserializer<>(registry, type).withCipher(cipher);
    }

    private static byte[] plainEncoding(LeadRouted decision, byte[] written) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(written, 0, WireFormat.HEADER_SIZE);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(LeadRouted.class).write(decision, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static boolean contains(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static LeadRouted decision() {
        LeadReceived lead = LeadReceived.newBuilder()
                .setLeadId("lead-1").setSource(LeadSource.WEBSITE_FORM).setSourceEventId("sub-1")
                .setReceivedAt(Instant.parse("2026-03-02T09:30:00Z"))
                .setContact(Contact.newBuilder().setEmail("jane.doe@acme.com").setFirstName("Jane").setLastName("Doe")
                        .setTitle("Head of Data").setCompanyName("Acme Corp").setCompanyDomain("acme.com").build())
                .setPlanInterest(PlanInterest.ENTERPRISE).setMessage("We need SSO for 400 engineers")
                .setUtm(Map.of("utm_source", "newsletter"))
                .build();
        return LeadRouted.newBuilder()
                .setLeadId("lead-1").setRoutedAt(Instant.parse("2026-03-02T09:30:01Z")).setLead(lead)
                .setPipeline(Pipeline.HANDS_ON).setRecommendedPlan(Plan.ENTERPRISE)
                .setOwner(Owner.newBuilder().setRepId("ada").setName("Ada").setEmail("ada@leadflow.test").build())
                .setReasons(List.of(RoutingReason.newBuilder().setRule("enterprise").setField("contact.email")
                        .setValue("jane.doe@acme.com").setExplanation("Enterprise domain").build()))
                .setRulesVersion("test")
                .setIntroEmail(IntroEmail.newBuilder().setTo("jane.doe@acme.com").setFromName("Ada").setFromEmail("ada@leadflow.test")
                        .setSubject("Hi Jane, thanks for asking about SSO").setBody("> We need SSO for 400 engineers").build())
                .build();
    }

    private static RepAlert alert() {
        return RepAlert.newBuilder().setAlertId("a-1").setRepId("ada").setKind(AlertKind.NEW_LEAD)
                .setTitle("New lead: Jane Doe at Acme")
                .setFields(List.of(new AlertField("Company", "Acme Corp"),
                        new AlertField("Contact", "Jane Doe, Head of Data <jane.doe@acme.com>")))
                .setCreatedAt(Instant.parse("2026-03-02T09:30:02Z")).setLeadId("lead-1")
                .build();
    }
}
