package io.leadflow.sandbox.hubspot;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** HubSpot's object types by every name it accepts for them, and its HubSpot-defined association types. */
final class Types {

    /** Object types by every name HubSpot accepts for them (plural name, singular, objectTypeId). */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("contacts", "contacts"), Map.entry("contact", "contacts"), Map.entry("0-1", "contacts"),
            Map.entry("companies", "companies"), Map.entry("company", "companies"), Map.entry("0-2", "companies"),
            Map.entry("deals", "deals"), Map.entry("deal", "deals"), Map.entry("0-3", "deals"),
            Map.entry("tickets", "tickets"), Map.entry("ticket", "tickets"), Map.entry("0-5", "tickets"),
            Map.entry("calls", "calls"), Map.entry("call", "calls"), Map.entry("0-48", "calls"),
            Map.entry("emails", "emails"), Map.entry("email", "emails"), Map.entry("0-49", "emails"),
            Map.entry("meetings", "meetings"), Map.entry("meeting", "meetings"), Map.entry("0-47", "meetings"),
            Map.entry("notes", "notes"), Map.entry("note", "notes"), Map.entry("0-46", "notes"),
            Map.entry("tasks", "tasks"), Map.entry("task", "tasks"), Map.entry("0-27", "tasks"));

    static final Map<String, String> IDS = Map.of("contacts", "0-1", "companies", "0-2", "deals", "0-3",
            "tickets", "0-5", "calls", "0-48", "emails", "0-49", "meetings", "0-47", "notes", "0-46", "tasks", "0-27");

    record AssociationType(String fromType, String toType, int id, boolean defaultType) {
    }

    /** HubSpot-defined association type ids: from type, to type, id, and which one is the default. */
    private static final List<AssociationType> ASSOCIATION_TYPES = List.of(
            new AssociationType("contacts", "companies", 279, false), new AssociationType("contacts", "companies", 1, true),
            new AssociationType("companies", "contacts", 280, false), new AssociationType("companies", "contacts", 2, true),
            new AssociationType("deals", "contacts", 3, true), new AssociationType("contacts", "deals", 4, true),
            new AssociationType("deals", "companies", 341, false), new AssociationType("deals", "companies", 5, true),
            new AssociationType("companies", "deals", 342, false), new AssociationType("companies", "deals", 6, true),
            new AssociationType("notes", "contacts", 202, true), new AssociationType("contacts", "notes", 201, true),
            new AssociationType("notes", "companies", 190, true), new AssociationType("companies", "notes", 189, true),
            new AssociationType("notes", "deals", 214, true), new AssociationType("deals", "notes", 213, true),
            new AssociationType("tasks", "contacts", 204, true), new AssociationType("contacts", "tasks", 203, true),
            new AssociationType("tasks", "companies", 192, true), new AssociationType("companies", "tasks", 191, true),
            new AssociationType("tasks", "deals", 216, true), new AssociationType("deals", "tasks", 215, true),
            new AssociationType("calls", "contacts", 194, true), new AssociationType("calls", "deals", 206, true),
            new AssociationType("meetings", "contacts", 200, true), new AssociationType("meetings", "deals", 212, true),
            new AssociationType("emails", "contacts", 198, true), new AssociationType("contacts", "emails", 197, true),
            new AssociationType("emails", "companies", 186, true), new AssociationType("companies", "emails", 185, true),
            new AssociationType("emails", "deals", 210, true), new AssociationType("deals", "emails", 209, true));

    private Types() {
    }

    static String type(String raw) {
        String type = ALIASES.get(raw.toLowerCase(Locale.ROOT));
        if (type == null) {
            throw new HubSpotError(400, "VALIDATION_ERROR", "Unable to infer object type from: " + raw);
        }
        return type;
    }

    static String singular(String type) {
        return type.equals("companies") ? "company" : type.substring(0, type.length() - 1);
    }

    static Optional<Integer> defaultAssociationIfAny(String fromType, String toType) {
        return ASSOCIATION_TYPES.stream().filter(t -> t.fromType().equals(fromType) && t.toType().equals(toType) && t.defaultType())
                .map(AssociationType::id).findFirst();
    }

    static int defaultAssociation(String fromType, String toType) {
        return defaultAssociationIfAny(fromType, toType)
                .orElseThrow(() -> new HubSpotError(400, "VALIDATION_ERROR", "No default association from " + fromType + " to " + toType));
    }

    static int parseAssociation(String value, String fromType, String toType) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return defaultAssociation(fromType, toType);
        }
    }

    /** The type an association type id from {@code fromType} points at, if HubSpot defines it. */
    static Optional<String> associationTarget(String fromType, int typeId) {
        return ASSOCIATION_TYPES.stream().filter(t -> t.fromType().equals(fromType) && t.id() == typeId)
                .map(AssociationType::toType).findFirst();
    }
}
