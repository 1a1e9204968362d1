package io.leadflow.schemas.serde;

/**
 * Confluent's wire format: byte 0 is the magic byte 0x00, bytes 1-4 the schema id big-endian, then
 * the Avro binary encoding of the value.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0x0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }
}
