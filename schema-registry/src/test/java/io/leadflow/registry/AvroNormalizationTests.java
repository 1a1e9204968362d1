package io.leadflow.registry;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The normalised form: property and alias order never matters, nothing Avro reads is lost. */
class AvroNormalizationTests {

    @Test
    void sortsCustomPropertiesOfTypesAndFieldsAndInsideTheirValues() {
        String normalized = normalize("""
                {"type":"record","name":"Lead","namespace":"io.leadflow.test","zeta":1,"alpha":{"y":true,"b":[{"d":1,"c":2}]},
                 "fields":[{"name":"at","type":{"type":"long","logicalType":"timestamp-millis","unit":"ms","connect.name":"ts"},
                            "kafka.key":false,"doc":"When."}]}""");

        assertThat(normalized).isEqualTo("{\"type\":\"record\",\"name\":\"Lead\",\"namespace\":\"io.leadflow.test\",\"fields\":["
                + "{\"name\":\"at\",\"type\":{\"type\":\"long\",\"connect.name\":\"ts\",\"logicalType\":\"timestamp-millis\",\"unit\":\"ms\"},"
                + "\"doc\":\"When.\",\"kafka.key\":false}],"
                + "\"alpha\":{\"b\":[{\"c\":2,\"d\":1}],\"y\":true},\"zeta\":1}");
    }

    @Test
    void sortsAliasesButKeepsFieldsSymbolsAndUnionBranchesInOrder() {
        String normalized = normalize("""
                {"type":"record","name":"Lead","aliases":["Prospect","Contact"],"fields":[
                  {"name":"stage","type":{"type":"enum","name":"Stage","symbols":["NEW","WON","LOST"],"default":"NEW"},"aliases":["status","phase"]},
                  {"name":"note","type":["null","string","bytes"],"default":null}]}""");

        assertThat(normalized).contains("\"aliases\":[\"Contact\",\"Prospect\"]", "\"aliases\":[\"phase\",\"status\"]",
                "\"symbols\":[\"NEW\",\"WON\",\"LOST\"]", "[\"null\",\"string\",\"bytes\"]");
        assertThat(normalized.indexOf("\"stage\"")).isLessThan(normalized.indexOf("\"note\""));
    }

    @Test
    void keepsDocsDefaultsAndNamesSoTheSchemaReadsTheSame() {
        String text = """
                {"type":"record","name":"Lead","namespace":"io.leadflow.test","doc":"A \\"lead\\".","fields":[
                  {"name":"owner","type":{"type":"record","name":"Owner","fields":[{"name":"id","type":"string"},{"name":"weight","type":"int"}]},
                   "default":{"weight":1,"id":"sales"}},
                  {"name":"backup","type":"Owner","doc":"Another owner."}]}""";
        Schema original = new Schema.Parser().parse(text);

        Schema normalized = new Schema.Parser().parse(AvroNormalization.normalize(original));

        assertThat(normalized).isEqualTo(original);
        assertThat(normalized.getDoc()).isEqualTo("A \"lead\".");
        assertThat(normalized.getField("backup").doc()).isEqualTo("Another owner.");
        assertThat(normalized.toString()).contains("\"default\":{\"id\":\"sales\",\"weight\":1}");
    }

    @Test
    void twoOrdersOfTheSameSchemaNormaliseToOneText() {
        String one = normalize("""
                {"type":"record","name":"P","b":"2","a":"1","fields":[{"name":"f","type":"int","aliases":["y","x"]}]}""");
        String other = normalize("""
                {"a":"1","fields":[{"aliases":["x","y"],"type":"int","name":"f"}],"name":"P","b":"2","type":"record"}""");

        assertThat(one).isEqualTo(other);
    }

    private static String normalize(String schema) {
        return AvroNormalization.normalize(new Schema.Parser().parse(schema));
    }
}
